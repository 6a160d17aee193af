import { adClickedV1, adNeedV1, adServedV1, createAdClickedV1, createAdNeedV1, createAdServedV1, newMessageId, type AdMessage, type AdServedV1, type AdSolutionV1, type RaceMessage } from '@ad-race/contracts';
import type { CustomerProfile } from '@ad-race/catalog';
import type { Bus } from '@ad-race/messaging';
import { AdmissionLimit, RaceTable, type Race, type RaceEvent, type Reply } from '@ad-race/race';
import type { Logger, ServiceIdentity } from '@ad-race/service-runtime';
import { performance } from 'node:perf_hooks';
import type { CustomerSockets, Recipient } from './customer-sockets';
import { houseAd } from './house-ad';
import type { RaceMetrics } from './race-metrics';

/**
 * Who asked for the ad, on which page, where the answer goes (the socket that
 * asked), and the need that asked (its time, city and tier, as ad.served tells them).
 */
interface Asker {
  customerId: string;
  page: string;
  recipient: Recipient;
  need: AdServedV1['payload']['need'];
}

/** An answer as the race records it: the solution, and whether it came through the schema adapter. */
interface Answered {
  solution: AdSolutionV1;
  translated: boolean;
}

type AdRace = Race<Asker, Answered>;

export interface AdRacesDeps {
  bus: Bus;
  identity: ServiceIdentity;
  metrics: RaceMetrics;
  log: Logger;
  sockets: CustomerSockets;
  deadlineMs: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** An ad a version served, that its customer may still click: what the click event says. */
interface Clickable {
  customerId: string;
  servedEventId: string;
  version: string;
  offerId: string;
}

/** Served ads remembered for their clicks: the most recent ones (a click on an older ad is not counted). */
const CLICKABLE_ADS = 50_000;

/**
 * The web server's side of the race: publishes a need for every page a
 * customer opens, times every version's answer, and pushes the winner (or
 * the house ad at the deadline) and the race summary to the page that asked.
 * The decisions are the race table's (pure, in @ad-race/race); this wires it to
 * the bus, the clock and the sockets.
 */
export class AdRaces {
  private readonly table: RaceTable<Asker, Answered>;
  private readonly admission: AdmissionLimit;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  /** By need id, oldest first; an ad leaves when it is clicked, so a second click is not counted. */
  private readonly clickable = new Map<string, Clickable>();

  constructor(private readonly deps: AdRacesDeps) {
    this.table = new RaceTable({ deadlineMs: deps.deadlineMs });
    // A race won later than half its deadline says the bus is falling behind: needs are queueing.
    // (A healthy bus's slowest races, on a busy machine, take a fifth of the default deadline.)
    this.admission = new AdmissionLimit({ targetLatencyMs: deps.deadlineMs / 2 });
  }

  /** Whether an answer in this conversation belongs to this instance: checked before the answer is parsed. */
  knows(conversationId: string): boolean {
    return this.table.knows(conversationId);
  }

  /**
   * Publishes "I need an ad" for this customer and page, and opens its race;
   * its ad and summary go to `recipient`. Returns the need's id. When more needs
   * are in flight than the bus carries on time, sends the house ad at once
   * instead (load shedding).
   */
  requestAd(customer: CustomerProfile, page: string, recipient: Recipient): string {
    const { bus, identity, metrics, log, deadlineMs } = this.deps;
    if (!this.admission.admit()) return this.shed(customer, page, recipient);
    const need = createAdNeedV1(identity, { customerId: customer.id, city: customer.homeCity, loyaltyTier: customer.loyaltyTier, page }, deadlineMs);
    const asker = { customerId: customer.id, page, recipient, need: { createdAt: need.createdAt, city: need.payload.city, loyaltyTier: need.payload.loyaltyTier } };
    this.handle(this.table.openRace(need.id, asker, performance.now()));
    this.scheduleDeadline();
    metrics.needsPublished.inc({ version: identity.version });
    bus.publish(adNeedV1, need).then(
      () => log.info({ needId: need.id, customerId: customer.id, page }, 'published a need'),
      (err: Error) => log.warn({ needId: need.id, err: err.message }, 'could not publish the need: the house ad will be shown'),
    );
    return need.id;
  }

  /**
   * An answer arrived (at `receivedAt`, performance.now()) in the conversation
   * of the need `conversationId`: directly, or translated by the schema adapter
   * from another version (then its producer is still the version that chose the ad).
   */
  answer(solution: AdSolutionV1, conversationId: string, translated: boolean, receivedAt: number): void {
    const answer = { version: solution.producer.version, shadow: solution.shadow, solution: { solution, translated } };
    this.handle(this.table.reply(conversationId, answer, receivedAt));
  }

  /**
   * The customer clicked the ad of this need: published as an ad.clicked event
   * for the version that served it, once per ad. A click on an ad this
   * instance did not serve to this customer, on the house ad, or a second one, is ignored.
   */
  click(customerId: string, needId: string): boolean {
    const { bus, identity, metrics, log } = this.deps;
    const ad = this.clickable.get(needId);
    if (!ad || ad.customerId !== customerId) return false;
    this.clickable.delete(needId);
    const clicked = createAdClickedV1({ id: ad.servedEventId, conversationId: needId }, identity, {
      customerId,
      servedBy: { version: ad.version },
      offerId: ad.offerId,
    });
    metrics.clicks.inc({ version: ad.version });
    bus.publish(adClickedV1, clicked).catch((err: Error) => log.warn({ needId, err: err.message }, 'could not publish a click'));
    return true;
  }

