/**
 * The RTP identity of one recorded stream: SSRC and the random starting sequence number and timestamp
 * RFC 3550 asks for, drawn from the seeded RNG so a replay produces the same bytes every time.
 */
import type { Rng } from '../time/index.ts';
import type { Party } from './media-format.ts';

export interface StreamIdentity {
  readonly ssrc: number;
  /** 0–65,535; the first packet carries it. */
  readonly initialSequence: number;
  /** 0–2^32−1; the packet of slot 0 (the stream's origin) carries it. */
  readonly initialTimestamp: number;
}

export type StreamIdentities = Readonly<Record<Party, StreamIdentity>>;

function drawIdentity(rng: Rng): StreamIdentity {
  return {
    ssrc: rng.nextUint32(),
    initialSequence: rng.nextInt(0, 0xffff),
    initialTimestamp: rng.nextUint32(),
  };
}

/** One identity per stream; the two SSRCs always differ, as they must within one RTP session. */
export function createStreamIdentities(rng: Rng): StreamIdentities {
  const user = drawIdentity(rng.fork('rtp/user'));
  let remote = drawIdentity(rng.fork('rtp/remote'));
  if (remote.ssrc === user.ssrc) remote = { ...remote, ssrc: (remote.ssrc + 1) >>> 0 };
  return { user, remote };
}
