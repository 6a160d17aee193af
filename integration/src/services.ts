import * as adsV1 from '@ad-race/ads-v1';
import * as adsV2 from '@ad-race/ads-v2';
import { readConfig } from '@ad-race/service-runtime';
import { waitUntilReady } from '@ad-race/service-testing';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';

const ADS = { 'ads-v1': adsV1, 'ads-v2': adsV2 };

/** Builds one of the ad services in-process, connected to the broker, and waits until it is ready. */
export async function startAds(service: keyof typeof ADS, env: Record<string, string>): Promise<FastifyInstance> {
  const { AdsConfig, buildApp } = ADS[service];
  const app = await buildApp({ config: readConfig(AdsConfig, env), logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }) });
  await app.ready();
  await waitUntilReady(app);
  return app;
}
