/** Reading a call machine's snapshot as a user would: recordingState (Webex API) and the S31 indicator. */
import type { StateValue } from 'xstate';
import type { Indicator, RecordingState, StopReason } from './call-events.ts';

interface RecordingContextView {
  readonly provisional: boolean;
  readonly keepRequested: boolean;
  readonly finalRecordingState: RecordingState;
}

function recordingRegion(value: StateValue): string | undefined {
  if (typeof value === 'string' || value.live === undefined || typeof value.live === 'string')
    return undefined;
  const region = value.live.recording;
  if (region === undefined) return undefined;
  return typeof region === 'string' ? region : Object.keys(region)[0];
}

export function recordingStateOfValue(value: StateValue, context: RecordingContextView): RecordingState {
  if (value === 'setup') return 'none';
  if (value === 'ended') return context.finalRecordingState;
  switch (recordingRegion(value)) {
    case 'waitingForUnhold':
      return 'pending';
    case 'connecting':
      return context.provisional && !context.keepRequested ? 'none' : 'pending';
    case 'recording':
      return 'started';
    case 'paused':
      return 'paused';
    case 'stopped':
      return 'stopped';
    case 'failed':
      return 'failed';
    default:
      return 'none';
  }
}

export function indicatorOf(state: RecordingState, ended: boolean): Indicator {
  if (ended) return 'off';
  return state === 'started' ? 'recording' : state === 'paused' ? 'paused' : 'off';
}

/** Whether this call's media is going to the recorder right now, and on what terms. */
export type MediaGate =
  | { readonly open: false }
  | { readonly open: true; readonly provisional: boolean; readonly flowing: boolean };

export function mediaGateOfValue(
  value: StateValue,
  context: { readonly provisional: boolean; readonly held: boolean },
): MediaGate {
  const region = recordingRegion(value);
  if (region === 'provisional') return { open: true, provisional: true, flowing: !context.held };
  if (region === 'recording') return { open: true, provisional: false, flowing: !context.held };
  if (region === 'paused') return { open: true, provisional: false, flowing: false };
  return { open: false };
}

export interface StopReasonView {
  readonly stopReason: StopReason | null;
}
