/**
 * RTP sequence-number arithmetic (RFC 3550). Reading RTP headers is the protocol's
 * (`src/protocol/rtp-header.ts`, the one parser); tests read what we produce with werift-rtp.
 */

/** Sequence-number arithmetic: the forward distance from `from` to `to` modulo 2^16 (RFC 3550 A.1). */
export function sequenceDistance(from: number, to: number): number {
  return (to - from + 0x10000) & 0xffff;
}
