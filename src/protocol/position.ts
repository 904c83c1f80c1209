/**
 * Positions on the recording timeline as AudioHook writes them: ISO 8601 durations in seconds,
 * "PT12.34S". Kept to whole milliseconds so a position survives a JSON round trip exactly.
 */

const POSITION_PATTERN = /^PT(\d{1,10})(?:\.(\d{1,9}))?S$/;

/** Milliseconds from "PT12.345S", or `undefined` when the text is not such a duration. */
export function parsePositionMs(text: string): number | undefined {
  const match = POSITION_PATTERN.exec(text);
  if (match === null) return undefined;
  const whole = Number(match[1]);
  const fraction = (match[2] ?? '').padEnd(4, '0');
  // Round on the fourth decimal so "PT0.0005S" is 1 ms, without going through binary floating point.
  const ms = whole * 1000 + Number(fraction.slice(0, 3)) + (Number(fraction[3]) >= 5 ? 1 : 0);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** "PT12.34S" for 12,340 ms; trailing zeros trimmed, "PT0S" for zero. */
export function formatPosition(positionMs: number): string {
  const ms = Math.max(0, Math.round(positionMs));
  const seconds = Math.floor(ms / 1000);
  const fraction = String(ms % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return fraction === '' ? `PT${seconds}S` : `PT${seconds}.${fraction}S`;
}

/** 8 kHz sample count for a position in ms (the audio store works in samples, control messages in ms). */
export const SAMPLES_PER_MS = 8;
