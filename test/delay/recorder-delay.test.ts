import { describe, expect, it } from 'vitest';
import type { DelayParamsInput } from '../../src/delay/model-params.ts';
import { recorderTiming } from '../../src/delay/recorder-delay.ts';
import { exactParams, fixedWorld } from './helpers.ts';

const rec = (input: DelayParamsInput['recording'] = {}) => exactParams({ recording: input }).recording;

describe('recording leg', () => {
  it('an answering recorder opens the gate after the SIPREC round trip plus its answer time', () => {
    const t = recorderTiming(rec(), fixedWorld({ recorderAnswerMs: 150 }));
    expect(t).toMatchObject({
      outcome: 'answered',
      gateMs: 40 + 150,
      announcement: 'none',
      announcementMs: 0,
    });
    expect(recorderTiming(rec({ announcement: true }), fixedWorld()).announcementMs).toBe(3000);
  });

  it('a recorder that is down or too slow holds the call for the whole wait, then the failure behaviour', () => {
    const down = fixedWorld({ recorderUpU: 0.9999 });
    const slow = fixedWorld({ recorderAnswerMs: 6000 });
    expect(recorderTiming(rec({ recorderAvailability: 0.999 }), down)).toMatchObject({
      outcome: 'unavailable',
      gateMs: 5000,
      announcementMs: 0,
      callEnds: false,
      recorded: false,
    });
    expect(recorderTiming(rec({ failureBehaviour: 'PROCEED_CALL_WITH_ANNOUNCEMENT' }), slow)).toMatchObject({
      outcome: 'too-slow',
      gateMs: 5000,
      announcement: 'failure',
      announcementMs: 3000,
      callEnds: false,
    });
    expect(
      recorderTiming(rec({ failureBehaviour: 'END_CALL_WITH_ANNOUNCEMENT', recorderWaitMs: 2000 }), slow),
    ).toMatchObject({
      gateMs: 2000,
      callEnds: true,
    });
  });

  it('the start announcement is not played when the recorder failed (only the failure one, if any)', () => {
    const t = recorderTiming(rec({ announcement: true }), fixedWorld({ recorderUpU: 1 }));
    expect(t.announcement).toBe('none');
  });
});
