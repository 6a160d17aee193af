export * from './bus';
export * from './topology';
