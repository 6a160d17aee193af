import {
  answersTranslated,
  comparedInShadow,
  everyViewServed,
  fitnessAndClicks,
  instancesOf,
  monitorSawWinner,
  ms,
  neverServed,
  percent,
  photoFinish,
  ranOn,
  seenAlive,
  servedOnlyBy,
  verdictGiven,
  wonMost,
  type Claim,
} from './checks';
import type { Comparison } from '@ad-race/contracts';
import type { Scene } from './scene';
import type { Show } from './show';

// The talk, act by act: what the speaker says, the commands, what the
// audience looks at, what the act proves, and the claims that prove it,
// judged from what the customers saw and what the monitor reports.
// docs/walkthrough.md is the same script, with the pictures.

/** What the acts remember of each other: the web server's instances as the first act of the run began. */
export interface Memory {
  webSince: { act: number; instances: string[] };
}

export interface Act {
  title: string;
  /** What the speaker says: two or three sentences. */
  say: string;
  /** The commands the act runs, as arguments after `npm run stage --` (the simulator's is its own). */
  stageCommands: string[][];
  /** What the audience looks at, and the picture the walkthrough takes of it. */
  look: 'page' | 'dashboard';
  /** For a dashboard picture: the verdict of b against a. */
  pair?: [string, string];
  proves: string;
  /** What runs as the act begins (web and the monitor run throughout). */
  opening: Scene;
  perform(show: Show, memory: Memory): Promise<Claim[]>;
}

const ONE_VERSION: Scene = { 'ads-v1': {} };
const TWO_VERSIONS: Scene = { 'ads-v1': {}, 'ads-v2': { messages: 'v1' } };
const WITH_SHADOW: Scene = { ...TWO_VERSIONS, 'ads-v3': { messages: 'v1' } };
const NEW_MESSAGES: Scene = { ...WITH_SHADOW, 'schema-adapter': {}, 'ads-v2': { messages: 'v2' } };
const V1_RETIRED: Scene = { 'schema-adapter': {}, 'ads-v2': { messages: 'v2' }, 'ads-v3': { messages: 'v1' } };

const STATUS = ['status'];
const START_V2 = ['start', 'ads-v2', 'MESSAGES=v1'];
const STOP_V2 = ['stop', 'ads-v2'];
const START_V2_AGAIN = ['start', 'ads-v2'];
const START_V3 = ['start', 'ads-v3', 'MESSAGES=v1'];
const START_ADAPTER = ['start', 'schema-adapter'];
const MOVE_V2 = ['restart', 'ads-v2', 'MESSAGES=v2'];
const STOP_V1 = ['stop', 'ads-v1'];

const p50 = (s: Comparison['a']) => (s.latencyMs ? ms(s.latencyMs.p50) : '–');
const share = (rate: number | null) => (rate === null ? '–' : percent(rate, 1));

/** The monitor's figures of the race between two versions, in one line. */
function raceFigures(c: Comparison): string {
  return `the monitor: ${c.needs} races; ${[c.a, c.b]
    .filter((s) => s.answers > 0)
    .map((s) => `${s.version}${s.shadow ? ' (shadow)' : ''} answered ${s.answers}, won ${s.shadow ? `none (would have won ${s.wouldHaveWon})` : share(s.winRate)}, p50 ${p50(s)}`)
    .join('; ')}`;
}

