import type { RaceMessage } from '@ad-race/contracts';
import { finishRows, finishSummary, WinTally } from './photo-finish';

const race = (replies: RaceMessage['replies'], noAnswer: string[] = [], needId = 'n1'): RaceMessage => ({ type: 'race', needId, deadlineMs: 250, replies, noAnswer });
const reply = (version: string, latencyMs: number, flags: Partial<RaceMessage['replies'][number]> = {}) => ({
  version,
  latencyMs,
  won: false,
  shadow: false,
  late: false,
  translated: false,
  ...flags,
});

describe('the photo-finish panel', () => {
  it('names the winner and the margin over the runner-up', () => {
    const r = race([reply('v2', 1.21, { won: true }), reply('v1', 1.48)]);
    expect(finishSummary(r)).toBe('v2 won in 1.21 ms, 0.27 ms ahead of v1.');
    expect(finishRows(r)).toEqual([
      { version: 'v2', route: 'direct', time: '1.21 ms', result: 'won: its ad is shown', kind: 'won' },
      { version: 'v1', route: 'direct', time: '1.48 ms', result: 'lost, 0.27 ms behind', kind: 'lost' },
    ]);
  });

  it('shows shadow and late answers for what they are', () => {
    const r = race([reply('v1', 2, { won: true }), reply('v3', 2.9, { shadow: true }), reply('v2', 260, { late: true })]);
    expect(finishRows(r).map((row) => [row.version, row.kind, row.result])).toEqual([
      ['v1', 'won', 'won: its ad is shown'],
      ['v3', 'shadow', 'shadow: timed, never shown'],
      ['v2', 'late', 'too late (after the 250 ms deadline)'],
    ]);
    expect(finishSummary(r)).toBe('v1 won in 2.00 ms, unchallenged.');
  });

  it('says which answers came through the schema adapter', () => {
    const r = race([reply('v1', 0.8, { won: true }), reply('v2', 1.3, { translated: true })]);
    expect(finishRows(r).map((row) => [row.version, row.route, row.result])).toEqual([
      ['v1', 'direct', 'won: its ad is shown'],
      ['v2', 'through the schema adapter', 'lost, 0.50 ms behind'],
    ]);
  });

  it('explains the house ad', () => {
    expect(finishSummary(race([]))).toBe('No version answered within 250 ms: the house ad is shown.');
    expect(finishSummary(race([reply('v1', 300, { late: true })]))).toBe('No valid answer within 250 ms: the house ad is shown.');
  });

  it('shows a version that answered recently but not this race as "no answer", rather than leaving it out', () => {
    const r = race([reply('v1', 1.5, { won: true })], ['v2', 'v3']);
    expect(finishRows(r).map((row) => [row.version, row.time, row.result, row.kind])).toEqual([
      ['v1', '1.50 ms', 'won: its ad is shown', 'won'],
      ['v2', '—', 'no answer', 'no-answer'],
      ['v3', '—', 'no answer', 'no-answer'],
    ]);
    expect(finishSummary(r)).toBe('v1 won in 1.50 ms, unchallenged. No answer from v2 and v3.');
    expect(finishSummary(race([], ['v1']))).toBe('No version answered within 250 ms: the house ad is shown. No answer from v1.');
  });

  it('says by how much a shadow version would have won', () => {
    const r = race([reply('v3', 0.8, { shadow: true }), reply('v1', 4, { won: true }), reply('v2', 5.1)]);
    expect(finishRows(r).map((row) => [row.version, row.result, row.kind])).toEqual([
      ['v3', 'shadow: would have won by 3.20 ms', 'shadow-won'],
      ['v1', 'won: its ad is shown', 'won'],
      ['v2', 'lost, 1.10 ms behind', 'lost'],
    ]);
    // Slower than the winner, or too late, it would not have won.
    expect(finishRows(race([reply('v1', 1, { won: true }), reply('v3', 2, { shadow: true })]))[1]!.result).toBe('shadow: timed, never shown');
    expect(finishRows(race([reply('v3', 300, { shadow: true, late: true })]))[0]!.kind).toBe('late');
    // With the house ad shown, any shadow answer in time would have beaten it.
    expect(finishRows(race([reply('v3', 2, { shadow: true })]))[0]!.result).toBe('shadow: would have beaten the house ad');
  });
});

describe('the tally of wins', () => {
  it('counts each race once, for its winner, the house ad, or the shadow that would have won', () => {
    const tally = new WinTally();
    tally.add(race([reply('v2', 1, { won: true }), reply('v1', 2)], [], 'n1'));
    tally.add(race([reply('v2', 1, { won: true }), reply('v1', 2)], [], 'n1')); // the same race again (a late answer's update)
    tally.add(race([reply('v3', 0.5, { shadow: true }), reply('v1', 1, { won: true }), reply('v2', 3)], [], 'n2'));
    tally.add(race([reply('v2', 0.7, { won: true })], ['v1'], 'n3'));
    tally.add(race([], ['v1', 'v2'], 'n4'));
    expect(tally.total).toBe(4);
    expect(tally.table()).toEqual([
      { label: 'v2', wins: 2, wouldHaveWon: 0 },
      { label: 'house ad', wins: 1, wouldHaveWon: 0 },
      { label: 'v1', wins: 1, wouldHaveWon: 0 },
      { label: 'v3', wins: 0, wouldHaveWon: 1 },
    ]);
  });
});
