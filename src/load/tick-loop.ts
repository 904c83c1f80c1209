/**
 * The real-time part of one generator (the main thread, or one worker thread): the ticker sends each
 * tick's frame on every connection, times each send against its tick's due time (the warm-up ticks
 * apart), keeps the per-second series, and builds the next tick's frames right after, in the idle time
 * before they are due.
 *
 * `beforeTick` runs at the start of every tick, before its sends: a test or bench hook that makes the
 * generator as slow as a starved host would be (see `slowHostHook`).
 */
import type { ConnectionFrames } from './frame-builder.ts';
import { createLatenessRecorder, type LatenessRecorder } from './lateness.ts';
import type { SeriesRecorder } from './load-series.ts';
import type { LoadLink } from './load-target.ts';
import { startTicker, type TickerClock } from './ticker.ts';

export interface TickLoopOptions {
  readonly clock: TickerClock;
  readonly t0Ms: number;
  readonly tickMs: number;
  readonly ticks: number;
  readonly warmupTicks: number;
  readonly builders: readonly ConnectionFrames[];
  readonly links: readonly LoadLink[];
  readonly series: SeriesRecorder;
  readonly beforeTick?: (tick: number) => void;
  /** After each tick's sends (progress is made here, not by a timer of its own). */
  readonly afterTick?: () => void;
}

export interface TickLoop {
  readonly framesSent: number;
  readonly packetsSent: number;
  /** Ticks run so far. */
  readonly ticksRun: number;
  /** Send time − due time after the warm-up, and during it. */
  readonly steady: LatenessRecorder;
  readonly warmup: LatenessRecorder;
  readonly maxBufferedBytes: number;
  /** Resolves after the last tick; then `maxCatchUpTicks` is final. */
  readonly done: Promise<void>;
  readonly maxCatchUpTicks: number;
}

export function startTickLoop(options: TickLoopOptions): TickLoop {
  const { clock, t0Ms, tickMs, ticks, warmupTicks, builders, links, series } = options;
  const steady = createLatenessRecorder();
  const warmup = createLatenessRecorder();
  let framesSent = 0;
  let packetsSent = 0;
  let maxBufferedBytes = 0;
  let maxCatchUpTicks = 0;
  let ticksRun = 0;
  const buildTick = (tick: number): Uint8Array[] => builders.map((b) => b.buildFrame(tick));
  let ready = { tick: 0, frames: buildTick(0) };
  const done = new Promise<void>((resolve) => {
    const ticker = startTicker({
      clock,
      startMs: t0Ms,
      intervalMs: tickMs,
      ticks,
      onTick(tick, dueMs) {
        options.beforeTick?.(tick);
        series.beforeTick(tick, packetsSent);
        const frames = ready.tick === tick ? ready.frames : buildTick(tick);
        const recorder = tick < warmupTicks ? warmup : steady;
        for (let i = 0; i < links.length; i++) {
          const frame = frames[i];
          const link = links[i];
          if (frame === undefined || link === undefined || frame.length === 0) continue;
          link.sendFrame(frame);
          const lateMs = clock.nowMs() - dueMs;
          recorder.record(lateMs);
          series.recordLateness(tick, lateMs);
          framesSent += 1;
          packetsSent += (builders[i] as ConnectionFrames).packetsAt(tick);
          maxBufferedBytes = Math.max(maxBufferedBytes, link.bufferedBytes);
        }
        // The next tick's frames are built now, in the idle time before it is due, so the work at the
        // due time is only the sends.
        if (tick + 1 < ticks) ready = { tick: tick + 1, frames: buildTick(tick + 1) };
        ticksRun = tick + 1;
        // From the tick loop, not a timer of its own: a generator that falls behind runs ticks back to
        // back without yielding, and a timer would not fire until it caught up.
        options.afterTick?.();
      },
      onDone: () => {
        series.end(ticksRun, packetsSent);
        maxCatchUpTicks = ticker.maxCatchUp;
        resolve();
      },
    });
  });
  return {
    get framesSent() {
      return framesSent;
    },
    get packetsSent() {
      return packetsSent;
    },
    get ticksRun() {
      return ticksRun;
    },
    steady,
    warmup,
    get maxBufferedBytes() {
      return maxBufferedBytes;
    },
    done,
    get maxCatchUpTicks() {
      return maxCatchUpTicks;
    },
  };
}

/**
 * A hook for `beforeTick` that blocks the thread for `msPerTick` of every tick, as a host with too little
 * CPU would: past 20 ms per tick the generator cannot keep up, however fast the machine really is.
 * (Atomics.wait sleeps at least that long, without spinning.)
 */
export function slowHostHook(msPerTick: number): () => void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  return () => {
    Atomics.wait(cell, 0, 0, msPerTick);
  };
}
