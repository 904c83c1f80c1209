/**
 * One run over several generator processes: shards 1/2 and 2/2 together run exactly the calls of the
 * unsharded run (same recording ids, same packets stored per call, same totals), and `mergeParts` joins
 * their parts into one report — refusing parts of another run, a shard given twice and a missing shard
 * (unless allowed, and then the report is not a pass). Loopback, an in-process sink per shard, 1 s runs;
 * counts only, never timings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createLatenessRecorder, mergeLateness } from '../../src/load/lateness.ts';
import { type LiveLoadResult, runLiveLoad } from '../../src/load/live-load.ts';
import { connectionsByWorker, parseShard } from '../../src/load/load-partition.ts';
import { type LoadPart, type LoadRunKey, mergeParts, parsePart, partOf } from '../../src/load/load-parts.ts';
import { formatMerged, mergedPass } from '../../src/load/merge-report.ts';
import { createSinkTarget } from '../../src/load/sink-load-target.ts';
import { checkThresholds, parseThreshold } from '../../src/load/thresholds.ts';

const RUN = { calls: 9, connections: 4, durationMs: 1000, warmupMs: 200, seed: 'shards', runId: 'sh' };
const KEY: LoadRunKey = {
  seed: RUN.seed,
  calls: RUN.calls,
  connections: RUN.connections,
  durationMs: RUN.durationMs,
  warmupMs: RUN.warmupMs,
  runId: RUN.runId,
  shards: 2,
  thresholds: ['loss==0'],
  maxSendLagMs: 50,
};
const sinkTarget = () => createSinkTarget({ inProcess: true, maxLifetimeMs: 60_000 });
const sorted = (m: ReadonlyMap<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b));

let whole: LiveLoadResult;
let parts: LoadPart[];

beforeAll(async () => {
  whole = await runLiveLoad({ ...RUN, target: sinkTarget() });
  const shards: LiveLoadResult[] = [];
  for (const index of [1, 2]) {
    shards.push(await runLiveLoad({ ...RUN, shard: { index, count: 2 }, target: sinkTarget() }));
  }
  // Through JSON, as the files `--out` writes.
  parts = shards.map((r, i) => parsePart(`part${i + 1}.json`, JSON.stringify(partOf(r, KEY))));
}, 60_000);

describe('callrec load --shard i/n and merge', () => {
  it('shards 1/2 + 2/2 merged are the unsharded run: same calls, same packets stored', () => {
    const merged = mergeParts(parts, ['part1.json', 'part2.json']);
    expect(parts.map((p) => p.calls)).toEqual([5, 4]); // connections 0, 2 and 1, 3
    expect(merged.complete).toBe(true);
    expect(merged.calls).toBe(9);
    expect(sorted(merged.storedPerCall)).toEqual(sorted(whole.storedPerCall));
    expect(merged.packetsSent).toBe(whole.packetsSent);
    expect(merged.packetsStored).toBe(whole.packetsStored);
    expect(merged.framesSent).toBe(whole.framesSent);
    expect(merged.packetsLost).toBe(0);
    expect(merged.callsWithWrongCount).toBe(0);
    expect(merged.generators.map((g) => g.name)).toEqual(['shard 1/2 main thread', 'shard 2/2 main thread']);
    expect(merged.generatorLateness.count + merged.generatorWarmupLateness.count).toBe(whole.framesSent);
    const outcomes = checkThresholds(merged, KEY.thresholds.map(parseThreshold));
    expect(outcomes.every((o) => o.met)).toBe(true);
    // No generator fell behind in a 9-call run unless the machine stalled; the verdict decides the pass.
    expect(mergedPass(merged, outcomes)).toBe(!merged.verdict.generatorWasBottleneck);
  });

  it('refuses parts of another run, a shard given twice and a missing shard', () => {
    const [one, two] = parts as [LoadPart, LoadPart];
    const otherSeed = { ...two, run: { ...two.run, seed: 'other' } };
    expect(() => mergeParts([one, otherSeed], ['a.json', 'b.json'])).toThrow(
      /b\.json is from another run than a\.json: its seed is "other", not "shards"/,
    );
    const otherCalls = { ...two, run: { ...two.run, calls: 10 } };
    expect(() => mergeParts([one, otherCalls], ['a.json', 'b.json'])).toThrow(/its calls is 10, not 9/);
    expect(() => mergeParts([one, one, two], ['a.json', 'a2.json', 'b.json'])).toThrow(
      /Shard 1\/2 is given twice \(a\.json and a2\.json\)/,
    );
    expect(() => mergeParts([two], ['b.json'])).toThrow(/Shard\(s\) 1\/2 of run sh are missing/);
    expect(() => parsePart('x.json', '{"format":"something else"}')).toThrow(/not a part of a sharded load/);
    expect(() => parsePart('x.json', 'not json')).toThrow(/x\.json is not JSON/);
    // Damaged parts are refused before merging reads them (no crash, no stack trace).
    const noReceiver = JSON.stringify({ ...one, receiver: null });
    expect(() => parsePart('x.json', noReceiver)).toThrow(/x\.json is a damaged part: receiver/);
    const badCount = JSON.stringify({ ...one, storedPerCall: [['load-sh-0', -3]] });
    expect(() => parsePart('x.json', badCount)).toThrow(/x\.json is a damaged part: storedPerCall\.0\.1/);
    const badHistogram = { ...one.generatorLateness, histogram: 'AAAA', count: 3 };
    const damaged = JSON.stringify({ ...one, generatorLateness: badHistogram });
    expect(() => parsePart('x.json', damaged)).toThrow(/a lateness histogram does not decode/);
  });

  it('with allowPartial, a missing shard is named and the report is not a pass', () => {
    const [, two] = parts as [LoadPart, LoadPart];
    const merged = mergeParts([two], ['b.json'], { allowPartial: true });
    expect(merged.complete).toBe(false);
    expect(merged.missingShards).toEqual([1]);
    const outcomes = checkThresholds(merged, KEY.thresholds.map(parseThreshold));
    expect(outcomes.every((o) => o.met)).toBe(true); // what is there lost nothing…
    expect(mergedPass(merged, outcomes)).toBe(false); // …but half the run is not a pass
    const text = formatMerged(merged, outcomes);
    expect(text).toContain('PARTIAL: shard(s) 1/2 missing; the figures below cover 4 of 9 calls');
    expect(text).toContain('result: NOT a pass (shards missing');
    expect(text).not.toContain('result: pass');
  });
});

describe('sharing out a run', () => {
  it('every connection goes to exactly one shard and worker', () => {
    for (const connections of [1, 4, 7, 20, 33]) {
      for (const count of [1, 2, 3]) {
        for (const workers of [1, 2, 4]) {
          if (connections < count * workers) continue;
          const owners = new Map<number, string>();
          for (let index = 1; index <= count; index++) {
            const byWorker = connectionsByWorker(connections, { index, count }, workers);
            expect(byWorker.every((c) => c.length > 0)).toBe(true);
            byWorker.forEach((cs, w) => {
              for (const c of cs) {
                expect(owners.has(c)).toBe(false);
                owners.set(c, `${index}/${w}`);
              }
            });
          }
          expect(owners.size).toBe(connections);
        }
      }
    }
  });

  it('reads --shard i/n and refuses anything else', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/2', '3/2', '1/0', 'x', '1/', '/2', '1.5/2', '-1/2']) {
      expect(() => parseShard(bad)).toThrow(/is not a shard: write i\/n/);
    }
  });

  it('merged lateness histograms give the percentiles of all the values, not averaged ones', () => {
    const a = createLatenessRecorder();
    const b = createLatenessRecorder();
    const all = createLatenessRecorder();
    // Two very different generators: averaging their p99s would say ≈ 250 ms.
    for (let i = 0; i < 990; i++) for (const r of [a, all]) r.record(1 + (i % 10) / 10);
    for (let i = 0; i < 10; i++) for (const r of [b, all]) r.record(500 + i);
    const merged = mergeLateness([a.snapshot(), b.snapshot()]).summary();
    const expected = all.summary();
    expect(merged.count).toBe(1000);
    expect(merged.p50Ms).toBe(expected.p50Ms);
    expect(merged.p99Ms).toBe(expected.p99Ms);
    expect(merged.maxMs).toBe(expected.maxMs);
    expect(merged.p99Ms).toBeLessThan(2);
  });
});
