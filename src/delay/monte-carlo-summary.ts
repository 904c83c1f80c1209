/** What a Monte Carlo run reports per configuration and call by call, read by the S12 check and the renderers. */
import type { CallDelay, DelayBreakdown, DelayConfigId } from './call-delay.ts';

export interface CdfPoint {
  readonly ms: number;
  readonly fraction: number;
}

export interface PercentileInterval {
  readonly lowMs: number;
  readonly highMs: number;
}

export interface ConfigSummary {
  readonly id: DelayConfigId;
  readonly label: string;
  readonly iceLeg: CallDelay['iceLeg'];
  readonly mediaPath: CallDelay['mediaPath'];
  readonly calls: number;
  readonly connected: number;
  readonly endedByFailureBehaviour: number;
  readonly iceFailed: number;
  /** Calls where the recorder did not answer within the wait. */
  readonly recorderTimeouts: number;
  /** Percentiles over connected calls. */
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** 95 % intervals of the three percentiles (order statistics: the run is a sample of calls). */
  readonly ci: Readonly<Record<'p50' | 'p95' | 'p99', PercentileInterval>>;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly meanBreakdown: DelayBreakdown;
  readonly meanOverlapMs: number;
  readonly cdf: readonly CdfPoint[];
}

/** Call-by-call comparisons over the calls connected in all four configurations. */
export interface PairedComparison {
  readonly calls: number;
  /** Mean extra delay over the baseline (ICE off, recording off). */
  readonly meanAddedMs: Readonly<Record<'ice' | 'recording' | 'combined', number>>;
  /** meanAdded.ice + meanAdded.recording. */
  readonly sumOfAddedMs: number;
  /** sumOfAdded − meanAdded.combined: how much of the two costs overlaps (negative: they compound). */
  readonly overlapMs: number;
  readonly combinedLongerThanBothFraction: number;
  readonly combinedEqualsRecordingFraction: number;
  readonly combinedShorterThanIceFraction: number;
  readonly iceShorterThanBaselineFraction: number;
}
