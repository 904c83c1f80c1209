/**
 * One run over several generator threads: `--workers 2` runs exactly the calls `--workers 1` runs for the
 * same seed (the same recordings, each with the same packets stored) against one sink address, and the
 * merged report sums the counts and adds the send-lateness histograms; a worker told to be as slow as a
 * starved host is named as the bottleneck. Loopback, an in-process sink, a few calls for a second or two;
 * the assertions are counts, never timings (the starved worker blocks longer than a tick in every tick,
 * so it falls behind however fast the machine is).
 */
import { describe, expect, it } from 'vitest';
import { judgeGenerators } from '../../src/load/bottleneck.ts';
import { runLiveLoad } from '../../src/load/live-load.ts';
import { createEndpointSinkTarget } from '../../src/load/sink-endpoint.ts';
import { createSinkTarget } from '../../src/load/sink-load-target.ts';
import { runThreadedLoad } from '../../src/load/threaded-load.ts';

const RUN = { calls: 10, connections: 4, durationMs: 1000, warmupMs: 200, seed: 'workers', runId: 'w' };

describe('callrec load --workers', () => {
  it('2 worker threads run the same calls as 1 and the sink stores the same packets', async () => {
    const one = await runLiveLoad({
      ...RUN,
      target: createSinkTarget({ inProcess: true, maxLifetimeMs: 60_000 }),
    });
    const two = await runThreadedLoad({
      ...RUN,
      workers: 2,
      target: createEndpointSinkTarget({ inProcess: true, maxLifetimeMs: 60_000 }),
    });
    // The same recordings (ids carry the run id and the call's index), each with the same stored count.
    const sorted = (m: ReadonlyMap<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b));
    expect(two.storedPerCall.size).toBe(10);
    expect(sorted(two.storedPerCall)).toEqual(sorted(one.storedPerCall));
    expect(two.packetsSent).toBe(one.packetsSent);
    expect(two.packetsStored).toBe(one.packetsStored);
    expect(two.packetsLost).toBe(0);
    expect(two.callsWithWrongCount).toBe(0);
    expect(two.framesSent).toBe(4 * 50);
    expect(two.receiver.framesReceived).toBe(4 * 50);
    // Two generators, two connections and five calls each; their histograms merged hold every frame.
    expect(two.generators.map((g) => [g.name, g.connections, g.calls])).toEqual([
      ['worker 1', 2, 5],
      ['worker 2', 2, 5],
    ]);
    expect(two.generatorLateness.count + two.generatorWarmupLateness.count).toBe(200);
    expect(two.generators.reduce((n, g) => n + g.sendLateness.count, 0)).toBe(two.generatorLateness.count);
    // The per-second series sums the workers' packets.
    expect(two.seconds.at(-1)?.packetsSent).toBe(two.packetsSent);
  });

  it('a worker blocked 40 ms in every 20 ms tick is named as the bottleneck', async () => {
    const result = await runThreadedLoad({
      ...RUN,
      workers: 2,
      slowHostMsPerTick: [40, 0],
      target: createEndpointSinkTarget({ inProcess: true, maxLifetimeMs: 60_000 }),
    });
    expect(result.packetsLost).toBe(0);
    const slow = result.generators[0];
    // 50 ticks of ≥ 40 ms: tick k leaves ≥ 20 ms × k behind.
    expect(slow?.sendLateness.maxMs).toBeGreaterThan(40 * 20);
    const verdict = judgeGenerators(result.generators, 50);
    expect(verdict.behind).toContain('worker 1');
    expect(verdict.generatorWasBottleneck).toBe(true);
  });
});
