export * from './bus';
export * from './probe';
export * from './topology';
export * from './floor';
