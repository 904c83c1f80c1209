/**
 * How sure a percentile is. A Monte Carlo run (or a measurement) is a sample: its p50 and p95 are
 * estimates. Two intervals, both at 95 %:
 * - `orderStatisticInterval`: distribution-free, from the binomial count of values below the true
 *   percentile (the ranks n·p ∓ 1.96·√(n·p·(1−p))); cheap, so it fits histograms of millions of calls.
 * - `bootstrapPercentile`: the percentile of resamples drawn with replacement from the values (seeded),
 *   for small measured samples.
 */
import type { Rng } from '../time/index.ts';

export const Z_95 = 1.959964;

export interface Interval {
  readonly estimateMs: number;
  readonly lowMs: number;
  readonly highMs: number;
}

/** Nearest-rank percentile of sorted values (NaN when empty). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sorted[rank - 1] as number;
}

/** The percentiles (0–100) whose values bound the p-th percentile of n values at 95 %. */
export function orderStatisticInterval(n: number, p: number): { lowP: number; highP: number } {
  if (n <= 0) return { lowP: Number.NaN, highP: Number.NaN };
  const q = p / 100;
  const half = Z_95 * Math.sqrt(n * q * (1 - q));
  return {
    lowP: Math.max(0, (100 * (n * q - half)) / n),
    highP: Math.min(100, (100 * (n * q + half + 1)) / n),
  };
}

/** The p-th percentile of `values` with its 95 % percentile-bootstrap interval (`resamples` draws). */
export function bootstrapPercentile(
  values: readonly number[],
  p: number,
  rng: Rng,
  resamples = 2000,
): Interval {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const estimateMs = percentileOfSorted(sorted, p);
  if (n < 2) return { estimateMs, lowMs: Number.NaN, highMs: Number.NaN };
  const stats = new Float64Array(resamples);
  const draw = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) draw[i] = sorted[Math.floor(rng.nextFloat() * n)] as number;
    draw.sort();
    stats[r] = percentileOfSorted(draw, p);
  }
  stats.sort();
  return {
    estimateMs,
    lowMs: percentileOfSorted(stats, 2.5),
    highMs: percentileOfSorted(stats, 97.5),
  };
}
