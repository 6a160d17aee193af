import { CUSTOMERS, type CustomerProfile, type Random } from '@ad-race/catalog';
import { drawTaste, type Clicker, type HiddenTaste } from './ground-truth';
import { poisson, streamOf } from './streams';

// The plan of a run: who the simulated customers are, and which pages each
// opens when, over the simulated days. Drawn from the seed alone, before the
// run starts: the same seed gives the same customers, the same visits, and the
// same draws that decide their clicks.

export const SECONDS_PER_DAY = 86_400;

/** The pages of the site (web/src/main.ts): every visit starts at home. */
export const PAGES = ['home', 'deals', 'my-trips'] as const;
export type Page = (typeof PAGES)[number];

/**
 * How busy the site is at each hour of the day, relative to the others: quiet
 * nights, a morning, a lunch bump, and the evening peak when people plan trips.
 */
const DAILY_RHYTHM: readonly number[] = [
  0.12, 0.06, 0.03, 0.03, 0.03, 0.08, 0.3, 0.6, 0.8, 0.8, 0.8, 0.9, 1.2, 1.1, 0.8, 0.8, 0.9, 1.1, 1.5, 1.9, 2.0, 1.7, 1.0, 0.4,
];

/** One customer's habits: how often, when, and how long they browse. */
export interface Habits {
  /** Visits on an ordinary weekday, on average. */
  visitsPerDay: number;
  /** The hour the customer is most likely to visit: early birds, lunch breaks, evenings, night owls. */
  peakHour: number;
  /** Visits on Saturday and Sunday, relative to a weekday. */
  weekendFactor: number;
  /** Pages opened after the first one, on average, in one visit. */
  morePagesPerVisit: number;
}

/** A customer of the simulation: a profile of the catalog, what they secretly want, and when they browse. */
export interface SimulatedCustomer extends Clicker {
  profile: CustomerProfile;
  taste: HiddenTaste;
  habits: Habits;
  /** The draw that decides a click on the ad shown at login. */
  loginClickDraw: number;
}

/** A page one customer opens at a simulated instant, and the draw that decides whether they click its ad. */
export interface PlannedView {
  /** Simulated seconds since the run started (Monday, midnight). */
  atSec: number;
  /** Index into the plan's customers. */
  customer: number;
  page: Page;
  /** Uniform in [0, 1): the customer clicks the ad when this is under the ground truth's click probability. */
  clickDraw: number;
}

export interface Plan {
  seed: number;
  days: number;
  customers: SimulatedCustomer[];
  /** Every page view of the run, in order of time. */
  views: PlannedView[];
}

const PEAK_HOURS = { '8': 15, '12': 20, '20': 50, '23': 15 };

function drawHabits(random: Random): Habits {
  return {
    visitsPerDay: 0.5 + 3 * random.next() ** 1.5,
    peakHour: Number(random.weighted(PEAK_HOURS)),
    weekendFactor: 0.5 + 1.3 * random.next(),
    morePagesPerVisit: 0.5 + 3 * random.next(),
  };
}

/**
 * The simulated customers: the first `count` of the catalog's customers (Anna
 * first), each with a hidden taste and habits drawn from the seed.
 */
export function simulatedCustomers(count: number, seed: number): SimulatedCustomer[] {
  if (!Number.isInteger(count) || count < 1 || count > CUSTOMERS.length) throw new RangeError(`customers must be a whole number from 1 to ${CUSTOMERS.length}`);
  return CUSTOMERS.slice(0, count).map((profile) => ({
    profile,
    taste: drawTaste(profile, streamOf(seed, 'taste', profile.id)),
    habits: drawHabits(streamOf(seed, 'habits', profile.id)),
    loginClickDraw: streamOf(seed, 'login', profile.id).next(),
  }));
}

/** How much more likely a customer visits at each hour: the site's rhythm, tripled around their peak hour. */
function hourWeights(habits: Habits): Record<string, number> {
  const weights: Record<string, number> = {};
  DAILY_RHYTHM.forEach((busy, hour) => {
    const distance = Math.min(Math.abs(hour - habits.peakHour), 24 - Math.abs(hour - habits.peakHour));
    weights[hour] = busy * (1 + 3 * Math.max(0, 1 - distance / 2));
  });
  return weights;
}

/** Saturday and Sunday, with day 0 a Monday. */
export function isWeekend(day: number): boolean {
  return day % 7 === 5 || day % 7 === 6;
}

/** One customer's page views on one day: a few visits, each a few pages a minute or two apart. */
function planDay(customer: SimulatedCustomer, index: number, day: number, random: Random): PlannedView[] {
  const { habits, profile } = customer;
  const views: PlannedView[] = [];
  const visits = poisson(random, habits.visitsPerDay * (isWeekend(day) ? habits.weekendFactor : 1));
  const hours = hourWeights(habits);
  // A customer with a trip booked looks at it more often.
  const nextPage: Record<Page, number> = { home: 1, deals: 3, 'my-trips': profile.nextTrip ? 2 : 0.7 };
  for (let visit = 0; visit < visits; visit++) {
    let atSec = day * SECONDS_PER_DAY + Number(random.weighted(hours)) * 3600 + Math.floor(random.next() * 3600);
    const pages = 1 + Math.min(7, poisson(random, habits.morePagesPerVisit));
    for (let i = 0; i < pages; i++) {
      const page: Page = i === 0 ? 'home' : random.weighted(nextPage);
      views.push({ atSec, customer: index, page, clickDraw: random.next() });
      atSec += 8 + Math.floor(random.next() * 110);
    }
  }
  return views;
}

/** The whole run's plan: its customers and every page view of `days` simulated days, in order of time. */
export function planRun({ customers: count, days, seed }: { customers: number; days: number; seed: number }): Plan {
  if (!Number.isInteger(days) || days < 1) throw new RangeError('days must be a whole number, 1 or more');
  const customers = simulatedCustomers(count, seed);
  const end = days * SECONDS_PER_DAY;
  const views = customers
    .flatMap((customer, index) => Array.from({ length: days }, (_, day) => planDay(customer, index, day, streamOf(seed, 'day', customer.profile.id, day))).flat())
    .filter((view) => view.atSec < end)
    .sort((a, b) => a.atSec - b.atSec || a.customer - b.customer);
  return { seed, days, customers, views };
}

/** A page view of the plan and when, in real milliseconds after the clock starts, it is sent. */
interface Scheduled {
  view: PlannedView;
  atMs: number;
}

/**
 * When each page view is sent: its simulated time compressed by `speed`
 * (simulated seconds per real second), and no sooner than `minGapMs` after the
 * same customer's previous one (the web server closes a socket that sends
 * page views faster than it allows). In order of sending.
 */
export function schedule(views: readonly PlannedView[], speed: number, minGapMs: number): Scheduled[] {
  const nextFree = new Map<number, number>();
  const scheduled = views.map((view) => {
    const atMs = Math.max((view.atSec / speed) * 1000, nextFree.get(view.customer) ?? 0);
    nextFree.set(view.customer, atMs + minGapMs);
    return { view, atMs };
  });
  return scheduled.sort((a, b) => a.atMs - b.atMs);
}
