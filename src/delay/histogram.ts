/**
 * Delay percentiles through hdr-histogram-js (pure-JS build, so it runs anywhere Node 20 does): values are
 * recorded in whole microseconds with 3 significant digits, read back in milliseconds.
 */
import * as hdr from 'hdr-histogram-js';

export interface DelayHistogram {
  record(ms: number): void;
  readonly count: number;
  /** Value at `percentile` (0–100), ms. */
  percentileMs(percentile: number): number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** (ms, fraction of calls at or below) pairs, `steps` + 1 of them, for CDF charts. */
  cdf(steps: number): { ms: number; fraction: number }[];
}

const US_PER_MS = 1000;

export function createDelayHistogram(): DelayHistogram {
  const h = hdr.build({ useWebAssembly: false, numberOfSignificantValueDigits: 3, autoResize: true });
  // hdr's own max is rounded to its bucket; keep the exact one.
  let maxMs = 0;
  let sumMs = 0;
  let count = 0;
  return {
    record(ms) {
      h.recordValue(Math.max(0, Math.round(ms * US_PER_MS)));
      if (ms > maxMs) maxMs = ms;
      sumMs += ms;
      count++;
    },
    get count() {
      return count;
    },
    percentileMs: (p) => (count === 0 ? Number.NaN : h.getValueAtPercentile(p) / US_PER_MS),
    get maxMs() {
      return count === 0 ? Number.NaN : maxMs;
    },
    get meanMs() {
      return count === 0 ? Number.NaN : sumMs / count;
    },
    cdf(steps) {
      if (count === 0) return [];
      const out: { ms: number; fraction: number }[] = [];
      for (let i = 0; i <= steps; i++) {
        const fraction = i / steps;
        const ms = i === steps ? maxMs : h.getValueAtPercentile(fraction * 100) / US_PER_MS;
        out.push({ ms, fraction });
      }
      return out;
    },
  };
}
