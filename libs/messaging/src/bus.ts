import { conversationOf, type DurableQueueType, type Envelope, type MessageContract } from '@ad-race/contracts';
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options, type RecoveringChannelModel } from 'amqplib';
import { performance } from 'node:perf_hooks';
import { Acknowledger, type Delivery } from './acknowledger';
import { nextBroker, parseBrokerUrls, type BrokerAddress } from './brokers';
import { coalesceWrites } from './coalesce-writes';
import { Topology, type QueueKind } from './topology';

/** The logging the bus needs: pino's shape, so a service passes its own logger. */
export interface BusLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the bus knows about a delivery before (and without) parsing its body: its AMQP properties. */
export interface MessageMeta {
  queue: string;
  messageId: string | undefined;
  /** The need that started the conversation (the AMQP correlationId). */
  conversationId: string | undefined;
  /** The message's name (the AMQP type) and schema version (header `schema-version`). */
  messageName: string | undefined;
  schemaVersion: number | undefined;
  producerVersion: string | undefined;
  producerInstance: string | undefined;
  /** The instance of the schema adapter that translated this message (header `translated-by`), if one did. */
  translatedBy: string | undefined;
  /** The channel of the message it was translated from (header `translated-from`), such as `ad.solution.v2`. */
  translatedFrom: string | undefined;
  redelivered: boolean;
  /** performance.now() when the delivery reached this process. */
  receivedAt: number;
}

export interface Subscription<M extends Envelope> {
  /** The message version to read: the subscription's queue is bound to its exchange, and to nothing else. */
  contract: MessageContract<M>;
  queue: QueueKind;
  /**
   * A cheap look at the AMQP properties before the body is parsed. Returning
   * false means "not for me": the message is acknowledged and dropped.
   */
  wants?(meta: MessageMeta): boolean;
  /**
   * A message past its deadline is dropped unhandled by default (nobody waits
   * for it). A listener that records what happened, late or not, says 'handle'
   * (the broker still drops one that waited in its queue past the deadline).
   */
  afterDeadline?: 'drop' | 'handle';
  /**
   * A delivery that breaks the contract (another version, not JSON, the wrong
   * shape) is dead-lettered by default. Given this, it is handed here and
   * acknowledged instead: for a listener that records broken messages without
   * dead-lettering them a second time (the consumers that act on them do).
   */
  invalid?(meta: MessageMeta, reason: string): void | Promise<void>;
  /** Acknowledged when this returns (or its promise resolves); dead-lettered if it throws. */
  handle(message: M, meta: MessageMeta): void | Promise<void>;
}

export interface PublishOptions {
  /**
   * The conversation the message belongs to, where its body does not say
   * (version 1 of the messages) and its cause is not the conversation's start
   * (a translation). By default: see conversationOf in @ad-race/contracts.
   */
  conversationId?: string;
  /** The message this one was translated from: marks it as a translation by this instance. */
  translatedFrom?: MessageContract;
}

export interface BusHooks {
  /** A message was dead-lettered: it broke its contract, was another version, or its handler refused it or failed. */
  deadLettered?(meta: MessageMeta, reason: string): void;
  /** A message past its deadline was dropped unanswered. */
  expired?(meta: MessageMeta, message: Envelope): void;
  connectionChanged?(connected: boolean): void;
}

export interface BusOptions {
  /**
   * The broker: an amqp(s) URL, or a comma-separated list of them, the nodes
   * of one cluster. The bus connects to the first; when a connection is
   * refused or lost, the next attempt goes to the next node, round robin.
   */
  url: string;
  /** The type of the dead-letter queue and the `durable` queues: `quorum` on a cluster. Default `classic`. */
  durableQueueType?: DurableQueueType;
  /** Prefix of every exchange and queue, so several stacks can share one broker. */
  namespace: string;
  /** This process: names its own queues and its connection in the management UI. */
  instance: string;
  logger: BusLogger;
  /** The message versions this process publishes: their exchanges are declared with the rest of the topology. */
  publishes?: readonly MessageContract[];
  /** Unacknowledged messages a consumer may hold; 100 to 300 gives RabbitMQ its best throughput. */
  prefetch?: number;
  hooks?: BusHooks;
  /** How long close() waits for messages being handled. */
  drainTimeoutMs?: number;
}

