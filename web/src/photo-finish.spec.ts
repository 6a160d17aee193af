import type { RaceMessage } from '@ad-race/contracts';
import { finishRows, finishSummary } from './photo-finish';

const race = (replies: RaceMessage['replies']): RaceMessage => ({ type: 'race', needId: 'n1', deadlineMs: 250, replies });
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
    const r = race([reply('v3', 0.9, { shadow: true }), reply('v1', 2, { won: true }), reply('v2', 260, { late: true })]);
    expect(finishRows(r).map((row) => [row.version, row.kind, row.result])).toEqual([
      ['v3', 'shadow', 'shadow: timed, never shown'],
      ['v1', 'won', 'won: its ad is shown'],
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
});
