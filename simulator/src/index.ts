// The customer simulator, for tools and tests that drive a stack with simulated
// customers (npm run simulate is its command line: main.ts).
export { simulate } from './driver';
export { DEFAULTS, type SimulateOptions } from './options';
export type { Counts, Progress, Summary, VersionCounts } from './summary';
export { formatSummary } from './summary';
export { clickProbability, type HiddenTaste } from './ground-truth';
export { planRun, type Plan, type PlannedView, type SimulatedCustomer } from './plan';
