/**
 * Is the delay that ICE, recording, or both add at call start "small" (S12)? Judged on the added delay
 * over the baseline at the median and at p95, each with its 95 % interval, against a stated threshold.
 *
 * Default threshold 150 ms: ITU-T G.114 (05/2003) holds one-way mouth-to-ear delay up to 150 ms
 * acceptable for most user applications, i.e. short enough that most users do not notice it in
 * conversation. An added gap at call start no longer than that is taken as small; one clearly beyond it
 * is not. Configurable, because a start-of-call gap is heard once rather than on every turn.
 */
import type { DelayConfigId } from './call-delay.ts';
import type { ConfigSummary } from './monte-carlo-summary.ts';

export const DEFAULT_SMALL_THRESHOLD_MS = 150;
export const SMALL_THRESHOLD_SOURCE =
  'ITU-T G.114 (05/2003): one-way mouth-to-ear delay up to 150 ms is acceptable for most user applications';

export type SmallVerdict = 'small' | 'not small' | 'undecided';

export interface AddedDelay {
  readonly estimateMs: number;
  /** Conservative 95 % interval of the difference: [low − high of the baseline, high − low of it]. */
  readonly lowMs: number;
  readonly highMs: number;
  readonly verdict: SmallVerdict;
}

export interface SmallAssessment {
  readonly thresholdMs: number;
  readonly source: string;
  readonly added: Readonly<
    Record<Exclude<DelayConfigId, 'baseline'>, Readonly<Record<'p50' | 'p95', AddedDelay>>>
  >;
}

function added(
  config: ConfigSummary,
  base: ConfigSummary,
  p: 'p50' | 'p95',
  thresholdMs: number,
): AddedDelay {
  const estimateMs = (p === 'p50' ? config.p50Ms : config.p95Ms) - (p === 'p50' ? base.p50Ms : base.p95Ms);
  const lowMs = config.ci[p].lowMs - base.ci[p].highMs;
  const highMs = config.ci[p].highMs - base.ci[p].lowMs;
  const verdict: SmallVerdict =
    !Number.isFinite(highMs) || !Number.isFinite(lowMs)
      ? 'undecided'
      : highMs <= thresholdMs
        ? 'small'
        : lowMs > thresholdMs
          ? 'not small'
          : 'undecided';
  return { estimateMs, lowMs, highMs, verdict };
}

export function assessSmall(
  configs: readonly ConfigSummary[],
  thresholdMs = DEFAULT_SMALL_THRESHOLD_MS,
): SmallAssessment {
  const by = (id: DelayConfigId) => configs.find((c) => c.id === id) as ConfigSummary;
  const base = by('baseline');
  const both = (id: Exclude<DelayConfigId, 'baseline'>) => ({
    p50: added(by(id), base, 'p50', thresholdMs),
    p95: added(by(id), base, 'p95', thresholdMs),
  });
  return {
    thresholdMs,
    source: SMALL_THRESHOLD_SOURCE,
    added: { ice: both('ice'), recording: both('recording'), combined: both('combined') },
  };
}
