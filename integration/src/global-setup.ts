import { containerEngineAvailable } from '@ad-race/service-testing';

// Decides once, for every suite, whether a container engine is reachable:
// the suites that need one of their own skip their tests without it.
export default async function globalSetup(): Promise<void> {
  await containerEngineAvailable();
}
