/**
 * Recording control, as a pure step over one open recording: its state and segments plus a control
 * message (everything but `open`) give the recording's next state, the storage write it implies, what
 * the next commit must answer (`pong`, `closed`) and — for a message that does not fit the state — the
 * reason it is refused (a non-fatal `SINK_ERR_BAD_STATE`). Resends of a pause or resume already applied
 * change nothing and are not refused, so a client replaying its journal after a reconnect is idempotent.
 *
 *   active --paused--> paused --resumed--> active (a new segment)
 *   active|paused --announcement|tone|error--> same state, an event stored
 *   active|paused --discarded--> discarded (audio purged);  --close--> closed
 *   any --ping--> same state, a pong after everything before it is durable
 *   close on a recording no longer live: no write, still answered with `closed`
 *
 * The ingest core applies the step (ingest-core.ts); any transport's messages go through it.
 */
import type { ClientMessage, RecordingState } from '../../protocol/messages.ts';
import type { EventRow } from '../store/store.ts';

/** A recording's segment: from a start (or resume) to a pause or the end. */
export interface ControlSegment {
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number | null;
}

export interface ControlState {
  readonly state: RecordingState;
  /** At least one; the last is the current segment. */
  readonly segments: readonly ControlSegment[];
}

/** A control message of an open recording (an `open` is the core's, not a control step). */
export type ControlMessage = Exclude<ClientMessage, { type: 'open' }>;

/** The storage write a control message implies, applied in order with the recording's audio. */
export type ControlWrite =
  | { readonly kind: 'pause' | 'resume'; readonly segmentIndex: number; readonly positionMs: number }
  | { readonly kind: 'event'; readonly row: EventRow }
  | { readonly kind: 'discard'; readonly positionMs: number }
  | { readonly kind: 'close'; readonly positionMs: number; readonly reason: string };

export interface ControlStep {
  readonly state: RecordingState;
  /** The current segment ends here (pause, discard or close of an active recording). */
  readonly endSegmentAtMs?: number;
  /** A segment that starts (resume). */
  readonly startSegment?: ControlSegment;
  readonly write?: ControlWrite;
  /** What the commit that makes this message durable answers besides the checkpoint. */
  readonly awaits?: 'pong' | 'closed';
  /** The message is answered by the next commit's checkpoint for this recording. */
  readonly answered: boolean;
  /** Why the message does not fit the recording's state; nothing else in the step applies. */
  readonly refused?: string;
}

const unchanged = (state: RecordingState): ControlStep => ({ state, answered: false });
const refuse = (state: RecordingState, why: string): ControlStep => ({
  state,
  answered: false,
  refused: why,
});

export function isLive(state: RecordingState): boolean {
  return state === 'active' || state === 'paused';
}

export function controlRecording(
  recording: ControlState,
  message: ControlMessage,
  positionMs: number,
): ControlStep {
  const { state } = recording;
  const current = recording.segments.at(-1) as ControlSegment;
  const live = isLive(state);
  switch (message.type) {
    case 'ping':
      // "Everything before the ping is durable": the core commits all recordings' audio first.
      return { state, awaits: 'pong', answered: false };
    case 'paused':
      if (state === 'paused' && current.endMs === positionMs) return unchanged(state); // a resend
      if (state !== 'active') return refuse(state, `the recording is ${state}`);
      if (positionMs < current.startMs) return refuse(state, 'it precedes the start of the current segment');
      return {
        state: 'paused',
        endSegmentAtMs: positionMs,
        write: { kind: 'pause', segmentIndex: current.index, positionMs },
        answered: true,
      };
    case 'resumed': {
      if (state === 'active' && current.index > 0 && current.startMs === positionMs) return unchanged(state);
      if (state !== 'paused') return refuse(state, `the recording is ${state}, not paused`);
      if (positionMs < (current.endMs ?? 0)) return refuse(state, 'it precedes the pause');
      const next: ControlSegment = { index: current.index + 1, startMs: positionMs, endMs: null };
      return {
        state: 'active',
        startSegment: next,
        write: { kind: 'resume', segmentIndex: next.index, positionMs },
        answered: true,
      };
    }
    case 'announcement':
    case 'tone':
    case 'error':
      if (!live) return refuse(state, `the recording is ${state}`);
      return { state, write: { kind: 'event', row: eventRow(message, positionMs) }, answered: true };
    case 'discarded':
      if (state === 'discarded') return unchanged(state);
      if (!live) return refuse(state, `the recording is ${state}`);
      return {
        state: 'discarded',
        ...(state === 'active' ? { endSegmentAtMs: positionMs } : {}),
        write: { kind: 'discard', positionMs },
        answered: true,
      };
    case 'close':
      if (!live) return { state, awaits: 'closed', answered: true };
      return {
        state: 'closed',
        ...(state === 'active' ? { endSegmentAtMs: positionMs } : {}),
        write: { kind: 'close', positionMs, reason: message.parameters.reason },
        awaits: 'closed',
        answered: true,
      };
  }
}

/** The stored event of an announcement, a tone or a client-reported error. */
function eventRow(
  message: Extract<ControlMessage, { type: 'announcement' | 'tone' | 'error' }>,
  positionMs: number,
): EventRow {
  switch (message.type) {
    case 'announcement':
      return {
        type: 'announcement',
        kind: message.parameters.kind,
        positionMs,
        detail: { sound: message.parameters.sound },
      };
    case 'tone':
      return {
        type: 'tone',
        kind: String(message.parameters.index),
        positionMs,
        detail: { index: message.parameters.index },
      };
    case 'error':
      return {
        type: 'client-error',
        kind: message.parameters.code,
        positionMs,
        detail: { message: message.parameters.message },
      };
  }
}
