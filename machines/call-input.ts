/** What a call machine is started with: a snapshot of the user's settings and the call's circumstances. */
import type { RecorderSettings } from '../src/domain/recorder.ts';
import type { RecordingSettings } from '../src/domain/settings.ts';

export type CallDirection = 'incoming' | 'outgoing';
export type RemoteType = 'internal' | 'pstn';

/**
 * How this call is recorded, derived once from the settings (S20–S23, S28):
 * voicemail calls are recorded automatically when voicemail recording is on, otherwise not at all.
 */
export type RecordingPolicy = 'never' | 'always' | 'alwaysPauseResume' | 'onDemand' | 'onDemandUserStart';

export interface CallInput {
  readonly callId: string;
  readonly settings: RecordingSettings;
  readonly direction: CallDirection;
  readonly remote: RemoteType;
  /** A voicemail message sent or received by the user (S28). */
  readonly voicemail: boolean;
  readonly recorder: RecorderSettings;
  /** How long the recorder takes to answer when it is up. */
  readonly recorderAnswerMs: number;
  /** Whether the recorder is reachable when the call starts. */
  readonly recorderUp: boolean;
  /** The shared clock's reading; the machine needs it to carry tone time across pauses. */
  readonly nowMs: () => number;
}

export function recordingPolicyOf(input: Pick<CallInput, 'settings' | 'voicemail'>): RecordingPolicy {
  const { settings, voicemail } = input;
  if (!settings.enabled) return 'never';
  if (voicemail) return settings.recordVoicemailEnabled ? 'always' : 'never';
  switch (settings.record) {
    case 'Never':
      return 'never';
    case 'Always':
      return 'always';
    case 'Always with Pause/Resume':
      return 'alwaysPauseResume';
    case 'On Demand':
      return 'onDemand';
    case 'On Demand with User Initiated Start':
      return 'onDemandUserStart';
  }
}

/** S24: the start/stop announcement plays when enabled for this kind of remote party. */
export function announcesStartStop(input: Pick<CallInput, 'settings' | 'remote'>): boolean {
  const { settings, remote } = input;
  if (!settings.startStopAnnouncementEnabled) return false;
  return remote === 'internal'
    ? settings.startStopAnnouncement.internalCallsEnabled
    : settings.startStopAnnouncement.pstnCallsEnabled;
}
