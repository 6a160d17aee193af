import { VersionRoster } from './version-roster';

export interface RaceOptions {
  /** A valid answer arriving later than this after the need was published cannot win. */
  deadlineMs: number;
  /** At most this many races are open at once; opening one more closes the oldest. */
  maxOpenRaces: number;
  /** Closed races are remembered this long, to time the replies that arrive after the close. */
  rememberClosedMs: number;
  /** ...and at most this many of them. */
  maxClosedRaces: number;
  /** A version that has not answered for this long is no longer waited for. */
  rosterWindowMs: number;
  /**
   * A version that answered some race within this long, but not this race, is
   * listed in its summary as having given no answer (it may have stopped).
   */
  noAnswerWindowMs: number;
  /** Replies kept per race: one per version, up to this many versions. */
  maxRepliesPerRace: number;
}

export const DEFAULT_RACE_OPTIONS: Omit<RaceOptions, 'deadlineMs'> = {
  maxOpenRaces: 20_000,
  rememberClosedMs: 5_000,
  maxClosedRaces: 20_000,
  rosterWindowMs: 10_000,
  noAnswerWindowMs: 60_000,
  maxRepliesPerRace: 16,
};

/** One version's answer to a need, as it reaches the race. */
export interface Answer<S> {
  version: string;
  shadow: boolean;
  solution: S;
}

export interface Reply<S> extends Answer<S> {
  /** From publishing the need to receiving this answer. */
  latencyMs: number;
  won: boolean;
  /** Arrived after the deadline. */
  late: boolean;
}

export interface Race<C, S> {
  readonly needId: string;
  /** Whatever the caller attached when opening the race (the customer, say). */
  readonly context: C;
  readonly openedAt: number;
  readonly deadlineAt: number;
  closedAt: number | null;
  winner: Reply<S> | null;
  /** In order of arrival. */
  readonly replies: Reply<S>[];
}

export type RaceEvent<C, S> =
  /** A reply was timed and recorded (won, lost, shadow or late: see its flags). */
  | { type: 'reply'; race: Race<C, S>; reply: Reply<S> }
  /** The first valid, non-shadow answer within the deadline: show it. */
  | { type: 'winner'; race: Race<C, S>; reply: Reply<S> }
  /** The race closed without a winner: show the house ad. */
  | { type: 'fallback'; race: Race<C, S> }
  /**
   * The race closed, or a reply arrived after it closed: here is every reply so
   * far, and the versions that answered other races recently but not this one.
   */
  | { type: 'summary'; race: Race<C, S>; noAnswer: string[] }
  /** A reply the race did not record. */
  | { type: 'ignored'; needId: string; version: string; reason: 'unknown need' | 'duplicate' | 'too many versions' };

/**
 * The table of races a web instance is running, as pure logic: no timers,
 * no I/O; the caller passes the time and acts on the events returned.
 *
 * A race opens when a need is published. It closes at its deadline, or
 * earlier once it has a winner and every version that answered recently has
 * answered (so a race without a winner always waits for the deadline).
 * Its memory is bounded whatever the replies do: missing replies close at the
 * deadline, late and duplicate ones find a bounded table of closed races.
 */
export class RaceTable<C, S> {
  private readonly open = new Map<string, Race<C, S>>();
  private readonly closed = new Map<string, Race<C, S>>();
  /**
   * The versions that answered recently: those within `rosterWindowMs` are waited for; those within
   * `noAnswerWindowMs` (the last minute, say) are worth telling about when absent from a race.
   */
  private readonly roster: VersionRoster;
  private readonly options: RaceOptions;

  constructor(options: Pick<RaceOptions, 'deadlineMs'> & Partial<RaceOptions>) {
    this.options = { ...DEFAULT_RACE_OPTIONS, ...options };
    this.roster = new VersionRoster(Math.max(this.options.rosterWindowMs, this.options.noAnswerWindowMs));
  }

