/**
 * A small live run over loopback against an in-process sink: every packet sent is stored, none lost, and
 * each recording has exactly its two streams' packets. Counts only, never timing (real time varies).
 */
import { describe, expect, it } from 'vitest';
import { runLiveLoad } from '../../src/load/live-load.ts';
import { formatLoadTable, loadResultJson } from '../../src/load/load-report.ts';
import { createSinkTarget } from '../../src/load/sink-load-target.ts';

describe('runLiveLoad', () => {
  it('20 calls × 2 s over 4 connections: everything sent is stored, per recording', async () => {
    const result = await runLiveLoad({
      calls: 20,
      connections: 4,
      durationMs: 2000,
      warmupMs: 500,
      target: createSinkTarget({ inProcess: true, maxLifetimeMs: 60_000 }),
    });
    expect(result.ticks).toBe(100);
    expect(result.framesSent).toBe(4 * 100);
    expect(result.receiver.framesReceived).toBe(4 * 100);
    expect(result.packetsSent).toBeLessThan(20 * 2 * 100);
    expect(result.packetsStored).toBe(result.packetsSent);
    expect(result.packetsLost).toBe(0);
    expect(result.receiver.packetsDropped).toBe(0);
    // Calls start spread over the 500 ms warm-up (25 ticks); the first four (one per connection) at tick 0.
    expect(result.storedPerCall.size).toBe(20);
    expect(result.callsWithWrongCount).toBe(0);
    const perCall = [...result.storedPerCall.values()];
    expect(Math.max(...perCall)).toBe(200);
    expect(Math.min(...perCall)).toBeGreaterThanOrEqual(2 * (100 - 24));
    expect(perCall.reduce((a, b) => a + b, 0)).toBe(result.packetsSent);
    expect(result.generatorLateness.count + result.generatorWarmupLateness.count).toBe(400);
    expect(result.receiver.lateness.count + result.receiver.warmupLateness.count).toBe(400);
    expect(formatLoadTable(result)).toContain('lost packets: 0');
    expect(loadResultJson(result).storedPerCall).toMatchObject({ calls: 20, max: 200 });
  });

  it('refuses a run it cannot bound, before starting anything', async () => {
    const target = createSinkTarget({ inProcess: true, maxLifetimeMs: 1000 });
    await expect(runLiveLoad({ calls: 0, connections: 1, durationMs: 1000, target })).rejects.toMatchObject({
      code: 'SIM_ERR_INVALID_ARGUMENT',
    });
    await expect(
      runLiveLoad({ calls: 5, connections: 1, durationMs: 3_600_000, target }),
    ).rejects.toMatchObject({ code: 'SIM_ERR_INVALID_ARGUMENT' });
  });
});
