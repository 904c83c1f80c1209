/**
 * The per-second series of a live load tells the truth: one row per second of the run, cumulative counts
 * that never go down, and never more stored than sent on any row — checked on a real short run over
 * loopback (counts and order only, never timing), and on the pieces that build it.
 */
import { describe, expect, it } from 'vitest';
import { runLiveLoad } from '../../src/load/live-load.ts';
import { loadResultJson } from '../../src/load/load-report.ts';
import { packetsInFrames } from '../../src/load/load-series.ts';
import { createSecondLateness } from '../../src/load/per-second.ts';
import { createSinkTarget } from '../../src/load/sink-load-target.ts';

describe('per-second series', () => {
  it('a 6-call 2.5 s run: three rows, monotone, stored ≤ sent on each, totals match the run', async () => {
    const result = await runLiveLoad({
      calls: 6,
      connections: 2,
      durationMs: 2500,
      warmupMs: 500,
      target: createSinkTarget({ inProcess: true, maxLifetimeMs: 60_000 }),
    });
    const rows = result.seconds;
    expect(rows.map((r) => r.second)).toEqual([0, 1, 2]); // the last second is the partial 2.0–2.5 s
    for (const [i, row] of rows.entries()) {
      const prev = rows[i - 1];
      expect(row.packetsStored).not.toBeNull();
      expect(row.packetsStored as number).toBeLessThanOrEqual(row.packetsSent);
      expect(row.packetsSent).toBeGreaterThanOrEqual(prev?.packetsSent ?? 0);
      expect(row.packetsStored as number).toBeGreaterThanOrEqual(prev?.packetsStored ?? 0);
      expect(row.packetsSentInSecond).toBe(row.packetsSent - (prev?.packetsSent ?? 0));
      expect(row.generatorP50Ms).toBeLessThanOrEqual(row.generatorP99Ms);
      expect(row.generatorP99Ms).toBeLessThanOrEqual(row.generatorMaxMs);
      // 2 connections × 50 ticks, 25 in the last half second.
      expect(row.receiverFrames).toBe(i < 2 ? 100 : 50);
      expect(row.receiverP99Ms as number).toBeLessThanOrEqual(row.receiverMaxMs as number);
      expect(row.generatorCpuCores).toBeGreaterThanOrEqual(0);
      expect(row.receiverCpuCores).toBeNull(); // in-process: the generator's CPU covers both
    }
    // All 6 calls run from 0.5 s on: 12 streams × 50 packets in second 1, 12 × 25 in the last half.
    expect(rows[1]?.packetsSentInSecond).toBe(600);
    expect(rows[2]?.packetsSentInSecond).toBe(300);
    expect(rows[2]?.packetsSent).toBe(result.packetsSent);
    expect(result.packetsStored).toBe(result.packetsSent);
    expect(loadResultJson(result).seconds).toHaveLength(3);
  });

  it('packets of the first n frames of a connection count each call from its start tick', () => {
    const calls = [{ startTick: 0 }, { startTick: 3 }, { startTick: 10 }] as never;
    expect(packetsInFrames(calls, 0)).toBe(0);
    expect(packetsInFrames(calls, 5)).toBe(2 * 5 + 2 * 2);
    expect(packetsInFrames(calls, 12)).toBe(2 * 12 + 2 * 9 + 2 * 2);
  });

  it("lateness by second: exact percentiles of each second's frames, stragglers still counted", () => {
    const l = createSecondLateness();
    for (let i = 1; i <= 100; i++) l.record(0, i);
    l.record(1, 5);
    l.record(3, 7); // closes second 0 and 1
    l.record(0, 500); // a straggler of a closed second
    expect(l.rows()).toEqual([
      { second: 0, frames: 101, p50Ms: 50, p99Ms: 99, maxMs: 500 },
      { second: 1, frames: 1, p50Ms: 5, p99Ms: 5, maxMs: 5 },
      { second: 3, frames: 1, p50Ms: 7, p99Ms: 7, maxMs: 7 },
    ]);
  });
});
