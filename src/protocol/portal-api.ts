/**
 * What the portal (`GET /v1/portal/recordings[/:id]`) answers: a recording's summary, its streams and its
 * full metadata, as the sink builds them and the admin client reads them.
 */
import type { Tier } from '../domain/subscription.ts';
import type { MediaFormat, RecordingState } from './messages.ts';
import type { StreamReceiveStats } from './receive-stats-event.ts';

export interface RecordingSummary {
  readonly recordingId: string;
  readonly orgId: string;
  readonly userId: string;
  readonly direction: 'inbound' | 'outbound';
  readonly remote: { readonly type: 'internal' | 'pstn'; readonly address: string | null };
  readonly format: MediaFormat;
  readonly createdAtMs: number;
  readonly state: RecordingState;
  readonly durationMs: number;
  /** `null` while the owner is on a paid tier (S10). */
  readonly deleteAtMs: number | null;
  readonly ownerTier: Tier;
  readonly access: 'owner' | 'admin';
}

export interface StreamSummary {
  readonly label: number;
  readonly role: 'user' | 'remote';
  readonly ssrc: number;
  readonly packets: number;
  readonly duplicates: number;
  /** Sequence numbers never received between the first and the last one stored. */
  readonly lost: number;
  readonly rejected: number;
  readonly firstExtSeq: number | null;
  readonly lastExtSeq: number | null;
  /**
   * What the recorder measured on the network for this stream (RFC 3550: packets, lost, duplicated,
   * reordered, jitter), per sender SSRC; only for recordings received over SIPREC/RTP.
   */
  readonly receive?: readonly StreamReceiveStats[];
}

export interface RecordingMetadata extends RecordingSummary {
  readonly segments: readonly { readonly startMs: number; readonly endMs: number | null }[];
  readonly pauses: readonly { readonly startMs: number; readonly endMs: number | null }[];
  /** S26/S32: announcements Webex reported as played; never part of the audio (S25). */
  readonly announcements: readonly {
    readonly kind: string;
    readonly sound: string;
    readonly positionMs: number;
  }[];
  readonly tones: readonly { readonly index: number; readonly positionMs: number }[];
  readonly clientErrors: readonly {
    readonly code: string;
    readonly message: string;
    readonly positionMs: number;
  }[];
  readonly streams: readonly StreamSummary[];
  readonly interruptions: number;
  readonly closeReason: string | null;
}

export interface PortalPage {
  readonly recordings: RecordingSummary[];
  /** Pass as `cursor` for the next page; `null` at the end (a page may hold fewer than `limit` before it). */
  readonly nextCursor: string | null;
}
