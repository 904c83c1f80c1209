/**
 * RTP sequence numbers are 16-bit and wrap every 21 minutes at 50 packets/s; the sink stores the extended
 * (wrap-counting) number so a one-hour call deduplicates by (SSRC, extended seq) without collisions.
 */

const SEQ_MOD = 0x1_0000;
const HALF = 0x8000;

/** Extends `seq` to the value closest to `highestExt` (RFC 3550 A.1); the first packet extends to itself. */
export function extendSequence(highestExt: number | undefined, seq: number): number {
  if (highestExt === undefined) return seq;
  let ext = Math.floor(highestExt / SEQ_MOD) * SEQ_MOD + seq;
  if (ext - highestExt > HALF) ext -= SEQ_MOD;
  else if (highestExt - ext > HALF) ext += SEQ_MOD;
  return ext;
}

/** Signed distance between two 32-bit RTP timestamps, so a reordered packet lands just before its anchor. */
export function timestampDelta(timestamp: number, anchorTimestamp: number): number {
  return (timestamp - anchorTimestamp) | 0;
}
