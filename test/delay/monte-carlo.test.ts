import { describe, expect, it } from 'vitest';
import { createDelayModel, DELAY_CONFIGS, simulateCall } from '../../src/delay/call-delay.ts';
import { drawCallWorld } from '../../src/delay/call-world.ts';
import { createDelayParams } from '../../src/delay/model-params.ts';
import { configSummary, createMonteCarlo, runMonteCarlo } from '../../src/delay/monte-carlo.ts';
import { toJson } from '../../src/delay/render-json.ts';
import { isSimError } from '../../src/errors.ts';
import { createRng } from '../../src/time/index.ts';

const params = createDelayParams();

describe('Monte Carlo over the 2×2 configurations', () => {
  it('is reproducible: the same seed gives identical output', () => {
    const a = toJson(runMonteCarlo({ calls: 1500, seed: 42, params }));
    const b = toJson(runMonteCarlo({ calls: 1500, seed: 42, params }));
    expect(a).toBe(b);
  });

  it('different seeds give different runs', () => {
    const a = runMonteCarlo({ calls: 1500, seed: 1, params });
    const b = runMonteCarlo({ calls: 1500, seed: 2, params });
    expect(a.configs.map((c) => c.meanMs)).not.toEqual(b.configs.map((c) => c.meanMs));
  });

  it('stepping in chunks gives the same result as one go', () => {
    const run = createMonteCarlo({ calls: 1000, seed: 'chunks', params });
    while (run.done < run.total) run.step(137);
    expect(toJson(run.result())).toBe(toJson(runMonteCarlo({ calls: 1000, seed: 'chunks', params })));
  });

  it('reports percentiles that match the exact ones within hdr-histogram precision', () => {
    const calls = 2000;
    const r = runMonteCarlo({ calls, seed: 7, params });
    const model = createDelayModel(params);
    const rng = createRng('delay/7');
    const totals: number[] = [];
    for (let i = 0; i < calls; i++) {
      const world = drawCallWorld(rng, i, model.samplers);
      const comb = simulateCall(model, DELAY_CONFIGS[3] as (typeof DELAY_CONFIGS)[number], world);
      totals.push(comb.totalMs);
      for (const c of DELAY_CONFIGS.slice(0, 3)) simulateCall(model, c, world);
    }
    totals.sort((x, y) => x - y);
    const exactP50 = totals[Math.ceil(0.5 * calls) - 1] as number;
    const exactP95 = totals[Math.ceil(0.95 * calls) - 1] as number;
    const combined = configSummary(r, 'combined');
    expect(Math.abs(combined.p50Ms - exactP50) / exactP50).toBeLessThan(0.002);
    expect(Math.abs(combined.p95Ms - exactP95) / exactP95).toBeLessThan(0.002);
    expect(combined.maxMs).toBe(totals[calls - 1]);
  });

  it('pairs the configurations call by call (common random numbers)', () => {
    const r = runMonteCarlo({ calls: 3000, seed: 3, params });
    // Guaranteed per call by the model's structure, so only visible when the calls are paired.
    expect(r.paired.combinedShorterThanIceFraction).toBe(0);
    expect(r.paired.calls).toBeGreaterThan(2900);
    expect(r.paired.sumOfAddedMs).toBeCloseTo(r.paired.meanAddedMs.ice + r.paired.meanAddedMs.recording, 9);
    const mean = configSummary(r, 'ice');
    const parts = Object.values(mean.meanBreakdown).reduce((s, v) => s + v, 0);
    expect(parts).toBeCloseTo(mean.meanMs, 6);
  });

  it('counts calls ended by the failure behaviour instead of giving them a delay', () => {
    const failing = createDelayParams({
      recording: { recorderAvailability: 0.5, failureBehaviour: 'END_CALL_WITH_ANNOUNCEMENT' },
    });
    const r = runMonteCarlo({ calls: 1000, seed: 5, params: failing });
    const rec = configSummary(r, 'recording');
    expect(rec.endedByFailureBehaviour).toBeGreaterThan(400);
    expect(rec.connected + rec.endedByFailureBehaviour + rec.iceFailed).toBe(1000);
    expect(configSummary(r, 'baseline').endedByFailureBehaviour).toBe(0);
  });

  it('refuses a call count it cannot run', () => {
    for (const calls of [0, 1.5, Number.NaN]) {
      let error: unknown;
      try {
        createMonteCarlo({ calls, seed: 1, params });
      } catch (e) {
        error = e;
      }
      expect(isSimError(error, 'SIM_ERR_INVALID_ARGUMENT')).toBe(true);
    }
  });
});