/** The bus is not connected right now; the message was not published. Try again later. */
export class BusUnavailableError extends Error {
  constructor() {
    super('not connected to the message broker');
    this.name = 'BusUnavailableError';
  }
}

/**
 * Thrown by a handler that cannot use a valid message (the schema adapter
 * cannot translate it, say): the message is dead-lettered with this reason.
 * It is the message's fault, not the handler's: logged as a warning.
 */
export class MessageRejected extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MessageRejected';
  }
}

/**
 * Thrown by a handler that cannot take a good message now (its database is
 * failing, say): the message goes back to its queue, to be delivered again,
 * never to the dead letters. Not the message's fault.
 */
export class TryAgainLater extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TryAgainLater';
  }
}

const MAX_REASON_LENGTH = 1000;
/**
 * How long one attempt may take to open a connection: a node that is gone
 * without refusing (its address unreachable, its packets dropped) costs this
 * long before the next node is tried, rather than the system's TCP timeout (minutes).
 */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The connection to RabbitMQ: the only code in ad-race that uses amqplib.
 *
 * Subscribe first, then start(). The connection recovers by itself (amqplib's
 * built-in recovery), going round the nodes of a cluster when given several;
 * `setup` declares the whole topology and starts every consumer again after
 * each reconnect. Publishing uses a confirm channel: a
 * publish resolves once the broker has the message. Consumers acknowledge
 * manually, after their handler is done.
 */
export class Bus {
  private readonly topology: Topology;
  private readonly subscriptions: Subscription<Envelope>[] = [];
  private readonly publishes: ReadonlySet<MessageContract>;
  private readonly prefetch: number;
  private readonly hooks: BusHooks;
  private readonly log: BusLogger;
  /** The broker's nodes, and the one the current (or next) attempt connects to. */
  private readonly brokers: BrokerAddress[];
  private broker = 0;
  private connection: RecoveringChannelModel | null = null;
  private model: ChannelModel | null = null;
  private publisher: ConfirmChannel | null = null;
  private consumer: { channel: Channel; acks: Acknowledger; tags: string[] } | null = null;
  private drained: Promise<void> | null = null;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private connectWaiters: (() => void)[] = [];
  private closing = false;
  /** The connection being set up or in use, and how many there have been. */
  private current: ChannelModel | null = null;
  private connections = 0;
  /** Whether the connection writes a turn's frames with one system call (see coalesceWrites). */
  writesCoalesced = false;

  constructor(private readonly options: BusOptions) {
    this.brokers = parseBrokerUrls(options.url);
    this.topology = new Topology(options.namespace, options.instance, options.durableQueueType);
    this.publishes = new Set(options.publishes ?? []);
    this.prefetch = options.prefetch ?? 200;
    this.hooks = options.hooks ?? {};
    this.log = options.logger;
  }

  get isConnected(): boolean {
    return this.model !== null;
  }

  subscribe<M extends Envelope>(subscription: Subscription<M>): void {
    if (this.connection) throw new Error('subscribe() before start(): the subscriptions are part of the topology');
    this.subscriptions.push(subscription as unknown as Subscription<Envelope>);
  }

