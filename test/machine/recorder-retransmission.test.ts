/**
 * A recorder that is back within the platform's wait is used: over UDP the platform retransmits its
 * request (RFC 3261 Timer A: T1 = 500 ms, doubling: at 0.5, 1.5, 3.5, 7.5 s after the first send) and the
 * recorder answers the first retransmission after it is back, if that answer is still within the wait;
 * otherwise the failure behaviour applies. Over TCP there is one request, so a recorder back later is not used.
 */
import { describe, expect, it } from 'vitest';
import { startCall } from '../../src/call/call-run.ts';
import { defaultRecordingSettings } from '../../src/domain/settings.ts';
import { createVirtualClock } from '../../src/time/index.ts';

function run(options: {
  upAtMs: number;
  waitMs: number;
  transport?: 'udp' | 'tcp';
  record?: 'Always' | 'On Demand';
  answerMs?: number;
}) {
  const clock = createVirtualClock();
  const settings = {
    ...defaultRecordingSettings({ serviceProvider: 'sp', externalGroup: 'g', externalIdentifier: 'u' }),
    enabled: true,
    record: options.record ?? 'Always',
  };
  const call = startCall(clock, {
    callId: 'c1',
    settings,
    direction: 'incoming',
    remote: 'pstn',
    voicemail: false,
    recorder: {
      failureBehaviour: 'PROCEED_CALL_WITH_ANNOUNCEMENT',
      waitMs: options.waitMs,
      ...(options.transport === undefined ? {} : { transport: options.transport }),
    },
    recorderAnswerMs: options.answerMs ?? 200,
    recorderUp: false,
  });
  call.send('answer');
  clock.advanceTo(options.upAtMs);
  call.send('recorder-up');
  clock.advanceTo(20_000);
  const connected = call.log.find((e) => e.type === 'recorder' && e.status === 'connected');
  const failed = call.log.some((e) => e.type === 'announcement' && e.kind === 'failure');
  return { connectedAtMs: connected?.atMs ?? null, failed, state: call.view().recordingState };
}

describe('recorder back during the wait (SIP retransmission)', () => {
  it('answers the first UDP retransmission after it is back: up at 2 s → retransmission at 3.5 s, answer at 3.7 s', () => {
    expect(run({ upAtMs: 2_000, waitMs: 5_000 })).toEqual({
      connectedAtMs: 3_700,
      failed: false,
      state: 'started',
    });
  });

  it('boundary: an answer just inside the wait is used, one at the end of the wait is not', () => {
    // Retransmission at 3.5 s + 200 ms answer = 3.7 s: inside a 3,701 ms wait, not inside a 3,700 ms one.
    expect(run({ upAtMs: 2_000, waitMs: 3_701 })).toMatchObject({ connectedAtMs: 3_700, failed: false });
    expect(run({ upAtMs: 2_000, waitMs: 3_700 })).toEqual({
      connectedAtMs: null,
      failed: true,
      state: 'failed',
    });
  });

  it('a recorder back at a retransmission instant waits for the next one (1.5 s → 3.5 s)', () => {
    expect(run({ upAtMs: 1_500, waitMs: 5_000 })).toMatchObject({ connectedAtMs: 3_700 });
  });

  it('over TCP the one request was lost: the failure behaviour applies', () => {
    expect(run({ upAtMs: 2_000, waitMs: 5_000, transport: 'tcp' })).toEqual({
      connectedAtMs: null,
      failed: true,
      state: 'failed',
    });
  });

  it('On Demand: the provisional capture starts when the retransmission is answered', () => {
    const result = run({ upAtMs: 2_000, waitMs: 5_000, record: 'On Demand' });
    expect(result).toEqual({ connectedAtMs: 3_700, failed: false, state: 'none' });
  });
});
