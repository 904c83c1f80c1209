/**
 * Frame lateness percentiles through hdr-histogram-js (pure-JS build): values recorded in whole
 * microseconds with 3 significant digits, read back in milliseconds. A frame that arrives before its due
 * time (possible only through clock offset between processes) counts as 0 and is tallied as `early`.
 *
 * A recorder's `snapshot()` carries its histogram (hdr's compressed base64) with the exact count, sum,
 * maximum and early tally, so the lateness of several generators (worker threads, shard processes) merges
 * exactly: the histograms are added, not their percentiles averaged.
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
  /** Everything recorded so far, as plain JSON (for another thread or process to merge). */
  snapshot(): LatenessSnapshot;
  /** Adds what another recorder recorded (its snapshot) to this one. */
  merge(snapshot: LatenessSnapshot): void;
}

export interface LatenessSnapshot {
  /** hdr-histogram-js compressed base64 of the µs values; '' when nothing was recorded. */
  readonly histogram: string;
  readonly count: number;
  readonly sumMs: number;
  readonly maxMs: number;
  readonly early: number;
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

/** One recorder holding every snapshot given. */
export function mergeLateness(snapshots: readonly LatenessSnapshot[]): LatenessRecorder {
  const merged = createLatenessRecorder();
  for (const s of snapshots) merged.merge(s);
  return merged;
}

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
    snapshot() {
      return { histogram: count === 0 ? '' : hdr.encodeIntoCompressedBase64(h), count, sumMs, maxMs, early };
    },
    merge(other) {
      if (other.count === 0) return;
      h.add(hdr.decodeFromCompressedBase64(other.histogram, 32, false));
      count += other.count;
      sumMs += other.sumMs;
      early += other.early;
      if (other.maxMs > maxMs) maxMs = other.maxMs;
    },
  };
}
