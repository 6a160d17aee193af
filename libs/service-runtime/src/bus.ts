import { createServiceHeartbeatV1, serviceHeartbeatV1, type MessageContract, type ServiceHeartbeatV1 } from '@ad-race/contracts';
import { Bus, type BusOptions, type DurableQueueType } from '@ad-race/messaging';
import type { ServiceIdentity } from './identity';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

export interface ServiceBusOptions {
  /** The broker's URL, or its cluster's nodes' URLs, comma-separated (AMQP_URL). */
  url: string;
  namespace: string;
  /** The type of the dead letters and durable queues (DURABLE_QUEUE_TYPE): the same for every service of a namespace. */
  durableQueueType: DurableQueueType;
  identity: ServiceIdentity;
  logger: Logger;
  metrics: Metrics;
  publishes: readonly MessageContract[];
  /** How often the service says it is alive (see ServiceHeartbeatV1). */
  heartbeatMs: number;
  /** A shadow version's answers are compared, never shown: its heartbeat says so. */
  shadow?: boolean;
  /** Options of the bus itself, for a service with needs of its own (the monitor's prefetch). */
  bus?: Pick<BusOptions, 'prefetch'>;
}

/**
 * The bus of a service: its connection named after the instance, the message
 * versions it publishes, its dead letters and expired needs counted; and its
 * heartbeat: it says on the bus that it has started, that it is alive every
 * `heartbeatMs`, and that it is stopping, with what it reads and writes.
 */
export class ServiceBus extends Bus {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly service: ServiceBusOptions) {
    const { identity, metrics } = service;
    super({
      url: service.url,
      namespace: service.namespace,
      durableQueueType: service.durableQueueType,
      instance: identity.instance,
      logger: service.logger,
      publishes: [...service.publishes, serviceHeartbeatV1],
      ...service.bus,
      hooks: {
        deadLettered: (meta) => metrics.invalidMessages.inc({ version: meta.producerVersion }),
        expired: () => metrics.needsExpired.inc({ version: identity.version }),
      },
    });
  }

  override async start(): Promise<void> {
    await super.start();
    if (this.timer) return;
    void this.connected().then(() => this.beat('started'));
    this.timer = setInterval(() => void this.beat('alive'), this.service.heartbeatMs);
    this.timer.unref();
  }

  /** Says it is stopping (if it can, at once), then closes the bus. */
  override async close(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      await this.beat('stopping');
    }
    await super.close();
  }

  private async beat(state: ServiceHeartbeatV1['payload']['state']): Promise<void> {
    if (!this.isConnected) return; // the next beat after the reconnect says it
    const { reads, writes } = this.channels;
    const heartbeat = createServiceHeartbeatV1(this.service.identity, {
      state,
      shadow: this.service.shadow ?? false,
      reads,
      writes,
      intervalMs: this.service.heartbeatMs,
    });
    await this.publish(serviceHeartbeatV1, heartbeat).catch((err: Error) => this.service.logger.debug({ err: err.message }, 'could not send a heartbeat'));
  }
}

export function createServiceBus(options: ServiceBusOptions): ServiceBus {
  return new ServiceBus(options);
}