  get openCount(): number {
    return this.open.size;
  }

  get closedCount(): number {
    return this.closed.size;
  }

  /** Whether a reply to this need concerns this table: cheap enough to run before parsing the reply. */
  knows(needId: string): boolean {
    return this.open.has(needId) || this.closed.has(needId);
  }

  /** The time at which the oldest open race reaches its deadline. */
  nextDeadline(): number | undefined {
    return this.open.values().next().value?.deadlineAt;
  }

  openRace(needId: string, context: C, now: number): RaceEvent<C, S>[] {
    const events: RaceEvent<C, S>[] = [];
    if (this.open.size >= this.options.maxOpenRaces) {
      const oldest = this.open.values().next().value!;
      this.close(oldest, now, events);
    }
    this.open.set(needId, { needId, context, openedAt: now, deadlineAt: now + this.options.deadlineMs, closedAt: null, winner: null, replies: [] });
    return events;
  }

  reply(needId: string, answer: Answer<S>, now: number): RaceEvent<C, S>[] {
    const race = this.open.get(needId) ?? this.closed.get(needId);
    if (!race) return [{ type: 'ignored', needId, version: answer.version, reason: 'unknown need' }];
    if (answered(race, answer.version)) {
      return [{ type: 'ignored', needId, version: answer.version, reason: 'duplicate' }];
    }
    if (race.replies.length >= this.options.maxRepliesPerRace) {
      return [{ type: 'ignored', needId, version: answer.version, reason: 'too many versions' }];
    }

    this.roster.seen(answer.version, now);
    const latencyMs = now - race.openedAt;
    const late = now > race.deadlineAt;
    const won = race.closedAt === null && race.winner === null && !late && !answer.shadow;
    const reply: Reply<S> = { ...answer, latencyMs, won, late };
    race.replies.push(reply);

    const events: RaceEvent<C, S>[] = [{ type: 'reply', race, reply }];
    if (won) {
      race.winner = reply;
      events.push({ type: 'winner', race, reply });
    }
    if (race.closedAt !== null) {
      events.push(this.summary(race, now));
    } else if (race.winner && this.everyLiveVersionAnswered(race, now)) {
      this.close(race, now, events);
    }
    return events;
  }

  /** Closes every open race whose deadline has passed. */
  closeDue(now: number): RaceEvent<C, S>[] {
    const events: RaceEvent<C, S>[] = [];
    // Every race gets the same deadline, so the open table is in deadline order.
    for (const race of this.open.values()) {
      if (race.deadlineAt > now) break;
      this.close(race, now, events);
    }
    this.forgetClosedBefore(now - this.options.rememberClosedMs);
    return events;
  }

  private everyLiveVersionAnswered(race: Race<C, S>, now: number): boolean {
    return this.roster.liveWithin(now, this.options.rosterWindowMs).every((version) => answered(race, version));
  }

  private summary(race: Race<C, S>, now: number): RaceEvent<C, S> {
    const noAnswer = this.roster.liveWithin(now, this.options.noAnswerWindowMs).filter((version) => !answered(race, version));
    return { type: 'summary', race, noAnswer };
  }

  private close(race: Race<C, S>, now: number, events: RaceEvent<C, S>[]): void {
    race.closedAt = now;
    this.open.delete(race.needId);
    this.closed.set(race.needId, race);
    if (this.closed.size > this.options.maxClosedRaces) {
      this.closed.delete(this.closed.keys().next().value!);
    }
    if (!race.winner) events.push({ type: 'fallback', race });
    events.push(this.summary(race, now));
  }

  private forgetClosedBefore(time: number): void {
    for (const race of this.closed.values()) {
      if (race.closedAt! > time) break;
      this.closed.delete(race.needId);
    }
  }
}

function answered<C, S>(race: Race<C, S>, version: string): boolean {
  return race.replies.some((r) => r.version === version);
}
