import type { DurableQueueType } from '@ad-race/contracts';
import { BusProbe } from './probe';
import { randomUUID } from 'node:crypto';

/** The broker integration tests use: AMQP_URL, or the local RabbitMQ. */
export function brokerUrl(): string {
  return process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
}

/** A namespace of the test's own, so tests sharing one broker never see each other's messages. */
export function uniqueNamespace(label = 'test'): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/**
 * Opens a probe on a fresh namespace; `cleanup()` deletes what the test
 * declared in the broker (the shared broker keeps everything otherwise).
 */
export async function openTestNamespace(label?: string, url = brokerUrl(), deadLetterQueueType: DurableQueueType = 'classic') {
  const namespace = uniqueNamespace(label);
  const probe = await BusProbe.open(url, namespace, deadLetterQueueType);
  return {
    url,
    namespace,
    probe,
    /** Notes a shared queue the test's services will declare, so that cleanup deletes it. */
    willUseSharedQueue: probe.willUseSharedQueue.bind(probe),
    async cleanup() {
      await probe.deleteNamespace();
      await probe.close();
    },
  };
}
