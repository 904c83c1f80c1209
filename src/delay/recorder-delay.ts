/**
 * The recording leg of the start-of-call delay: the platform opens a SIPREC session to the recorder
 * (RFC 7866) when the call connects and holds the parties until the recorder answers or the configured
 * wait (BroadWorks, 1–10 s) runs out; then the start announcement, or the failure behaviour, plays.
 */
import type { CallWorld } from './call-world.ts';
import type { RecordingConditions } from './model-params.ts';

export type RecorderOutcome = 'answered' | 'unavailable' | 'too-slow';

export interface RecorderTiming {
  readonly outcome: RecorderOutcome;
  /** From answer until the platform stops waiting: the recorder's 200 OK, or the end of the wait. */
  readonly gateMs: number;
  /** What plays to both parties once the gate opens; they hear each other only after it (S24). */
  readonly announcement: 'start' | 'failure' | 'none';
  readonly announcementMs: number;
  /** END_CALL_WITH_ANNOUNCEMENT: the call ends after the announcement, the parties never talk. */
  readonly callEnds: boolean;
  readonly recorded: boolean;
}

export function recorderTiming(rec: RecordingConditions, world: CallWorld): RecorderTiming {
  const up = world.recorderUpU < rec.recorderAvailability;
  const answerMs = rec.recorderRttMs + world.recorderAnswerMs;
  if (up && answerMs <= rec.recorderWaitMs) {
    return {
      outcome: 'answered',
      gateMs: answerMs,
      announcement: rec.announcement ? 'start' : 'none',
      announcementMs: rec.announcement ? rec.announcementMs : 0,
      callEnds: false,
      recorded: true,
    };
  }
  const outcome: RecorderOutcome = up ? 'too-slow' : 'unavailable';
  const gateMs = rec.recorderWaitMs;
  switch (rec.failureBehaviour) {
    case 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT':
      return { outcome, gateMs, announcement: 'none', announcementMs: 0, callEnds: false, recorded: false };
    case 'PROCEED_CALL_WITH_ANNOUNCEMENT':
      return {
        outcome,
        gateMs,
        announcement: 'failure',
        announcementMs: rec.failureAnnouncementMs,
        callEnds: false,
        recorded: false,
      };
    case 'END_CALL_WITH_ANNOUNCEMENT':
      return {
        outcome,
        gateMs,
        announcement: 'failure',
        announcementMs: rec.failureAnnouncementMs,
        callEnds: true,
        recorded: false,
      };
  }
}
