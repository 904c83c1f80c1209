/** Plain-text tables of a Monte Carlo run or a sweep, for the console (pure string builders). */
import { BREAKDOWN_KEYS } from './call-delay.ts';
import { describeNetwork, describeRecording } from './describe-params.ts';
import type { ConfigSummary, MonteCarloResult } from './monte-carlo.ts';
import type { AddedDelay, SmallAssessment } from './small-verdict.ts';
import type { SweepResult } from './sweep.ts';

/** ms with one decimal below 1 s, whole ms above; '–' when there is no value. */
export function formatMs(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(1);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
}

const notConnected = (c: ConfigSummary): string => {
  const n = c.endedByFailureBehaviour + c.iceFailed;
  return n === 0 ? '0' : `${n} (${((100 * n) / c.calls).toFixed(2)} %)`;
};

const BREAKDOWN_HEADERS: Readonly<Record<(typeof BREAKDOWN_KEYS)[number], string>> = {
  signallingMs: 'signalling',
  gatheringMs: 'gathering',
  checksMs: 'checks',
  nominationMs: 'nomination',
  recorderMs: 'recorder',
  announcementMs: 'announcement',
  transitMs: 'transit',
};

export function formatSummaryTable(result: MonteCarloResult): string {
  const out: string[] = [
    `Start-of-call delay: answer → both parties hear each other (${result.calls.toLocaleString('en-GB')} calls per configuration, seed ${result.seed})`,
    `Network:   ${describeNetwork(result.params)}`,
    `Recording: ${describeRecording(result.params)}`,
    '',
    ...table(
      ['configuration', 'media', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms', 'not connected'],
      result.configs.map((c) => [
        c.label,
        c.mediaPath,
        formatMs(c.p50Ms),
        formatMs(c.p95Ms),
        formatMs(c.p99Ms),
        formatMs(c.maxMs),
        formatMs(c.meanMs),
        notConnected(c),
      ]),
    ),
    '',
    `95 % intervals (ms; the run is a sample of ${result.calls.toLocaleString('en-GB')} calls, order-statistic bounds):`,
    ...table(
      ['configuration', 'p50', 'p95', 'p99'],
      result.configs.map((c) => [c.label, interval(c.ci.p50), interval(c.ci.p95), interval(c.ci.p99)]),
    ),
    '',
    'Mean critical path (ms; the parts add up to the mean total):',
    ...table(
      ['configuration', ...BREAKDOWN_KEYS.map((k) => BREAKDOWN_HEADERS[k]), 'overlap'],
      result.configs.map((c) => [
        c.label,
        ...BREAKDOWN_KEYS.map((k) => formatMs(c.meanBreakdown[k])),
        formatMs(c.meanOverlapMs),
      ]),
    ),
    '  overlap: time the media set-up and the recorder set-up ran side by side (hidden, not on the path)',
    '',
    `S12 ("each adds a small delay; together slightly longer"): ${result.s12.holds ? 'HOLDS' : 'DOES NOT HOLD'} at the median`,
    ...result.s12.findings.map((f) => `  - ${f}`),
  ];
  const recorder = result.configs.find((c) => c.id === 'recording');
  if (recorder !== undefined && recorder.recorderTimeouts > 0) {
    out.push(
      `  - The recorder did not answer within the wait in ${recorder.recorderTimeouts} calls (failure behaviour applied).`,
    );
  }
  out.push('', ...formatSmallVerdict(result.small));
  return out.join('\n');
}

const interval = (i: { lowMs: number; highMs: number }): string =>
  `${formatMs(i.lowMs)}–${formatMs(i.highMs)}`;

const SMALL_LABELS = { ice: 'ICE', recording: 'recording', combined: 'ICE + recording' } as const;

/** "Is the added delay small?" against the stated threshold, at the median and at p95. */
export function formatSmallVerdict(small: SmallAssessment): string[] {
  const part = (a: AddedDelay): string =>
    `+${formatMs(a.estimateMs)} ms [${formatMs(a.lowMs)}–${formatMs(a.highMs)}] → ${a.verdict}`;
  return [
    `Small? Added delay over ICE off, recording off against ${small.thresholdMs} ms (${small.source}; --small-ms):`,
    ...(['ice', 'recording', 'combined'] as const).map(
      (k) => `  - ${SMALL_LABELS[k]}: median ${part(small.added[k].p50)}; p95 ${part(small.added[k].p95)}`,
    ),
    '  (small: the whole 95 % interval is within the threshold; not small: all of it beyond; else undecided)',
  ];
}

export function formatSweepTable(sweep: SweepResult): string {
  const first = sweep.points[0]?.result;
  const out: string[] = [
    `Sweep of ${sweep.label}: start-of-call delay, p50 / p95 in ms (${sweep.callsPerPoint.toLocaleString('en-GB')} calls per configuration and point, seed ${sweep.seed})`,
    `Varied:    ${sweep.label} over ${sweep.points.map((p) => p.label).join(', ')}; everything else as below`,
    `Network:   ${describeNetwork(sweep.baseParams)}`,
    `Recording: ${describeRecording(sweep.baseParams)}`,
  ];
  out.push(
    '',
    ...table(
      [sweep.label, ...(first?.configs.map((c) => c.label) ?? []), 'added: ICE + rec → both', 'S12'],
      sweep.points.map((p) => {
        const a = p.result.paired.meanAddedMs;
        return [
          p.label,
          ...p.result.configs.map((c) => `${formatMs(c.p50Ms)} / ${formatMs(c.p95Ms)}`),
          `${formatMs(a.ice)} + ${formatMs(a.recording)} → ${formatMs(a.combined)}`,
          s12Cell(p.result),
        ];
      }),
    ),
    '',
    'added: mean extra delay over "ICE off, recording off", call by call; S12 judged at the median.',
    '',
    `95 % intervals of p50 / p95 (ms; each point is a sample of ${sweep.callsPerPoint.toLocaleString('en-GB')} calls, order-statistic bounds):`,
    ...table(
      [sweep.label, ...(first?.configs.map((c) => c.label) ?? [])],
      sweep.points.map((p) => [
        p.label,
        ...p.result.configs.map((c) => `${interval(c.ci.p50)} / ${interval(c.ci.p95)}`),
      ]),
    ),
    '',
    `Small? (added delay at the median against ${first?.small.thresholdMs ?? '–'} ms, 95 % interval decides; --small-ms):`,
    ...table(
      [sweep.label, 'ICE', 'recording', 'ICE + recording'],
      sweep.points.map((p) => [
        p.label,
        ...(['ice', 'recording', 'combined'] as const).map((k) => {
          const a = p.result.small.added[k].p50;
          return `+${formatMs(a.estimateMs)} ${a.verdict}`;
        }),
      ]),
    ),
  );
  return out.join('\n');
}

function s12Cell(r: MonteCarloResult): string {
  const s = r.s12;
  if (s.holds) return 'holds';
  const why = [
    ...(s.iceAddsDelay ? [] : ['ICE adds none']),
    ...(s.recordingAddsDelay ? [] : ['recording adds none']),
    ...(s.combinedLongest ? [] : ['both not longer']),
  ];
  return `fails: ${why.join(', ')}`;
}
