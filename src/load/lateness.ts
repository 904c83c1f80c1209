/**
 * Frame lateness percentiles through hdr-histogram-js (pure-JS build): values recorded in whole
 * microseconds with 3 significant digits, read back in milliseconds. A frame that arrives before its due
 * time (possible only through clock offset between processes) counts as 0 and is tallied as `early`.
 */
import * as hdr from 'hdr-histogram-js';

export interface LatenessSummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** Frames recorded before their due time (clock offset), counted as 0 ms late. */
  readonly early: number;
}

export interface LatenessRecorder {
  record(latenessMs: number): void;
  summary(): LatenessSummary;
}

const US_PER_MS = 1000;

export const EMPTY_LATENESS: LatenessSummary = {
  count: 0,
  p50Ms: 0,
  p95Ms: 0,
  p99Ms: 0,
  maxMs: 0,
  meanMs: 0,
  early: 0,
};

export function createLatenessRecorder(): LatenessRecorder {
  const h = hdr.build({ useWebAssembly: false, numberOfSignificantValueDigits: 3, autoResize: true });
  // hdr's own max is rounded to its bucket; keep the exact one.
  let maxMs = 0;
  let sumMs = 0;
  let count = 0;
  let early = 0;
  return {
    record(latenessMs) {
      const ms = Math.max(0, latenessMs);
      if (latenessMs < 0) early += 1;
      h.recordValue(Math.round(ms * US_PER_MS));
      if (ms > maxMs) maxMs = ms;
      sumMs += ms;
      count += 1;
    },
    summary() {
      if (count === 0) return EMPTY_LATENESS;
      const at = (p: number) => h.getValueAtPercentile(p) / US_PER_MS;
      return { count, p50Ms: at(50), p95Ms: at(95), p99Ms: at(99), maxMs, meanMs: sumMs / count, early };
    },
  };
}
