import type { Envelope, MessageContract } from '@ad-race/contracts';
import { Bus, type MessageMeta } from '@ad-race/messaging';
import { Collector, eventually, silentLogger } from '@ad-race/testing';
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

/** Waits until a Fastify app built by a service answers 200 on /health/ready (it is connected to the broker). */
export async function waitUntilReady(app: { inject(req: { method: 'GET'; url: string }): Promise<{ statusCode: number }> }, timeoutMs = 5_000) {
  await eventually(async () => (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200, timeoutMs, 'readiness');
}
