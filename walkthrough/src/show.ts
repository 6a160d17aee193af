import type { Comparison, RaceMessage, VersionAlive } from '@ad-race/contracts';
import { Crowd, SECONDS_PER_DAY, simulate, type Counts, type Summary } from '@ad-race/simulator';
import { servedLine, type Claim } from './checks';
import type { Narrator } from './narrator';
import type { Pace } from './pace';
import { commandsFor, playsItsPart, type Scene } from './scene';
import { Stack, stageCommand, type StageResult } from './stack';
import { sleep, until, WaitedTooLong } from './wait';

/** How often the progress line is drawn. */
const PROGRESS_MS = 250;
/** After this long waiting for the monitor, the terminal says what it waits for. */
const SAY_WAITING_AFTER_MS = 2_000;

// What an act can do on stage: run a stage command as the speaker would,
// have the customers browse while things change, run a simulated week, and
// read the monitor once it has caught up. Every step is narrated.

/** How long the monitor may take to see a service start or stop (its heartbeat, or its last one). */
const SEEN_WITHIN_MS = 30_000;
/** How long the monitor may take to record the last races of a stretch of traffic. */
const CAUGHT_UP_WITHIN_MS = 20_000;
/** How long the last page views of a stretch may wait for their ads. */
const LAST_ADS_MS = 10_000;


/** A stretch of traffic: what the customers saw in it (their ads, and the photo finish of each race), and when it ran. */
export interface Traffic {
  counts: Counts;
  unanswered: number;
  races: RaceMessage[];
  from: Date;
  to: Date;
}

/** The photo finishes the customers saw, one per race (the last, should a late answer send it again), until taken. */
export class PhotoFinishes {
  private readonly seen = new Map<string, RaceMessage>();

  add(race: RaceMessage): void {
    this.seen.set(race.needId, race);
  }

  size(): number {
    return this.seen.size;
  }

  /** Those seen since the last take. */
  take(): RaceMessage[] {
    const races = [...this.seen.values()];
    this.seen.clear();
    return races;
  }
}

/** Something to do while the customers browse, once `share` of the stretch has passed. */
export interface Cue {
  share: number;
  action: () => Promise<void>;
}


export class Show {
  constructor(
    readonly stack: Stack,
    readonly crowd: Crowd,
    private readonly finishes: PhotoFinishes,
    readonly narrator: Narrator,
    readonly pace: Pace,
    private readonly seed: number,
  ) {}

  /** Runs `npm run stage -- <args>`, shown as typed, its output echoed; then waits until the monitor sees `scene` for that service. */
  async stage(args: string[], scene?: Scene): Promise<StageResult> {
    this.narrator.command(stageCommand(args, this.stack.address.compose));
    const result = await this.stack.stage(args, (line) => this.narrator.output(line));
    if (scene && args[1]) await this.seen(scene, args[1]);
    return result;
  }

  /** Waits until the monitor sees a service as the scene wants it: running (on its messages) or stopped. Throws WaitedTooLong. */
  async seen(scene: Scene, service: string): Promise<void> {
    const what = `the monitor to see ${service} ${scene[service] ? `run${scene[service]!.messages ? ` on the ${scene[service]!.messages} messages` : ''}` : 'stopped'}`;
    const saying = setTimeout(() => this.narrator.output(`waiting for ${what} (its heartbeat, every few seconds) …`), SAY_WAITING_AFTER_MS);
    try {
      await until(async () => playsItsPart(scene, await this.stack.versions(), service), SEEN_WITHIN_MS, what);
    } finally {
      clearTimeout(saying);
    }
  }

  /** A claim: the monitor saw the service as the scene wants it (a start or a stop noticed), within SEEN_WITHIN_MS. */
  async sees(scene: Scene, service: string, claim: string): Promise<Claim> {
    const started = Date.now();
    try {
      await this.seen(scene, service);
      return { claim, holds: true, evidence: `within ${((Date.now() - started) / 1000).toFixed(1)} s, from its heartbeats` };
    } catch (err) {
      if (!(err instanceof WaitedTooLong)) throw err;
      return { claim, holds: false, evidence: err.message };
    }
  }

