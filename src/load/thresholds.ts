/**
 * Pass/fail goals of a live load, written k6-style: `--threshold 'p99<20ms' --threshold 'loss==0'`.
 * Metrics: `loss` (packets sent − stored), `p50`, `p95`, `p99`, `max` (receive lateness after the warm-up,
 * in ms; a value may carry `ms` or `s`). Without any `--threshold` the default is `loss==0`: every packet
 * stored. `callrec load` exits 1 when any threshold is not met and prints each one with its measured value.
 */
import { SimError } from '../errors.ts';
import type { LatenessSummary } from './lateness.ts';

export const THRESHOLD_METRICS = ['loss', 'p50', 'p95', 'p99', 'max'] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];
const OPERATORS = ['<=', '>=', '==', '<', '>'] as const;
type Operator = (typeof OPERATORS)[number];

export const DEFAULT_THRESHOLDS = ['loss==0'] as const;

export interface Threshold {
  readonly text: string;
  readonly metric: ThresholdMetric;
  readonly operator: Operator;
  readonly value: number;
}

export interface ThresholdOutcome {
  readonly threshold: Threshold;
  readonly actual: number;
  readonly met: boolean;
}

const RE = /^\s*(loss|p50|p95|p99|max)\s*(<=|>=|==|<|>)\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/;

export function parseThreshold(text: string): Threshold {
  const match = RE.exec(text);
  if (match === null) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `--threshold "${text}" is not a threshold: write <metric><op><value>, e.g. 'p99<20ms' or 'loss==0' (metrics: ${THRESHOLD_METRICS.join(', ')}; operators: ${OPERATORS.join(' ')}).`,
      { details: { value: text } },
    );
  }
  const [, metric, operator, amount, unit] = match as unknown as [
    string,
    ThresholdMetric,
    Operator,
    string,
    string?,
  ];
  if (metric === 'loss' && unit !== undefined) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `--threshold "${text}": loss counts packets; it takes no unit.`,
      {
        details: { value: text },
      },
    );
  }
  const value = Number(amount) * (unit === 's' ? 1000 : 1);
  return { text: text.replace(/\s+/g, ''), metric, operator, value };
}

function compare(actual: number, operator: Operator, value: number): boolean {
  switch (operator) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '==':
      return actual === value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
  }
}

/** What thresholds read: a run's result, or a merged sharded run. */
export interface ThresholdSubject {
  readonly packetsLost: number;
  readonly receiver: { readonly lateness: LatenessSummary };
}

export function measured(result: ThresholdSubject, metric: ThresholdMetric): number {
  const lateness = result.receiver.lateness;
  switch (metric) {
    case 'loss':
      return result.packetsLost;
    case 'p50':
      return lateness.p50Ms;
    case 'p95':
      return lateness.p95Ms;
    case 'p99':
      return lateness.p99Ms;
    case 'max':
      return lateness.maxMs;
  }
}

export function checkThresholds(
  result: ThresholdSubject,
  thresholds: readonly Threshold[],
): ThresholdOutcome[] {
  return thresholds.map((threshold) => {
    const actual = measured(result, threshold.metric);
    return { threshold, actual, met: compare(actual, threshold.operator, threshold.value) };
  });
}

export function formatThresholds(outcomes: readonly ThresholdOutcome[]): string {
  const lines = outcomes.map(({ threshold, actual, met }) => {
    const shown = threshold.metric === 'loss' ? String(actual) : `${actual.toFixed(1)} ms`;
    return `  ${met ? '✓' : '✗'} ${threshold.text}  (measured ${shown})`;
  });
  const failed = outcomes.filter((o) => !o.met).length;
  return [
    failed === 0 ? '  thresholds: all met' : `  thresholds: ${failed} of ${outcomes.length} NOT met`,
    ...lines,
  ].join('\n');
}
