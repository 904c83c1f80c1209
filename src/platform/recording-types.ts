/**
 * What the recording client's callers name: an `open` request, the replies it resolves with, and how the
 * sink's codes map to the simulator's. Shared by the connection (connection.ts) and its one-recording
 * facade (client.ts).
 */
import type { DubPoint } from '../domain/platform-info.ts';
import type { SimErrorCode } from '../errors.ts';
import { type MediaFormat, type RecordingState, STREAM_LABELS } from '../protocol/messages.ts';
import type { SinkErrorCode } from '../protocol/sink-errors.ts';

export interface OpenRecordingRequest {
  /** Defaults to a random UUID. Reuse an id to resume a recording. */
  readonly recordingId?: string;
  readonly orgId: string;
  readonly userId: string;
  /** What Control Hub shows for the user (S19, S33); the sink compares it with its own dub.point. */
  readonly dubPoint: DubPoint;
  readonly direction: 'inbound' | 'outbound';
  readonly remote: { readonly type: 'internal' | 'pstn'; readonly address?: string };
  readonly format: MediaFormat;
  readonly ssrcs: { readonly user: number; readonly remote: number };
  /** Position of the start of the recording (default 0). */
  readonly positionMs?: number;
}

export interface OpenedInfo {
  readonly resumed: boolean;
  readonly state: RecordingState;
  readonly packetsStored: number;
}

export interface CheckpointInfo {
  readonly clientSeq: number;
  readonly frames: number;
  readonly packetsStored: number;
  readonly position: string;
}

export interface SinkWarning {
  readonly code: string;
  readonly message: string;
}

/** Maps a fatal sink code to the simulator's error codes. */
export function simCodeOf(code: SinkErrorCode | undefined): SimErrorCode {
  if (code === 'SINK_ERR_DUBPOINT_MISMATCH') return 'SIM_ERR_DUBPOINT_MISMATCH';
  if (
    code === undefined ||
    code === 'SINK_ERR_STORAGE' ||
    code === 'SINK_ERR_SHUTDOWN' ||
    code === 'SINK_ERR_SUPERSEDED'
  ) {
    return 'SIM_ERR_SINK_UNAVAILABLE';
  }
  if (code.startsWith('SINK_ERR_AUTH')) return 'SIM_ERR_SINK_AUTH';
  return 'SIM_ERR_SINK_PROTOCOL';
}

/** The `open` message's parameters for a recording (`multiplex` is added by a multiplexed connection). */
export function openParametersOf(request: OpenRecordingRequest) {
  return {
    orgId: request.orgId,
    userId: request.userId,
    dubPoint: request.dubPoint,
    direction: request.direction,
    remote: request.remote,
    media: {
      format: request.format,
      rate: 8000,
      streams: [
        { ssrc: request.ssrcs.user, label: STREAM_LABELS.user },
        { ssrc: request.ssrcs.remote, label: STREAM_LABELS.remote },
      ],
    },
  };
}
