/**
 * What a relay direction did: datagrams (or TCP chunks) in, dropped, delivered, and how late each delivery
 * was against the delay it was given (the emulator's own error: timer granularity and event-loop lag).
 */

export interface DirectionStats {
  readonly received: number;
  readonly dropped: number;
  readonly delivered: number;
  /** Mean requested delay of the delivered datagrams. */
  readonly meanRequestedMs: number;
  /** Mean of (delivered − requested) delay; never negative: the relay never delivers early. */
  readonly meanLateMs: number;
  readonly p99LateMs: number;
  readonly maxLateMs: number;
  /** Each delivery's lateness (at most `MAX_LATE_SAMPLES`, evenly thinned), for delay models fed by the run. */
  readonly lateSamplesMs: readonly number[];
}

export const MAX_LATE_SAMPLES = 5000;

/** Every k-th value so that at most `max` remain (deterministic, keeps the spread). */
function thin(values: readonly number[], max = MAX_LATE_SAMPLES): number[] {
  if (values.length <= max) return [...values];
  const step = values.length / max;
  return Array.from({ length: max }, (_, i) => values[Math.floor(i * step)] as number);
}

export interface StatsRecorder {
  received(): void;
  dropped(): void;
  delivered(requestedMs: number, actualMs: number): void;
  snapshot(): DirectionStats;
}

export function createStatsRecorder(): StatsRecorder {
  let received = 0;
  let dropped = 0;
  let requestedSum = 0;
  const late: number[] = [];
  return {
    received: () => {
      received++;
    },
    dropped: () => {
      dropped++;
    },
    delivered: (requestedMs, actualMs) => {
      requestedSum += requestedMs;
      late.push(Math.max(0, actualMs - requestedMs));
    },
    snapshot: () => summarise(received, dropped, requestedSum, late),
  };
}

function summarise(received: number, dropped: number, requestedSum: number, late: number[]): DirectionStats {
  const n = late.length;
  if (n === 0)
    return {
      received,
      dropped,
      delivered: 0,
      meanRequestedMs: Number.NaN,
      meanLateMs: Number.NaN,
      p99LateMs: Number.NaN,
      maxLateMs: Number.NaN,
      lateSamplesMs: [],
    };
  const sorted = Float64Array.from(late).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    received,
    dropped,
    delivered: n,
    meanRequestedMs: requestedSum / n,
    meanLateMs: sum / n,
    p99LateMs: sorted[Math.min(n - 1, Math.floor(0.99 * n))] as number,
    maxLateMs: sorted[n - 1] as number,
    lateSamplesMs: thin(late),
  };
}

/** Several directions' statistics as one (weighted by deliveries). */
export function mergeStats(all: readonly DirectionStats[]): DirectionStats {
  let received = 0;
  let dropped = 0;
  let delivered = 0;
  let requested = 0;
  let lateSum = 0;
  let p99 = 0;
  let max = 0;
  for (const s of all) {
    received += s.received;
    dropped += s.dropped;
    if (s.delivered === 0) continue;
    delivered += s.delivered;
    requested += s.meanRequestedMs * s.delivered;
    lateSum += s.meanLateMs * s.delivered;
    p99 = Math.max(p99, s.p99LateMs);
    max = Math.max(max, s.maxLateMs);
  }
  return {
    received,
    dropped,
    delivered,
    meanRequestedMs: delivered === 0 ? Number.NaN : requested / delivered,
    meanLateMs: delivered === 0 ? Number.NaN : lateSum / delivered,
    // The largest of the directions' p99s (a pessimistic stand-in for the merged p99).
    p99LateMs: delivered === 0 ? Number.NaN : p99,
    maxLateMs: delivered === 0 ? Number.NaN : max,
    lateSamplesMs: thin(all.flatMap((s) => s.lateSamplesMs)),
  };
}