export const ACTS: readonly Act[] = [
  {
    title: 'One ad service',
    say:
      'A car-rental site shows every customer an ad when they log in and on every page. The web server does not call an ad service: it publishes "I need an ad" on a RabbitMQ fanout exchange, and the first answer wins. Today one version answers: ads-v1.',
    stageCommands: [STATUS],
    look: 'page',
    proves: 'The web server and the ad service know nothing of each other: a need goes out on the bus, an answer comes back, and the customer sees an ad.',
    opening: ONE_VERSION,
    async perform(show) {
      await show.stage(STATUS);
      const traffic = await show.traffic();
      const c = await show.comparison('v1', 'v2', traffic.from, traffic.to, traffic.counts.pageViews);
      show.narrator.figure(raceFigures(c));
      return [everyViewServed(traffic.counts, traffic.unanswered), servedOnlyBy(traffic.counts, ['v1']), seenAlive(await show.versions(), 'ads', 'v1', true)];
    },
  },
  {
    title: 'Copy, paste, optimise',
    say:
      'ads-v2 began life as a copy of v1, then got an index by city and car class. We start it beside v1 without stopping anything: both hear every need, both answer, and the faster answer wins. The photo finish shows by how much.',
    stageCommands: [START_V2],
    look: 'page',
    proves: 'A new version joins by subscribing: no deployment of the web server, no switch, no configuration of who calls whom. The race itself measures the new version against the old, on real traffic.',
    opening: ONE_VERSION,
    async perform(show) {
      const before = await show.versions();
      await show.stage(START_V2, TWO_VERSIONS);
      const traffic = await show.traffic();
      const c = await show.comparison('v1', 'v2', traffic.from, traffic.to, traffic.counts.pageViews);
      show.narrator.figure(raceFigures(c));
      const after = await show.versions();
      return [
        everyViewServed(traffic.counts, traffic.unanswered),
        wonMost(traffic.counts, 'v2'),
        monitorSawWinner(c, 'v2'),
        photoFinish(traffic.races, 'v2', 'v1'),
        ranOn('the web server', instancesOf(before, 'web'), instancesOf(after, 'web'), 'before v2 started'),
        ranOn('ads-v1', instancesOf(before, 'ads', 'v1'), instancesOf(after, 'ads', 'v1'), 'before v2 started'),
      ];
    },
  },
  {
    title: 'Nobody notices a failure',
    say:
      'Now ads-v2 goes down in the middle of traffic. Nobody notices: v1 still answers every need, so every page still gets an ad, only a little slower. We start v2 again and it is straight back in the race.',
    stageCommands: [STOP_V2, START_V2_AGAIN],
    look: 'page',
    proves: 'Running versions side by side is redundancy for free: losing one costs speed, not ads. And coming back needs nothing but starting it.',
    opening: TWO_VERSIONS,
    async perform(show) {
      let stoppedAt = new Date();
      let noticed: Claim | undefined;
      const during = await show.traffic(show.pace.trafficMs * 1.5, [
        {
          share: 1 / 3,
          action: async () => {
            await show.stage(STOP_V2);
            stoppedAt = new Date();
            noticed = await show.sees(ONE_VERSION, 'ads-v2', 'the monitor noticed ads-v2 stop');
          },
        },
      ]);
      const afterStop = await show.comparison('v1', 'v2', stoppedAt, during.to, 1);
      show.narrator.figure(`after the stop, ${raceFigures(afterStop).replace('the monitor: ', 'the monitor saw ')}`);
      const onlyV1 = {
        claim: 'after the stop, v1 answered every race alone',
        holds: afterStop.needs > 0 && afterStop.b.answers === 0 && afterStop.a.answers >= afterStop.needs && afterStop.houseAds === 0,
        evidence: `${afterStop.needs} races after the stop: v1 answered ${afterStop.a.answers}, v2 ${afterStop.b.answers}, house ads ${afterStop.houseAds}`,
      };
      await show.stage(START_V2_AGAIN, TWO_VERSIONS);
      const back = await show.traffic();
      const c = await show.comparison('v1', 'v2', back.from, back.to, back.counts.pageViews);
      show.narrator.figure(`back in the race: ${raceFigures(c).replace('the monitor: ', '')}`);
      const wonAgain = wonMost(back.counts, 'v2');
      return [
        { ...everyViewServed(during.counts, during.unanswered), claim: 'every page view got an ad while v2 went down' },
        noticed!, // the cue ran, or traffic() threw
        onlyV1,
        { ...wonAgain, claim: `started again, ${wonAgain.claim}` },
      ];
    },
  },
  {
    title: 'A shadow version',
    say:
      'ads-v3 is a copy of v2 that ranks offers by the fitness the monitor scores. We are not sure of it yet, so it runs in shadow: it hears every need and answers, its answers are timed and scored, and no customer ever sees one.',
    stageCommands: [START_V3],
    look: 'page',
    proves: 'Because listening on a bus is free, a candidate can be tried on live traffic with no risk: the monitor compares it with the version in production, and the page shows by how much it would have won.',
    opening: TWO_VERSIONS,
    async perform(show) {
      await show.stage(START_V3, WITH_SHADOW);
      const traffic = await show.traffic();
      const c = await show.comparison('v2', 'v3', traffic.from, traffic.to, traffic.counts.pageViews);
      show.narrator.figure(raceFigures(c));
      show.narrator.figure(`the monitor: ${c.summary}`);
      return [everyViewServed(traffic.counts, traffic.unanswered), neverServed(traffic.counts, 'v3'), comparedInShadow(c, 'v3')];
    },
  },
  {
    title: 'A week in minutes',
    say:
      'Is v2 really better, or only faster? The simulator sends a week of customers in a few minutes: they browse with a daily rhythm and click what they secretly like. The dashboard scores the fitness of every answer, counts the clicks, and gives a verdict.',
    stageCommands: [],
    look: 'dashboard',
    pair: ['v1', 'v2'],
    proves: 'Speed is not the only measure: every answer, winner or loser or shadow, is judged by a fitness function and by clicks, and the monitor says, with confidence intervals, whether the new version is better.',
    opening: WITH_SHADOW,
    async perform(show) {
      const { summary, from, to } = await show.week();
      const c = await show.comparison('v1', 'v2', from, to, summary.pageViews);
      const shadow = await show.comparison('v2', 'v3', from, to, summary.pageViews);
      show.narrator.figure(`the monitor, v2 against v1: ${c.summary}`);
      show.narrator.figure(`the monitor, v3 (shadow) against v2: ${shadow.summary}`);
      return [everyViewServed(summary, summary.unanswered), fitnessAndClicks(c), verdictGiven(c), comparedInShadow(shadow, 'v3')];
    },
  },
  {
    title: 'A new message, old services untouched',
    say:
      'v2 wants more than v1 messages carry: the customer\'s next trip, and room for three ranked offers. We start the schema adapter, which turns every v1 need into a v2 need and every v2 answer back into v1, and move v2 onto the v2 messages. The web server and v1 run on, untouched.',
    stageCommands: [START_ADAPTER, MOVE_V2],
    look: 'page',
    proves: 'Old and new message versions live side by side: newer services read newer messages, older ones never learn they exist, and nothing had to be deployed together.',
    opening: WITH_SHADOW,
    async perform(show) {
      const before = await show.versions();
      const moving = await show.traffic(show.pace.trafficMs * 1.5, [
        {
          share: 0.25,
          action: async () => {
            await show.stage(START_ADAPTER, { ...WITH_SHADOW, 'schema-adapter': {} });
          },
        },
        {
          share: 0.5,
          action: async () => {
            await show.stage(MOVE_V2, NEW_MESSAGES);
          },
        },
      ]);
      // The races after the move, on a stretch of their own (the move may end late in the first).
      const moved = await show.traffic();
      const c = await show.comparison('v1', 'v2', moved.from, moved.to, moved.counts.pageViews);
      show.narrator.figure(`after the move, ${raceFigures(c).replace('the monitor: ', 'the monitor saw ')}`);
      const after = await show.versions();
      return [
        { ...everyViewServed(moving.counts, moving.unanswered), claim: 'every page view got an ad while the adapter started and v2 moved' },
        { ...everyViewServed(moved.counts, moved.unanswered), claim: 'every page view got an ad after the move' },
        answersTranslated(after, moved.races, 'v2', 'ad.need.v2'),
        ranOn('the web server', instancesOf(before, 'web'), instancesOf(after, 'web'), 'before the act'),
        ranOn('ads-v1', instancesOf(before, 'ads', 'v1'), instancesOf(after, 'ads', 'v1'), 'before the act'),
      ];
    },
  },
  {
    title: 'Retire v1',
    say:
      'The evidence is in: v2 is faster and fits customers better. Retiring v1 is one command: stop it. v2 serves alone, v3 still shadows it, and nothing was refactored to get here.',
    stageCommands: [STOP_V1],
    look: 'page',
    proves: 'A version is retired by stopping it, as it was added by starting it. The web server that served the first ad of the talk serves the last one.',
    opening: NEW_MESSAGES,
    async perform(show, memory) {
      await show.stage(STOP_V1);
      const noticed = await show.sees(V1_RETIRED, 'ads-v1', 'the monitor noticed ads-v1 stop');
      const traffic = await show.traffic();
      const after = await show.versions();
      const since = memory.webSince;
      return [
        everyViewServed(traffic.counts, traffic.unanswered),
        servedOnlyBy(traffic.counts, ['v2']),
        noticed,
        ranOn('the web server', since.instances, instancesOf(after, 'web'), since.act === 7 ? 'the start of this act' : `the start of act ${since.act}`),
      ];
    },
  },
];