  /** Starts connecting and returns at once; the bus keeps (re)connecting until close(). */
  async start(): Promise<void> {
    if (this.connection) return;
    // amqplib's recovery (pinned at 2.3.1) reconnects to the one url given to connect(), but reads
    // it afresh on every attempt: channel_api.js hands that same value to lib/connect.js, which
    // reads an object's fields (host, port, credentials, ...) as each attempt starts. So the bus
    // gives it an object of its own and, whenever recovery schedules an attempt (after a refused,
    // failed or lost connection), points it at the next node: each attempt has its own address.
    const address: Options.Connect = { ...this.brokers[0]!.connect };
    const connection = await connect(address, {
      clientProperties: { connection_name: this.options.instance },
      noDelay: true, // a need is worthless in 250 ms: never let Nagle's algorithm hold a frame back
      timeout: CONNECT_TIMEOUT_MS, // until the connection is open (amqplib then turns the socket's timeout off)
      recovery: {
        initialDelay: 100,
        // Retries at most 2 s apart: once the broker is back, every service is ready within a
        // couple of seconds (at 5 s apart, one that had just tried waited up to 5 s more).
        maxDelay: 2_000,
        maxRetries: Infinity,
        waitForConnect: false,
        setup: (model: ChannelModel) => this.setup(model),
      },
    });
    this.connection = connection;
    connection.on('reconnect-scheduled', () => {
      this.broker = nextBroker(this.broker, this.brokers.length);
      aim(address, this.brokers[this.broker]!.connect);
    });
    connection.on('connect', () => {
      this.log.info({ namespace: this.options.namespace, broker: this.brokerLabel }, 'connected to the message broker');
      this.hooks.connectionChanged?.(true);
      for (const resolve of this.connectWaiters.splice(0)) resolve();
    });
    connection.on('disconnect', (err: Error) => {
      this.log.warn({ err: err.message, broker: this.brokerLabel }, 'lost the message broker; reconnecting');
      this.hooks.connectionChanged?.(false);
    });
    connection.on('connect-failed', (err: Error) => this.log.warn({ err: err.message, broker: this.brokerLabel }, 'could not connect to the message broker'));
    // Connection errors are logged by setup's listener on the connection itself; recovery passes them on here too.
    connection.on('error', () => undefined);
    connection.on('blocked', (reason: string) => this.log.warn({ reason }, 'the broker blocked publishing'));
  }

  /** The node the bus is connected to (or trying next), as logs name it: its password hidden. */
  private get brokerLabel(): string {
    return this.brokers[this.broker]!.label;
  }

  /** Resolves when the bus is connected and every consumer is running. */
  connected(): Promise<void> {
    if (this.isConnected) return Promise.resolve();
    return new Promise((resolve) => this.connectWaiters.push(resolve));
  }

  /** The message versions this bus reads and writes, for a service to announce. */
  get channels(): { reads: string[]; writes: string[] } {
    return { reads: this.subscriptions.map((s) => s.contract.channel), writes: [...this.publishes].map((c) => c.channel) };
  }

  /**
   * Validates a message and publishes it on its version's exchange; resolves
   * when the broker has confirmed it. The contract must be one of `publishes`.
   */
  async publish<M extends Envelope>(contract: MessageContract<M>, message: M, options: PublishOptions = {}): Promise<void> {
    if (!this.publishes.has(contract as MessageContract)) {
      throw new Error(`this bus does not publish "${contract.name}" v${contract.schemaVersion}: name it in the bus's publishes`);
    }
    const checked = contract.check(message);
    if (!checked.ok) throw new Error(`refusing to publish an invalid message: ${checked.error}`);
    const properties = propertiesOf(message, options.conversationId ?? conversationOf(message));
    if (options.translatedFrom) {
      properties.headers!['translated-by'] = this.options.instance;
      properties.headers!['translated-from'] = options.translatedFrom.channel;
    }
    await this.publishBytes(this.topology.exchange(contract.channel), toBuffer(contract.encode(message)), properties);
  }

