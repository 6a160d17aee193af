// The tests against published worked examples: each states its source and the figures as published,
// and matches them to the precision they were published with.
import { compareProportions, comparePaired, wilcoxonSignedRank, Z_95 } from './index';

/** comparePaired on differences given as b − a (a = 0), with no minimum so that small examples run. */
function pairedPValue(differences: readonly number[]): number | null {
  return comparePaired(
    differences.map((d) => ({ a: 0, b: d })),
    { higherIsBetter: true, margin: 0, minPairs: 1 },
  ).pValue;
}

describe('Wilcoxon signed-rank test, normal approximation', () => {
  it("matches SciPy's documented example: Darwin's cross- vs self-fertilized corn heights (Wilcoxon 1945)", () => {
    // Source: SciPy reference, scipy.stats.wilcoxon, section "Examples"
    // (https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.wilcoxon.html):
    //   >>> d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]
    //   >>> wilcoxon(d, alternative='greater')  -> statistic 96.0 (the sum of ranks of positive differences)
    //   >>> wilcoxon(d, method='approx')        -> (24.0, 0.04088813291185591)   [two-sided: min(W+, W-), p]
    // The page prints no z; by its formula z = (96 − 15·16/4) / √(15·16·31/24) = 36/√310 = 2.0447 (our derivation).
    const d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
    const test = wilcoxonSignedRank(d);
    expect(test.n).toBe(15);
    expect(test.wPlus).toBe(96);
    expect(Math.min(test.wPlus, test.wMinus)).toBe(24);
    expect(test.z).toBeCloseTo(36 / Math.sqrt(310), 12);
    // simple-statistics' erf is good to ~1e-7 relative, so the p-value matches to 7 decimals (|Δ| < 5e-8).
    expect(test.pValue).toBeCloseTo(0.04088813291185591, 7);
    expect(pairedPValue(d)).toBeCloseTo(0.04088813291185591, 7);
  });

  it('matches the R/SciPy reference with many ties and zero differences dropped (Wilcoxon zero method)', () => {
    // Source: SciPy's test suite, scipy/stats/tests/test_morestats.py, TestWilcoxon.test_accuracy_wilcoxon:
    //   freq = [1, 4, 16, 15, 8, 4, 5, 1, 2]; nums = range(-4, 5)  (56 values: -4 once, -3 four times, …, 0 eight times, …)
    //   stats.wilcoxon(x, y=0, "wilcox", method="approx") -> T = 327, p = 0.00641346115861
    // 8 zeros are dropped (n = 48) and the |d| fall in 4 tied groups, so the tie correction is exercised:
    // without it p would be 0.00743; keeping the zeros ranked ("pratt") SciPy gives 0.00317.
    const freq = [1, 4, 16, 15, 8, 4, 5, 1, 2];
    const x = freq.flatMap((count, i) => Array<number>(count).fill(i - 4));
    expect(x).toHaveLength(56);
    const test = wilcoxonSignedRank(x);
    expect(test.zeros).toBe(8);
    expect(test.n).toBe(48);
    expect(Math.min(test.wPlus, test.wMinus)).toBe(327);
    expect(test.pValue).toBeCloseTo(0.00641346115861, 9);
    expect(pairedPValue(x)).toBeCloseTo(0.00641346115861, 9);
  });

  it("matches R's wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = FALSE)", () => {
    // Source: same SciPy test, values "computed in R with
    //   > wilcox.test(x, y, paired=TRUE, exact=FALSE, correct={FALSE,TRUE})":  T = 34, p = 0.6948866 (correct = FALSE).
    const x = [120, 114, 181, 188, 180, 146, 121, 191, 132, 113, 127, 112];
    const y = [133, 143, 119, 189, 112, 199, 198, 113, 115, 121, 142, 187];
    const test = wilcoxonSignedRank(x.map((xi, i) => xi - (y[i] as number)));
    expect(Math.min(test.wPlus, test.wMinus)).toBe(34);
    expect(test.pValue).toBeCloseTo(0.6948866, 7);
  });

  it('matches R on an all-tied sample: wilcox.test(rep(0.1, 10), exact = FALSE, correct = FALSE)', () => {
    // Source: SciPy's test suite, scipy/stats/tests/test_morestats.py, TestWilcoxon.test_wilcoxon_tie (gh-2391):
    //   R: wilcox.test(rep(0.1, 10), exact=FALSE, correct=FALSE)$p.value  ->  0.001565402
    // All ten |d| tie: σ² = 10·11·21/24 − (10³ − 10)/48 = 75.625, z = 27.5/√75.625 = 3.1623.
    // Without the tie correction (σ² = 96.25) p would be 0.0051.
    const test = wilcoxonSignedRank(Array<number>(10).fill(0.1));
    expect(test.z).toBeCloseTo(27.5 / Math.sqrt(75.625), 12);
    expect(test.pValue).toBeCloseTo(0.001565402, 9);
  });
});

