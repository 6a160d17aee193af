import { DashboardSnapshot } from '@ad-race/contracts';
import { Value } from '@sinclair/typebox/value';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WINDOWS } from './dashboard';
import { DashboardSource, runsOf } from './dashboard-source';
import { Evidence, type Batch } from './evidence';
import { Liveness } from './liveness';

const HALF_HOUR = WINDOWS['1d'].bucketMs;
// Ten minutes into a half hour: the bucket of now is open, the 47 before it are over.
const NOW = Date.parse('2026-11-30T12:10:00Z');

/** One race in each half hour of the day up to now: v1 answers in 3 ms and wins. */
function aDay(): Batch {
  const batch: Batch = { needs: [], answers: [], served: [], clicks: [] };
  for (let i = 0; i < 48; i++) {
    const at = NOW - 4 * 60_000 - i * HALF_HOUR;
    const id = `n${i}`;
    batch.needs.push({ conversationId: id, createdAt: at, customerId: 'c-0001', city: 'Amsterdam', tier: 'gold', page: 'login', channel: 'ad.need.v1', deadlineAt: at + 250 });
    batch.answers.push({ messageId: `a${i}`, conversationId: id, version: 'v1', instance: 'v1-1', channel: 'ad.solution.v1', translated: false, shadow: false, createdAt: at + 3, valid: true, error: null, offer: '{}', offerId: 'o' });
    batch.served.push({ conversationId: id, version: 'v1', answerId: `a${i}`, createdAt: at + 4, latencyMs: 3 });
  }
  return batch;
}

describe('the dashboard’s snapshots', () => {
  let dir: string;
  let evidence: Evidence;
  let source: DashboardSource;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dashboard-source-'));
    evidence = new Evidence(dir, () => 10);
    evidence.record(aDay());
    source = new DashboardSource(evidence, new Liveness());
  });

  afterEach(() => {
    evidence.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const answered = (s: DashboardSnapshot) => s.series.versions.find((v) => v.version === 'v1')?.answers.reduce((a, b) => a + b, 0) ?? 0;

  it('reads a day two half hours at a time beyond the open one, newest first, then only the open one', () => {
    const timeline = jest.spyOn(evidence, 'timeline');
    const first = source.snapshot({ window: '1d' }, NOW);
    expect(Value.Check(DashboardSnapshot, first)).toBe(true);
    expect(answered(first)).toBe(3);
    // The newest half hours hold the answers; the older ones wait their turn, empty.
    expect(first.series.versions[0]!.answers.slice(-3)).toEqual([1, 1, 1]);
    let snapshots = 1;
    while (answered(source.snapshot({ window: '1d' }, NOW + snapshots++ * 2000)) < 48);
    expect(snapshots).toBe(24); // 47 half hours over, two a snapshot
    timeline.mockClear();
    source.snapshot({ window: '1d' }, NOW + 60_000);
    // All kept: only the open half hour is read again.
    expect(timeline.mock.calls).toEqual([[NOW - 10 * 60_000, NOW + 20 * 60_000]]);
  });

  it('reads five minutes at once, and judges the pair over the window', () => {
    const s = source.snapshot({ window: '5m', a: 'v1', b: 'v2' }, NOW);
    expect(answered(s)).toBe(1);
    expect(s.comparison).toMatchObject({ a: { version: 'v1', answers: 1, wins: 1 }, b: { version: 'v2', answers: 0 }, verdict: 'not enough data', hourly: [] });
    expect(s.races.map((r) => r.needId)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('cuts bucket starts into runs of consecutive buckets', () => {
    expect(runsOf([30, 0, 10, 50, 60], 10)).toEqual([[0, 10], [30], [50, 60]]);
    expect(runsOf([], 10)).toEqual([]);
  });
});