  /**
   * Stops consuming, waits for the messages being handled, then closes the
   * channels and the connection. Unacknowledged messages go back to their queue.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const consumer = this.consumer;
    if (consumer) {
      await Promise.all(consumer.tags.map((tag) => consumer.channel.cancel(tag).catch(() => undefined)));
    }
    await this.whenIdle(this.options.drainTimeoutMs ?? 5_000);
    consumer?.acks.flush();
    // Channels first: a channel's close-ok comes after the broker has processed its acks,
    // which a connection close racing them would lose (the messages would be delivered again).
    await consumer?.channel.close().catch(() => undefined);
    await this.publisher?.close().catch(() => undefined);
    await this.connection?.close();
    this.model = null;
    this.publisher = null;
    this.consumer = null;
  }

  private async setup(model: ChannelModel): Promise<void> {
    const connection = ++this.connections;
    this.current = model;
    this.writesCoalesced = coalesceWrites(model);
    if (!this.writesCoalesced) this.log.warn({}, 'amqplib is not as this bus expects: each frame goes out in a write of its own');
    // Recovery listens for errors only once setup is done: until then, these keep one from crashing the process.
    model.on('error', (err: Error) => this.log.warn({ err: err.message }, 'connection error'));
    model.on('close', () => {
      if (this.current !== model) return;
      this.current = null;
      this.model = null;
      this.publisher = null;
      this.consumer = null;
    });
    const watch = <C extends Channel>(ch: C): C => {
      ch.on('error', (err: Error) => this.log.warn({ err: err.message }, 'channel error'));
      // A channel can die while its connection lives on (a broker-side error);
      // closing the connection hands the whole repair to recovery and setup.
      ch.on('close', () => {
        if (!this.closing && this.current === model) model.close().catch(() => undefined);
      });
      return ch;
    };
    const channel = watch(await model.createChannel());
    const publisher = watch(await model.createConfirmChannel());

    // The whole topology first, then publishing, then consuming: nothing is published
    // before the queues its answers come back on exist.
    const channels = new Set([...this.publishes, ...this.subscriptions.map((s) => s.contract)].map((c) => c.channel));
    await this.topology.declareExchanges(channel, channels);
    await channel.prefetch(this.prefetch);
    const queues: string[] = [];
    for (const s of this.subscriptions) queues.push(await this.topology.declareQueue(channel, s.contract.channel, s.queue, connection));
    this.publisher = publisher;
    const acks = new Acknowledger(channel);
    const tags: string[] = [];
    for (const [i, subscription] of this.subscriptions.entries()) {
      const queue = queues[i]!;
      const { consumerTag } = await channel.consume(queue, (msg) => {
        if (msg === null) {
          this.log.warn({ queue }, 'the broker cancelled a consumer; reconnecting');
          if (!this.closing) model.close().catch(() => undefined);
          return;
        }
        void this.deliver(acks, subscription, queue, msg);
      });
      tags.push(consumerTag);
      this.log.info({ queue }, 'consuming');
    }
    this.consumer = { channel, acks, tags };
    this.model = model;
  }

  private async deliver(acks: Acknowledger, subscription: Subscription<Envelope>, queue: string, msg: ConsumeMessage): Promise<void> {
    const delivery = acks.receive(msg);
    if (this.closing) {
      // Arrived between our cancel and the broker's confirmation of it: back to the queue, for a replica.
      acks.requeue(delivery);
      return;
    }
    const meta = metaOf(msg, queue);
    if (subscription.wants && !subscription.wants(meta)) {
      acks.ack(delivery);
      return;
    }
    this.inFlight++;
    try {
      // The AMQP properties name the message and its version: another is refused unparsed.
      const { contract } = subscription;
      const other = contract.mismatch(meta.messageName ?? contract.name, meta.schemaVersion ?? contract.schemaVersion);
      const decoded = other ? { ok: false as const, error: other } : contract.decode(msg.content);
      if (!decoded.ok) {
        if (subscription.invalid) {
          await subscription.invalid(meta, decoded.error);
          acks.ack(delivery);
        } else {
          await this.deadLetter(acks, delivery, meta, decoded.error);
        }
        return;
      }
      const message = decoded.message;
      if (subscription.afterDeadline !== 'handle' && message.deadline !== undefined && Date.parse(message.deadline) <= Date.now()) {
        acks.ack(delivery);
        this.hooks.expired?.(meta, message);
        return;
      }
      await subscription.handle(message, meta);
      acks.ack(delivery);
    } catch (err) {
      if (err instanceof BusUnavailableError) {
        acks.requeue(delivery); // the broker lost us: it delivers again, here after the reconnect or to a replica
        return;
      }
      if (err instanceof TryAgainLater) {
        this.log.warn({ queue, messageId: meta.messageId, reason: err.message }, 'could not handle a message now: handing it back');
        acks.requeue(delivery);
        return;
      }
      const rejected = err instanceof MessageRejected;
      const reason = rejected ? err.message : `handler failed: ${err instanceof Error ? err.message : String(err)}`;
      if (!rejected) this.log.error({ err, queue, messageId: meta.messageId }, reason);
      await this.deadLetter(acks, delivery, meta, reason).catch((deadLetterErr: unknown) => {
        this.log.error({ err: deadLetterErr, queue, messageId: meta.messageId }, 'could not dead-letter a message: handing it back');
        acks.requeue(delivery);
      });
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Moves a message to the namespace's dead-letter queue, with the reason, then acknowledges it. */
  private async deadLetter(acks: Acknowledger, delivery: Delivery, meta: MessageMeta, reason: string): Promise<void> {
    const p = delivery.msg.properties;
    const short = reason.slice(0, MAX_REASON_LENGTH);
    await this.publishBytes(this.topology.deadLetters, delivery.msg.content, {
      contentType: p.contentType,
      messageId: p.messageId,
      correlationId: p.correlationId,
      type: p.type,
      appId: p.appId,
      timestamp: p.timestamp,
      headers: { ...p.headers, 'x-dead-letter-reason': short, 'x-dead-letter-queue': meta.queue },
    });
    acks.ack(delivery);
    this.hooks.deadLettered?.(meta, short);
    this.log.warn({ queue: meta.queue, messageId: meta.messageId, reason: short }, 'dead-lettered a message');
  }

