import { CUSTOMERS, type CustomerProfile } from '@ad-race/catalog';
import {
  Comparison,
  DashboardQuery,
  VersionsResponse,
  adClickedV1,
  adNeedV1,
  adNeedV2,
  adServedV1,
  adSolutionV1,
  adSolutionV2,
  conversationOf,
  newMessageId,
  serviceHeartbeatV1,
  sessionEndedV1,
  type CarClass,
  type Envelope,
  type LoyaltyTier,
  type MessageContract,
  type Offer,
} from '@ad-race/contracts';
import { fitnessOf } from '@ad-race/fitness';
import type { MessageMeta } from '@ad-race/messaging';
import { createHttpServer, createLogger, createMetrics, createServiceBus, frontEnd, identify, operationsRoutes, pageSecurityHeaders, type Logger } from '@ad-race/service-runtime';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Batcher } from './batcher';
import type { MonitorConfig } from './config';
import { compareVersions } from './comparison';
import { DashboardFeed } from './dashboard-feed';
import { DashboardSource, type DashboardRequest } from './dashboard-source';
import { Evidence, type AnswerRow, type Batch, type NeedRow, type Scorer } from './evidence';
import { Liveness } from './liveness';
import { monitorMetrics } from './metrics';

export { MonitorConfig, MonitorConfig as Config } from './config';

export interface MonitorAppDeps {
  config: MonitorConfig;
  /** The customers answers are judged for; the seeded profiles by default. */
  customers?: readonly CustomerProfile[];
  logger?: Logger;
}

/** The queue group every replica of the monitor shares: they divide its messages between them. */
const GROUP = 'monitor';

export const ComparisonQuery = Type.Object(
  {
    a: Type.String({ minLength: 1, maxLength: 64, description: 'the baseline version, such as v1' }),
    b: Type.String({ minLength: 1, maxLength: 64, description: 'the version judged against it, such as v2' }),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'start of the window (needs made from then); a week ago by default' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'end of the window (needs made before then); now by default' })),
  },
  { additionalProperties: false },
);
export type ComparisonQuery = Static<typeof ComparisonQuery>;

const WEEK_MS = 7 * 24 * 3600_000;

/**
 * The monitor: it only listens. Its own queues are bound to every message
 * version on the bus; they are durable and bounded and shared by its replicas,
 * so what it misses while down waits for it. It records every need, every
 * version's answer (winners, losers and shadows, valid or not), which ad was
 * served and which was clicked; scores every answer with the fitness
 * function; and compares any two versions with a verdict. It publishes only
 * its heartbeat: stopping it changes nothing for customers.
 */
