/**
 * The ordered, typed event log of one call: what the call machine emits, and what the media pipeline,
 * the sink client and the reports consume. Every entry carries the virtual time it happened at.
 */

/** `recordingState` as the Webex API reports it, plus `none` while nothing has been asked for. */
export type RecordingState = 'none' | 'pending' | 'started' | 'paused' | 'stopped' | 'failed';
export type StopReason = 'User Requested' | 'Failure';
/** S31: the icon on the MPP phone and in the Webex app. */
export type Indicator = 'off' | 'recording' | 'paused';
export type CallPhase = 'setup' | 'connected' | 'held' | 'ended';
export type UserCommand = 'start' | 'stop' | 'pause' | 'resume';
/** Everything a scenario or a test can ask of a call. */
export type CallCommand =
  | UserCommand
  | 'answer'
  | 'hang-up'
  | 'hold'
  | 'unhold'
  | 'recorder-down'
  | 'recorder-up';
export type AnnouncementKind = 'start' | 'stop' | 'pause' | 'resume' | 'failure';

/** The same names as values, for validating what scenarios write (each list is checked complete below). */
export const STOP_REASONS = ['User Requested', 'Failure'] as const satisfies readonly StopReason[];
export const ANNOUNCEMENT_KINDS = [
  'start',
  'stop',
  'pause',
  'resume',
  'failure',
] as const satisfies readonly AnnouncementKind[];
export const ANNOUNCEMENT_SOUNDS = ['announcement', 'beep'] as const;
type Complete<Listed, All> = [All] extends [Listed] ? true : never;
const listsAreComplete: [
  Complete<(typeof STOP_REASONS)[number], StopReason>,
  Complete<(typeof ANNOUNCEMENT_KINDS)[number], AnnouncementKind>,
] = [true, true];
void listsAreComplete;

/**
 * Media gating for the two recorded streams (S32):
 * - `open`: media starts flowing to the recorder. `provisional` (On Demand) means it is captured from
 *   connect but kept only if the user starts recording before the call ends.
 * - `keep`: the provisional capture is confirmed (the user started recording).
 * - `pause` / `resume`: a gap in the recording; no audio is fabricated.
 * - `close`: the recording ends normally (stop, hang-up) and is kept.
 * - `discard`: the provisional capture is dropped (On Demand never started).
 */
export type MediaAction = 'open' | 'keep' | 'pause' | 'resume' | 'close' | 'discard';

interface Base {
  readonly atMs: number;
}

export type CallLogEvent =
  | (Base & { readonly type: 'call'; readonly phase: CallPhase })
  | (Base & { readonly type: 'recording'; readonly state: RecordingState; readonly reason?: StopReason })
  | (Base & { readonly type: 'indicator'; readonly indicator: Indicator })
  | (Base & { readonly type: 'media'; readonly action: MediaAction; readonly provisional?: boolean })
  | (Base & {
      readonly type: 'announcement';
      readonly kind: AnnouncementKind;
      /** What all parties hear; never part of the recording (S25). */
      readonly sound: 'announcement' | 'beep';
      /** S26/S32: Webex tells Dubber the announcement was played (only when a recording exists). */
      readonly reportedToDubber: boolean;
    })
  | (Base & { readonly type: 'tone'; readonly index: number })
  | (Base & { readonly type: 'recorder'; readonly status: 'requested' | 'connected' | 'unreachable' })
  | (Base & {
      readonly type: 'rejected';
      readonly command: CallCommand;
      readonly reason: string;
    });

export type CallLogEventType = CallLogEvent['type'];
