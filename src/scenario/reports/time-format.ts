/** Virtual times as reports print them: a clock (`mm:ss.mmm`) for timelines, a short span for durations. */

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `mm:ss.mmm`; minutes keep counting past 59 so a long call still sorts and reads as one clock. */
export function formatClockMs(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.round(Math.abs(ms));
  const minutes = Math.floor(total / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  return `${sign}${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(total % 1000, 3)}`;
}

const SPAN_UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
] as const;

/** `450ms`, `12.5s`, `1m 59.7s`, `2h 5m`, `31d`: scenarios span milliseconds to months of virtual time. */
export function formatSpanMs(ms: number): string {
  const total = Math.round(Math.abs(ms));
  const sign = ms < 0 ? '-' : '';
  if (total < 1000) return `${sign}${total}ms`;
  const parts: string[] = [];
  let rest = total;
  for (const [unit, size] of SPAN_UNITS) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0) parts.push(`${amount}${unit}`);
  }
  if (rest > 0) parts.push(`${Number((rest / 1000).toFixed(3))}s`);
  return sign + parts.join(' ');
}
