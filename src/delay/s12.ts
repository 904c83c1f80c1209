/**
 * Checks seed statement S12 against a Monte Carlo result: "ICE and call recording each add a small delay
 * at the start of a call; used together, the delay is slightly longer". Judged at the median; the paired
 * call-by-call fractions say how often it holds for single calls.
 */
import type { DelayConfigId } from './call-delay.ts';
import type { ConfigSummary, PairedComparison } from './monte-carlo-summary.ts';

export interface S12Assessment {
  /** All three parts hold at the median. */
  readonly holds: boolean;
  readonly iceAddsDelay: boolean;
  readonly recordingAddsDelay: boolean;
  /** p50(ICE + recording) > max(p50(ICE), p50(recording)). */
  readonly combinedLongest: boolean;
  readonly p50Ms: Readonly<Record<DelayConfigId, number>>;
  /** Mean added delay of the combination against the sum of the two alone. */
  readonly combinedVsSum: 'overlap' | 'additive' | 'compounding';
  readonly findings: readonly string[];
}

/** hdr-histogram keeps 3 significant digits, so differences below this are noise, not findings. */
function clearlyAbove(a: number, b: number): boolean {
  return a - b > Math.max(0.5, 0.002 * Math.max(Math.abs(a), Math.abs(b)));
}

const ms = (v: number): string => `${v.toFixed(v >= 100 ? 0 : 1)} ms`;
const pct = (f: number): string => `${(100 * f).toFixed(f > 0 && f < 0.001 ? 3 : 1)} %`;

export function assessS12(configs: readonly ConfigSummary[], paired: PairedComparison): S12Assessment {
  const p50 = (id: DelayConfigId): number => configs.find((c) => c.id === id)?.p50Ms ?? Number.NaN;
  const p50Ms = {
    baseline: p50('baseline'),
    ice: p50('ice'),
    recording: p50('recording'),
    combined: p50('combined'),
  };
  const iceAddsDelay = clearlyAbove(p50Ms.ice, p50Ms.baseline);
  const recordingAddsDelay = clearlyAbove(p50Ms.recording, p50Ms.baseline);
  const combinedLongest = clearlyAbove(p50Ms.combined, Math.max(p50Ms.ice, p50Ms.recording));
  const added = paired.meanAddedMs;
  const tolerance = Math.max(0.5, 0.01 * Math.abs(paired.sumOfAddedMs));
  const combinedVsSum =
    added.combined < paired.sumOfAddedMs - tolerance
      ? 'overlap'
      : added.combined > paired.sumOfAddedMs + tolerance
        ? 'compounding'
        : 'additive';

  const findings: string[] = [];
  findings.push(
    iceAddsDelay
      ? `ICE adds ${ms(p50Ms.ice - p50Ms.baseline)} at the median (${ms(p50Ms.baseline)} → ${ms(p50Ms.ice)}).`
      : `ICE does NOT add delay at the median (${ms(p50Ms.baseline)} → ${ms(p50Ms.ice)}): the shorter direct path saves at least what the checks cost.`,
  );
  if (paired.iceShorterThanBaselineFraction > 0)
    findings.push(
      `ICE alone is faster than the baseline in ${pct(paired.iceShorterThanBaselineFraction)} of calls.`,
    );
  findings.push(
    recordingAddsDelay
      ? `Recording adds ${ms(p50Ms.recording - p50Ms.baseline)} at the median (${ms(p50Ms.baseline)} → ${ms(p50Ms.recording)}).`
      : `Recording does NOT add delay at the median (${ms(p50Ms.baseline)} → ${ms(p50Ms.recording)}).`,
  );
  const longer = Math.max(p50Ms.ice, p50Ms.recording);
  findings.push(
    combinedLongest
      ? `Together: ${ms(p50Ms.combined)} at the median, ${ms(p50Ms.combined - longer)} longer than the slower one alone.`
      : `Together (${ms(p50Ms.combined)}) is NOT longer than the slower one alone (${ms(longer)}) at the median.`,
  );
  findings.push(
    `Call by call: combined longer than both alone in ${pct(paired.combinedLongerThanBothFraction)}, equal to recording alone (ICE hidden behind the recorder) in ${pct(paired.combinedEqualsRecordingFraction)}, shorter than ICE alone in ${pct(paired.combinedShorterThanIceFraction)}.`,
  );
  findings.push(
    `Mean added delay: ICE ${ms(added.ice)} + recording ${ms(added.recording)} = ${ms(paired.sumOfAddedMs)}; combined adds ${ms(added.combined)} (${combinedVsSum === 'overlap' ? `${ms(paired.overlapMs)} overlaps` : combinedVsSum === 'compounding' ? `${ms(-paired.overlapMs)} more than the sum` : 'about the sum'}).`,
  );
  return {
    holds: iceAddsDelay && recordingAddsDelay && combinedLongest,
    iceAddsDelay,
    recordingAddsDelay,
    combinedLongest,
    p50Ms,
    combinedVsSum,
    findings,
  };
}
