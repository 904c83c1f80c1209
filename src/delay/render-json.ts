/** JSON of a Monte Carlo run or a sweep; non-finite numbers (no data, never connected) become null. */
import type { MonteCarloResult } from './monte-carlo.ts';
import type { SweepResult } from './sweep.ts';

export const DELAY_JSON_FORMAT = 'callrec-delay/1';

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

export function toJson(result: MonteCarloResult): string {
  return `${JSON.stringify({ format: DELAY_JSON_FORMAT, unit: 'ms', kind: 'run', ...result }, replacer, 2)}\n`;
}

export function sweepToJson(sweep: SweepResult): string {
  const { kind: sweepKind, ...rest } = sweep;
  return `${JSON.stringify({ format: DELAY_JSON_FORMAT, unit: 'ms', kind: 'sweep', sweepKind, ...rest }, replacer, 2)}\n`;
}
