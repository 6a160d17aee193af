import { adNeedV1, adNeedV2, adSolutionV1, adSolutionV2, createAdSolutionV1, createAdSolutionV2, type Offer } from '@ad-race/contracts';
import { CUSTOMERS, OFFERS, type CustomerProfile } from '@ad-race/catalog';
import { createHttpServer, createLogger, createMetrics, createServiceBus, identify, operationsRoutes, type Logger } from '@ad-race/service-runtime';
import type { FastifyInstance } from 'fastify';
import { performance } from 'node:perf_hooks';
import type { AdsConfig } from './config';
import { adMetrics } from './metrics';
import { chooseAds, indexCatalog, selectAd } from './select-ad';

export { AdsConfig, AdsConfig as Config } from './config';

export interface AdsAppDeps {
  config: AdsConfig;
  /** The catalog to choose from; the seeded data set by default. */
  offers?: readonly Offer[];
  /** What is known about the customers; the seeded profiles by default. */
  customers?: readonly CustomerProfile[];
  logger?: Logger;
}

/**
 * The ad service, version 2 (it began as a copy of version 1): answers every need on the bus with an ad,
 * reading version 1 of the needs, or (MESSAGES=v2) the richer version 2 that the schema adapter makes.
 * Replicas of one version share the version's queue, so each version answers each need once.
 */
export async function buildApp({ config, offers = OFFERS, customers = CUSTOMERS, logger }: AdsAppDeps): Promise<FastifyInstance> {
  const identity = identify('ads', config.SERVICE_VERSION, config.INSTANCE_ID);
  const log = logger ?? createLogger(identity, config.LOG_LEVEL);
  const metrics = createMetrics(identity);
  const counts = adMetrics(metrics);
  const v2 = config.MESSAGES === 'v2';
  const bus = createServiceBus({ config, identity, logger: log, metrics, shadow: config.SHADOW, publishes: [v2 ? adSolutionV2 : adSolutionV1] });
  const labels = { version: identity.version };
  const catalog = indexCatalog(offers, customers);
  const queue = { kind: 'shared', group: `ads-${identity.version}` } as const;

  if (v2) {
    // Reads version 2 of the needs (the schema adapter makes them from version 1); writes version 2 of the solutions.
    bus.subscribe({
      contract: adNeedV2,
      queue,
      async handle(need) {
        counts.needsReceived.inc(labels);
        const started = performance.now();
        const answer = chooseAds(need.payload, catalog);
        counts.selectionMs.observe(labels, performance.now() - started);
        await bus.publish(adSolutionV2, createAdSolutionV2(need, identity, config.SHADOW, answer));
        counts.solutionsPublished.inc(labels);
        log.info({ needId: need.conversationId, customerId: need.payload.customerId, offerId: answer.offers[0]!.ad.offer.id }, 'answered a need');
      },
    });
  } else {
    // Reads version 1 of the needs; writes version 1 of the solutions.
    bus.subscribe({
      contract: adNeedV1,
      queue,
      async handle(need) {
        counts.needsReceived.inc(labels);
        const started = performance.now();
        const ad = selectAd(need.payload, catalog);
        counts.selectionMs.observe(labels, performance.now() - started);
        await bus.publish(adSolutionV1, createAdSolutionV1(need, identity, config.SHADOW, ad));
        counts.solutionsPublished.inc(labels);
        log.info({ needId: need.id, customerId: need.payload.customerId, offerId: ad.offer.id }, 'answered a need');
      },
    });
  }

  const app = createHttpServer(log);
  await app.register(operationsRoutes, { isReady: () => bus.isConnected, registry: metrics.registry });
  app.addHook('onReady', () => bus.start());
  app.addHook('onClose', () => bus.close());
  return app;
}
