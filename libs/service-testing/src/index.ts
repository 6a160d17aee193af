export * from './collector';
export * from './listener';
export * from './logger';
export * from './namespace';
export * from './metrics';
export * from './scripted-ads';
export * from './stack';
export * from './broker';
