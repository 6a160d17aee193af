export * from './envelope';
export * from './message-contract';
export * from './routes';
export * from './offer';
export * from './ad-need';
export * from './ad-solution';
export * from './messages';
export * from './browser-api';