export async function buildApp({ config, customers = CUSTOMERS, logger }: MonitorAppDeps): Promise<FastifyInstance> {
  const identity = identify('monitor', config.SERVICE_VERSION, config.INSTANCE_ID);
  const log = logger ?? createLogger(identity, config.LOG_LEVEL);
  const metrics = createMetrics(identity);
  const counts = monitorMetrics(metrics);
  // A large prefetch: the monitor acknowledges in batches, after each is written.
  const bus = createServiceBus({
    config,
    identity,
    logger: log,
    metrics,
    publishes: [],
    bus: { prefetch: Math.max(200, config.BATCH_ROWS) },
  });
  // One database per namespace: stacks that share a broker (and a data directory) keep their evidence apart.
  const evidence = new Evidence(join(config.DATA_DIR, config.BUS_NAMESPACE), scorer(customers));
  const batcher = new Batcher(
    (batch) => {
      const started = performance.now();
      const rows = batch.needs.length + batch.answers.length + batch.served.length + batch.clicks.length;
      const written = evidence.record(batch);
      counts.batchMs.observe(performance.now() - started);
      counts.batchRows.inc(written);
      counts.duplicates.inc(rows - written);
    },
    { maxRows: config.BATCH_ROWS, delayMs: config.BATCH_DELAY_MS },
  );
  const liveness = new Liveness();
  const queue = { kind: 'durable', group: GROUP, maxLength: config.QUEUE_MAX_LENGTH } as const;

  /** Records one message version: valid ones as `rows` say, broken ones counted (and answers recorded as invalid). */
  function record<M extends Envelope>(contract: MessageContract<M>, rows: (message: M, meta: MessageMeta) => Partial<Batch>, broken?: (meta: MessageMeta, reason: string) => Partial<Batch>) {
    bus.subscribe({
      contract,
      queue,
      afterDeadline: 'handle', // a need past its deadline was still made, and answered or not
      handle: (message, meta) => {
        counts.recorded.inc({ channel: contract.channel, valid: 'true' });
        return batcher.add(rows(message, meta));
      },
      invalid: (meta, reason) => {
        counts.recorded.inc({ channel: contract.channel, valid: 'false' });
        if (broken) return batcher.add(broken(meta, reason));
      },
    });
  }

  const at = (iso: string) => Date.parse(iso);
  record(adNeedV1, (need) => ({
    needs: [needRow(need.id, need.createdAt, need.payload, adNeedV1.channel, need.deadline)],
  }));
  // A translated need is the version-1 need again, recorded from that; a version-2 need published first-hand is recorded here.
  record(adNeedV2, (need, meta) =>
    meta.translatedBy !== undefined
      ? {}
      : { needs: [needRow(need.conversationId, need.createdAt, need.payload, adNeedV2.channel, need.deadline)] },
  );
  const answer = (message: Envelope, meta: MessageMeta, channel: string, offer: Offer): AnswerRow => ({
    messageId: message.id,
    conversationId: meta.conversationId ?? conversationOf(message),
    version: message.producer.version,
    instance: message.producer.instance,
    channel,
    translated: meta.translatedBy !== undefined,
    shadow: (message as { shadow?: boolean }).shadow === true,
    createdAt: at(message.createdAt),
    valid: true,
    error: null,
    offer: JSON.stringify(offer),
    offerId: offer.id,
  });
  const brokenAnswer = (channel: string) => (meta: MessageMeta, reason: string) => ({
    answers: [
      {
        messageId: meta.messageId ?? newMessageId(),
        conversationId: meta.conversationId ?? 'unknown',
        version: meta.producerVersion ?? 'unknown',
        instance: meta.producerInstance ?? 'unknown',
        channel,
        translated: meta.translatedBy !== undefined,
        shadow: false,
        createdAt: Date.now(),
        valid: false,
        error: reason.slice(0, 500),
        offer: null,
        offerId: null,
      },
    ],
  });
  record(adSolutionV1, (s, meta) => ({ answers: [answer(s, meta, adSolutionV1.channel, s.payload.ad.offer)] }), brokenAnswer(adSolutionV1.channel));
  record(adSolutionV2, (s, meta) => ({ answers: [answer(s, meta, adSolutionV2.channel, s.payload.offers[0]!.ad.offer)] }), brokenAnswer(adSolutionV2.channel));
  // Who won, and the need it was for: a need published while the monitor was down has expired
  // from its queue by the time it is back (at its deadline, in every queue), its ad.served has not.
  record(adServedV1, (served) => ({
    needs: [needRow(served.conversationId, served.payload.need.createdAt, { ...served.payload.need, customerId: served.payload.customerId, page: served.payload.page }, adServedV1.channel)],
    served: [
      {
        conversationId: served.conversationId,
        version: served.payload.servedBy?.version ?? null,
        answerId: served.causationId,
        createdAt: at(served.createdAt),
        latencyMs: served.payload.latencyMs,
      },
    ],
  }));
  record(adClickedV1, (click) => ({
    clicks: [{ conversationId: click.conversationId, version: click.payload.servedBy.version, customerId: click.payload.customerId, createdAt: at(click.createdAt) }],
  }));
  record(sessionEndedV1, () => ({}));

  // Heartbeats are not evidence: each replica hears them all, on a queue of its own, to know who is alive.
  bus.subscribe({
    contract: serviceHeartbeatV1,
    queue: { kind: 'per-instance' },
    handle: (heartbeat) => {
      if (liveness.heard(heartbeat, Date.now())) log.info({ service: heartbeat.producer.service, version: heartbeat.producer.version }, 'a version is alive');
    },
  });

  const sweeper = setInterval(() => {
    for (const gone of liveness.sweep(Date.now())) log.warn(gone, 'a version has stopped: no instance of it is alive');
    counts.instancesAlive.reset();
    for (const v of liveness.versions(Date.now())) counts.instancesAlive.set({ service: v.service, version: v.version }, v.instances.length);
  }, 1000);
  sweeper.unref();
  const prune = () => {
    const pruned = evidence.prune(Date.now() - config.RETENTION_HOURS * 3600_000);
    if (pruned > 0) log.info({ pruned, retentionHours: config.RETENTION_HOURS }, 'folded old needs into hourly totals');
  };
  const pruner = setInterval(prune, 3600_000);
  pruner.unref();
  prune();

  const app = createHttpServer(log);
  // The dashboard is a page: the same strict policy as the customer page's (its script, styles and event stream from here only).
  await pageSecurityHeaders(app, { secure: false });
  await app.register(operationsRoutes, { isReady: () => bus.isConnected, registry: metrics.registry });

  app.get('/api/versions', { schema: { response: { 200: VersionsResponse } } }, async () => ({ versions: liveness.versions(Date.now()) }));

  app.get<{ Querystring: ComparisonQuery }>('/api/comparison', { schema: { querystring: ComparisonQuery, response: { 200: Comparison } } }, async (request, reply) => {
    const { a, b } = request.query;
    const to = request.query.to ? at(request.query.to) : Date.now();
    const from = request.query.from ? at(request.query.from) : to - WEEK_MS;
    if (from >= to) return reply.code(400).send({ error: '"from" must be before "to"' });
    return compareVersions(evidence, a, b, from, to);
  });

  // The dashboard: one snapshot per interval for each question asked (window and pair), shared by every dashboard asking it.
  const source = new DashboardSource(evidence, liveness);
  const feed = new DashboardFeed((request) => JSON.stringify(source.snapshot(request, Date.now())), {
    intervalMs: config.DASHBOARD_INTERVAL_MS,
    onCount: (n) => counts.dashboards.set(n),
    onError: (err) => log.error({ err }, 'could not make a dashboard snapshot'),
  });
  const requestOf = (query: DashboardQuery): DashboardRequest => ({ window: query.window ?? '5m', a: query.a, b: query.b });

  app.get<{ Querystring: DashboardQuery }>('/api/dashboard', { schema: { querystring: DashboardQuery } }, async (request, reply) => {
    const json = feed.snapshot(requestOf(request.query));
    if (json === undefined) return reply.code(503).send({ error: 'no snapshot could be made: see the monitor log' });
    // Already JSON, made once for every dashboard asking the same: sent as it is.
    return reply.type('application/json; charset=utf-8').send(json);
  });

  app.get<{ Querystring: DashboardQuery }>('/api/dashboard/stream', { schema: { querystring: DashboardQuery } }, (request, reply) => {
    // Server-sent events: the response stays open, and the feed writes a snapshot to it every interval.
    reply.hijack();
    const res = reply.raw;
    // The security headers set so far (Fastify does not send them for a hijacked reply), and the stream's own.
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string | number | string[]>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: pass each event on as it comes
    });
    res.write('retry: 2000\n\n');
    const remove = feed.add(requestOf(request.query), { send: (chunk) => res.write(chunk), end: () => res.end() });
    res.on('close', remove);
  });

  await app.register(frontEnd, { root: config.WEB_ROOT, index: 'dashboard.html' });

  app.addHook('onReady', () => bus.start());
  // Open event streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => feed.close());
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    clearInterval(pruner);
    await bus.close();
    batcher.flush();
    evidence.close();
  });
  return app;
}

/** What the fitness of an answer is judged against: the customer's profile, or what the need says of an unknown customer. */
function scorer(customers: readonly CustomerProfile[]): Scorer {
  const profiles = new Map(customers.map((c) => [c.id, c]));
  return (offerJson, need) => {
    const profile: CustomerProfile = profiles.get(need.customerId) ?? {
      id: need.customerId,
      name: 'unknown',
      email: 'unknown@example.com',
      homeCity: need.city,
      loyaltyTier: need.tier as LoyaltyTier,
      preferredClasses: [] as CarClass[],
      familySize: 1,
      pastRentals: [],
      nextTrip: null,
    };
    try {
      return fitnessOf(JSON.parse(offerJson) as Offer, profile).expectedValueEur;
    } catch {
      return null;
    }
  };
}

/** A need as the monitor keeps it, from whichever message told of it: the need itself, or who won its race. */
function needRow(conversationId: string, createdAt: string, said: { customerId: string; city: string; loyaltyTier: string; page: string }, channel: string, deadline?: string): NeedRow {
  return { conversationId, createdAt: Date.parse(createdAt), customerId: said.customerId, city: said.city, tier: said.loyaltyTier, page: said.page, channel, deadlineAt: deadline === undefined ? null : Date.parse(deadline) };
}
