import { Random } from '@ad-race/catalog';

/**
 * A random stream of its own for one part of the simulation (one customer's
 * tastes, one customer's day), from the run's seed and a few keys (FNV-1a over
 * them). Separate streams keep a run stable where it should be: adding a
 * customer or a day changes nothing that was drawn for the others.
 */
export function streamOf(seed: number, ...keys: (string | number)[]): Random {
  let hash = 0x811c9dc5;
  for (const key of [seed, ...keys]) {
    for (const char of `${key}\u0000`) {
      hash ^= char.charCodeAt(0);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return new Random(hash);
}

/** A standard normal draw (Box–Muller). */
export function normal(random: Random): number {
  const u = 1 - random.next(); // in (0, 1]: log(u) is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** How many of a rare event happen, for a mean of `mean` (Knuth's method; fine for small means). */
export function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random.next(); product > limit; product *= random.next()) count++;
  return count;
}
