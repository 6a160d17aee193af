import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Evidence, type AnswerRow, type NeedRow, type Scorer } from './evidence';

const HOUR = 3600_000;
const T0 = Date.parse('2026-11-30T09:00:00Z');

const need = (id: string, createdAt = T0): NeedRow => ({ conversationId: id, createdAt, customerId: 'c-0001', city: 'Amsterdam', tier: 'gold', page: 'login', channel: 'ad.need.v1' });
const answer = (id: string, conversationId: string, version: string, at: number, more: Partial<AnswerRow> = {}): AnswerRow => ({
  messageId: id,
  conversationId,
  version,
  instance: `${version}-1`,
  channel: 'ad.solution.v1',
  translated: false,
  shadow: false,
  createdAt: at,
  valid: true,
  error: null,
  offer: JSON.stringify({ id: `offer-of-${version}` }),
  offerId: `offer-of-${version}`,
  ...more,
});
// A scorer that says which offer and customer it scored: v1's offers are worth 10, v2's 20.
const scorer: Scorer = (offer, n) => (n.customerId === 'c-0001' ? (offer.includes('v2') ? 20 : 10) : null);

describe('the evidence database', () => {
  let dir: string;
  let evidence: Evidence;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'evidence-'));
    evidence = new Evidence(dir, scorer);
  });
  afterEach(() => {
    evidence.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts a message delivered twice once', () => {
    const batch = { needs: [need('n1')], answers: [answer('a1', 'n1', 'v1', T0 + 4)], served: [{ conversationId: 'n1', version: 'v1', answerId: 'a1', createdAt: T0 + 5, latencyMs: 4 }], clicks: [] };
    expect(evidence.record(batch)).toBe(3);
    expect(evidence.record(batch)).toBe(0);
    expect(evidence.counts()).toMatchObject({ needs: 1, answers: 1, served: 1 });
  });

  it('scores an answer that came before its need once the need arrives, and times it from the need', () => {
    evidence.record({ needs: [], answers: [answer('a1', 'n1', 'v1', T0 + 7), answer('a2', 'n1', 'v2', T0 + 3)], served: [], clicks: [] });
    expect(evidence.answers('v1', T0, T0 + HOUR)).toEqual([]);
    evidence.record({ needs: [need('n1')], answers: [], served: [], clicks: [] });
    expect(evidence.answers('v1', T0, T0 + HOUR)).toEqual([{ conversationId: 'n1', latencyMs: 7, fitness: 10, shadow: false }]);
    expect(evidence.answers('v2', T0, T0 + HOUR)).toEqual([{ conversationId: 'n1', latencyMs: 3, fitness: 20, shadow: false }]);
  });

  it('keeps translations and broken answers out of a version’s answers, and counts the broken ones', () => {
    evidence.record({
      needs: [need('n1')],
      answers: [
        answer('a1', 'n1', 'v2', T0 + 3, { channel: 'ad.solution.v2' }),
        answer('a2', 'n1', 'v2', T0 + 4, { translated: true }),
        answer('a3', 'n1', 'v2', T0 + 5, { valid: false, error: 'invalid "ad.solution" v1: /payload/ad', offer: null, offerId: null }),
      ],
      served: [],
      clicks: [],
    });
    expect(evidence.answers('v2', T0, T0 + HOUR).map((a) => a.latencyMs)).toEqual([3]);
    expect(evidence.outcomes('v2', T0, T0 + HOUR).invalid).toBe(1);
  });

  it('counts wins, clicks once per ad, and the races a shadow answer would have won', () => {
    evidence.record({
      needs: [need('n1'), need('n2')],
      answers: [answer('a1', 'n1', 'v2', T0 + 5), answer('s1', 'n1', 'v3', T0 + 2, { shadow: true }), answer('a2', 'n2', 'v2', T0 + 5), answer('s2', 'n2', 'v3', T0 + 9, { shadow: true })],
      served: [
        { conversationId: 'n1', version: 'v2', answerId: 'a1', createdAt: T0 + 6, latencyMs: 5 },
        { conversationId: 'n2', version: 'v2', answerId: 'a2', createdAt: T0 + 6, latencyMs: 5 },
      ],
      clicks: [{ conversationId: 'n1', version: 'v2', customerId: 'c-0001', createdAt: T0 + 900 }],
    });
    evidence.record({ needs: [], answers: [], served: [], clicks: [{ conversationId: 'n1', version: 'v2', customerId: 'c-0001', createdAt: T0 + 950 }] });
    expect(evidence.outcomes('v2', T0, T0 + HOUR)).toMatchObject({ wins: 2, clicks: 1 });
    expect(evidence.outcomes('v3', T0, T0 + HOUR)).toMatchObject({ wins: 0, wouldHaveWon: 1 });
  });

  it('keeps what it committed when the process ends without closing it, as after a kill -9', () => {
    evidence.record({ needs: [need('n1')], answers: [answer('a1', 'n1', 'v1', T0 + 4)], served: [], clicks: [] });
    // A second connection to the same file, as the restarted monitor opens it; the first is never closed.
    const reopened = new Evidence(dir, scorer);
    expect(reopened.counts()).toMatchObject({ needs: 1, answers: 1 });
    reopened.close();
  });

  it('folds needs older than the retention into per-hour totals, which still answer for their hours', () => {
    for (let h = 0; h < 3; h++) {
      const at = T0 + h * HOUR;
      evidence.record({
        needs: [need(`n${h}`, at)],
        answers: [answer(`a${h}`, `n${h}`, 'v1', at + 4), answer(`b${h}`, `n${h}`, 'v2', at + 2)],
        served: [{ conversationId: `n${h}`, version: 'v2', answerId: `b${h}`, createdAt: at + 3, latencyMs: 2 }],
        clicks: [],
      });
    }
    const before = evidence.hourly(T0, T0 + 3 * HOUR);
    expect(before).toHaveLength(6);
    expect(evidence.prune(T0 + 2 * HOUR + 10)).toBe(2);
    expect(evidence.counts()).toMatchObject({ needs: 1, answers: 2, hourly: 4 });
    expect(evidence.hourly(T0, T0 + 3 * HOUR)).toEqual(before);
    expect(before.find((h) => h.version === 'v2')).toMatchObject({ answers: 1, wins: 1, meanLatencyMs: 2, meanFitness: 20 });
  });

  it('gives the dashboard its timeline: first-hand valid answers, wins and clicks, each at the time of its need', () => {
    evidence.record({
      needs: [need('n1'), need('n2', T0 + 20_000), need('n3', T0 + HOUR)],
      answers: [
        answer('a1', 'n1', 'v1', T0 + 4),
        answer('a1t', 'n1', 'v2', T0 + 9, { translated: true }),
        answer('a2', 'n2', 'v2', T0 + 20_006, { shadow: true }),
        answer('a2x', 'n2', 'v1', T0 + 20_007, { valid: false, error: 'broken', offer: null, offerId: null }),
        answer('a3', 'n3', 'v1', T0 + HOUR + 1),
      ],
      served: [
        { conversationId: 'n1', version: 'v1', answerId: 'a1', createdAt: T0 + 5, latencyMs: 4 },
        { conversationId: 'n2', version: null, answerId: null, createdAt: T0 + 20_250, latencyMs: 250 },
      ],
      clicks: [{ conversationId: 'n1', version: 'v1', customerId: 'c-0001', createdAt: T0 + 900 }],
    });
    const timeline = evidence.timeline(T0, T0 + HOUR);
    expect(timeline.answers).toEqual([
      { needAt: T0, version: 'v1', latencyMs: 4, fitness: 10, shadow: false },
      { needAt: T0 + 20_000, version: 'v2', latencyMs: 6, fitness: 20, shadow: true },
    ]);
    // The house ad is no version's win.
    expect(timeline.wins).toEqual([{ needAt: T0, version: 'v1' }]);
    expect(timeline.clicks).toEqual([{ needAt: T0, version: 'v1' }]);
  });

  it('gives the last races decided, newest first, with every answer to each', () => {
    evidence.record({
      needs: [{ ...need('n1'), deadlineAt: T0 + 250 }, need('n2', T0 + 1000), need('n3', T0 + 2000)],
      answers: [answer('a1', 'n1', 'v1', T0 + 4), answer('a2', 'n1', 'v2', T0 + 6, { valid: false, error: 'broken', offer: null, offerId: null }), answer('b1', 'n2', 'v1', T0 + 1003)],
      served: [
        { conversationId: 'n1', version: 'v1', answerId: 'a1', createdAt: T0 + 5, latencyMs: 4 },
        { conversationId: 'n2', version: null, answerId: null, createdAt: T0 + 1250, latencyMs: 250 },
      ],
      clicks: [],
    });
    // n3 is not decided yet: not a race to show.
    const races = evidence.lastRaces(5);
    expect(races.map((r) => r.conversationId)).toEqual(['n2', 'n1']);
    expect(races[1]).toMatchObject({ needAt: T0, deadlineAt: T0 + 250, page: 'login', winner: 'v1', winningAnswerId: 'a1' });
    expect(races[1]!.answers.map((a) => [a.messageId, a.valid])).toEqual(expect.arrayContaining([['a1', true], ['a2', false]]));
    expect(races[0]).toMatchObject({ winner: null, deadlineAt: null, answers: [expect.objectContaining({ messageId: 'b1', createdAt: T0 + 1003 })] });
    expect(evidence.lastRaces(1).map((r) => r.conversationId)).toEqual(['n2']);
  });

  it('learns the deadline of a need told of first by its ad served, when the need itself comes, and counts that once', () => {
    evidence.record({ needs: [need('n1')], answers: [], served: [{ conversationId: 'n1', version: null, answerId: null, createdAt: T0 + 250, latencyMs: 250 }], clicks: [] });
    expect(evidence.record({ needs: [{ ...need('n1'), deadlineAt: T0 + 250 }], answers: [], served: [], clicks: [] })).toBe(1);
    expect(evidence.record({ needs: [{ ...need('n1'), deadlineAt: T0 + 250 }], answers: [], served: [], clicks: [] })).toBe(0);
    expect(evidence.lastRaces(1)[0]!.deadlineAt).toBe(T0 + 250);
  });

  it('opens a database made before needs kept their deadline, and adds the column', () => {
    evidence.close();
    mkdirSync(join(dir, 'old'));
    const old = new Database(join(dir, 'old', 'evidence.sqlite'));
    old.exec('CREATE TABLE needs (conversation_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, customer_id TEXT NOT NULL, city TEXT NOT NULL, tier TEXT NOT NULL, page TEXT NOT NULL, channel TEXT NOT NULL) WITHOUT ROWID');
    old.close();
    evidence = new Evidence(join(dir, 'old'), scorer);
    evidence.record({ needs: [{ ...need('n1'), deadlineAt: T0 + 250 }], answers: [], served: [{ conversationId: 'n1', version: null, answerId: null, createdAt: T0 + 250, latencyMs: 250 }], clicks: [] });
    expect(evidence.lastRaces(1)[0]!.deadlineAt).toBe(T0 + 250);
  });
});
