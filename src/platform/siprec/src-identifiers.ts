/**
 * The identifiers of one recording session — Call-ID, From tag, Via branches, metadata UUIDs, Session-ID,
 * BroadWorks' extTrackingID, the SDP session id — drawn from a seeded generator forked per recording, so
 * a virtual replay sends byte-identical messages and two recordings never share one. Branches start with
 * RFC 3261's magic cookie `z9hG4bK` and are new for every request (the ACK of a 2xx included).
 */
import { createRng, type Rng } from '../../time/index.ts';

export interface SrcIdentifiers {
  readonly callId: string;
  readonly localTag: string;
  readonly sessionIdHeader: string;
  readonly extTrackingId: string;
  readonly sdpSessionId: string;
  readonly ids: {
    readonly session: string;
    readonly group: string;
    readonly userParticipant: string;
    readonly remoteParticipant: string;
    readonly userStream: string;
    readonly remoteStream: string;
  };
  /** A new branch for each request. */
  nextBranch(): string;
}

const hex = (rng: Rng, digits: number): string => {
  let out = '';
  while (out.length < digits) out += rng.nextUint32().toString(16).padStart(8, '0');
  return out.slice(0, digits);
};

function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function createSrcIdentifiers(seed: string, recordingId: string, host: string): SrcIdentifiers {
  const rng = createRng(`${seed}\n${recordingId}`);
  const token = hex(rng, 12);
  let branches = 0;
  const urn = () => `urn:uuid:${uuid(rng)}`;
  return {
    callId: `rec-${token}@${host}`,
    localTag: `src-${hex(rng, 8)}`,
    sessionIdHeader: hex(rng, 32),
    extTrackingId: uuid(rng),
    sdpSessionId: String(1_000_000_000 + rng.nextInt(0, 999_999_999)),
    ids: {
      session: urn(),
      group: urn(),
      userParticipant: urn(),
      remoteParticipant: urn(),
      userStream: urn(),
      remoteStream: urn(),
    },
    nextBranch: () => `z9hG4bK-${token}-${++branches}`,
  };
}
