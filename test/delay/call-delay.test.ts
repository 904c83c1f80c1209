import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BREAKDOWN_KEYS,
  type CallDelay,
  createDelayModel,
  DELAY_CONFIGS,
  type DelayConfigId,
  delayConfig,
  simulateCall,
} from '../../src/delay/call-delay.ts';
import type { CallWorld } from '../../src/delay/call-world.ts';
import { drawCallWorld } from '../../src/delay/call-world.ts';
import {
  createDelayParams,
  type DelayModelParams,
  type DelayParamsInput,
} from '../../src/delay/model-params.ts';
import { createRng } from '../../src/time/index.ts';
import { exactParams, fixedWorld } from './helpers.ts';

function all(params: DelayModelParams, world: CallWorld): Record<DelayConfigId, CallDelay> {
  const model = createDelayModel(params);
  return Object.fromEntries(DELAY_CONFIGS.map((c) => [c.id, simulateCall(model, c, world)])) as Record<
    DelayConfigId,
    CallDelay
  >;
}

const sumOf = (d: CallDelay) => BREAKDOWN_KEYS.reduce((s, k) => s + d.breakdown[k], 0);

describe('one call in the four configurations', () => {
  // RTT 60 ms, detour 20 ms: signalling 50 ms, cloud transit 50 ms, direct transit 30 ms.
  it('baseline: the answer reaches the caller, then audio crosses the cloud', () => {
    const d = all(exactParams(), fixedWorld()).baseline;
    expect(d.totalMs).toBe(50 + 50);
    expect(d.mediaPath).toBe('cloud');
  });

  it('ICE alone: media waits for ICE, then takes the shorter direct path', () => {
    const d = all(exactParams(), fixedWorld()).ice;
    expect(d.mediaPath).toBe('direct');
    expect(d.breakdown.transitMs).toBe(30);
    expect(d.totalMs).toBe(d.mediaReadyMs + 30);
  });

  it('recording alone: the parties wait for the recorder, which runs beside the signalling', () => {
    const d = all(exactParams(), fixedWorld({ recorderAnswerMs: 150 })).recording;
    expect(d.totalMs).toBe(Math.max(50, 40 + 150) + 50);
    expect(d.overlapMs).toBe(50);
    expect(d.breakdown.recorderMs).toBe(190 - 50);
  });

  it('the start announcement adds its duration only where recording is on', () => {
    const world = fixedWorld();
    const off = all(exactParams(), world);
    const on = all(exactParams({ recording: { announcement: true, announcementMs: 2500 } }), world);
    expect(on.baseline.totalMs).toBe(off.baseline.totalMs);
    expect(on.ice.totalMs).toBe(off.ice.totalMs);
    expect(on.recording.totalMs - off.recording.totalMs).toBe(2500);
    expect(on.combined.totalMs - off.combined.totalMs).toBe(2500);
  });

  it('a recorder that never answers holds the call for the wait, then applies the failure behaviour', () => {
    const down = fixedWorld({ recorderUpU: 0.99999 });
    const p = (failureBehaviour: DelayModelParams['recording']['failureBehaviour']) =>
      exactParams({ recording: { failureBehaviour, recorderWaitMs: 3000, failureAnnouncementMs: 2000 } });
    expect(all(p('PROCEED_WITH_CALL_NO_ANNOUNCEMENT'), down).recording.totalMs).toBe(3000 + 50);
    expect(all(p('PROCEED_CALL_WITH_ANNOUNCEMENT'), down).recording.totalMs).toBe(3000 + 2000 + 50);
    const ended = all(p('END_CALL_WITH_ANNOUNCEMENT'), down).recording;
    expect(ended.outcome).toBe('ended-by-failure-behaviour');
    expect(ended.totalMs).toBe(Number.POSITIVE_INFINITY);
  });

  it('a recorded call cannot use the direct path: its media goes via the cloud in every reading', () => {
    for (const recordedLegIce of ['peer', 'anchor', 'off'] as const) {
      const d = all(exactParams({ recording: { recordedLegIce } }), fixedWorld()).combined;
      expect(d.mediaPath).toBe('cloud');
      expect(d.iceLeg).toBe(recordedLegIce === 'off' ? 'none' : recordedLegIce);
    }
  });
});

