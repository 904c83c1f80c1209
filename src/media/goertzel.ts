/**
 * Goertzel filter: the amplitude of one frequency in a block of samples. Used to prove that prompts are
 * in what the parties hear and never in what is recorded (S25).
 */
import { SAMPLE_RATE_HZ } from './media-format.ts';

/**
 * Amplitude (in sample units) of the `frequencyHz` component of `samples`: a pure tone of peak A gives
 * ≈ A when the block holds a whole number of its cycles.
 */
export function goertzelAmplitude(
  samples: ArrayLike<number>,
  frequencyHz: number,
  sampleRateHz = SAMPLE_RATE_HZ,
): number {
  const n = samples.length;
  if (n === 0) return 0;
  const coefficient = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRateHz);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = (samples[i] as number) + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / n;
}
