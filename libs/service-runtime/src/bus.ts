import type { MessageContract } from '@ad-race/contracts';
import { Bus } from '@ad-race/messaging';
import type { ServiceIdentity } from './identity';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

/**
 * The bus of a service: its connection named after the instance, the message
 * versions it publishes, its dead letters and expired needs counted.
 */
export function createServiceBus(options: {
  url: string;
  namespace: string;
  identity: ServiceIdentity;
  logger: Logger;
  metrics: Metrics;
  publishes: readonly MessageContract[];
}): Bus {
  const { identity, metrics } = options;
  return new Bus({
    url: options.url,
    namespace: options.namespace,
    instance: identity.instance,
    logger: options.logger,
    publishes: options.publishes,
    hooks: {
      deadLettered: (meta) => metrics.invalidMessages.inc({ version: meta.producerVersion }),
      expired: () => metrics.needsExpired.inc({ version: identity.version }),
    },
  });
}
