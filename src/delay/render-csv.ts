/** CSV (RFC 4180) of a Monte Carlo run or a sweep: one row per configuration (and sweep point). */
import { BREAKDOWN_KEYS } from './call-delay.ts';
import type { ConfigSummary, MonteCarloResult } from './monte-carlo.ts';
import type { SweepResult } from './sweep.ts';

const HEADER = [
  'sweep',
  'value',
  'config',
  'label',
  'ice_leg',
  'media_path',
  'calls',
  'connected',
  'ended_by_failure_behaviour',
  'ice_failed',
  'recorder_timeouts',
  'p50_ms',
  'p95_ms',
  'p99_ms',
  'max_ms',
  'mean_ms',
  ...BREAKDOWN_KEYS.map((k) => `mean_${k.replace(/Ms$/, '')}_ms`),
  'mean_overlap_ms',
  's12_holds',
] as const;

export function csvField(v: string | number | boolean): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(+v.toFixed(3)) : '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function row(sweep: string, value: string | number, c: ConfigSummary, s12Holds: boolean): string {
  return [
    sweep,
    value,
    c.id,
    c.label,
    c.iceLeg,
    c.mediaPath,
    c.calls,
    c.connected,
    c.endedByFailureBehaviour,
    c.iceFailed,
    c.recorderTimeouts,
    c.p50Ms,
    c.p95Ms,
    c.p99Ms,
    c.maxMs,
    c.meanMs,
    ...BREAKDOWN_KEYS.map((k) => c.meanBreakdown[k]),
    c.meanOverlapMs,
    s12Holds,
  ]
    .map(csvField)
    .join(',');
}

export function toCsv(result: MonteCarloResult): string {
  return `${[HEADER.join(','), ...result.configs.map((c) => row('', '', c, result.s12.holds))].join('\r\n')}\r\n`;
}

export function sweepToCsv(sweep: SweepResult): string {
  const rows = sweep.points.flatMap((p) =>
    p.result.configs.map((c) => row(sweep.kind, p.value, c, p.result.s12.holds)),
  );
  return `${[HEADER.join(','), ...rows].join('\r\n')}\r\n`;
}
