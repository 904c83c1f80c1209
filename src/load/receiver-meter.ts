/**
 * Receive-side lateness: frame n of a connection (counted from 1) carries the packets of tick n − 1, due
 * at t0 + (n − 1) × tick, because the generator sends exactly one frame per connection per tick, in order
 * and none skipped (ticker.ts). Lateness = arrival time (when the receiver's event loop hands it the
 * frame) − that due time, on the wall clock `performance.timeOrigin + performance.now()` both processes
 * read. Frames of the first `warmupTicks` ticks are kept apart: JIT compilation and first-packet work make
 * the first second of a cold process unrepresentative of a steady load (docs/live-load.md).
 */
import { createLatenessRecorder, type LatenessSummary } from './lateness.ts';

export interface ReceiverMeter {
  /** Tick 0 is due at `t0Ms`; frames before this call are not timed. */
  start(t0Ms: number, tickMs: number, warmupTicks: number): void;
  /** Hook for SinkServerOptions.onMediaFrame (or a bare receiver's message handler). */
  onFrame(connection: number, frame: number): void;
  /** Frames of ticks from `warmupTicks` on. */
  lateness(): LatenessSummary;
  /** Frames of the warm-up ticks. */
  warmupLateness(): LatenessSummary;
}

export function createReceiverMeter(nowMs: () => number): ReceiverMeter {
  const steady = createLatenessRecorder();
  const warmup = createLatenessRecorder();
  let t0Ms: number | undefined;
  let tickMs = 20;
  let warmupTicks = 0;
  return {
    start(t0, tick, warmupTickCount) {
      t0Ms = t0;
      tickMs = tick;
      warmupTicks = warmupTickCount;
    },
    onFrame(_connection, frame) {
      if (t0Ms === undefined) return;
      const late = nowMs() - (t0Ms + (frame - 1) * tickMs);
      (frame - 1 < warmupTicks ? warmup : steady).record(late);
    },
    lateness: () => steady.summary(),
    warmupLateness: () => warmup.summary(),
  };
}
