// The customer simulator, for tools and tests that drive a stack with simulated
// customers (npm run simulate is its command line: main.ts).
export { Crowd, simulate } from './driver';
export { DEFAULTS as SIMULATION_DEFAULTS, type SimulateOptions } from './options';
export type { Counts, Progress, Summary } from './summary';
export { planRun } from './plan';
