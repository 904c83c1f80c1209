/**
 * The report says who the bottleneck was: a generator whose ticks cost more than their 20 ms (a starved
 * host, simulated by a delay hook run at every tick) is named as the bottleneck and the run is not a
 * pass, whatever the sink's figures; a generator that keeps its schedule is not. Run on a virtual clock
 * whose reading runs ahead of its timers by the work done, against an in-memory target, so the outcome
 * depends on the simulated work only, never on this machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { formatGenerators, judgeGenerators } from '../../src/load/bottleneck.ts';
import { EMPTY_LATENESS } from '../../src/load/lateness.ts';
import { runLiveLoad } from '../../src/load/live-load.ts';
import type { LoadCall } from '../../src/load/load-calls.ts';
import type { LoadLink, LoadTarget, ReceiverStats } from '../../src/load/load-target.ts';
import type { TickerClock } from '../../src/load/ticker.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';

/** Virtual time, plus `work(ms)`: the reading moves ahead of the timers, as on a busy event loop. */
function busyClock() {
  const clock = createVirtualClock();
  let busyMs = 0;
  const ticker: TickerClock = {
    nowMs: () => clock.nowMs() + busyMs,
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (id) => clock.clearTimeout(id),
  };
  const work = (ms: number) => {
    busyMs += ms;
  };
  return { clock, ticker, work, busyMs: () => busyMs };
}

/** A sink that stores every frame at once and says its receive lateness was 1 ms: it kept up. */
function keptUpTarget() {
  let started = false;
  const quickSink = { ...EMPTY_LATENESS, count: 1, p50Ms: 1, p95Ms: 1, p99Ms: 1, maxMs: 1, meanMs: 1 };
  const target: LoadTarget = {
    label: 'memory',
    inProcess: true,
    async prepare() {},
    async connect(_index, calls: readonly LoadCall[]): Promise<LoadLink> {
      let frames = 0;
      return {
        sendFrame() {
          frames += 1;
        },
        bufferedBytes: 0,
        reconnects: 0,
        get durableFrames() {
          return frames;
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
        framesReceived: Number.MAX_SAFE_INTEGER,
        packetsStored: 0,
        packetsDropped: 0,
        lateness: quickSink,
        warmupLateness: EMPTY_LATENESS,
        resources: undefined,
      };
    },
    async close() {},
  };
  return { target, started: () => started };
}

async function runWithWorkPerTick(msPerTick: number) {
  const { clock, ticker, work, busyMs } = busyClock();
  const { target, started } = keptUpTarget();
  const run = runLiveLoad({
    calls: 4,
    connections: 2,
    durationMs: 2000,
    warmupMs: 200,
    target,
    clock: ticker,
    cpuMs: busyMs,
    // The injected delay: every tick costs this much of the generator's time before it sends.
    beforeTick: () => work(msPerTick),
  });
  while (!started() || clock.pendingCount() === 0) await new Promise((resolve) => setImmediate(resolve));
  clock.advanceTo(clock.nowMs() + 10_000);
  return run;
}

describe('who the bottleneck was', () => {
  it('a generator that needs 45 ms per 20 ms tick is named, and the run is not a pass', async () => {
    const result = await runWithWorkPerTick(45);
    // Everything was stored and the sink kept up: by the sink's figures alone the run would pass.
    expect(result.packetsLost).toBe(0);
    expect(result.receiver.lateness.p99Ms).toBe(1);
    const [generator] = result.generators;
    // Tick k leaves ≈ 25 ms × k late: after the warm-up's 10 ticks, p50 is already past 1 s.
    expect(generator?.sendLateness.p50Ms).toBeGreaterThan(1000);
    expect(generator?.sendLateness.maxMs).toBeGreaterThan(2000);
    const verdict = judgeGenerators(result.generators, 50);
    expect(verdict).toEqual({ maxSendLagMs: 50, behind: ['main thread'], generatorWasBottleneck: true });
    const text = formatGenerators(result.generators, verdict);
    expect(text).toContain('✗ main thread: 4 calls on 2 connections');
    expect(text).toContain('bottleneck: the GENERATOR (main thread) fell behind');
    expect(text).toContain('NOT a pass');
  });

  it('a generator that needs 2 ms per tick keeps its schedule: the figures are the sink’s', async () => {
    const result = await runWithWorkPerTick(2);
    const [generator] = result.generators;
    expect(generator?.sendLateness.maxMs).toBeLessThanOrEqual(2);
    expect(generator?.maxCatchUpTicks).toBe(1);
    const verdict = judgeGenerators(result.generators, 50);
    expect(verdict.generatorWasBottleneck).toBe(false);
    expect(formatGenerators(result.generators, verdict)).toContain('generators kept their schedule');
  });
});