  private async publishBytes(exchange: string, body: Buffer, properties: Options.Publish): Promise<void> {
    if (this.drained) await this.drained;
    const channel = this.publisher;
    if (!channel) throw new BusUnavailableError();
    await new Promise<void>((resolve, reject) => {
      try {
        const accepted = channel.publish(exchange, '', body, properties, (err) => (err ? reject(err) : resolve()));
        if (!accepted && !this.drained) {
          // Wait for the socket to drain, or for the channel to close (then publishing fails at once).
          this.drained = new Promise<void>((done) => {
            // Whichever comes first, the other listener goes too: a long-lived channel must not collect them.
            const settle = () => {
              channel.off('drain', settle);
              channel.off('close', settle);
              done();
            };
            channel.once('drain', settle);
            channel.once('close', settle);
          }).then(() => {
            this.drained = null;
          });
        }
      } catch {
        reject(new BusUnavailableError()); // the channel closed under us
      }
    });
  }

  private whenIdle(timeoutMs: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Points the address amqplib reads at another node: every field replaced, none left over from the last. */
function aim(address: Options.Connect, at: Options.Connect): void {
  for (const key of Object.keys(address) as (keyof Options.Connect)[]) delete address[key];
  Object.assign(address, at);
}

function header(msg: ConsumeMessage, name: string): string | undefined {
  const value: unknown = msg.properties.headers?.[name];
  return typeof value === 'string' ? value : undefined;
}

function metaOf(msg: ConsumeMessage, queue: string): MessageMeta {
  const version: unknown = msg.properties.headers?.['schema-version'];
  return {
    queue,
    messageId: msg.properties.messageId,
    conversationId: msg.properties.correlationId,
    messageName: msg.properties.type,
    schemaVersion: typeof version === 'number' ? version : undefined,
    producerVersion: header(msg, 'producer-version'),
    producerInstance: header(msg, 'producer-instance'),
    translatedBy: header(msg, 'translated-by'),
    translatedFrom: header(msg, 'translated-from'),
    redelivered: msg.fields.redelivered,
    receivedAt: performance.now(),
  };
}

/** The AMQP properties of a message: what consumers can route and filter on without parsing it. */
function propertiesOf(message: Envelope, conversationId: string): Options.Publish {
  const properties: Options.Publish = {
    contentType: 'application/json',
    messageId: message.id,
    correlationId: conversationId,
    type: message.name,
    appId: message.producer.service,
    timestamp: Math.floor(Date.parse(message.createdAt) / 1000),
    persistent: false,
    headers: {
      'schema-version': message.schemaVersion,
      'producer-version': message.producer.version,
      'producer-instance': message.producer.instance,
    },
  };
  if (message.deadline) {
    // The broker drops the message once nobody can use it; consumers check the deadline too,
    // since the broker only drops expired messages at the head of a queue.
    properties.expiration = String(Math.max(1, Date.parse(message.deadline) - Date.now()));
  }
  return properties;
}

/** The bytes of an encoded message as the Buffer amqplib sends, without copying them. */
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
