import type { AnswerFact } from './evidence';
import { judge, type VersionEvidence } from './judge';

/** n needs, each answered by a version with this latency and fitness. */
function answers(n: number, latency: (i: number) => number, fitness: (i: number) => number | null, shadow = false): AnswerFact[] {
  return Array.from({ length: n }, (_, i) => ({ conversationId: `need-${i}`, latencyMs: latency(i), fitness: fitness(i), shadow }));
}

function version(name: string, facts: AnswerFact[], more: Partial<VersionEvidence> = {}): VersionEvidence {
  return { version: name, answers: facts, invalid: 0, wins: 0, clicks: 0, wouldHaveWon: 0, ...more };
}

// A customer-to-customer spread of fitness, the same for both versions on one need.
const base = (i: number) => 20 + ((i * 37) % 100);

describe('judging one version against another', () => {
  it('says "not enough data" under 50 needs both answered, and says how many there were', () => {
    const j = judge(version('v1', answers(49, () => 5, base)), version('v2', answers(49, () => 3, (i) => base(i) + 30)));
    expect(j.fitness.pairs).toBe(49);
    expect(j.verdict).toBe('not enough data');
    expect(j.summary).toContain('49 needs');
  });

  it('finds no significant difference between two copies of the same version (A/A)', () => {
    const j = judge(version('v2a', answers(500, (i) => 3 + (i % 5), base)), version('v2b', answers(500, (i) => 3 + ((i + 2) % 5), base)));
    expect(j.fitness.verdict).toBe('no significant difference');
    expect(j.latency.verdict).toBe('no significant difference');
    expect(j.verdict).toBe('no significant difference');
  });

  it('judges a version whose ads fit better as better, pairing the answers need by need', () => {
    const j = judge(version('v1', answers(200, () => 5, base)), version('v2', answers(200, () => 5, (i) => base(i) + 10 + (i % 3))));
    expect(j.fitness.pairs).toBe(200);
    expect(j.fitness.meanDifference).toBeCloseTo(11, 0);
    expect(j.fitness.verdict).toBe('better');
    expect(j.verdict).toBe('better');
  });

  it('judges a version that fits better but is much slower as worse overall', () => {
    const j = judge(version('v1', answers(200, () => 5, base)), version('v2', answers(200, (i) => 50 + (i % 7), (i) => base(i) + 10)));
    expect(j.fitness.verdict).toBe('better');
    expect(j.latency.verdict).toBe('worse');
    expect(j.verdict).toBe('worse');
    expect(j.summary).toMatch(/^v2 against v1 on 200 needs both answered: fitness better \(\+10\.00 € a need\), latency worse \(\+48\.\d ms\), .*; overall worse$/);
  });

  it('pairs only the needs both versions answered, and only scored answers for fitness', () => {
    const a = answers(100, () => 5, base);
    const b = answers(100, () => 5, (i) => (i < 60 ? base(i) : null)).slice(20);
    const j = judge(version('v1', a), version('v2', b));
    expect(j.latency.pairs).toBe(80);
    expect(j.fitness.pairs).toBe(40);
  });

  it('reports a shadow version: never a winner, and the races it would have won', () => {
    const j = judge(version('v2', answers(60, () => 5, base), { wins: 60 }), version('v3', answers(60, () => 4, base, true), { wouldHaveWon: 42 }));
    expect(j.b).toMatchObject({ shadow: true, wins: 0, winRate: 0, wouldHaveWon: 42, clickThrough: null });
    expect(j.a).toMatchObject({ shadow: false, winRate: 1 });
  });

  it('compares click-through of the ads each version served', () => {
    const j = judge(version('v1', answers(600, () => 5, base), { wins: 600, clicks: 30 }), version('v2', answers(600, () => 5, base), { wins: 600, clicks: 90 }));
    expect(j.a.clickThrough).toBe(0.05);
    expect(j.b.clickThrough).toBe(0.15);
    expect(j.clickThrough.verdict).toBe('better');
  });
});
