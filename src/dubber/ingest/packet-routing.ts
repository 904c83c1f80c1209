/**
 * Which recording and stream an RTP packet belongs to, by its SSRC: the streams every open declared on
 * a connection (one recording, or many on a multiplexed one). Keyed by the SSRC as an int32
 * (`ssrc | 0`): a uint32 above 2^31 would be a heap number, allocated on every lookup at 200,000 packets
 * a second; an int32 is a small integer.
 */

export interface Route<R, S> {
  readonly rec: R;
  readonly stream: S;
}

export interface PacketRouter<R, S> {
  /** The route of a packet with this SSRC, if an open declared it. */
  route(ssrc: number): Route<R, S> | undefined;
  /** Routes every stream of `rec`. */
  add(rec: R, streams: Iterable<readonly [number, S]>): void;
  /** Stops routing the SSRCs that still go to `rec`. */
  remove(rec: R, ssrcs: Iterable<number>): void;
}

export function createPacketRouter<R, S>(): PacketRouter<R, S> {
  const routes = new Map<number, Route<R, S>>();
  return {
    route: (ssrc) => routes.get(ssrc | 0),
    add(rec, streams) {
      for (const [ssrc, stream] of streams) routes.set(ssrc | 0, { rec, stream });
    },
    remove(rec, ssrcs) {
      for (const ssrc of ssrcs) if (routes.get(ssrc | 0)?.rec === rec) routes.delete(ssrc | 0);
    },
  };
}
