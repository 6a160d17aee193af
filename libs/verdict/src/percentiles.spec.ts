import { percentiles } from './index';

// The method: simple-statistics' quantile, linear interpolation between the closest ranks at position
// (n − 1)·p (Hyndman & Fan type 7; NumPy's default 'linear' and R's default type 7).
describe('percentiles', () => {
  it('interpolates at (n − 1)·p: 1…100 gives p50 50.5, p95 95.05, p99 99.01', () => {
    // Type 7 on 1…100: value = 1 + 99·p. (Nearest-rank would give 50, 95, 99.)
    const result = percentiles(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(result).not.toBeNull();
    expect(result?.p50).toBeCloseTo(50.5, 10);
    expect(result?.p95).toBeCloseTo(95.05, 10);
    expect(result?.p99).toBeCloseTo(99.01, 10);
  });

  it("matches NumPy's documented example: np.percentile([[10, 7, 4], [3, 2, 1]], 50) = 3.5", () => {
    // Source: NumPy reference, numpy.percentile, "Examples" (the default method 'linear').
    expect(percentiles([10, 7, 4, 3, 2, 1])?.p50).toBe(3.5);
  });

  it('handles small and unsorted samples without changing the input', () => {
    const values = [4, 1, 3, 2];
    const result = percentiles(values);
    // positions 1.5, 2.85, 2.97 on [1, 2, 3, 4]
    expect(result?.p50).toBeCloseTo(2.5, 12);
    expect(result?.p95).toBeCloseTo(3.85, 12);
    expect(result?.p99).toBeCloseTo(3.97, 12);
    expect(values).toEqual([4, 1, 3, 2]);
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7, p99: 7 });
  });

  it('is null when empty, and ignores NaN and ±Infinity', () => {
    expect(percentiles([])).toBeNull();
    expect(percentiles([NaN, Infinity, -Infinity])).toBeNull();
    expect(percentiles([4, NaN, 1, Infinity, 3, -Infinity, 2])).toEqual(percentiles([1, 2, 3, 4]));
  });
});
