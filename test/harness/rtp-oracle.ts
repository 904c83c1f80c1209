/**
 * Reads an RTP packet with werift-rtp, the independent reference: the tests check the packets we produce
 * with it rather than with a parser of our own.
 */
import { RtpPacket } from 'werift-rtp';

export interface OracleRtpPacket {
  readonly version: number;
  readonly payloadType: number;
  readonly marker: boolean;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  /** Without header, extension and padding. */
  readonly payload: Uint8Array;
}

export function parseRtpPacket(bytes: Uint8Array): OracleRtpPacket {
  const packet = RtpPacket.deSerialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { header } = packet;
  return {
    version: header.version,
    payloadType: header.payloadType,
    marker: header.marker,
    sequence: header.sequenceNumber,
    timestamp: header.timestamp,
    ssrc: header.ssrc,
    csrcs: header.csrc,
    payload: new Uint8Array(packet.payload),
  };
}
