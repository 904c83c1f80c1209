/**
 * Monte Carlo over the four configurations with common random numbers: call i draws one world and is
 * simulated in all four, so differences between configurations are paired call by call.
 */
import { SimError } from '../errors.ts';
import { createRng } from '../time/index.ts';
import {
  BREAKDOWN_KEYS,
  type BreakdownKey,
  createDelayModel,
  DELAY_CONFIGS,
  type DelayBreakdown,
  type DelayConfigId,
  legsOf,
  simulateCall,
} from './call-delay.ts';
import { drawCallWorld } from './call-world.ts';
import { orderStatisticInterval } from './confidence.ts';
import { createDelayHistogram, type DelayHistogram } from './histogram.ts';
import type { DelayModelParams } from './model-params.ts';
import type { ConfigSummary, PairedComparison, PercentileInterval } from './monte-carlo-summary.ts';
import { assessS12, type S12Assessment } from './s12.ts';
import { assessSmall, type SmallAssessment } from './small-verdict.ts';

export const MAX_CALLS = 10_000_000;

export interface MonteCarloOptions {
  readonly calls: number;
  readonly seed: string | number;
  readonly params: DelayModelParams;
  /** Points of each CDF curve (default 200). */
  readonly cdfSteps?: number;
  /** What counts as a small added delay (default 150 ms, ITU-T G.114; see small-verdict.ts). */
  readonly smallThresholdMs?: number;
}

export type {
  CdfPoint,
  ConfigSummary,
  PairedComparison,
  PercentileInterval,
} from './monte-carlo-summary.ts';

/** The 95 % interval of a histogram's p-th percentile, from the ranks that bound it. */
export function histogramInterval(h: DelayHistogram, p: number): PercentileInterval {
  const { lowP, highP } = orderStatisticInterval(h.count, p);
  if (h.count === 0) return { lowMs: Number.NaN, highMs: Number.NaN };
  return { lowMs: h.percentileMs(lowP), highMs: highP >= 100 ? h.maxMs : h.percentileMs(highP) };
}

export interface MonteCarloResult {
  readonly seed: string;
  readonly calls: number;
  readonly params: DelayModelParams;
  readonly configs: readonly ConfigSummary[];
  readonly paired: PairedComparison;
  readonly s12: S12Assessment;
  /** Whether each configuration's added delay is small, with 95 % intervals. */
  readonly small: SmallAssessment;
  readonly uniformsDrawn: number;
}

export interface MonteCarloRun {
  readonly total: number;
  readonly done: number;
  /** Simulates up to `maxCalls` more calls; returns how many it did. */
  step(maxCalls: number): number;
  result(): MonteCarloResult;
}

interface ConfigAccumulator {
  readonly histogram: DelayHistogram;
  readonly sums: Record<BreakdownKey, number>;
  overlapSum: number;
  ended: number;
  iceFailed: number;
  recorderTimeouts: number;
}

const TIE_MS = 1e-9;

