/**
 * Waveform peaks of a stereo recording WAV: per lane (user = left, remote = right) the loudest sample
 * of each bucket, 0–1. The recording page draws its two lanes from these, so a pause gap (silence in
 * the WAV, wav-export.ts) is an empty stretch of both lanes.
 */
import { readStereoWav } from '../wav-export.ts';

export interface Peaks {
  readonly bucketMs: number;
  readonly durationMs: number;
  readonly user: readonly number[];
  readonly remote: readonly number[];
}

/** At most this many buckets whatever the length, so an hour-long call stays a small answer. */
export const MAX_BUCKETS = 2000;
const MIN_BUCKET_MS = 10;

function peaksOf(samples: Int16Array, samplesPerBucket: number, buckets: number): number[] {
  const out = new Array<number>(buckets).fill(0);
  for (let b = 0; b < buckets; b++) {
    let max = 0;
    const end = Math.min(samples.length, (b + 1) * samplesPerBucket);
    for (let i = b * samplesPerBucket; i < end; i++) {
      const v = Math.abs(samples[i] ?? 0);
      if (v > max) max = v;
    }
    out[b] = Math.round((max / 32768) * 1000) / 1000;
  }
  return out;
}

export function wavPeaks(wav: Uint8Array): Peaks {
  const { left, right, rateHz } = readStereoWav(wav);
  const durationMs = (left.length / rateHz) * 1000;
  const bucketMs = Math.max(
    MIN_BUCKET_MS,
    Math.ceil(durationMs / MAX_BUCKETS / MIN_BUCKET_MS) * MIN_BUCKET_MS,
  );
  const samplesPerBucket = Math.max(1, Math.round((bucketMs * rateHz) / 1000));
  const buckets = Math.max(1, Math.ceil(left.length / samplesPerBucket));
  return {
    bucketMs,
    durationMs,
    user: peaksOf(left, samplesPerBucket, buckets),
    remote: peaksOf(right, samplesPerBucket, buckets),
  };
}
