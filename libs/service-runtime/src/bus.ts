import { createServiceHeartbeatV1, serviceHeartbeatV1, type MessageContract, type ServiceHeartbeatV1 } from '@ad-race/contracts';
import { Bus, type BusOptions } from '@ad-race/messaging';
import type { Static, TObject } from '@sinclair/typebox';
import type { BaseConfig } from './config';
import type { ServiceIdentity } from './identity';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

/** The bus settings of a service's configuration (see BaseConfig): a service passes its whole configuration. */
export type ServiceBusConfig = Pick<Static<TObject<typeof BaseConfig>>, 'AMQP_URL' | 'BUS_NAMESPACE' | 'HEARTBEAT_MS' | 'DURABLE_QUEUE_TYPE'>;

export interface ServiceBusOptions {
  config: ServiceBusConfig;
  identity: ServiceIdentity;
  logger: Logger;
  metrics: Metrics;
  publishes: readonly MessageContract[];
  /** A shadow version's answers are compared, never shown: its heartbeat says so. */
  shadow?: boolean;
  /** Options of the bus itself, for a service with needs of its own (the monitor's prefetch). */
  bus?: Pick<BusOptions, 'prefetch'>;
}

/**
 * The bus of a service: its connection named after the instance, the message
 * versions it publishes, its dead letters and expired needs counted; and its
 * heartbeat: it says on the bus that it has started, that it is alive every
 * HEARTBEAT_MS, and that it is stopping, with what it reads and writes.
 */
export class ServiceBus extends Bus {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly service: ServiceBusOptions) {
    const { config, identity, metrics } = service;
    super({
      url: config.AMQP_URL,
      namespace: config.BUS_NAMESPACE,
      durableQueueType: config.DURABLE_QUEUE_TYPE,
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
    this.timer = setInterval(() => void this.beat('alive'), this.service.config.HEARTBEAT_MS);
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
      intervalMs: this.service.config.HEARTBEAT_MS,
    });
    await this.publish(serviceHeartbeatV1, heartbeat).catch((err: Error) => this.service.logger.debug({ err: err.message }, 'could not send a heartbeat'));
  }
}

export function createServiceBus(options: ServiceBusOptions): ServiceBus {
  return new ServiceBus(options);
}
