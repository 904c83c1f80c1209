/** What the media pipeline or the sink tell a report about each recording, looked up by recording id. */
import type { PredictedRefusal } from './dubber-refusal.ts';
import type { StoredAudio, StoredStreamStats } from './expect/stored-audio.ts';

/** Per-recording results that the media pipeline or the sink add (packets actually sent, lost, stored). */
export interface RecordingDelivery {
  readonly packetsPerStream?: readonly [number, number];
  readonly lostPerStream?: readonly [number, number];
  readonly stored?: boolean;
  /** The sink refused to open the recording (a dub.point mismatch, S33). */
  readonly refused?: PredictedRefusal;
  /** What the sink stored, read back as 16-bit samples (only for calls with audio expectations). */
  readonly audio?: StoredAudio;
  /** The sink's own stream statistics. */
  readonly rtp?: readonly StoredStreamStats[];
  readonly sinkRecordingId?: string;
}

export type DeliveryLookup = (recordingId: string) => RecordingDelivery | undefined;
