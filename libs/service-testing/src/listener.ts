import type { Envelope, MessageContract } from '@ad-race/contracts';
import { Bus, type ExchangeName, type MessageMeta } from '@ad-race/messaging';
import { randomUUID } from 'node:crypto';
import { Collector, eventually } from './collector';
import { silentLogger } from './logger';

export interface Listener<M> {
  bus: Bus;
  heard: Collector<{ message: M; meta: MessageMeta }>;
}

/** A bus of the test's own that hears every message on one exchange, as a monitor would. */
export async function listenTo<M extends Envelope>(url: string, namespace: string, exchange: ExchangeName, contract: MessageContract<M>): Promise<Listener<M>> {
  const heard = new Collector<{ message: M; meta: MessageMeta }>();
  const bus = new Bus({ url, namespace, instance: `listener-${randomUUID().slice(0, 8)}`, logger: silentLogger });
  bus.subscribe({ exchange, queue: { kind: 'per-instance' }, contract, handle: (message, meta) => heard.push({ message, meta }) });
  await bus.start();
  await bus.connected();
  return { bus, heard };
}

/** Waits until a Fastify app built by a service answers 200 on /health/ready (it is connected to the broker). */
export async function waitUntilReady(app: { inject(req: { method: 'GET'; url: string }): Promise<{ statusCode: number }> }, timeoutMs = 5_000) {
  await eventually(async () => (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200, timeoutMs, 'readiness');
}
