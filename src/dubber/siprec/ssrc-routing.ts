/**
 * Which recorded stream an RTP packet belongs to, by its SSRC, across all the receive ports of one
 * recording session. An SSRC the offer declared (`a=ssrc`) is bound to its m-line's stream; any other SSRC
 * is bound, on its first packet, to the stream of the port it arrived on if that stream has no SSRC yet,
 * else to the first stream (label order) still without one. From then on its packets go to that stream
 * whichever of the session's ports they reach: a sender that puts both streams on one port (SIPp's
 * `play_pcap_audio` sends a whole pcap to one port) is recorded as two streams. A third SSRC, once every
 * stream has one, is not routed (dropped and counted).
 */

export interface SsrcRouting {
  /** Binds `ssrc` to stream `index` before any packet (an `a=ssrc` of the offer); false if either is taken. */
  declare(ssrc: number, index: number): boolean;
  /** The stream index for a packet of `ssrc` that arrived on the port of stream `portIndex`, or undefined. */
  route(ssrc: number, portIndex: number): number | undefined;
  /** Sender SSRCs by stream index. */
  bound(): ReadonlyMap<number, number>;
}

export function createSsrcRouting(streamCount: number): SsrcRouting {
  const bySsrc = new Map<number, number>();
  const claimed: boolean[] = Array.from({ length: streamCount }, () => false);
  return {
    declare(ssrc, index) {
      if (index < 0 || index >= streamCount || claimed[index] || bySsrc.has(ssrc)) return false;
      claimed[index] = true;
      bySsrc.set(ssrc, index);
      return true;
    },
    route(ssrc, portIndex) {
      const known = bySsrc.get(ssrc);
      if (known !== undefined) return known;
      const target = claimed[portIndex] === false ? portIndex : claimed.indexOf(false);
      if (target < 0) return undefined;
      claimed[target] = true;
      bySsrc.set(ssrc, target);
      return target;
    },
    bound: () => new Map([...bySsrc].map(([ssrc, index]) => [index, ssrc])),
  };
}

/** `a=ssrc:<id>` lines of each audio m-section, in m-line order (RFC 5576); the first id of each. */
export function offeredSsrcs(sdp: string): (number | undefined)[] {
  const sections = sdp.split(/\r?\n(?=m=)/).slice(1);
  return sections
    .filter((s) => s.startsWith('m=audio'))
    .map((s) => {
      const m = /^a=ssrc:(\d{1,10})\b/m.exec(s);
      const value = m === null ? Number.NaN : Number(m[1]);
      return Number.isInteger(value) && value <= 0xffffffff ? value : undefined;
    });
}
