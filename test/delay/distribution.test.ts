import { describe, expect, it } from 'vitest';
import {
  createSampler,
  describeDistribution,
  distributionFromSamples,
  validateDistribution,
} from '../../src/delay/distribution.ts';
import { createDelayParams } from '../../src/delay/model-params.ts';
import { isSimError } from '../../src/errors.ts';
import { createRng } from '../../src/time/index.ts';

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('distributions', () => {
  it('samples measured values only (a real sink’s open→opened times)', () => {
    const dist = distributionFromSamples([12, 30, 95]);
    const draw = createSampler(dist);
    const rng = createRng(1);
    const seen = new Set(Array.from({ length: 200 }, () => draw(rng)));
    expect([...seen].sort((a, b) => a - b)).toEqual([12, 30, 95]);
    expect(describeDistribution(dist)).toBe('3 measured samples');
  });

  it('puts the log-normal median where asked and never draws a negative delay', () => {
    const draw = createSampler({ kind: 'lognormal', medianMs: 80, sigma: 0.6 });
    const rng = createRng(2);
    const xs = Array.from({ length: 4001 }, () => draw(rng)).sort((a, b) => a - b);
    expect(xs[2000]).toBeGreaterThan(72);
    expect(xs[2000]).toBeLessThan(88);
    const normal = createSampler({ kind: 'normal', meanMs: 5, sdMs: 50 });
    expect(Array.from({ length: 500 }, () => normal(rng)).every((v) => v >= 0)).toBe(true);
  });

  it('rejects what cannot be sampled, naming the field', () => {
    const e = errorOf(() =>
      validateDistribution({ kind: 'samples', valuesMs: [] }, 'recording.recorderAnswerMs'),
    );
    expect(isSimError(e, 'SIM_ERR_INVALID_ARGUMENT')).toBe(true);
    expect((e as Error).message).toMatch(/recording\.recorderAnswerMs/);
    expect(
      isSimError(
        errorOf(() => distributionFromSamples([5, -1])),
        'SIM_ERR_INVALID_ARGUMENT',
      ),
    ).toBe(true);
  });

  it('validates model inputs as a whole', () => {
    for (const bad of [
      { network: { lossRate: 1 } },
      { network: { ice: { taMs: 2 } } },
      { network: { ice: { path: 'relay' as const, candidates: { relay: false } } } },
      { recording: { recorderWaitMs: 500 } },
      { recording: { recorderAvailability: 2 } },
    ]) {
      const e = errorOf(() => createDelayParams(bad));
      expect(isSimError(e, 'SIM_ERR_INVALID_ARGUMENT')).toBe(true);
    }
  });
});
