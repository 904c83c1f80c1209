/** How sure the model is: intervals on its percentiles, the "small" verdict, and the new sweeps. */
import { describe, expect, it } from 'vitest';
import {
  assessSmall,
  bootstrapPercentile,
  configSummary,
  createDelayModel,
  createDelayParams,
  DEFAULT_SMALL_THRESHOLD_MS,
  delayConfig,
  orderStatisticInterval,
  runMonteCarlo,
  runSweep,
  simulateCall,
} from '../../src/delay/index.ts';
import { createRng } from '../../src/time/index.ts';
import { exactParams, fixedWorld } from './helpers.ts';

describe('confidence intervals', () => {
  it('bootstrap: seeded, reproducible, and the interval holds the estimate', () => {
    const rng = createRng('values');
    const values = Array.from({ length: 200 }, () => 100 + 50 * rng.nextFloat());
    const a = bootstrapPercentile(values, 50, createRng('b'));
    const b = bootstrapPercentile(values, 50, createRng('b'));
    expect(a).toEqual(b);
    expect(a.lowMs).toBeLessThanOrEqual(a.estimateMs);
    expect(a.highMs).toBeGreaterThanOrEqual(a.estimateMs);
    // Uniform(100, 150): the median's 95 % interval is a few ms wide with 200 values, not the whole range.
    expect(a.highMs - a.lowMs).toBeGreaterThan(1);
    expect(a.highMs - a.lowMs).toBeLessThan(20);
  });

  it('order statistics: the bounds narrow as √n', () => {
    const wide = orderStatisticInterval(100, 50);
    const narrow = orderStatisticInterval(10_000, 50);
    const ratio = (wide.highP - wide.lowP) / (narrow.highP - narrow.lowP);
    expect(ratio).toBeGreaterThan(9);
    expect(ratio).toBeLessThan(11);
    expect(wide.lowP).toBeLessThan(50);
    expect(wide.highP).toBeGreaterThan(50);
  });

  it('every percentile of a run has a 95 % interval around it, narrower with more calls', () => {
    const params = createDelayParams();
    const small = configSummary(runMonteCarlo({ calls: 2000, seed: 'ci', params }), 'ice');
    const large = configSummary(runMonteCarlo({ calls: 50_000, seed: 'ci', params }), 'ice');
    for (const s of [small, large]) {
      expect(s.ci.p50.lowMs).toBeLessThanOrEqual(s.p50Ms);
      expect(s.ci.p50.highMs).toBeGreaterThanOrEqual(s.p50Ms);
      expect(s.ci.p99.lowMs).toBeLessThanOrEqual(s.p99Ms);
    }
    expect(large.ci.p95.highMs - large.ci.p95.lowMs).toBeLessThan(small.ci.p95.highMs - small.ci.p95.lowMs);
  });
});

describe('"small" verdict (threshold from ITU-T G.114, configurable)', () => {
  it('defaults to 150 ms and judges each configuration by its whole interval', () => {
    expect(DEFAULT_SMALL_THRESHOLD_MS).toBe(150);
    const r = runMonteCarlo({ calls: 20_000, seed: 'small', params: createDelayParams() });
    // At default conditions ICE adds ≈ 245 ms at the median: clearly beyond 150 ms.
    expect(r.small.added.ice.p50.verdict).toBe('not small');
    expect(r.small.added.ice.p50.lowMs).toBeGreaterThan(150);
    // A generous threshold turns the same run's verdict round.
    const lenient = assessSmall(r.configs, 2000);
    expect(lenient.added.ice.p50.verdict).toBe('small');
    // A threshold inside the interval leaves it undecided rather than guessing.
    const mid = r.small.added.recording.p50;
    expect(assessSmall(r.configs, (mid.lowMs + mid.highMs) / 2).added.recording.p50.verdict).toBe(
      'undecided',
    );
  });
});

describe('sweeps of the recorder', () => {
  it('--sweep recorder moves the answer-time median: recording-on delay grows with it', () => {
    const sweep = runSweep({
      kind: 'recorder',
      values: [20, 1000],
      calls: 3000,
      seed: 's',
      params: createDelayParams(),
    });
    const rec = sweep.points.map((p) => configSummary(p.result, 'recording').p50Ms);
    expect(rec[1] as number).toBeGreaterThan((rec[0] as number) + 500);
    expect(sweep.points[0]?.label).toBe('20 ms');
  });

  it('--sweep wait: a shorter wait cuts the start of calls whose recorder is too slow', () => {
    const params = createDelayParams({ recording: { recorderAnswerMs: { kind: 'fixed', valueMs: 3000 } } });
    const sweep = runSweep({ kind: 'wait', values: [1000, 10_000], calls: 500, seed: 's', params });
    const rec = sweep.points.map((p) => configSummary(p.result, 'recording'));
    expect(rec[0]?.recorderTimeouts).toBe(500);
    expect(rec[1]?.recorderTimeouts).toBe(0);
    expect(rec[0]?.p50Ms as number).toBeLessThan(rec[1]?.p50Ms as number);
  });
});

describe('audio packet loss on the first packets (audioLossPacketMs)', () => {
  it('a lost first packet costs one packet interval; off by default', () => {
    const world = { ...fixedWorld(), audioU: (slot: number) => (slot === 0 ? 0.005 : 1) };
    const on = exactParams({ network: { lossRate: 0.01, audioLossPacketMs: 20 } });
    const off = exactParams({ network: { lossRate: 0.01 } });
    const at = (p: typeof on) => simulateCall(createDelayModel(p), delayConfig('baseline'), world).totalMs;
    expect(at(on) - at(off)).toBe(20);
  });
});
