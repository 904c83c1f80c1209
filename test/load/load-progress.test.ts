/**
 * Progress keeps coming when the generator falls behind: a tick loop that never yields (every tick costs
 * more than its 20 ms) still reports once per second of the clock, and says how far behind it is. Run on
 * a virtual clock whose reading runs ahead of its timers (a busy event loop) against an in-memory target:
 * the assertions count progress callbacks per simulated second, never wall-clock speed.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_LATENESS } from '../../src/load/lateness.ts';
import { type LoadProgress, runLiveLoad } from '../../src/load/live-load.ts';
import type { LoadCall } from '../../src/load/load-calls.ts';
import { formatProgress } from '../../src/load/load-report.ts';
import type { LoadLink, LoadTarget, ReceiverStats } from '../../src/load/load-target.ts';
import type { TickerClock } from '../../src/load/ticker.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';

/** A virtual clock whose reading runs ahead of its timers by the work done, as a busy event loop's does. */
function busyClock() {
  const clock = createVirtualClock();
  let busyMs = 0;
  const ticker: TickerClock = {
    nowMs: () => clock.nowMs() + busyMs,
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (id) => clock.clearTimeout(id),
  };
  return {
    clock,
    ticker,
    work: (ms: number) => {
      busyMs += ms;
    },
    busyMs: () => busyMs,
  };
}

/** Receives in memory; the sink "checkpoints" every frame but the last `lagFrames` of each link. */
function memoryTarget(onSend: () => void, lagFrames: number) {
  let framesSent = 0;
  let started = false;
  const target: LoadTarget = {
    label: 'memory',
    inProcess: true,
    async prepare() {},
    async connect(_index, calls: readonly LoadCall[]): Promise<LoadLink> {
      let frames = 0;
      return {
        sendFrame() {
          frames += 1;
          framesSent += 1;
          onSend();
        },
        bufferedBytes: 0,
        reconnects: 0,
        get durableFrames() {
          return Math.max(0, frames - lagFrames);
        },
        async finish() {
          return new Map(calls.map((c) => [c.recordingId, 2 * (frames - c.startTick)]));
        },
        async close() {},
      };
    },
    async start() {
      started = true;
    },
    async stats(): Promise<ReceiverStats> {
      return {
        framesReceived: framesSent,
        packetsStored: 0,
        packetsDropped: 0,
        lateness: EMPTY_LATENESS,
        warmupLateness: EMPTY_LATENESS,
        resources: undefined,
      };
    },
    async close() {},
  };
  return { target, started: () => started };
}

async function untilStarted(started: () => boolean, pending: () => number): Promise<void> {
  while (!started() || pending() === 0) await new Promise((resolve) => setImmediate(resolve));
}

describe('live load progress', () => {
  it('a generator 50 % behind (30 ms per 20 ms tick) still reports once per simulated second', async () => {
    const { clock, ticker, work, busyMs } = busyClock();
    const { target, started } = memoryTarget(() => work(30), 10);
    const progress: LoadProgress[] = [];
    const run = runLiveLoad({
      calls: 4,
      connections: 1,
      durationMs: 5000,
      warmupMs: 0,
      target,
      clock: ticker,
      cpuMs: busyMs,
      onProgress: (p) => progress.push(p),
    });
    await untilStarted(started, clock.pendingCount);
    // Every tick is already due when the one before it ends, so the whole run happens inside this one
    // synchronous call: no other timer (a progress interval, say) gets a chance to fire until it is over.
    clock.advanceTo(clock.nowMs() + 250);
    const result = await run;
    expect(result.ticks).toBe(250);
    expect(result.maxCatchUpTicks).toBeGreaterThan(1);
    // 250 ticks × 30 ms = 7.5 s of busy clock after tick 0 was due (200 ms after progress started).
    const simulatedMs = 200 + 250 * 30;
    expect(progress).toHaveLength(Math.floor(simulatedMs / 1000));
    for (const [i, p] of progress.entries()) {
      const gap = p.elapsedMs - (progress[i - 1]?.elapsedMs ?? 0);
      expect(gap).toBeGreaterThanOrEqual(1000);
      expect(gap).toBeLessThan(1000 + 30); // the line comes within one tick of the second
      expect(p.packetsStored).toBeLessThanOrEqual(p.packetsSent);
    }
    // The receiver never reported lateness here: the line says so rather than showing 0 ms.
    expect(progress.every((p) => p.receiverP99Ms === undefined)).toBe(true);
    expect(formatProgress(progress.at(-1) as LoadProgress)).toMatch(
      /ms sent \/ no report yet received .* generator behind by \d+ ticks$/,
    );
    // Behind by a third of the ticks due so far, and saying so, increasingly.
    const behind = progress.map((p) => p.ticksBehind);
    expect(behind.every((b, i) => i === 0 || b > (behind[i - 1] as number))).toBe(true);
    expect(behind.at(-1)).toBeGreaterThan(100);
    // The series is still one row per second of the run, each taken later than the one before.
    expect(result.seconds.map((r) => r.second)).toEqual([0, 1, 2, 3, 4]);
    const late = result.seconds.map((r) => r.takenLateMs);
    expect(late.every((ms, i) => ms > 0 && (i === 0 || ms > (late[i - 1] as number)))).toBe(true);
    for (const row of result.seconds) {
      // Checkpoints trail by 10 frames: 10 ticks × 4 calls × 2 streams.
      expect(row.packetsStored).toBe(row.packetsSent - 80);
      // Every busy ms is CPU here; the first row also covers the idle 200 ms before tick 0.
      if (row.second > 0) expect(row.generatorCpuCores).toBeCloseTo(1, 5);
      else expect(row.generatorCpuCores).toBeLessThan(0.9);
      expect(row.generatorP99Ms).toBeGreaterThan(0);
    }
  });

  it('a generator that keeps up reports once per second and is never behind', async () => {
    const { clock, ticker, work } = busyClock();
    const { target, started } = memoryTarget(() => work(1), 0);
    const progress: LoadProgress[] = [];
    const run = runLiveLoad({
      calls: 2,
      connections: 1,
      durationMs: 3000,
      warmupMs: 0,
      target,
      clock: ticker,
      onProgress: (p) => progress.push(p),
    });
    await untilStarted(started, clock.pendingCount);
    clock.advanceTo(clock.nowMs() + 10_000);
    const result = await run;
    // 200 ms before tick 0, 150 ticks (the last one's work ends ≈ 3.18 s after progress started).
    expect(progress).toHaveLength(3);
    expect(progress.map((p) => p.ticksBehind)).toEqual([0, 0, 0]);
    expect(result.seconds.map((r) => r.packetsStored)).toEqual(result.seconds.map((r) => r.packetsSent));
  });
});
