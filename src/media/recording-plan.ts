/**
 * What the recorded streams will contain for a given call log, computed without running them: each
 * recording's intervals, pauses with their positions, and packet counts per stream. Scenario reports and
 * tests use it as the expected value; `createCallMedia` produces exactly this (test/media proves it).
 */
import type { CallLogEvent } from '../../machines/call-events.ts';
import { orderCallLog } from './event-replay.ts';
import { PACKET_INTERVAL_MS } from './media-format.ts';
import { applyMediaAction, endOfEvents, type GateState, INITIAL_GATE, isGateLive } from './media-gate.ts';

/** Half-open interval of virtual time, `[startMs, endMs)`. */
export interface MediaInterval {
  readonly startMs: number;
  readonly endMs: number;
}

export interface PausePoint {
  readonly pausedAtMs: number;
  /** `undefined` when the recording ended while paused. */
  readonly resumedAtMs: number | undefined;
  /** Audio in the recording before the pause (packets so far × 20 ms): the position a player shows. */
  readonly positionMs: number;
}

/** One recording: from an `open` to its `close`/`discard` (or the end of the call). */
export interface RecordingPlan {
  /** 0 for the call's first recording; On Demand may start again after a stop. */
  readonly index: number;
  /** `kept`: the packets reach the recorder; `discarded`: On Demand capture never confirmed. */
  readonly outcome: 'kept' | 'discarded';
  readonly endedBy: 'close' | 'discard' | 'end-of-call';
  /** Time of `open` = slot 0; packet k of this recording falls at `originMs + 20 k`. */
  readonly originMs: number;
  readonly endMs: number;
  /** Opened provisionally (On Demand before the user starts). */
  readonly provisional: boolean;
  /** When the provisional capture was confirmed (`keep`), if it was. */
  readonly keptAtMs: number | undefined;
  /** Intervals in which audio was captured (open and not paused). */
  readonly capturedIntervals: readonly MediaInterval[];
  /** The captured intervals that reach the recorder: all when kept, none when discarded. */
  readonly recordedIntervals: readonly MediaInterval[];
  readonly pauses: readonly PausePoint[];
  readonly capturedPacketsPerStream: number;
  /** Packets each of the two streams delivers for this recording (user and remote alike). */
  readonly packetsPerStream: number;
}

export interface CallRecordingPlan {
  readonly recordings: readonly RecordingPlan[];
  /** Kept packets per stream over all recordings of the call. */
  readonly packetsPerStream: number;
  /** `packetsPerStream × 20 ms`. */
  readonly recordedMs: number;
  /** Every kept interval of every recording, in time order. */
  readonly recordedIntervals: readonly MediaInterval[];
  /** Where the call's media ends: the `call` `ended` event, else the last event (or `options.endMs`). */
  readonly endMs: number;
  /** Media events the gate ignored (e.g. open while open); a well-formed log has none. */
  readonly ignoredEvents: readonly CallLogEvent[];
}

export interface RecordingPlanOptions {
  /** Where the log ends when it has no `call` `ended` event (default: the last event's time). */
  readonly endMs?: number;
}

/** Slots `originMs + 20 k` (k ≥ 0) that fall in `[startMs, endMs)`. */
export function packetSlotsIn(originMs: number, startMs: number, endMs: number): number {
  const first = Math.max(0, Math.ceil((startMs - originMs) / PACKET_INTERVAL_MS));
  const end = Math.ceil((endMs - originMs) / PACKET_INTERVAL_MS);
  return Math.max(0, end - first);
}

interface OpenRecording {
  index: number;
  originMs: number;
  provisional: boolean;
  keptAtMs: number | undefined;
  flowingSinceMs: number | undefined;
  captured: number;
  capturedIntervals: MediaInterval[];
  pauses: { pausedAtMs: number; resumedAtMs: number | undefined; positionMs: number }[];
}

export function computeRecordingPlan(
  events: readonly CallLogEvent[],
  options: RecordingPlanOptions = {},
): CallRecordingPlan {
  const ordered = orderCallLog(events);
  const endedAt = ordered.find((e) => e.type === 'call' && e.phase === 'ended')?.atMs;
  const endMs = endedAt ?? options.endMs ?? ordered.at(-1)?.atMs ?? 0;
  const recordings: RecordingPlan[] = [];
  const ignoredEvents: CallLogEvent[] = [];
  let gate: GateState = INITIAL_GATE;
  let open: OpenRecording | undefined;

  const stopFlowing = (rec: OpenRecording, atMs: number): void => {
    if (rec.flowingSinceMs !== undefined) {
      if (atMs > rec.flowingSinceMs) rec.capturedIntervals.push({ startMs: rec.flowingSinceMs, endMs: atMs });
      rec.captured += packetSlotsIn(rec.originMs, rec.flowingSinceMs, atMs);
    }
    rec.flowingSinceMs = undefined;
  };
  const finish = (
    rec: OpenRecording,
    atMs: number,
    kept: boolean,
    endedBy: RecordingPlan['endedBy'],
  ): void => {
    stopFlowing(rec, atMs);
    recordings.push({
      index: rec.index,
      outcome: kept ? 'kept' : 'discarded',
      endedBy,
      originMs: rec.originMs,
      endMs: atMs,
      provisional: rec.provisional,
      keptAtMs: rec.keptAtMs,
      capturedIntervals: rec.capturedIntervals,
      recordedIntervals: kept ? rec.capturedIntervals : [],
      pauses: rec.pauses,
      capturedPacketsPerStream: rec.captured,
      packetsPerStream: kept ? rec.captured : 0,
    });
  };

  for (const event of ordered) {
    // The call's end closes the log: events after it (even at the same instant) are not media any more.
    if (event.atMs > endMs || (event.type === 'call' && event.phase === 'ended')) break;
    if (event.type !== 'media') continue;
    const step = applyMediaAction(gate, event.action, event.provisional ?? false);
    gate = step.state;
    const rec = open;
    switch (step.effect) {
      case 'opened':
        open = {
          index: recordings.length,
          originMs: event.atMs,
          provisional: gate.provisional,
          keptAtMs: undefined,
          flowingSinceMs: event.atMs,
          captured: 0,
          capturedIntervals: [],
          pauses: [],
        };
        break;
      case 'kept':
        if (rec) rec.keptAtMs = event.atMs;
        break;
      case 'paused':
        if (rec) {
          stopFlowing(rec, event.atMs);
          rec.pauses.push({
            pausedAtMs: event.atMs,
            resumedAtMs: undefined,
            positionMs: rec.captured * PACKET_INTERVAL_MS,
          });
        }
        break;
      case 'resumed': {
        const last = rec?.pauses.at(-1);
        if (last !== undefined) last.resumedAtMs = event.atMs;
        if (rec) rec.flowingSinceMs = event.atMs;
        break;
      }
      case 'closed':
      case 'discarded':
        if (rec)
          finish(rec, event.atMs, step.effect === 'closed', event.action === 'discard' ? 'discard' : 'close');
        open = undefined;
        break;
      case 'ignored':
        ignoredEvents.push(event);
        break;
    }
  }
  if (open !== undefined && isGateLive(gate))
    finish(open, endMs, endOfEvents(gate).effect === 'closed', 'end-of-call');

  const packetsPerStream = recordings.reduce((sum, r) => sum + r.packetsPerStream, 0);
  return {
    recordings,
    packetsPerStream,
    recordedMs: packetsPerStream * PACKET_INTERVAL_MS,
    recordedIntervals: recordings.flatMap((r) => r.recordedIntervals),
    endMs,
    ignoredEvents,
  };
}
