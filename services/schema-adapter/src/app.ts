import { CUSTOMERS, type CustomerProfile } from '@ad-race/catalog';
import { adNeedV1, adNeedV2, adSolutionV1, adSolutionV2, conversationOf, newMessageId, type Envelope, type MessageContract } from '@ad-race/contracts';
import { MessageRejected } from '@ad-race/messaging';
import { downcastSolution, upcastNeed, type Translation } from '@ad-race/schema-translation';
import { createHttpServer, createLogger, createMetrics, createServiceBus, identify, operationsRoutes, type Logger } from '@ad-race/service-runtime';
import type { FastifyInstance } from 'fastify';
import { performance } from 'node:perf_hooks';
import type { AdapterConfig } from './config';
import { adapterMetrics } from './metrics';

export { AdapterConfig, AdapterConfig as Config } from './config';

export interface AdapterAppDeps {
  config: AdapterConfig;
  /** The customer data the adapter owns and enriches needs from; the seeded profiles by default. */
  customers?: readonly CustomerProfile[];
  logger?: Logger;
}

/** The queue group every replica of the adapter shares: each message is translated once between them. */
const GROUP = 'schema-adapter';

/**
 * The message-schema adapter: newer services read newer messages, and old
 * ones stay untouched. Every version-1 need becomes a version-2 need,
 * enriched from the customer data the adapter owns; every version-2 answer
 * becomes a version-1 answer for the consumers that read only version 1
 * (the web server). A message an adapter made is never translated again, so
 * no message goes round in a loop, whatever versions producers publish.
 */
export async function buildApp({ config, customers = CUSTOMERS, logger }: AdapterAppDeps): Promise<FastifyInstance> {
  const identity = identify('schema-adapter', config.SERVICE_VERSION, config.INSTANCE_ID);
  const log = logger ?? createLogger(identity, config.LOG_LEVEL);
  const metrics = createMetrics(identity);
  const counts = adapterMetrics(metrics);
  const bus = createServiceBus({ config, identity, logger: log, metrics, publishes: [adNeedV2, adSolutionV1] });
  const profiles = new Map(customers.map((c) => [c.id, c]));

  /** Subscribes to one version and publishes each message's translation into another. */
  function translate<From extends Envelope, To extends Envelope>(from: MessageContract<From>, to: MessageContract<To>, translation: (message: From) => Translation<To>) {
    const labels = { from: from.channel, to: to.channel };
    bus.subscribe({
      contract: from,
      queue: { kind: 'shared', group: GROUP },
      wants(meta) {
        if (meta.translatedBy === undefined) return true;
        counts.skipped.inc({ from: from.channel });
        return false;
      },
      async handle(message, meta) {
        const translated = translation(message);
        if (!translated.ok) {
          counts.untranslatable.inc({ from: from.channel });
          throw new MessageRejected(`cannot translate ${from.channel} into ${to.channel}: ${translated.reason}`);
        }
        await bus.publish(to, translated.message, { conversationId: translated.conversationId, translatedFrom: from });
        counts.translations.inc(labels);
        counts.translationMs.observe(labels, performance.now() - meta.receivedAt);
        log.info({ needId: translated.conversationId, from: from.channel, to: to.channel, messageId: message.id }, 'translated a message');
      },
    });
  }

  // A version-1 need always starts its conversation.
  translate(adNeedV1, adNeedV2, (need) =>
    upcastNeed(need, { conversationId: conversationOf(need), profile: profiles.get(need.payload.customerId), id: newMessageId(), now: new Date() }),
  );
  translate(adSolutionV2, adSolutionV1, (solution) => downcastSolution(solution, { id: newMessageId(), now: new Date() }));

  const app = createHttpServer(log);
  await app.register(operationsRoutes, { isReady: () => bus.isConnected, registry: metrics.registry });
  app.addHook('onReady', () => bus.start());
  app.addHook('onClose', () => bus.close());
  return app;
}
