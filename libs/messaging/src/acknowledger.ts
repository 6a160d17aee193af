import type { Channel, ConsumeMessage } from 'amqplib';

export interface Delivery {
  readonly msg: ConsumeMessage;
  settled: boolean;
  /** Handed back to the queue: the broker no longer counts it as ours. */
  requeued: boolean;
}

/**
 * Acknowledges a channel's deliveries in batches: once per turn of the event
 * loop, one ack with `multiple` set covers every delivery settled so far, in
 * delivery order. That is one frame for the broker to read instead of one
 * per message. A delivery still being handled holds back the acks of those
 * after it (at most the prefetch count are ever outstanding).
 */
export class Acknowledger {
  private pending: Delivery[] = [];
  private head = 0;
  private scheduled = false;

  constructor(private readonly channel: Channel) {}

  /** Registers a delivery; call in the order the channel delivers. */
  receive(msg: ConsumeMessage): Delivery {
    const delivery = { msg, settled: false, requeued: false };
    this.pending.push(delivery);
    return delivery;
  }

  ack(delivery: Delivery): void {
    delivery.settled = true;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Hands a delivery back to its queue at once (for another consumer). */
  requeue(delivery: Delivery): void {
    try {
      this.channel.nack(delivery.msg, false, true);
    } catch {
      // The channel closed: the broker requeues it anyway.
    }
    delivery.requeued = true;
    this.ack(delivery); // settled: a later multiple ack passes over it
  }

  /** Acknowledges every settled delivery up to the first unsettled one. */
  flush(): void {
    this.scheduled = false;
    // The tag of a multiple ack must be one the broker still counts as ours: not a requeued one.
    let last: Delivery | undefined;
    for (; this.head < this.pending.length && this.pending[this.head]!.settled; this.head++) {
      if (!this.pending[this.head]!.requeued) last = this.pending[this.head];
    }
    if (this.head > 1024 || this.head === this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    if (!last) return;
    try {
      this.channel.ack(last.msg, true);
    } catch {
      // The channel closed: the broker delivers the unacknowledged messages again.
    }
  }
}
