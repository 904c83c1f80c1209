/**
 * The shared ticker and the per-tick batching on a virtual clock: one frame per connection per tick with
 * every call's two packets, ticks run at their due times, a late wake-up runs every missed tick in order
 * (none skipped, each with its own due time), and the run ends after the last tick or on stop().
 */
import { describe, expect, it } from 'vitest';
import { createConnectionFrames } from '../../src/load/frame-builder.ts';
import { planCalls } from '../../src/load/load-calls.ts';
import { createPayloadBank } from '../../src/load/payload-bank.ts';
import { startTicker, type TickerClock } from '../../src/load/ticker.ts';
import { decodeMediaFrame } from '../../src/protocol/media-frame.ts';
import { parseRtpHeader } from '../../src/protocol/rtp-header.ts';
import { createRng } from '../../src/time/rng.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';

/** A virtual clock whose reading can run ahead of its timers, to stand for a busy event loop. */
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
    work(ms: number) {
      busyMs += ms;
    },
  };
}

describe('startTicker', () => {
  it('runs each tick once, in order, at its due time, then ends', () => {
    const clock = createVirtualClock();
    const runs: [number, number, number][] = [];
    let done = false;
    const ticker = startTicker({
      clock,
      startMs: 100,
      intervalMs: 20,
      ticks: 5,
      onTick: (tick, dueMs) => runs.push([tick, dueMs, clock.nowMs()]),
      onDone: () => {
        done = true;
      },
    });
    clock.advanceTo(99);
    expect(runs).toEqual([]);
    clock.advanceTo(1000);
    expect(runs).toEqual([
      [0, 100, 100],
      [1, 120, 120],
      [2, 140, 140],
      [3, 160, 160],
      [4, 180, 180],
    ]);
    expect(done).toBe(true);
    expect(ticker.maxCatchUp).toBe(1);
    expect(clock.pendingCount()).toBe(0);
  });

  it('after a late wake-up runs every tick that came due, none skipped', () => {
    const { clock, ticker: tickerClock, work } = busyClock();
    const runs: [number, number][] = [];
    const ticker = startTicker({
      clock: tickerClock,
      startMs: 0,
      intervalMs: 20,
      ticks: 10,
      onTick(tick, dueMs) {
        runs.push([tick, dueMs]);
        if (tick === 2) work(75); // tick 2 keeps the loop busy past ticks 3, 4 and 5
      },
    });
    clock.advanceTo(500);
    expect(runs.map(([t]) => t)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(runs.map(([, due]) => due)).toEqual(runs.map(([t]) => t * 20));
    expect(ticker.maxCatchUp).toBe(3); // ticks 3–5 in the wake-up after tick 2 overran
  });

  it('stop() ends the run at once, also from inside a tick', () => {
    const clock = createVirtualClock();
    const seen: number[] = [];
    let doneCalls = 0;
    const ticker = startTicker({
      clock,
      startMs: 0,
      intervalMs: 20,
      ticks: 100,
      onTick(tick) {
        seen.push(tick);
        if (tick === 3) ticker.stop();
      },
      onDone: () => {
        doneCalls += 1;
      },
    });
    clock.advanceTo(10_000);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(doneCalls).toBe(1);
    expect(clock.pendingCount()).toBe(0);
  });
});

describe('per-tick batching', () => {
  it('sends one frame per connection per tick holding both packets of every call on it', () => {
    const rng = createRng('batching');
    const bank = createPayloadBank(rng, 'mulaw', 20);
    const byConnection = planCalls({ calls: 5, connections: 2, rng, runId: 't', bankFrames: bank.frames });
    const builders = byConnection.map((calls) => createConnectionFrames(calls, bank, 'mulaw'));
    const clock = createVirtualClock();
    const sent: { connection: number; tick: number; frame: Uint8Array }[] = [];
    startTicker({
      clock,
      startMs: 0,
      intervalMs: 20,
      ticks: 30,
      onTick(tick) {
        builders.forEach((b, connection) => {
          sent.push({ connection, tick, frame: b.buildFrame(tick) });
        });
      },
    });
    clock.advanceTo(1000);
    expect(byConnection.map((c) => c.map((call) => call.index))).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
    expect(sent).toHaveLength(60);
    for (const { connection, tick, frame } of sent) {
      const decoded = decodeMediaFrame(frame);
      if (!decoded.ok) throw new Error(decoded.fault.message);
      const calls = byConnection[connection] ?? [];
      expect(decoded.packets).toHaveLength(2 * calls.length);
      decoded.packets.forEach((packet, i) => {
        const call = calls[i >> 1];
        const identity = i % 2 === 0 ? call?.identities.user : call?.identities.remote;
        const header = parseRtpHeader(packet);
        expect(header).toMatchObject({
          ok: true,
          ssrc: identity?.ssrc,
          payloadType: 0,
          sequenceNumber: ((identity?.initialSequence ?? 0) + tick) & 0xffff,
          timestamp: ((identity?.initialTimestamp ?? 0) + tick * 160) >>> 0,
          marker: tick === 0,
          payloadLength: 160,
        });
      });
    }
  });
});
