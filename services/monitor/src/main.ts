import { readConfig, serve } from '@ad-race/service-runtime';
import { setPriority } from 'node:os';
import { MonitorConfig, buildApp } from './app';

async function main() {
  const config = readConfig(MonitorConfig, process.env);
  // Listening is background work: on a machine shared with the serving path, the race goes first.
  setPriority(config.NICENESS);
  const app = await buildApp({ config });
  await serve(app, { port: config.PORT, host: config.HOST });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
