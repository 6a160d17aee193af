export * from './envelope';
export * from './message-contract';
export * from './offer';
export * from './ad-need';
export * from './ad-solution';
export * from './browser-api';