export function createMonteCarlo(options: MonteCarloOptions): MonteCarloRun {
  const { calls, params } = options;
  if (!Number.isInteger(calls) || calls < 1 || calls > MAX_CALLS) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `Invalid number of calls ${calls}; give a whole number from 1 to ${MAX_CALLS}.`,
      { details: { calls } },
    );
  }
  const seed = String(options.seed);
  const model = createDelayModel(params);
  const runRng = createRng(`delay/${seed}`);
  const acc: ConfigAccumulator[] = DELAY_CONFIGS.map(() => ({
    histogram: createDelayHistogram(),
    sums: Object.fromEntries(BREAKDOWN_KEYS.map((k) => [k, 0])) as Record<BreakdownKey, number>,
    overlapSum: 0,
    ended: 0,
    iceFailed: 0,
    recorderTimeouts: 0,
  }));
  const paired = {
    calls: 0,
    addedIce: 0,
    addedRecording: 0,
    addedCombined: 0,
    combinedLongerThanBoth: 0,
    combinedEqualsRecording: 0,
    combinedShorterThanIce: 0,
    iceShorterThanBaseline: 0,
  };
  let done = 0;
  let uniformsDrawn = 0;
  const totals = new Array<number>(DELAY_CONFIGS.length).fill(0);

  const simulateOne = (index: number): void => {
    const world = drawCallWorld(runRng, index, model.samplers);
    let allConnected = true;
    for (let c = 0; c < DELAY_CONFIGS.length; c++) {
      const delay = simulateCall(model, DELAY_CONFIGS[c] as (typeof DELAY_CONFIGS)[number], world);
      const a = acc[c] as ConfigAccumulator;
      totals[c] = delay.totalMs;
      if (delay.recorder === 'too-slow' || delay.recorder === 'unavailable') a.recorderTimeouts++;
      if (delay.outcome !== 'connected') {
        allConnected = false;
        if (delay.outcome === 'ice-failed') a.iceFailed++;
        else a.ended++;
        continue;
      }
      a.histogram.record(delay.totalMs);
      for (const k of BREAKDOWN_KEYS) a.sums[k] += delay.breakdown[k];
      a.overlapSum += delay.overlapMs;
    }
    uniformsDrawn += world.uniformsDrawn;
    if (!allConnected) return;
    const [base, ice, rec, comb] = totals as [number, number, number, number];
    paired.calls++;
    paired.addedIce += ice - base;
    paired.addedRecording += rec - base;
    paired.addedCombined += comb - base;
    if (comb > Math.max(ice, rec) + TIE_MS) paired.combinedLongerThanBoth++;
    if (Math.abs(comb - rec) <= TIE_MS) paired.combinedEqualsRecording++;
    if (comb < ice - TIE_MS) paired.combinedShorterThanIce++;
    if (ice < base - TIE_MS) paired.iceShorterThanBaseline++;
  };

  return {
    total: calls,
    get done() {
      return done;
    },
    step(maxCalls) {
      const end = Math.min(calls, done + Math.max(0, Math.floor(maxCalls)));
      const before = done;
      for (; done < end; done++) simulateOne(done);
      return done - before;
    },
    result() {
      const steps = options.cdfSteps ?? 200;
      const configs: ConfigSummary[] = DELAY_CONFIGS.map((config, c) => {
        const a = acc[c] as ConfigAccumulator;
        const h = a.histogram;
        const n = h.count;
        const legs = legsOf(config, params);
        return {
          id: config.id,
          label: config.label,
          iceLeg: legs.iceLeg,
          mediaPath: legs.mediaPath,
          calls: done,
          connected: n,
          endedByFailureBehaviour: a.ended,
          iceFailed: a.iceFailed,
          recorderTimeouts: a.recorderTimeouts,
          p50Ms: h.percentileMs(50),
          p95Ms: h.percentileMs(95),
          p99Ms: h.percentileMs(99),
          ci: { p50: histogramInterval(h, 50), p95: histogramInterval(h, 95), p99: histogramInterval(h, 99) },
          maxMs: h.maxMs,
          meanMs: h.meanMs,
          meanBreakdown: Object.fromEntries(
            BREAKDOWN_KEYS.map((k) => [k, n === 0 ? Number.NaN : a.sums[k] / n]),
          ) as DelayBreakdown,
          meanOverlapMs: n === 0 ? Number.NaN : a.overlapSum / n,
          cdf: h.cdf(steps),
        };
      });
      const pc = paired.calls;
      const mean = (x: number) => (pc === 0 ? Number.NaN : x / pc);
      const meanAddedMs = {
        ice: mean(paired.addedIce),
        recording: mean(paired.addedRecording),
        combined: mean(paired.addedCombined),
      };
      const sumOfAddedMs = meanAddedMs.ice + meanAddedMs.recording;
      const pairedResult: PairedComparison = {
        calls: pc,
        meanAddedMs,
        sumOfAddedMs,
        overlapMs: sumOfAddedMs - meanAddedMs.combined,
        combinedLongerThanBothFraction: mean(paired.combinedLongerThanBoth),
        combinedEqualsRecordingFraction: mean(paired.combinedEqualsRecording),
        combinedShorterThanIceFraction: mean(paired.combinedShorterThanIce),
        iceShorterThanBaselineFraction: mean(paired.iceShorterThanBaseline),
      };
      return {
        seed,
        calls: done,
        params,
        configs,
        paired: pairedResult,
        s12: assessS12(configs, pairedResult),
        small: assessSmall(configs, options.smallThresholdMs),
        uniformsDrawn,
      };
    },
  };
}

export function runMonteCarlo(options: MonteCarloOptions): MonteCarloResult {
  const run = createMonteCarlo(options);
  run.step(options.calls);
  return run.result();
}

/** The summary of one configuration (throws on an unknown id: a programming error). */
export function configSummary(result: MonteCarloResult, id: DelayConfigId): ConfigSummary {
  const s = result.configs.find((c) => c.id === id);
  if (s === undefined) throw new RangeError(`no summary for ${id}`);
  return s;
}