describe('two-proportion z-test (pooled SE) and Wald interval (unpooled SE)', () => {
  it('matches the OpenStax/Illowsky & Dean worked example: medications for hives', () => {
    // Source: Illowsky & Dean, Collaborative Statistics / OpenStax Introductory Statistics,
    // "Comparing Two Independent Population Proportions" (cnx.org/content/m17043), worked example:
    //   20 of 200 adults given medication A and 12 of 200 given medication B still had hives;
    //   pooled proportion p_c = (20 + 12)/(200 + 200) = 0.08; two-tailed p-value = 0.1404; do not reject at 1%.
    // (z follows from the page's distribution N(0, 0.08·0.92·(1/200 + 1/200)): 0.04/0.027129 = 1.4744, our derivation.)
    const result = compareProportions({ successes: 12, trials: 200 }, { successes: 20, trials: 200 }, { alpha: 0.01 });
    expect(result.difference).toBeCloseTo(0.04, 12);
    expect(result.z).toBeCloseTo(0.04 / Math.sqrt(0.08 * 0.92 * (2 / 200)), 12);
    expect(result.pValue).toBeCloseTo(0.1404, 4);
    expect(result.verdict).toBe('no significant difference');
  });

  it("matches HyperStat Online's worked example: early childhood intervention and high-school graduation", () => {
    // Source: David M. Lane, HyperStat Online, "Tests of Differences between Proportions" (davidmlane.com/hyperstat/B73479.html …):
    //   73 of 85 in the intervention group and 43 of 82 in the control group graduated;
    //   SE = 0.0713, z = 4.69, two-tailed p < 0.0001 ("The difference in proportions is significant, z = 4.69, p < 0.001").
    // (The page prints the difference as 0.344; 73/85 − 43/82 = 0.3344, and 0.3344/0.0713 = 4.69 as published.)
    const result = compareProportions({ successes: 43, trials: 82 }, { successes: 73, trials: 85 });
    expect(result.z).toBeCloseTo(4.69, 2);
    expect((result.difference as number) / (result.z as number)).toBeCloseTo(0.0713, 4); // the pooled SE
    expect(result.pValue).toBeLessThan(0.0001);
    expect(result.verdict).toBe('better');
  });

  it("matches Minitab's 'Test and CI for Two Proportions' interval (Wald, unpooled SE)", () => {
    // Source (secondary: a Minitab session output posted at pastebin.com/D9cPkB9H):
    //   Sample 1: 750 of 5000 (0.150000); Sample 2: 25250 of 95000 (0.265789)
    //   Estimate for difference: -0.115789;  95% CI for difference: (-0.126078, -0.105501)
    // (Its Z = -22.06 uses Minitab's default unpooled SE for the test too, so it is not our pooled z.)
    // Six decimals also check the critical value: probit(0.975) alone (1.95716) would give -0.126063.
    const result = compareProportions({ successes: 25250, trials: 95000 }, { successes: 750, trials: 5000 });
    expect(result.difference).toBeCloseTo(-0.115789, 6);
    const [low, high] = result.ci95 as [number, number];
    expect(low).toBeCloseTo(-0.126078, 6);
    expect(high).toBeCloseTo(-0.105501, 6);
  });

  it('uses the 97.5% normal quantile, 1.959964', () => {
    expect(Z_95).toBeCloseTo(1.959964, 6);
  });
});
