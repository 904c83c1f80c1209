import { describe, expect, it } from 'vitest';
import { createDelayParams } from '../../src/delay/model-params.ts';
import { configSummary } from '../../src/delay/monte-carlo.ts';
import { applySweepValue, runSweep, SWEEPS } from '../../src/delay/sweep.ts';

const base = createDelayParams();

describe('sweeps', () => {
  it('change only the swept input', () => {
    expect(applySweepValue(base, 'rtt', 120).network.rttMs).toEqual({
      kind: 'lognormal',
      medianMs: 120,
      sigma: 0.5,
    });
    expect(applySweepValue(base, 'loss', 0.05).network.lossRate).toBe(0.05);
    expect(applySweepValue(base, 'candidates', 3).network.ice.candidates).toEqual({
      host: 3,
      srflx: true,
      relay: true,
    });
    expect(applySweepValue(base, 'announcement', 1).recording.announcement).toBe(true);
    expect(applySweepValue(base, 'loss', 0.05).recording).toEqual(base.recording);
  });

  it('reuse the calls at every point: more loss never shortens ICE', () => {
    const s = runSweep({ kind: 'loss', values: [0, 0.02, 0.1], calls: 800, seed: 9, params: base });
    const means = s.points.map((p) => configSummary(p.result, 'ice').meanMs);
    expect(means[0]).toBeLessThanOrEqual(means[1] as number);
    expect(means[1]).toBeLessThanOrEqual(means[2] as number);
  });

  it('the announcement point adds exactly its duration to every recorded call', () => {
    const params = createDelayParams({ recording: { recorderAvailability: 1 } });
    const s = runSweep({ kind: 'announcement', calls: 500, seed: 4, params });
    const [off, on] = s.points.map((p) => configSummary(p.result, 'recording').meanMs) as [number, number];
    expect(on - off).toBeCloseTo(params.recording.announcementMs, 6);
    expect(s.points.map((p) => p.label)).toEqual(['off', 'on']);
  });

  it('have default values for every kind', () => {
    for (const k of Object.values(SWEEPS)) expect(k.values.length).toBeGreaterThan(1);
  });
});
