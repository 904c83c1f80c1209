import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callRunArb, runAgainstModel } from './call-property.ts';

/** CI pins the seed; `PROPERTY_SEED` / `PROPERTY_RUNS` explore further (see `npm run test:property`). */
const SEED = Number(process.env.PROPERTY_SEED ?? 424242);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

describe('call machine against the reference model (model-based, fast-check)', () => {
  it('S20–S31: the machine and the model agree on state, indicator, recorded time, tones and announcements after every command', () => {
    fc.assert(
      fc.property(callRunArb, (run) => {
        const { model, real } = runAgainstModel(run);
        const log = real.call.log;
        // Never records nothing (S20): no media ever reaches the recorder.
        if (model.policy === 'never') expect(log.some((e) => e.type === 'media')).toBe(false);
        // No stop in Always modes (S22, S23): only a recorder failure stops them.
        if (model.policy === 'always' || model.policy === 'alwaysPauseResume') {
          expect(log.some((e) => e.type === 'recording' && e.reason === 'User Requested')).toBe(false);
        }
        // Nothing is recorded after hang-up.
        const end = log.find((e) => e.type === 'call' && e.phase === 'ended');
        if (end !== undefined) {
          const after = log.filter((e) => e.atMs > end.atMs);
          expect(after.every((e) => e.type === 'rejected')).toBe(true);
        }
        // Recorded time is the media segments only: announcements and tones add nothing (S25).
        const kept = real.call.segments().filter((s) => s.kept);
        expect(kept.reduce((sum, s) => sum + (s.endMs - s.startMs), 0)).toBe(real.call.view().recordedMs);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
