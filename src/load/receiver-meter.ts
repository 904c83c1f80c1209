/**
 * Receive-side lateness: frame n of a connection (counted from 1) carries the packets of tick n − 1, due
 * at t0 + (n − 1) × tick, because the generator sends exactly one frame per connection per tick, in order
 * and none skipped (ticker.ts). Lateness = arrival time (when the receiver's event loop hands it the
 * frame) − that due time, on the wall clock `performance.timeOrigin + performance.now()` both processes
 * read. Frames of the first `warmupTicks` ticks are kept apart: JIT compilation and first-packet work make
 * the first second of a cold process unrepresentative of a steady load (docs/live-load.md).
 *
 * Per second of the run (by the tick a frame carries) it also keeps p50 / p99 / max and the process's CPU:
 * cores busy from the first frame of that second to the first frame of the next (for the last second, to
 * its last frame).
 */
import { createLatenessRecorder, type LatenessSummary } from './lateness.ts';
import { createSecondLateness, type SecondLateness } from './per-second.ts';

/** One second of the run at the receiver. */
export interface ReceiverSecond extends SecondLateness {
  /** Cores busy in the receiver's process in that second; undefined when it shares the generator's. */
  readonly cpuCores: number | undefined;
}

export interface ReceiverMeter {
  /** Tick 0 is due at `t0Ms`; frames before this call are not timed. */
  start(t0Ms: number, tickMs: number, warmupTicks: number): void;
  /** Hook for SinkServerOptions.onMediaFrame (or a bare receiver's message handler). */
  onFrame(connection: number, frame: number): void;
  /** Frames of ticks from `warmupTicks` on. */
  lateness(): LatenessSummary;
  /** Frames of the warm-up ticks. */
  warmupLateness(): LatenessSummary;
  /** One row per second of the run that had frames, warm-up included. */
  seconds(): ReceiverSecond[];
}

/** CPU time (user + system) this process has used, ms. */
const processCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export function createReceiverMeter(nowMs: () => number, cpuMs: () => number = processCpuMs): ReceiverMeter {
  const steady = createLatenessRecorder();
  const warmup = createLatenessRecorder();
  const bySecond = createSecondLateness();
  const cpuBySecond = new Map<number, number>();
  let t0Ms: number | undefined;
  let tickMs = 20;
  let warmupTicks = 0;
  let ticksPerSecond = 50;
  // The CPU reading at the first frame of the current second, and at the latest frame.
  let second = -1;
  let secondStart = { atMs: 0, cpuMs: 0 };
  let latest = { atMs: 0, cpuMs: 0 };
  const coresSince = (from: { atMs: number; cpuMs: number }, to: { atMs: number; cpuMs: number }) =>
    to.atMs > from.atMs ? (to.cpuMs - from.cpuMs) / (to.atMs - from.atMs) : 0;
  return {
    start(t0, tick, warmupTickCount) {
      t0Ms = t0;
      tickMs = tick;
      warmupTicks = warmupTickCount;
      ticksPerSecond = Math.max(1, Math.round(1000 / tick));
    },
    onFrame(_connection, frame) {
      if (t0Ms === undefined) return;
      const now = nowMs();
      const tick = frame - 1;
      const late = now - (t0Ms + tick * tickMs);
      (tick < warmupTicks ? warmup : steady).record(late);
      const s = Math.floor(tick / ticksPerSecond);
      bySecond.record(s, late);
      latest = { atMs: now, cpuMs: cpuMs() };
      if (s > second) {
        if (second >= 0) cpuBySecond.set(second, coresSince(secondStart, latest));
        second = s;
        secondStart = latest;
      }
    },
    lateness: () => steady.summary(),
    warmupLateness: () => warmup.summary(),
    seconds: () =>
      bySecond.rows().map((row) => ({
        ...row,
        cpuCores:
          cpuBySecond.get(row.second) ??
          (row.second === second ? coresSince(secondStart, latest) : undefined),
      })),
  };
}
