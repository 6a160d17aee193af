import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
