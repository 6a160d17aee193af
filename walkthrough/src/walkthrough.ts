import { CUSTOMERS, DEMO_PASSWORD } from '@ad-race/catalog';
import { chromiumPath } from '@ad-race/chromium';
import { Crowd } from '@ad-race/simulator';
import { ACTS, type Memory } from './acts';
import type { Claim } from './checks';
import { instancesOf } from './checks';
import type { Narrator } from './narrator';
import { CROWD_SIZE, type Pace } from './pace';
import { Screens } from './screens';
import { PhotoFinishes, Show } from './show';
import { Stack, type StackAddress } from './stack';

// The walkthrough: sets the stage for the first act asked, has a few
// customers log in who browse through every act, runs the acts in order
// (each from its own opening scene), checks what each shows, takes its
// picture, and waits for the speaker between acts at live pace.

export interface WalkthroughOptions {
  /** The acts to run, by number (1 to 7), in order. */
  acts: number[];
  pace: Pace;
  address: StackAddress;
  /** Where the pictures go (act-1.png, ...); none taken without it. */
  screenshots?: string;
  seed: number;
  narrator: Narrator;
}

export interface ActOutcome {
  number: number;
  title: string;
  claims: Claim[];
  /** What stopped the act before its claims could be judged. */
  failure?: string;
  picture?: string;
  seconds: number;
}

export const passed = (outcome: ActOutcome) => !outcome.failure && outcome.claims.length > 0 && outcome.claims.every((c) => c.holds);

/** The login the pictures are taken with: the customer after the crowd. */
const WATCHER = CUSTOMERS[CROWD_SIZE]!.email;

export async function runWalkthrough(options: WalkthroughOptions): Promise<ActOutcome[]> {
  const { narrator, pace, address } = options;
  const stack = new Stack(address);
  if (options.screenshots) chromiumPath(); // before anything changes: says how to get Chromium when there is none
  narrator.heading(`ad-race, the walkthrough: act${options.acts.length > 1 ? 's' : ''} ${options.acts.join(', ')} at ${pace.name} pace`);
  narrator.note('Stack', `${address.compose ? 'the compose stack' : 'the stack of npm start'}: the page at ${address.web}, the dashboard at ${address.monitor}/`);
  for (const [name, url] of [['the web server', address.web], ['the monitor', address.monitor]] as const) {
    if (!(await stack.ready(url))) {
      throw new Error(`${name} does not answer at ${url}: start the stack first (${address.compose ? 'docker compose up --detach --wait, or docker-compose up -d' : 'npm start'}), or give its address (--url, --monitor-url)`);
    }
  }

  const first = ACTS[options.acts[0]! - 1]!;
  narrator.heading(`Setting the stage for act ${options.acts[0]}`);
  const finishes = new PhotoFinishes();
  const crowd = await Crowd.arrive({ url: address.web, customers: CROWD_SIZE, seed: options.seed, warn: (text) => narrator.output(`customers: ${text}`), onRace: (race) => finishes.add(race) });
  let screens: Screens | null = null;
  const outcomes: ActOutcome[] = [];
  try {
    narrator.note('Crowd', `${CROWD_SIZE} customers logged in; they browse through every act, ${pace.perSecond} page views a second in all`);
    const show = new Show(stack, crowd, finishes, narrator, pace, options.seed);
    await show.setScene(first.opening);
    if (options.screenshots) {
      screens = await Screens.open({ web: address.web, monitor: address.monitor, dir: options.screenshots, email: WATCHER, password: DEMO_PASSWORD });
      narrator.note('Pictures', `${WATCHER} is logged in in Chromium; a picture at the end of each act goes to ${options.screenshots}`);
    }
    const memory: Memory = { webSince: { act: options.acts[0]!, instances: instancesOf(await stack.versions(), 'web') } };
    if (pace.pauses) await narrator.pause(`The stage is set. Press Enter for act ${options.acts[0]}, ${first.title} ▸`);

    for (const [i, number] of options.acts.entries()) {
      const act = ACTS[number - 1]!;
      const started = Date.now();
      narrator.act(number, ACTS.length, act.title);
      narrator.say(act.say);
      narrator.note('Look at', act.look === 'page' ? `the page, ${address.web}` : `the dashboard, ${address.monitor}/`);
      const outcome: ActOutcome = { number, title: act.title, claims: [], seconds: 0 };
      try {
        // Each act begins from its own scene: after one that failed, the next still starts right.
        await show.setScene(act.opening);
        outcome.claims = await act.perform(show, memory);
        outcome.claims.forEach((c) => narrator.claim(c));
        if (screens) {
          outcome.picture = act.look === 'page' ? await screens.page(`act-${number}`) : await screens.dashboard(`act-${number}`, ...act.pair!);
          narrator.note('Picture', outcome.picture);
        }
      } catch (err) {
        outcome.failure = (err as Error).message;
        narrator.claim({ claim: 'the act ran to its end', holds: false, evidence: outcome.failure });
      }
      outcome.seconds = Math.round((Date.now() - started) / 1000);
      narrator.note(passed(outcome) ? 'Proves' : 'Failed', passed(outcome) ? act.proves : `act ${number} did not show what it should: see ✗ above`);
      outcomes.push(outcome);
      const next = options.acts[i + 1];
      if (pace.pauses && next !== undefined) await narrator.pause(`Press Enter for act ${next}, ${ACTS[next - 1]!.title} ▸`);
    }
  } finally {
    crowd.close();
    await screens?.close();
    narrator.close();
  }
  narrator.heading('The acts');
  for (const o of outcomes) narrator.result(passed(o), `act ${o.number}, ${o.title}: ${o.claims.filter((c) => c.holds).length} of ${o.claims.length} claims hold (${o.seconds} s)`);
  return outcomes;
}
