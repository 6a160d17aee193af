export * from './bus';
export * from './probe';
export * from './topology';
