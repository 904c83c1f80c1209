/**
 * Sweeps: the 2×2 Monte Carlo repeated while one input varies (RTT, loss, host candidates, announcement).
 * Every point uses the same seed, so call i meets the same luck at every point (common random numbers).
 */
import { SimError } from '../errors.ts';
import type { Distribution } from './distribution.ts';
import type { DelayModelParams } from './model-params.ts';
import { createDelayParams } from './model-params.ts';
import { createMonteCarlo, type MonteCarloResult, type MonteCarloRun } from './monte-carlo.ts';

export const SWEEP_KINDS = ['rtt', 'loss', 'candidates', 'announcement', 'recorder', 'wait'] as const;
export type SweepKind = (typeof SWEEP_KINDS)[number];

/** What each sweep varies, in which unit, over which default values. */
export const SWEEPS: Readonly<
  Record<SweepKind, { readonly label: string; readonly unit: string; readonly values: readonly number[] }>
> = {
  rtt: { label: 'median RTT', unit: 'ms', values: [10, 20, 40, 80, 160, 320] },
  loss: { label: 'packet loss', unit: '', values: [0, 0.01, 0.02, 0.05, 0.1, 0.2] },
  candidates: { label: 'host candidates per device', unit: '', values: [1, 2, 3, 4, 6] },
  announcement: { label: 'start announcement (0 off, 1 on)', unit: '', values: [0, 1] },
  // The least known input (no public figure): the recorder's median time to answer the SIPREC INVITE.
  recorder: { label: 'recorder answer median', unit: 'ms', values: [10, 50, 150, 400, 1000, 3000] },
  wait: { label: 'recorder wait', unit: 'ms', values: [1000, 2000, 5000, 10_000] },
};

export function isSweepKind(v: string): v is SweepKind {
  return (SWEEP_KINDS as readonly string[]).includes(v);
}

/** `base` with the swept input set to `value`. */
export function applySweepValue(base: DelayModelParams, kind: SweepKind, value: number): DelayModelParams {
  switch (kind) {
    case 'rtt':
      return createDelayParams({ network: { rttMs: withMedian(base.network.rttMs, value) } }, base);
    case 'loss':
      return createDelayParams({ network: { lossRate: value } }, base);
    case 'candidates':
      return createDelayParams({ network: { ice: { candidates: { host: value } } } }, base);
    case 'announcement':
      return createDelayParams({ recording: { announcement: value !== 0 } }, base);
    case 'recorder':
      return createDelayParams(
        { recording: { recorderAnswerMs: withMedian(base.recording.recorderAnswerMs, value) } },
        base,
      );
    case 'wait':
      return createDelayParams({ recording: { recorderWaitMs: value } }, base);
  }
}

/** The same shape of distribution moved to a new median (a fixed RTT becomes the value). */
function withMedian(dist: Distribution, medianMs: number): Distribution {
  switch (dist.kind) {
    case 'lognormal':
      return { ...dist, medianMs };
    case 'normal':
      return { ...dist, meanMs: medianMs };
    case 'exponential':
      return { ...dist, meanMs: medianMs / Math.LN2 };
    case 'fixed':
      return { kind: 'fixed', valueMs: medianMs };
    case 'samples': {
      // Measured samples keep their shape, scaled to the new median.
      const sorted = [...dist.valuesMs].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] as number;
      if (!(median > 0)) return { kind: 'fixed', valueMs: medianMs };
      return { kind: 'samples', valuesMs: dist.valuesMs.map((v) => (v * medianMs) / median) };
    }
  }
}

export function sweepValueLabel(kind: SweepKind, value: number): string {
  switch (kind) {
    case 'rtt':
      return `${value} ms`;
    case 'loss':
      return `${+(value * 100).toFixed(2)} %`;
    case 'candidates':
      return String(value);
    case 'announcement':
      return value === 0 ? 'off' : 'on';
    case 'recorder':
    case 'wait':
      return `${value} ms`;
  }
}

export interface SweepPoint {
  readonly value: number;
  readonly label: string;
  readonly result: MonteCarloResult;
}

export interface SweepResult {
  readonly kind: SweepKind;
  readonly label: string;
  readonly seed: string;
  readonly callsPerPoint: number;
  /** The inputs every point shares, the swept one aside. */
  readonly baseParams: DelayModelParams;
  readonly points: readonly SweepPoint[];
}

export interface SweepOptions {
  readonly kind: SweepKind;
  readonly values?: readonly number[];
  readonly calls: number;
  readonly seed: string | number;
  readonly params: DelayModelParams;
  /** What counts as a small added delay (default 150 ms, ITU-T G.114). */
  readonly smallThresholdMs?: number;
}

/** One Monte Carlo run per sweep value, not yet stepped: the caller drives them (and reports progress). */
export function planSweep(options: SweepOptions): { value: number; label: string; run: MonteCarloRun }[] {
  const values = options.values ?? SWEEPS[options.kind].values;
  if (values.length === 0)
    throw new SimError('SIM_ERR_INVALID_ARGUMENT', 'A sweep needs at least one value.', { details: {} });
  return values.map((value) => ({
    value,
    label: sweepValueLabel(options.kind, value),
    run: createMonteCarlo({
      calls: options.calls,
      seed: options.seed,
      params: applySweepValue(options.params, options.kind, value),
      ...(options.smallThresholdMs === undefined ? {} : { smallThresholdMs: options.smallThresholdMs }),
    }),
  }));
}

export function collectSweep(
  options: SweepOptions,
  planned: readonly { value: number; label: string; run: MonteCarloRun }[],
): SweepResult {
  return {
    kind: options.kind,
    label: SWEEPS[options.kind].label,
    seed: String(options.seed),
    callsPerPoint: options.calls,
    baseParams: options.params,
    points: planned.map((p) => ({ value: p.value, label: p.label, result: p.run.result() })),
  };
}

export function runSweep(options: SweepOptions): SweepResult {
  const planned = planSweep(options);
  for (const p of planned) p.run.step(options.calls);
  return collectSweep(options, planned);
}
