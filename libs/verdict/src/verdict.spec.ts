import { comparePaired, compareProportions, MIN_PAIRS, overallVerdict, wilcoxonSignedRank, type Verdict } from './index';

/** A seeded PRNG (mulberry32) in [0, 1): the same seed gives the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
function normal(next: () => number): number {
  const u = 1 - next(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/** Fitness-like pairs: a need's difficulty shared by both versions, plus each version's own noise; b shifted by `shift`. */
function fitnessPairs(count: number, seed: number, shift = 0): { a: number; b: number }[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const need = 50 + 10 * normal(next);
    return { a: need + 3 * normal(next), b: need + 3 * normal(next) + shift };
  });
}

const fitness = { higherIsBetter: true, margin: 1 };
const latency = { higherIsBetter: false, margin: 5 };

describe('comparePaired', () => {
  it('A/A with identical answers: p = 1, mean difference 0, no significant difference', () => {
    const pairs = Array.from({ length: MIN_PAIRS }, (_, i) => ({ a: i * 1.5, b: i * 1.5 }));
    const result = comparePaired(pairs, fitness);
    expect(result).toEqual({
      pairs: MIN_PAIRS,
      dropped: 0,
      meanA: expect.any(Number),
      meanB: expect.any(Number),
      meanDifference: 0,
      ci95: [0, 0],
      pValue: 1,
      verdict: 'no significant difference',
    });
    // …even with no margin at all
    expect(comparePaired(pairs, { higherIsBetter: true, margin: 0 }).verdict).toBe('no significant difference');
  });

  it("b clearly better on a higher-is-better metric: 'better', with the mean difference and its interval", () => {
    const result = comparePaired(fitnessPairs(200, 1, 5), fitness);
    expect(result.verdict).toBe('better');
    expect(result.pValue).toBeLessThan(1e-6);
    expect(result.meanDifference).toBeGreaterThan(4);
    expect(result.meanDifference).toBeLessThan(6);
    const [low, high] = result.ci95 as [number, number];
    expect(low).toBeLessThan(result.meanDifference as number);
    expect(high).toBeGreaterThan(result.meanDifference as number);
    expect(low).toBeGreaterThan(0);
    expect((result.meanB as number) - (result.meanA as number)).toBeCloseTo(result.meanDifference as number, 9);
  });

  it("b clearly worse: 'worse'", () => {
    expect(comparePaired(fitnessPairs(200, 2, -5), fitness).verdict).toBe('worse');
  });

  it('lower-is-better flips the direction', () => {
    // Latency in ms: b answers 20 ms faster.
    const faster = fitnessPairs(200, 3, -20).map(({ a, b }) => ({ a: a + 100, b: b + 100 }));
    expect(comparePaired(faster, latency).verdict).toBe('better');
    expect(comparePaired(faster, { ...latency, higherIsBetter: true }).verdict).toBe('worse');
    const slower = faster.map(({ a, b }) => ({ a: b, b: a }));
    expect(comparePaired(slower, latency).verdict).toBe('worse');
  });

  it("a significant difference below the margin is 'no significant difference'", () => {
    // b is 0.5 better on every need, with tiny noise: overwhelmingly significant, but smaller than the margin of 1.
    const next = random(4);
    const pairs = Array.from({ length: 300 }, () => {
      const a = 50 + 10 * normal(next);
      return { a, b: a + 0.5 + 0.05 * normal(next) };
    });
    const result = comparePaired(pairs, fitness);
    expect(result.pValue).toBeLessThan(1e-10);
    expect(result.meanDifference).toBeCloseTo(0.5, 1);
    expect(result.verdict).toBe('no significant difference');
    // The same difference matters once the margin is below it.
    expect(comparePaired(pairs, { ...fitness, margin: 0.4 }).verdict).toBe('better');
  });

  it("49 pairs is 'not enough data' however clear the difference; 50 is enough", () => {
    const pairs = fitnessPairs(MIN_PAIRS, 5, 10);
    expect(comparePaired(pairs.slice(0, MIN_PAIRS - 1), fitness).verdict).toBe('not enough data');
    expect(comparePaired(pairs, fitness).verdict).toBe('better');
    // The statistics are still reported below the minimum.
    const few = comparePaired(pairs.slice(0, MIN_PAIRS - 1), fitness);
    expect(few.pairs).toBe(49);
    expect(few.pValue).toBeLessThan(0.001);
    expect(few.ci95).not.toBeNull();
    // minPairs can be set.
    expect(comparePaired(pairs.slice(0, 10), { ...fitness, minPairs: 10 }).verdict).toBe('better');
  });

  it('no pairs: everything null', () => {
    expect(comparePaired([], fitness)).toEqual({
      pairs: 0,
      dropped: 0,
      meanA: null,
      meanB: null,
      meanDifference: null,
      ci95: null,
      pValue: null,
      verdict: 'not enough data',
    });
  });

  it('drops pairs with NaN or ±Infinity on either side, and counts them', () => {
    const good = fitnessPairs(MIN_PAIRS, 6, 5);
    const bad = [
      { a: NaN, b: 1 },
      { a: 1, b: NaN },
      { a: Infinity, b: 1 },
      { a: 1, b: -Infinity },
    ];
    const result = comparePaired([...bad, ...good], fitness);
    expect(result.pairs).toBe(MIN_PAIRS);
    expect(result.dropped).toBe(4);
    expect(Number.isFinite(result.meanA)).toBe(true);
    expect(result.verdict).toBe('better');
    expect(comparePaired([...bad, ...good.slice(1)], fitness).verdict).toBe('not enough data');
  });

  it("ranks and mean pointing opposite ways is 'no significant difference'", () => {
    // 55 needs 1 point better, 5 needs 100 points worse: the ranks say better (p tiny), the mean says worse.
    const pairs = [...Array.from({ length: 55 }, () => ({ a: 10, b: 11 })), ...Array.from({ length: 5 }, () => ({ a: 110, b: 10 }))];
    const result = comparePaired(pairs, fitness);
    expect(result.pValue).toBeLessThan(1e-5);
    expect(result.meanDifference).toBeLessThan(-1);
    expect(result.verdict).toBe('no significant difference');
  });

  it('rejects bad options', () => {
    const pairs = fitnessPairs(60, 7);
    expect(() => comparePaired(pairs, { ...fitness, margin: -1 })).toThrow(RangeError);
    expect(() => comparePaired(pairs, { ...fitness, margin: NaN })).toThrow(RangeError);
    expect(() => comparePaired(pairs, { ...fitness, alpha: 0 })).toThrow(RangeError);
    expect(() => comparePaired(pairs, { ...fitness, alpha: 1 })).toThrow(RangeError);
    expect(() => comparePaired(pairs, { ...fitness, minPairs: 0 })).toThrow(RangeError);
    expect(() => wilcoxonSignedRank([1, NaN])).toThrow(RangeError);
  });

  it('noisy A/A: alpha means what it says (about 95% or more "no significant difference")', () => {
    // 100 seeds × 2000 pairs from the same distribution, margin 0 so that only the test decides.
    // Two shapes: skewed continuous (log-normal fitness-like) and latency-like whole milliseconds with many ties.
    const runs = 100;
    const shapes: Record<string, (next: () => number) => { a: number; b: number }> = {
      lognormal: (next) => {
        const need = normal(next);
        return { a: Math.exp(need + 0.5 * normal(next)), b: Math.exp(need + 0.5 * normal(next)) };
      },
      'whole ms': (next) => {
        const need = -40 * Math.log(1 - next());
        return { a: Math.round(need - 10 * Math.log(1 - next())), b: Math.round(need - 10 * Math.log(1 - next())) };
      },
    };
    for (const [shape, draw] of Object.entries(shapes)) {
      const pValues: number[] = [];
      let quiet = 0;
      for (let seed = 1; seed <= runs; seed++) {
        const next = random(1000 * seed + shape.length);
        const pairs = Array.from({ length: 2000 }, () => draw(next));
        const result = comparePaired(pairs, { higherIsBetter: true, margin: 0 });
        if (result.verdict === 'no significant difference') quiet++;
        pValues.push(result.pValue as number);
      }
      const share = (limit: number) => pValues.filter((p) => p < limit).length / runs;
      expect({ shape, quiet: quiet >= 90 }).toEqual({ shape, quiet: true });
      // p-values are roughly uniform under the null: not too many small ones, and not all large either.
      expect({ shape, below5: share(0.05) <= 0.1 }).toEqual({ shape, below5: true });
      expect({ shape, below50: share(0.5) >= 0.35 && share(0.5) <= 0.65 }).toEqual({ shape, below50: true });
    }
  });

  it('100,000 pairs run well under a second (ranking is O(n log n))', () => {
    const pairs = fitnessPairs(100_000, 8, 0.05);
    const started = performance.now();
    const result = comparePaired(pairs, fitness);
    const elapsed = performance.now() - started;
    expect(result.pairs).toBe(100_000);
    expect(result.pValue).not.toBeNull();
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('compareProportions', () => {
  it('reports rates, difference, interval, z and p', () => {
    const result = compareProportions({ successes: 30, trials: 100 }, { successes: 45, trials: 100 });
    expect(result.a).toEqual({ successes: 30, trials: 100, rate: 0.3 });
    expect(result.b).toEqual({ successes: 45, trials: 100, rate: 0.45 });
    expect(result.difference).toBeCloseTo(0.15, 12);
    // pooled 0.375: z = 0.15 / √(0.375·0.625·0.02) = 2.1909
    expect(result.z).toBeCloseTo(0.15 / Math.sqrt(0.375 * 0.625 * 0.02), 12);
    // unpooled SE √(0.3·0.7/100 + 0.45·0.55/100) = 0.067639
    const se = Math.sqrt((0.3 * 0.7 + 0.45 * 0.55) / 100);
    expect(result.ci95?.[0]).toBeCloseTo(0.15 - 1.959964 * se, 6);
    expect(result.ci95?.[1]).toBeCloseTo(0.15 + 1.959964 * se, 6);
    expect(result.pValue).toBeCloseTo(0.02846, 4);
    expect(result.verdict).toBe('better');
    expect(compareProportions({ successes: 45, trials: 100 }, { successes: 30, trials: 100 }).verdict).toBe('worse');
  });

  it("both rates 0 (or both 1): p = 1, 'no significant difference'", () => {
    for (const [a, b] of [
      [{ successes: 0, trials: 100 }, { successes: 0, trials: 120 }],
      [{ successes: 100, trials: 100 }, { successes: 120, trials: 120 }],
    ] as const) {
      const result = compareProportions(a, b);
      expect(result.difference).toBe(0);
      expect(result.z).toBe(0);
      expect(result.pValue).toBe(1);
      expect(result.ci95).toEqual([0, 0]);
      expect(result.verdict).toBe('no significant difference');
    }
  });

  it("fewer than minTrials on either side is 'not enough data'", () => {
    expect(compareProportions({ successes: 0, trials: 49 }, { successes: 49, trials: 1000 }).verdict).toBe('not enough data');
    expect(compareProportions({ successes: 0, trials: 1000 }, { successes: 49, trials: 49 }).verdict).toBe('not enough data');
    expect(compareProportions({ successes: 0, trials: 50 }, { successes: 49, trials: 50 }).verdict).toBe('better');
    expect(compareProportions({ successes: 0, trials: 10 }, { successes: 9, trials: 10 }, { minTrials: 10 }).verdict).toBe('better');
    const none = compareProportions({ successes: 0, trials: 0 }, { successes: 5, trials: 10 });
    expect(none).toMatchObject({ a: { rate: null }, b: { rate: 0.5 }, difference: null, ci95: null, z: null, pValue: null, verdict: 'not enough data' });
  });

  it('rejects counts that are not counts', () => {
    expect(() => compareProportions({ successes: 5, trials: 4 }, { successes: 1, trials: 4 })).toThrow(RangeError);
    expect(() => compareProportions({ successes: -1, trials: 4 }, { successes: 1, trials: 4 })).toThrow(RangeError);
    expect(() => compareProportions({ successes: 1.5, trials: 4 }, { successes: 1, trials: 4 })).toThrow(RangeError);
    expect(() => compareProportions({ successes: 1, trials: NaN }, { successes: 1, trials: 4 })).toThrow(RangeError);
    expect(() => compareProportions({ successes: 1, trials: 4 }, { successes: 1, trials: 4 }, { alpha: 2 })).toThrow(RangeError);
  });
});

describe('overallVerdict', () => {
  const cases: [Verdict, Verdict[], Verdict][] = [
    ['not enough data', ['better'], 'not enough data'],
    ['not enough data', ['worse'], 'not enough data'],
    ['better', [], 'better'],
    ['worse', [], 'worse'],
    ['no significant difference', [], 'no significant difference'],
    ['better', ['worse'], 'worse'],
    ['no significant difference', ['no significant difference', 'worse'], 'worse'],
    ['no significant difference', ['better'], 'better'],
    ['better', ['no significant difference', 'not enough data'], 'better'],
    ['no significant difference', ['not enough data'], 'no significant difference'],
  ];
  it.each(cases)('primary %s, others %j → %s', (primary, others, expected) => {
    expect(overallVerdict(primary, others)).toBe(expected);
  });
});
