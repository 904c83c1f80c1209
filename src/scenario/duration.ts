/** Durations in scenarios are written with a unit (`500ms`, `12s`, `1.5m`, `2h`, `31d`) and read as ms. */
import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

export function parseDurationMs(text: string): number | undefined {
  const match = DURATION_RE.exec(text.trim());
  if (!match) return undefined;
  const [, amount, unit] = match;
  return Math.round(Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]);
}

export function formatDurationMs(ms: number): string {
  if (ms % 86_400_000 === 0 && ms !== 0) return `${ms / 86_400_000}d`;
  if (Math.abs(ms) >= 1000) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** A zod schema for a duration string; its error says how to write one. */
export const durationMs = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value);
  if (typeof value === 'number') {
    // A bare number has no unit; say how to write it (seconds being the usual meaning in a scenario).
    ctx.addIssue({
      code: 'custom',
      message: `write a duration with a unit: ${text}s (units: ms, s, m, h, d)`,
    });
    return z.NEVER;
  }
  const ms = parseDurationMs(text);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a duration: write a number with a unit, e.g. 500ms, 12s, 1.5m, 2h, 31d`,
    });
    return z.NEVER;
  }
  return ms;
});
