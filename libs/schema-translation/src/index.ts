export * from './translation';
export * from './upcast-need';
export * from './downcast-solution';