  /**
   * Brings what runs to a scene with stage commands; none when it is already so.
   * Just after the stack started, the monitor may not have heard every service
   * yet: a start of one that runs does nothing, and is made a restart when the
   * scene wants settings of it.
   */
  async setScene(scene: Scene): Promise<void> {
    for (const [verb, service, ...settings] of commandsFor(scene, await this.stack.versions())) {
      const result = await this.stage([verb!, service!, ...settings]);
      if (verb === 'start' && settings.length > 0 && result === 'unchanged') await this.stage(['restart', service!, ...settings]);
      await this.seen(scene, service!);
    }
  }

  /** The customers browse for `ms` at the pace's rate; cues run while they do. Waits for their last ads. */
  async traffic(ms: number = this.pace.trafficMs, cues: Cue[] = []): Promise<Traffic> {
    this.crowd.recount();
    this.finishes.take();
    const from = new Date();
    let cueRunning = false; // its command's lines, not the progress, meanwhile
    const shown = setInterval(() => cueRunning || this.showProgress(Date.now() - from.getTime(), ms), PROGRESS_MS);
    // A cue that fails stops the customers too: the next act browses afresh.
    const stop = new AbortController();
    const browsing = this.crowd.browse({ durationMs: ms, perSecond: this.pace.perSecond, signal: stop.signal });
    browsing.catch(() => undefined); // awaited below; a failure meanwhile is no unhandled rejection
    try {
      for (const cue of [...cues].sort((a, b) => a.share - b.share)) {
        const wait = from.getTime() + cue.share * ms - Date.now();
        if (wait > 0) await sleep(wait);
        this.narrator.endProgress();
        cueRunning = true;
        await cue.action().finally(() => (cueRunning = false));
      }
      await browsing;
      const unanswered = await this.crowd.settle(LAST_ADS_MS);
      // A race's photo finish follows its ad once every version has answered, or at the deadline.
      await until(async () => this.finishes.size() >= this.crowd.counts().ads, LAST_ADS_MS, 'the photo finishes of the last races').catch(() => undefined);
      this.showProgress(ms, ms);
      this.narrator.endProgress();
      const counts = this.crowd.recount();
      return { counts, unanswered, races: this.finishes.take(), from, to: new Date() };
    } finally {
      clearInterval(shown);
      stop.abort();
      await browsing.catch(() => undefined);
    }
  }

  private showProgress(elapsed: number, total: number): void {
    const counts = this.crowd.counts();
    this.narrator.progress(elapsed, total, `${(Math.min(elapsed, total) / 1000).toFixed(0)} s · ${counts.pageViews} page views · ${servedLine(counts)}`);
  }

  /** A simulated week, as `npm run simulate` runs it, with its progress; the summary. */
  async week(): Promise<{ summary: Summary; from: Date; to: Date }> {
    const DAYS = 7;
    const { customers, speed } = this.pace.week;
    this.narrator.command(`npm run simulate -- --customers ${customers} --days ${DAYS} --speed ${speed} --seed ${this.seed}`);
    const from = new Date();
    const summary = await simulate({
      url: this.stack.address.web,
      customers,
      days: DAYS,
      speed,
      seed: this.seed,
      quiet: true,
      onProgress: (p) => {
        const day = Math.min(p.days, Math.floor(p.simulatedSec / SECONDS_PER_DAY) + 1);
        this.narrator.progress(p.simulatedSec, p.days * SECONDS_PER_DAY, `${p.phase === 'browsing' ? `day ${day} of ${p.days}` : p.phase} · ${p.pageViews} page views · ${servedLine(p)}`);
      },
    });
    this.narrator.endProgress();
    return { summary, from, to: new Date() };
  }

  /** The monitor's comparison of b against a over a stretch, once it has recorded at least `needs` needs of it and its figures stand still. */
  async comparison(a: string, b: string, from: Date, to: Date, needs: number): Promise<Comparison> {
    let last: Comparison | undefined;
    let previous = '';
    const figures = (c: Comparison) => JSON.stringify([c.needs, c.houseAds, c.a.answers, c.a.wins, c.a.clicks, c.b.answers, c.b.wins, c.b.clicks]);
    await until(
      async () => {
        last = await this.stack.comparison(a, b, from, to);
        const now = figures(last);
        const steady = now === previous && last.needs >= needs;
        previous = now;
        return steady;
      },
      CAUGHT_UP_WITHIN_MS,
      'the monitor to record the races',
    ).catch((err) => {
      // The claims say what it did record.
      if (!(err instanceof WaitedTooLong) || !last) throw err;
    });
    return last!;
  }

  versions(): Promise<VersionAlive[]> {
    return this.stack.versions();
  }
}
