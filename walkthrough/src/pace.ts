import { SIMULATION_DEFAULTS } from '@ad-race/simulator';

// How fast the walkthrough goes: live, for an audience (the speaker presses
// Enter between acts, the traffic lasts long enough to watch), or fast, for
// CI and rehearsals (no pauses, short stretches, a week in seconds).

export interface Pace {
  name: 'live' | 'fast';
  /** Wait for the speaker between acts. */
  pauses: boolean;
  /** Page views a second the customers send while an act runs. */
  perSecond: number;
  /** How long the customers browse in one stretch of an act. */
  trafficMs: number;
  /** The simulated week of act 5: how many customers, how many simulated seconds a second. */
  week: { customers: number; speed: number };
}

export const PACES: Record<Pace['name'], Pace> = {
  // The week of npm run simulate's own defaults: some two and a half minutes.
  live: { name: 'live', pauses: true, perSecond: 4, trafficMs: 20_000, week: { customers: SIMULATION_DEFAULTS.customers, speed: SIMULATION_DEFAULTS.speed } },
  // A week in about ten seconds.
  fast: { name: 'fast', pauses: false, perSecond: 15, trafficMs: 6_000, week: { customers: 10, speed: 60_000 } },
};

/** Customers who browse through the acts (the simulator's first ones); one more watches in the browser for the pictures. */
export const CROWD_SIZE = 6;
