import type { Comparison, RaceResult, VersionAlive } from '@ad-race/contracts';
import { Crowd, simulate, type Counts, type Summary } from '@ad-race/simulator';
import { servedLine } from './checks';
import type { Narrator } from './narrator';
import type { Pace } from './pace';
import { commandsFor, playsItsPart, type Scene } from './scene';
import { Stack, stageCommand, type StageResult } from './stack';

// What an act can do on stage: run a stage command as the speaker would,
// have the customers browse while things change, run a simulated week, and
// read the monitor once it has caught up. Every step is narrated.

const POLL_MS = 250;
/** How long the monitor may take to see a service start or stop (its heartbeat, or its last one). */
const SEEN_WITHIN_MS = 30_000;
/** How long the monitor may take to record the last races of a stretch of traffic. */
const CAUGHT_UP_WITHIN_MS = 20_000;
/** How long the last page views of a stretch may wait for their ads. */
const LAST_ADS_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A stretch of traffic: what the customers saw in it, and when it ran. */
export interface Traffic {
  counts: Counts;
  unanswered: number;
  from: Date;
  to: Date;
}

/** Something to do while the customers browse, once `share` of the stretch has passed. */
export interface Cue {
  share: number;
  action: () => Promise<void>;
}

export class WaitedTooLong extends Error {}

export class Show {
  constructor(
    readonly stack: Stack,
    readonly crowd: Crowd,
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

  /** Waits until the monitor sees a service as the scene wants it: running (on its messages) or stopped. */
  seen(scene: Scene, service: string): Promise<void> {
    return this.until(async () => playsItsPart(scene, await this.stack.versions(), service), SEEN_WITHIN_MS, `the monitor to see ${service} as the act wants it`);
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
    const from = new Date();
    let cueRunning = false; // its command's lines, not the progress, meanwhile
    const shown = setInterval(() => cueRunning || this.showProgress(Date.now() - from.getTime(), ms), POLL_MS);
    try {
      const browsing = this.crowd.browse({ durationMs: ms, perSecond: this.pace.perSecond });
      for (const cue of [...cues].sort((a, b) => a.share - b.share)) {
        const wait = from.getTime() + cue.share * ms - Date.now();
        if (wait > 0) await sleep(wait);
        this.narrator.endProgress();
        cueRunning = true;
        await cue.action().finally(() => (cueRunning = false));
      }
      await browsing;
      const unanswered = await this.crowd.settle(LAST_ADS_MS);
      this.showProgress(ms, ms);
      this.narrator.endProgress();
      const counts = this.crowd.recount();
      return { counts, unanswered, from, to: new Date() };
    } finally {
      clearInterval(shown);
    }
  }

  private showProgress(elapsed: number, total: number): void {
    const counts = this.crowd.counts();
    this.narrator.progress(elapsed, total, `${(Math.min(elapsed, total) / 1000).toFixed(0)} s · ${counts.pageViews} page views · ${servedLine(counts)}`);
  }

  /** A simulated week, as `npm run simulate` runs it, with its progress; the summary. */
  async week(): Promise<{ summary: Summary; from: Date; to: Date }> {
    const { customers, speed } = this.pace.week;
    this.narrator.command(`npm run simulate -- --customers ${customers} --days 7 --speed ${speed} --seed ${this.seed}`);
    const from = new Date();
    const summary = await simulate({
      url: this.stack.address.web,
      customers,
      days: 7,
      speed,
      seed: this.seed,
      quiet: true,
      onProgress: (p) => {
        const day = Math.min(7, Math.floor(p.simulatedSec / 86_400) + 1);
        this.narrator.progress(p.simulatedSec, 7 * 86_400, `${p.phase === 'browsing' ? `day ${day} of 7` : p.phase} · ${p.pageViews} page views · ${servedLine(p)}`);
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
    await this.until(
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

  /** The races the dashboard shows (the last few), those of needs made from `since`. */
  async racesSince(since: Date, a: string, b: string): Promise<RaceResult[]> {
    const snapshot = await this.stack.dashboard(a, b);
    return snapshot.races.filter((race) => Date.parse(race.at) >= since.getTime());
  }

  versions(): Promise<VersionAlive[]> {
    return this.stack.versions();
  }

  /** Waits for a condition, polling; throws WaitedTooLong naming what it waited for. */
  async until(condition: () => Promise<boolean>, withinMs: number, what: string): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new WaitedTooLong(`waited ${withinMs / 1000} s for ${what}`);
      await sleep(POLL_MS);
    }
  }
}