  /** The house ad at once, no need published: the ad services are busy. */
  private shed(customer: CustomerProfile, page: string, recipient: Recipient): string {
    const { sockets, metrics, identity } = this.deps;
    const needId = newMessageId();
    const servedBy = { service: identity.service, version: 'shed', instance: identity.instance };
    sockets.send(recipient, { type: 'ad', needId, page, ad: houseAd(customer.homeCity, 'shed'), servedBy, latencyMs: 0 });
    metrics.needsShed.inc({ version: 'shed' });
    return needId;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private handle(events: RaceEvent<Asker, Answered>[]): void {
    const { sockets, metrics, log, identity } = this.deps;
    for (const event of events) {
      switch (event.type) {
        case 'reply':
          this.count(event.reply);
          break;
        case 'winner': {
          const { race, reply } = event;
          this.admission.settle(reply.latencyMs, performance.now());
          const { solution } = reply.solution;
          sockets.send(race.context.recipient, this.adMessage(race, solution.payload.ad, solution.producer, reply.latencyMs));
          this.served(race, solution, reply.latencyMs);
          metrics.adLatencyMs.observe({ version: reply.version }, reply.latencyMs);
          log.info({ needId: race.needId, version: reply.version, latencyMs: round(reply.latencyMs) }, 'race won');
          break;
        }
        case 'fallback': {
          const { race } = event;
          this.admission.settle(undefined, performance.now());
          const latencyMs = performance.now() - race.openedAt;
          const servedBy = { service: identity.service, version: 'fallback', instance: identity.instance };
          sockets.send(race.context.recipient, this.adMessage(race, houseAd(race.context.need.city), servedBy, latencyMs));
          this.served(race, null, latencyMs);
          metrics.fallbacks.inc({ version: 'fallback' });
          metrics.adLatencyMs.observe({ version: 'fallback' }, latencyMs);
          log.warn({ needId: race.needId, replies: race.replies.length }, 'no valid answer by the deadline: showed the house ad');
          break;
        }
        case 'summary':
          sockets.send(event.race.context.recipient, this.raceMessage(event.race, event.noAnswer));
          break;
        case 'ignored':
          if (event.reason === 'duplicate') metrics.duplicateReplies.inc({ version: event.version });
          break;
      }
    }
  }

  /**
   * Tells the bus who won the race (the answer served, or null for the house
   * ad), for listeners that judge the versions; and keeps a served ad for its click.
   */
  private served(race: AdRace, solution: AdSolutionV1 | null, latencyMs: number): void {
    const { bus, identity, log } = this.deps;
    const offerId = solution?.payload.ad.offer.id ?? null;
    const servedBy = solution ? { version: solution.producer.version, instance: solution.producer.instance } : null;
    const event = createAdServedV1(race.needId, solution?.id ?? null, identity, {
      customerId: race.context.customerId,
      page: race.context.page,
      need: race.context.need,
      servedBy,
      offerId,
      latencyMs: round(latencyMs),
    });
    if (servedBy && offerId) {
      this.clickable.set(race.needId, { customerId: race.context.customerId, servedEventId: event.id, version: servedBy.version, offerId });
      if (this.clickable.size > CLICKABLE_ADS) this.clickable.delete(this.clickable.keys().next().value!);
    }
    bus.publish(adServedV1, event).catch((err: Error) => log.debug({ needId: race.needId, err: err.message }, 'could not say which ad was served'));
  }

  private count(reply: Reply<Answered>): void {
    const { metrics } = this.deps;
    const labels = { version: reply.version };
    metrics.repliesReceived.inc(labels);
    if (reply.solution.translated) metrics.translatedReplies.inc(labels);
    metrics.replyLatencyMs.observe(labels, reply.latencyMs);
    if (reply.won) metrics.wins.inc(labels);
    else if (reply.late) metrics.lateReplies.inc(labels);
    else if (reply.shadow) metrics.shadowReplies.inc(labels);
    else metrics.losses.inc(labels);
  }

  private adMessage(race: AdRace, ad: AdMessage['ad'], servedBy: AdMessage['servedBy'], latencyMs: number): AdMessage {
    return { type: 'ad', needId: race.needId, page: race.context.page, ad, servedBy, latencyMs: round(latencyMs) };
  }

  private raceMessage(race: AdRace, noAnswer: string[]): RaceMessage {
    return {
      type: 'race',
      needId: race.needId,
      deadlineMs: this.deps.deadlineMs,
      replies: race.replies.map((r) => ({
        version: r.version,
        latencyMs: round(r.latencyMs),
        won: r.won,
        shadow: r.shadow,
        late: r.late,
        translated: r.solution.translated,
      })),
      noAnswer,
    };
  }

  /** One timer, set for the earliest open deadline. */
  private scheduleDeadline(): void {
    const next = this.table.nextDeadline();
    if (next === undefined || (this.timer && this.timerAt <= next)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.handle(this.table.closeDue(performance.now()));
      this.scheduleDeadline();
    }, Math.max(0, next - performance.now()) + 1);
  }
}
