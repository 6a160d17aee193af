// The customer simulator, for tools and tests that drive a stack with simulated
// customers (npm run simulate is its command line: main.ts).
export { Crowd, simulate } from './driver';
export { DEFAULTS as SIMULATION_DEFAULTS, type SimulateOptions } from './options';
export { houseAds, servedLine, type Counts, type Progress, type Summary } from './summary';
export { planRun, SECONDS_PER_DAY } from './plan';
