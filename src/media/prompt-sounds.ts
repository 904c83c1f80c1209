/**
 * What the prompts sound like in the heard mix: the start/stop announcement (S24), the pause/resume beep
 * or announcement (S27) and the repeat tone (S29). Each has one distinctive frequency, kept clear of the
 * speech band (speech-source.ts), so a Goertzel filter can tell whether a prompt is in a signal (S25).
 */
export type PromptSound = 'announcement' | 'beep' | 'tone';

export interface PromptSoundSpec {
  readonly toneHz: number;
  readonly durationMs: number;
  /** Peak amplitude in 16-bit sample units. */
  readonly peak: number;
}

/**
 * 1,400 Hz is the customary recording-warning beep; the announcement stands in for a spoken prompt with a
 * tone of its own so the two can be told apart. Both are multiples of 50 Hz: a whole number of cycles per
 * 20 ms frame, which makes per-frame Goertzel measurements exact.
 */
export const PROMPT_SOUNDS: Readonly<Record<PromptSound, PromptSoundSpec>> = {
  announcement: { toneHz: 1850, durationMs: 2000, peak: 6000 },
  beep: { toneHz: 1400, durationMs: 200, peak: 6000 },
  tone: { toneHz: 1400, durationMs: 200, peak: 6000 },
};

/** One prompt playing from `startMs` (virtual time) for its sound's duration. */
export interface PromptPlayback {
  readonly sound: PromptSound;
  readonly startMs: number;
}

export function promptEndMs(prompt: PromptPlayback): number {
  return prompt.startMs + PROMPT_SOUNDS[prompt.sound].durationMs;
}

/** The prompt's sample at virtual time `atMs`, 0 outside its playback. */
export function promptSampleAt(prompt: PromptPlayback, atMs: number): number {
  const spec = PROMPT_SOUNDS[prompt.sound];
  const elapsedMs = atMs - prompt.startMs;
  if (elapsedMs < 0 || elapsedMs >= spec.durationMs) return 0;
  return spec.peak * Math.sin((2 * Math.PI * spec.toneHz * elapsedMs) / 1000);
}
