import { containerEngineAvailable } from './broker';

// A Jest global setup (integration, resilience): decides once, for every suite,
// whether a container engine is reachable:
// the suites that need one of their own skip their tests without it.
export default async function globalSetup(): Promise<void> {
  await containerEngineAvailable();
}
