import { readConfig, serve } from '@ad-race/service-runtime';
import { AdsConfig, buildApp } from './app';

async function main() {
  const config = readConfig(AdsConfig, process.env);
  const app = await buildApp({ config });
  await serve(app, { port: config.PORT, host: config.HOST });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
