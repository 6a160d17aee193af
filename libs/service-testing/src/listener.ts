import type { Envelope, MessageContract } from '@ad-race/contracts';
import { Bus, type MessageMeta } from '@ad-race/messaging';
import { Collector, eventually, silentLogger, sleep } from '@ad-race/testing';
import { randomUUID } from 'node:crypto';

export interface Listener<M> {
  bus: Bus;
  heard: Collector<{ message: M; meta: MessageMeta }>;
}

/**
 * A bus of the test's own that hears every message of one version on a queue
 * of its own, as a monitor would. It may publish the versions given.
 */
export async function listenTo<M extends Envelope>(url: string, namespace: string, contract: MessageContract<M>, publishes: readonly MessageContract[] = []): Promise<Listener<M>> {
  const heard = new Collector<{ message: M; meta: MessageMeta }>();
  const bus = new Bus({ url, namespace, instance: `listener-${randomUUID().slice(0, 8)}`, logger: silentLogger, publishes });
  bus.subscribe({ contract, queue: { kind: 'per-instance' }, handle: (message, meta) => heard.push({ message, meta }) });
  await bus.start();
  await bus.connected();
  return { bus, heard };
}

/** A Fastify app built by a service, as far as its health checks go. */
type ServiceApp = { inject(req: { method: 'GET'; url: string }): Promise<{ statusCode: number }> };

/** Waits until a Fastify app built by a service answers 200 on /health/ready (it is connected to the broker). */
export async function waitUntilReady(app: ServiceApp, timeoutMs = 5_000) {
  await eventually(async () => (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200, timeoutMs, 'readiness');
}

/**
 * Asks each app for /health/ready every 50 ms, while a fault comes and goes,
 * until stopped: stop() resolves to the names of those that answered 503 (not
 * connected to the broker) meanwhile, sorted.
 */
export function watchReadiness(apps: Record<string, ServiceApp>): { stop(): Promise<string[]> } {
  const wentUnready = new Set<string>();
  let watching = true;
  const watch = (async () => {
    while (watching) {
      for (const [name, app] of Object.entries(apps)) {
        if ((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 503) wentUnready.add(name);
      }
      await sleep(50);
    }
  })().catch(() => undefined); // an app closed under it: the test ended without stopping the watch
  return {
    async stop() {
      watching = false;
      await watch;
      return [...wentUnready].sort();
    },
  };
}
