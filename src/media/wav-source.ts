/** Plays an 8 kHz mono 16-bit WAV file as one party's audio, from a chosen virtual time onwards. */
import type { AudioSource } from './audio-source.ts';
import { SAMPLE_RATE_HZ, SAMPLES_PER_PACKET } from './media-format.ts';
import { parseWav } from './wav.ts';

export interface WavSourceOptions {
  /** Virtual time at which the file starts playing; before it there is silence. Default 0. */
  readonly startAtMs?: number;
  /** Start again from the beginning when the file ends (default false: silence after the end). */
  readonly loop?: boolean;
}

const SAMPLES_PER_MS = SAMPLE_RATE_HZ / 1000;

/** Throws `SIM_ERR_INVALID_MEDIA` (from `parseWav`) for anything but 8 kHz mono 16-bit PCM. */
export function createWavSource(wavBytes: Uint8Array, options: WavSourceOptions = {}): AudioSource {
  const { samples } = parseWav(wavBytes);
  const startAtMs = options.startAtMs ?? 0;
  const loop = options.loop ?? false;
  const frame = new Int16Array(SAMPLES_PER_PACKET);
  return {
    frameAt(startMs) {
      const first = Math.round((startMs - startAtMs) * SAMPLES_PER_MS);
      // A view when the frame lies inside the file; otherwise copy sample by sample into a scratch frame.
      if (first >= 0 && first + SAMPLES_PER_PACKET <= samples.length) {
        return samples.subarray(first, first + SAMPLES_PER_PACKET);
      }
      for (let i = 0; i < SAMPLES_PER_PACKET; i++) {
        let at = first + i;
        if (loop && at >= 0 && samples.length > 0) at %= samples.length;
        frame[i] = at >= 0 && at < samples.length ? (samples[at] as number) : 0;
      }
      return frame;
    },
  };
}
