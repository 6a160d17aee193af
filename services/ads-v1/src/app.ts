import { adNeedV1, adSolutionV1, createAdSolutionV1, type Offer } from '@ad-race/contracts';
import { OFFERS } from '@ad-race/catalog';
import { createHttpServer, createLogger, createMetrics, createServiceBus, identify, operationsRoutes, type Logger } from '@ad-race/service-runtime';
import type { FastifyInstance } from 'fastify';
import { performance } from 'node:perf_hooks';
import type { AdsConfig } from './config';
import { adMetrics } from './metrics';
import { selectAd } from './select-ad';

export { AdsConfig, AdsConfig as Config } from './config';

export interface AdsAppDeps {
  config: AdsConfig;
  /** The catalog to choose from; the seeded data set by default. */
  offers?: readonly Offer[];
  logger?: Logger;
}

/**
 * The ad service, version 1: answers every need on the bus with an ad.
 * Replicas of one version share the version's queue, so each version answers each need once.
 */
export async function buildApp({ config, offers = OFFERS, logger }: AdsAppDeps): Promise<FastifyInstance> {
  const identity = identify('ads', config.SERVICE_VERSION, config.INSTANCE_ID);
  const log = logger ?? createLogger(identity, config.LOG_LEVEL);
  const metrics = createMetrics(identity);
  const counts = adMetrics(metrics);
  const bus = createServiceBus({ config, identity, logger: log, metrics, shadow: config.SHADOW, publishes: [adSolutionV1] });
  const labels = { version: identity.version };

  // Reads version 1 of the needs; writes version 1 of the solutions.
  bus.subscribe({
    contract: adNeedV1,
    queue: { kind: 'shared', group: `ads-${identity.version}` },
    async handle(need) {
      counts.needsReceived.inc(labels);
      const started = performance.now();
      const ad = selectAd(need.payload, offers);
      counts.selectionMs.observe(labels, performance.now() - started);
      await bus.publish(adSolutionV1, createAdSolutionV1(need, identity, config.SHADOW, ad));
      counts.solutionsPublished.inc(labels);
      log.info({ needId: need.id, customerId: need.payload.customerId, offerId: ad.offer.id }, 'answered a need');
    },
  });

  const app = createHttpServer(log);
  await app.register(operationsRoutes, { isReady: () => bus.isConnected, registry: metrics.registry });
  app.addHook('onReady', () => bus.start());
  app.addHook('onClose', () => bus.close());
  return app;
}
