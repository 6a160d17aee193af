export * from './listener';
export * from './scripted-ads';
export * from './stack';
export * from './broker';
export * from './services';
export * from './load';
export * from './broker-cluster';
