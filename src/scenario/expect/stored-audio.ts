/**
 * What the sink stored of one recording, read back for the audio expectations: the stereo WAV the
 * portal serves (left = the user, right = the remote party) as samples, and the sink's stream statistics.
 */
import { readStereoWav } from '../../dubber/index.ts';

export interface StoredAudio {
  /** Scenario time of sample 0 (the recording's open). */
  readonly openedAtMs: number;
  readonly rateHz: number;
  readonly user: Int16Array;
  readonly remote: Int16Array;
}

/** Per stream, as the transport counted it (RFC 3550 §6.4.1 terms where it has them). */
export interface StoredStreamStats {
  readonly role: 'user' | 'remote';
  readonly ssrc: number;
  readonly packets: number;
  readonly duplicates: number;
  readonly lost: number;
  /** Extended highest sequence number minus the first, plus one: what RFC 3550 calls expected. */
  readonly expected: number;
  /** Interarrival jitter in ms, when the transport measures it (the sink does not). */
  readonly jitterMs?: number;
}

export function storedAudioOf(wav: Uint8Array, openedAtMs: number): StoredAudio {
  const { left, right, rateHz } = readStereoWav(wav);
  return { openedAtMs, rateHz, user: left, remote: right };
}

/** RFC 3550 fraction lost of a stream: lost / expected (0 when nothing was expected). */
export function fractionLost(stats: StoredStreamStats): number {
  return stats.expected <= 0 ? 0 : Math.max(0, stats.lost) / stats.expected;
}
