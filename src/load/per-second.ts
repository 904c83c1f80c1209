/**
 * Lateness by second of a run: the frames of ticks in second s (ticks s × ticksPerSecond … (s + 1) ×
 * ticksPerSecond − 1) are summarised as exact p50 / p99 / max (nearest rank). Frames of different
 * connections reach a second's end in any order, so a second is summarised (and its values let go) only
 * once a frame two seconds later has been recorded (a frame of a summarised second still counts in its
 * frames and maximum); `rows()` summarises the open ones as they stand.
 */

export interface SecondLateness {
  /** 0-based second of the run (ticks from second × ticksPerSecond). */
  readonly second: number;
  readonly frames: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface SecondLatenessRecorder {
  record(second: number, latenessMs: number): void;
  /** One row per second that has frames, in order of second. */
  rows(): SecondLateness[];
}

function summarise(second: number, values: number[]): SecondLateness {
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { second, frames: sorted.length, p50Ms: rank(50), p99Ms: rank(99), maxMs: rank(100) };
}

export function createSecondLateness(): SecondLatenessRecorder {
  const open = new Map<number, number[]>();
  const closed = new Map<number, SecondLateness>();
  let latest = -1;
  return {
    record(second, latenessMs) {
      const ms = Math.max(0, latenessMs);
      const done = closed.get(second);
      if (done !== undefined) {
        // A frame more than a second behind its neighbours: counted, and in the maximum; the percentiles
        // of its second stay as summarised.
        closed.set(second, { ...done, frames: done.frames + 1, maxMs: Math.max(done.maxMs, ms) });
        return;
      }
      let values = open.get(second);
      if (values === undefined) {
        values = [];
        open.set(second, values);
      }
      values.push(ms);
      if (second > latest) {
        latest = second;
        for (const [s, v] of open) {
          if (s < latest - 1) {
            closed.set(s, summarise(s, v));
            open.delete(s);
          }
        }
      }
    },
    rows() {
      const rows = new Map(closed);
      for (const [s, v] of open) rows.set(s, summarise(s, v));
      return [...rows.values()].sort((a, b) => a.second - b.second);
    },
  };
}
