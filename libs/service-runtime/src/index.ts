export * from './config';
export * from './identity';
export * from './logger';
export * from './metrics';
export * from './health';
export * from './serve';
export * from './bus';
export * from './http';