/** Random network and recording conditions, over the whole range the CLI accepts. */
const conditions: fc.Arbitrary<DelayParamsInput> = fc.record({
  network: fc.record({
    rttMs: fc.record({
      kind: fc.constant('lognormal' as const),
      medianMs: fc.double({ min: 1, max: 400, noNaN: true }),
      sigma: fc.double({ min: 0, max: 1.2, noNaN: true }),
    }),
    lossRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
    cloudDetourOneWayMs: fc.double({ min: 0, max: 80, noNaN: true }),
    ice: fc.record({
      taMs: fc.integer({ min: 5, max: 100 }),
      candidates: fc.record({
        host: fc.integer({ min: 1, max: 4 }),
        srflx: fc.boolean(),
        relay: fc.constant(true),
      }),
      path: fc.constantFrom('host' as const, 'srflx' as const, 'relay' as const),
      trickle: fc.boolean(),
      nomination: fc.constantFrom('regular' as const, 'aggressive' as const),
      mediaOnValidPair: fc.boolean(),
      completion: fc.constantFrom('on-success' as const, 'next-pacing-tick' as const),
    }),
  }),
  recording: fc.record({
    announcement: fc.boolean(),
    recorderAnswerMs: fc.record({
      kind: fc.constant('lognormal' as const),
      medianMs: fc.double({ min: 1, max: 3000, noNaN: true }),
      sigma: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    recorderWaitMs: fc.integer({ min: 1000, max: 10_000 }),
    recorderAvailability: fc.double({ min: 0.5, max: 1, noNaN: true }),
    failureBehaviour: fc.constantFrom(
      'PROCEED_WITH_CALL_NO_ANNOUNCEMENT' as const,
      'PROCEED_CALL_WITH_ANNOUNCEMENT' as const,
      'END_CALL_WITH_ANNOUNCEMENT' as const,
    ),
  }),
});

function simulateAll(input: DelayParamsInput, recordedLegIce: 'peer' | 'anchor' | 'off', seed: number) {
  const params = createDelayParams({ ...input, recording: { ...input.recording, recordedLegIce } });
  const model = createDelayModel(params);
  const world = drawCallWorld(createRng(seed), 0, model.samplers);
  const d = (id: DelayConfigId) => simulateCall(model, delayConfig(id), world);
  return { baseline: d('baseline'), ice: d('ice'), recording: d('recording'), combined: d('combined') };
}

describe('the 2×2 ordering: what the model guarantees for every call', () => {
  it('recording never shortens the start, and ICE on top of recording never shortens it either', () => {
    fc.assert(
      fc.property(
        conditions,
        fc.constantFrom('peer' as const, 'anchor' as const),
        fc.nat(),
        (input, mode, seed) => {
          const { baseline, ice, recording, combined } = simulateAll(input, mode, seed);
          expect(recording.totalMs).toBeGreaterThanOrEqual(baseline.totalMs);
          expect(combined.totalMs).toBeGreaterThanOrEqual(recording.totalMs);
          // Every connected call's parts add up to its total.
          for (const d of [baseline, ice, recording, combined]) {
            if (d.outcome === 'connected') expect(sumOf(d)).toBeCloseTo(d.totalMs, 6);
          }
        },
      ),
      { seed: 1208, numRuns: 200 },
    );
  });

  it('with ICE running end to end on recorded calls (the default), ICE + recording ≥ ICE alone', () => {
    fc.assert(
      fc.property(conditions, fc.nat(), (input, seed) => {
        const { ice, combined } = simulateAll(input, 'peer', seed);
        expect(combined.totalMs).toBeGreaterThanOrEqual(ice.totalMs);
      }),
      { seed: 1212, numRuns: 200 },
    );
  });
});

describe('where the model does NOT give S12 (documented in docs/delay-model.md)', () => {
  it('ICE can be faster than no ICE: a quick host pair plus the shorter direct path beat the cloud detour', () => {
    const p = exactParams(
      {
        network: {
          cloudDetourOneWayMs: 20,
          ice: {
            path: 'host',
            trickle: true,
            nomination: 'aggressive',
            candidates: { host: 1, srflx: true, relay: true },
          },
        },
      },
      5,
    );
    const d = all(p, fixedWorld({ rttMs: 5 }));
    // Baseline 2 × (2.5 + 20) = 45 ms; ICE: signalling 22.5 + one 5 ms check + 2.5 ms direct = 30 ms.
    expect(d.baseline.totalMs).toBe(45);
    expect(d.ice.totalMs).toBe(30);
  });

  it('when the recorder answers after ICE is done, ICE is hidden: together = recording alone', () => {
    const d = all(exactParams(), fixedWorld({ recorderAnswerMs: 2000 }));
    expect(d.ice.totalMs).toBeLessThan(d.recording.totalMs);
    expect(d.combined.totalMs).toBe(d.recording.totalMs);
  });

  it('ICE against the cloud anchor can make a recorded call start sooner than ICE alone (relay-only network)', () => {
    const p = exactParams({
      network: { ice: { path: 'relay', candidates: { host: 4, srflx: true, relay: true } } },
      recording: { recordedLegIce: 'anchor' },
    });
    const d = all(p, fixedWorld());
    expect(d.combined.totalMs).toBeLessThan(d.ice.totalMs);
  });

  it('with ICE stripped from recorded calls, together is exactly recording alone', () => {
    const d = all(exactParams({ recording: { recordedLegIce: 'off' } }), fixedWorld());
    expect(d.combined.totalMs).toBe(d.recording.totalMs);
  });
});
