/**
 * What the recorded streams emit: RTP packets with their virtual times, and gating markers (opened, kept,
 * paused, resumed, closed, discarded) with the recording position, shared by both streams.
 */
import type { StreamLabel } from './media-format.ts';
import type { StreamIdentities } from './stream-identity.ts';

export interface MediaPacket {
  readonly kind: 'packet';
  /** SIPREC label: 1 = recorded user, 2 = remote party. */
  readonly label: StreamLabel;
  /** Which recording of the call (0 first; On Demand can start again after a stop). */
  readonly recording: number;
  /** Virtual time the packet was emitted (arrival time after impairments). */
  readonly atMs: number;
  /** Virtual time of the audio it carries (its slot). Equals `atMs` except for held-back On Demand capture. */
  readonly mediaMs: number;
  readonly ssrc: number;
  readonly payloadType: number;
  readonly sequence: number;
  readonly timestamp: number;
  /** Set on the first packet of the stream and on the first packet after a pause (RFC 3551 talk spurt). */
  readonly marker: boolean;
  /** The serialized RTP packet, 172 bytes. Shared storage: read it, do not write to it. */
  readonly bytes: Uint8Array;
}

interface MarkerBase {
  readonly kind: 'marker';
  readonly recording: number;
  readonly atMs: number;
  /** Audio per stream in this recording so far (packets × 20 ms), counting held-back provisional capture. */
  readonly positionMs: number;
}

export type MediaMarker =
  /** A recording starts; its packets carry these SSRCs and start at these sequence numbers. */
  | (MarkerBase & {
      readonly type: 'opened';
      readonly provisional: boolean;
      readonly identities: StreamIdentities;
    })
  /** On Demand confirmed: the held-back packets (`releasedPackets` per stream) follow at once. */
  | (MarkerBase & { readonly type: 'kept'; readonly releasedPackets: number })
  | (MarkerBase & { readonly type: 'paused' })
  | (MarkerBase & { readonly type: 'resumed'; readonly pausedAtMs: number })
  | (MarkerBase & { readonly type: 'closed'; readonly reason: 'close' | 'end-of-call' })
  | (MarkerBase & {
      readonly type: 'discarded';
      readonly reason: 'discard' | 'close' | 'end-of-call';
      /** Provisional packets per stream that were held back and are now dropped. */
      readonly droppedPackets: number;
    });

export type MediaItem = MediaPacket | MediaMarker;

export function isMediaPacket(item: MediaItem): item is MediaPacket {
  return item.kind === 'packet';
}

export function isMediaMarker(item: MediaItem): item is MediaMarker {
  return item.kind === 'marker';
}
