import { describe, expect, it } from 'vitest';
import { createDelayParams, type DelayParamsInput } from '../../src/delay/model-params.ts';
import { runMonteCarlo } from '../../src/delay/monte-carlo.ts';

const run = (input: DelayParamsInput = {}) =>
  runMonteCarlo({ calls: 4000, seed: 12, params: createDelayParams(input) });

describe('S12 against the model (pinned seed; model results, not assumptions)', () => {
  it('holds at default conditions, and the combination overlaps (adds less than the sum)', () => {
    const r = run();
    expect(r.s12).toMatchObject({
      iceAddsDelay: true,
      recordingAddsDelay: true,
      combinedLongest: true,
      holds: true,
    });
    expect(r.s12.combinedVsSum).toBe('overlap');
    expect(r.paired.meanAddedMs.combined).toBeLessThan(r.paired.sumOfAddedMs);
    expect(r.paired.meanAddedMs.combined).toBeGreaterThan(
      Math.max(r.paired.meanAddedMs.ice, r.paired.meanAddedMs.recording),
    );
  });

  it('fails where recorded calls skip ICE: together is recording alone', () => {
    const r = run({ recording: { recordedLegIce: 'off' } });
    expect(r.s12.combinedLongest).toBe(false);
    expect(r.paired.combinedEqualsRecordingFraction).toBe(1);
  });

  it('fails where ICE runs against the cloud anchor: recorded calls then connect faster than ICE alone', () => {
    const r = run({ recording: { recordedLegIce: 'anchor' } });
    expect(r.s12.combinedLongest).toBe(false);
    expect(r.paired.combinedShorterThanIceFraction).toBeGreaterThan(0.5);
  });

  it('fails on a fast LAN with trickle and aggressive nomination: ICE then adds no delay', () => {
    const r = run({
      network: {
        rttMs: { kind: 'lognormal', medianMs: 5, sigma: 0.3 },
        lossRate: 0,
        ice: { path: 'host', trickle: true, nomination: 'aggressive' },
      },
    });
    expect(r.s12.iceAddsDelay).toBe(false);
    expect(r.paired.iceShorterThanBaselineFraction).toBeGreaterThan(0.9);
  });

  it('says why in words', () => {
    const r = run({ recording: { recordedLegIce: 'off' } });
    expect(r.s12.findings.join('\n')).toMatch(/NOT longer/);
  });
});
