/**
 * Reading RTP packets (RFC 3550 §5.1) without copying: the sink reads SSRC, sequence, timestamp, marker
 * and payload of every packet it receives, so this is a hand-written header read rather than a library
 * object per packet (facts.md: ≈ 13 ms per 360,000 packets against ≈ 1,330 ms for werift-rtp).
 */
import { SimError } from '../errors.ts';
import { RTP_HEADER_BYTES } from './media-format.ts';

export interface RtpHeaderFields {
  readonly payloadType: number;
  readonly marker: boolean;
  /** 16-bit, wraps from 65,535 to 0. */
  readonly sequence: number;
  /** 32-bit, in samples (8 kHz). */
  readonly timestamp: number;
  readonly ssrc: number;
}

export interface ParsedRtpPacket extends RtpHeaderFields {
  readonly version: number;
  readonly csrcs: readonly number[];
  /** A view into the input bytes (no copy), without header, extension and padding. */
  readonly payload: Uint8Array;
}

function invalid(reason: string, byteLength: number): SimError {
  return new SimError('SIM_ERR_INVALID_MEDIA', `Not a valid RTP packet: ${reason}. Check what sent it.`, {
    details: { reason, byteLength },
  });
}

/** Parses one RTP packet; throws `SIM_ERR_INVALID_MEDIA` when the bytes are not RTP version 2. */
export function parseRtpPacket(bytes: Uint8Array): ParsedRtpPacket {
  const length = bytes.length;
  if (length < RTP_HEADER_BYTES) throw invalid(`${length} bytes is shorter than the 12-byte header`, length);
  const b0 = bytes[0] as number;
  const b1 = bytes[1] as number;
  const version = b0 >> 6;
  if (version !== 2) throw invalid(`version ${version}, expected 2`, length);
  const csrcCount = b0 & 0x0f;
  let offset = RTP_HEADER_BYTES + csrcCount * 4;
  if (offset > length) throw invalid(`${csrcCount} CSRCs do not fit`, length);
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(readUint32(bytes, RTP_HEADER_BYTES + i * 4));
  if (b0 & 0x10) {
    if (offset + 4 > length) throw invalid('header extension does not fit', length);
    const extensionWords = ((bytes[offset + 2] as number) << 8) | (bytes[offset + 3] as number);
    offset += 4 + extensionWords * 4;
    if (offset > length) throw invalid('header extension does not fit', length);
  }
  let end = length;
  if (b0 & 0x20) {
    const padding = bytes[length - 1] as number;
    if (padding === 0 || offset + padding > length) throw invalid(`bad padding length ${padding}`, length);
    end -= padding;
  }
  return {
    version,
    payloadType: b1 & 0x7f,
    marker: (b1 & 0x80) !== 0,
    sequence: ((bytes[2] as number) << 8) | (bytes[3] as number),
    timestamp: readUint32(bytes, 4),
    ssrc: readUint32(bytes, 8),
    csrcs,
    payload: bytes.subarray(offset, end),
  };
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] as number) << 24) |
      ((bytes[at + 1] as number) << 16) |
      ((bytes[at + 2] as number) << 8) |
      (bytes[at + 3] as number)) >>>
    0
  );
}

/** Sequence-number arithmetic: the forward distance from `from` to `to` modulo 2^16 (RFC 3550 A.1). */
export function sequenceDistance(from: number, to: number): number {
  return (to - from + 0x10000) & 0xffff;
}
