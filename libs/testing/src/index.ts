export * from './collector';
export * from './logger';
export * from './metrics';
export * from './namespace';
export * from './ports';
export * from './probe';
export * from './floor';
export * from './shape-floor';
