/**
 * What the two parties say, as a function of virtual time. Recorded streams and the heard mix read the
 * same source at the same instants, so what is recorded is exactly what was said (minus prompts, S25).
 */
import type { G711Law } from './g711.ts';
import { SAMPLES_PER_PACKET } from './media-format.ts';

export interface AudioSource {
  /**
   * The 160 samples (16-bit, 8 kHz) of the 20 ms starting at virtual time `startMs`. The array belongs
   * to the source: read it, never write to it, and do not keep it past the next call.
   */
  frameAt(startMs: number): Int16Array;
  /**
   * Optional fast path: the same frame already G.711-encoded (160 bytes), for sources that can encode
   * once and reuse, such as a fixed bank of frames. Same ownership rules as `frameAt`.
   */
  encodedFrameAt?(startMs: number, law: G711Law): Uint8Array;
}

/** One audio source per SIPREC stream: label 1 = the recorded user, label 2 = the remote party. */
export interface PartySources {
  readonly user: AudioSource;
  readonly remote: AudioSource;
}

const SILENT_FRAME = new Int16Array(SAMPLES_PER_PACKET);
const SILENT_ENCODED: Readonly<Record<G711Law, Uint8Array>> = {
  mulaw: new Uint8Array(SAMPLES_PER_PACKET).fill(0xff),
  alaw: new Uint8Array(SAMPLES_PER_PACKET).fill(0xd5),
};

/** Digital silence (µ-law 0xFF, A-law 0xD5 on the wire). */
export function createSilenceSource(): AudioSource {
  return { frameAt: () => SILENT_FRAME, encodedFrameAt: (_startMs, law) => SILENT_ENCODED[law] };
}
