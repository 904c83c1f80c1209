/**
 * What an SRS learns from a recording INVITE, decoded from its two body parts: each SDP stream tied to its
 * metadata stream by label and to the participant that sends it (label → stream → participant), the
 * codecs, the shape (two streams or one mixed), whether it is paused (`a=inactive`), and the BroadWorks
 * identifiers that are the user's dub.point. Labels 1 and 2 are the recorded user and the other party
 * (BroadWorks); with other labels the first m-line is taken as the user's.
 */
import {
  type MetadataParticipant,
  parseRecordingMetadata,
  type RecordingMetadata,
} from './recording-metadata.ts';
import {
  parseRecordingSdp,
  type RecordingSdp,
  type SdpCodec,
  type StreamDirection,
} from './recording-sdp.ts';
import { faultResult, okResult, type SiprecResult } from './siprec-errors.ts';

export type StreamRole = 'user' | 'remote' | 'mixed';

export interface OfferedRecordingStream {
  readonly label: string;
  readonly role: StreamRole;
  readonly address: string;
  readonly port: number;
  readonly direction: StreamDirection;
  readonly codecs: readonly SdpCodec[];
  readonly streamId: string;
  /** Who sends it, per the metadata (undefined if no participant claims it). */
  readonly participant?: MetadataParticipant;
}

/** The dub.point values (Control Hub `serviceProvider`, `externalGroup`, `externalIdentifier`, S33). */
export interface DubPointIdentifiers {
  readonly serviceProvider: string;
  readonly externalGroup: string;
  readonly externalIdentifier: string;
}

export interface RecordingOffer {
  readonly shape: RecordingSdp['shape'];
  /** Every stream `a=inactive`: the recording is paused. */
  readonly paused: boolean;
  readonly streams: readonly OfferedRecordingStream[];
  readonly sdp: RecordingSdp;
  readonly metadata: RecordingMetadata;
  readonly dubPoint?: DubPointIdentifiers;
}

export function dubPointOf(metadata: RecordingMetadata): DubPointIdentifiers | undefined {
  const bw = metadata.broadWorks;
  return bw === undefined
    ? undefined
    : { serviceProvider: bw.serviceProviderId, externalGroup: bw.groupId, externalIdentifier: bw.userId };
}

function roleOf(sdp: RecordingSdp, index: number): StreamRole {
  if (sdp.shape === 'mixed') return 'mixed';
  const labels = sdp.streams.map((s) => s.label).sort();
  if (labels[0] === '1' && labels[1] === '2') return sdp.streams[index]?.label === '1' ? 'user' : 'remote';
  return index === 0 ? 'user' : 'remote';
}

/** Ties SDP streams to metadata streams and participants; every SDP label must be in the metadata. */
export function mapRecordingStreams(
  sdp: RecordingSdp,
  metadata: RecordingMetadata,
): SiprecResult<OfferedRecordingStream[]> {
  const out: OfferedRecordingStream[] = [];
  for (const [index, stream] of sdp.streams.entries()) {
    const meta = metadata.streams.find((s) => s.label === stream.label);
    if (meta === undefined) {
      return faultResult(
        'SIPREC_ERR_LABELS',
        `SDP label ${stream.label} has no stream in the metadata (metadata labels: ${metadata.streams.map((s) => s.label).join(', ')})`,
      );
    }
    const participant = metadata.participants.find((p) => p.sends.includes(meta.id));
    out.push({
      label: stream.label,
      role: roleOf(sdp, index),
      address: stream.address,
      port: stream.port,
      direction: stream.direction,
      codecs: stream.codecs,
      streamId: meta.id,
      ...(participant === undefined ? {} : { participant }),
    });
  }
  return okResult(out);
}

export function decodeRecordingOffer(sdpText: string, metadataText: string): SiprecResult<RecordingOffer> {
  const sdp = parseRecordingSdp(sdpText);
  if (!sdp.ok) return sdp;
  const metadata = parseRecordingMetadata(metadataText);
  if (!metadata.ok) return metadata;
  return offerFrom(sdp.value, metadata.value);
}

/** Combines a parsed SDP with metadata already known (a re-INVITE that carries SDP only). */
export function offerFrom(sdp: RecordingSdp, metadata: RecordingMetadata): SiprecResult<RecordingOffer> {
  const streams = mapRecordingStreams(sdp, metadata);
  if (!streams.ok) return streams;
  const dubPoint = dubPointOf(metadata);
  return okResult({
    shape: sdp.shape,
    paused: sdp.streams.every((s) => s.direction === 'inactive'),
    streams: streams.value,
    sdp,
    metadata,
    ...(dubPoint === undefined ? {} : { dubPoint }),
  });
}
