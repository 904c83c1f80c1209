/**
 * The recordings Dubber receives from one call: each media `open` … `close` is one recording (a start
 * after a stop begins another); an On Demand capture that was discarded is not one (S21). The media
 * pipeline's recording plan says what each contains; this adds ids and the announcements and tones.
 */
import type { AnnouncementKind, CallLogEvent } from '../../machines/call-events.ts';
import { computeRecordingPlan, PACKET_INTERVAL_MS, type RecordingPlan } from '../media/index.ts';

export interface CallRecording {
  /** `<callId>` for the first recording of a call, `<callId>#2`, `#3` … for later ones. */
  readonly id: string;
  readonly callId: string;
  readonly openedAtMs: number;
  readonly closedAtMs: number;
  readonly plan: RecordingPlan;
  readonly recordedMs: number;
  /** Announcements played while this recording existed, and whether Dubber was told (S26, S32). */
  readonly announcements: readonly { atMs: number; kind: AnnouncementKind; reportedToDubber: boolean }[];
  readonly tones: readonly number[];
}

export function recordingId(callId: string, n: number): string {
  return n === 0 ? callId : `${callId}#${n + 1}`;
}

export function splitRecordings(
  callId: string,
  log: readonly CallLogEvent[],
  endMs: number,
): CallRecording[] {
  const kept = computeRecordingPlan(log, { endMs }).recordings.filter((r) => r.outcome === 'kept');
  return kept.map((plan, n) => {
    const within = (e: CallLogEvent) => e.atMs >= plan.originMs && e.atMs <= plan.endMs;
    return {
      id: recordingId(callId, n),
      callId,
      openedAtMs: plan.originMs,
      closedAtMs: plan.endMs,
      plan,
      recordedMs: plan.packetsPerStream * PACKET_INTERVAL_MS,
      announcements: log
        .filter(
          (e): e is Extract<CallLogEvent, { type: 'announcement' }> => e.type === 'announcement' && within(e),
        )
        .map((e) => ({ atMs: e.atMs, kind: e.kind, reportedToDubber: e.reportedToDubber })),
      tones: log.filter((e) => e.type === 'tone' && within(e)).map((e) => e.atMs),
    };
  });
}
