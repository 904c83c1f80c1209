/** The measured-vs-model table for the console and its JSON form (pure string builders). */
import { formatMs } from '../delay/index.ts';
import type { Comparison } from './compare.ts';
import { GOALS } from './compare.ts';

const pct = (v: number): string => `${+(100 * v).toFixed(2)} %`;
const iv = (v: { estimateMs: number; lowMs: number; highMs: number }): string =>
  `${formatMs(v.estimateMs)} [${formatMs(v.lowMs)}–${formatMs(v.highMs)}]`;
const ratio = (r: number, ok: boolean): string =>
  Number.isFinite(r) ? `${r.toFixed(2)}${ok ? '' : ' ✗'}` : '–';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i <= 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
}

const SHORT: Readonly<Record<string, string>> = {
  baseline: 'ICE off, rec off',
  ice: 'ICE on, rec off',
  recording: 'ICE off, rec on',
  combined: 'ICE on, rec on',
};

export function formatComparisonTable(cmp: Comparison): string {
  const m = cmp.measurement;
  const s = m.settings;
  const answers = [...m.recorderAnswerMs].sort((a, b) => a - b);
  const rows = cmp.cells.flatMap((c) =>
    c.configs.map((k) => [
      `${c.cell.oneWayMs} ms / ${pct(c.cell.lossRate)}`,
      SHORT[k.config] ?? k.config,
      `${k.connected}${k.failed > 0 ? ` (${k.failed} failed)` : ''}`,
      iv(k.measured.p50),
      formatMs(k.model.p50.estimateMs),
      ratio(k.ratio.p50, k.withinGoal.p50),
      iv(k.measured.p95),
      formatMs(k.model.p95.estimateMs),
      ratio(k.ratio.p95, k.withinGoal.p95),
    ]),
  );
  const lateness = cmp.cells.map((c) => c.relayLateMs);
  return [
    `Measured start-of-call delay (answer → both parties hear each other) with ${s.stack} through the emulated WAN, beside the model`,
    `${s.callsPerCell} calls per cell and configuration, ${s.concurrency} at a time, seed ${s.seed}; cloud detour +${s.cloudDetourOneWayMs} ms one-way, recorder path ${s.recorderOneWayMs} ms one-way, jitter ±${s.jitterMs} ms, announcement ${s.announcementMs > 0 ? `${s.announcementMs} ms` : 'off'}`,
    `Emulator: one relay hop adds ${m.overhead.addedOneWayMs.toFixed(3)} ms (UDP echo ${m.overhead.bareRttMedianMs.toFixed(3)} ms bare, ${m.overhead.relayRttMedianMs.toFixed(3)} ms relayed); delivered late by ${formatMs(Math.min(...lateness))}–${formatMs(Math.max(...lateness))} ms per hop on average (timers, event-loop lag), never early`,
    `Recorder: the sink alone answers open → opened in p50 ${formatMs(answers[Math.floor(answers.length / 2)] ?? Number.NaN)} ms, p95 ${formatMs(answers[Math.floor(answers.length * 0.95)] ?? Number.NaN)} ms (${answers.length} sessions before the grid); during the grid the calls met p50 ${formatMs(Math.min(...cmp.cells.map((c) => c.recorderAnswerP50Ms)))}–${formatMs(Math.max(...cmp.cells.map((c) => c.recorderAnswerP50Ms)))} ms, p95 ${formatMs(Math.min(...cmp.cells.map((c) => c.recorderAnswerP95Ms)))}–${formatMs(Math.max(...cmp.cells.map((c) => c.recorderAnswerP95Ms)))} ms beyond the path's round trip — those are the model's recorder answers, cell by cell`,
    `Model: ${cmp.modelCalls.toLocaleString('en-GB')} calls per cell, the same candidate set-up, ${s.stack}'s ICE timing, the delays as delivered; ratio = model / measured (✗: outside ±${100 * GOALS.p50} % at p50, ±${100 * GOALS.p95} % at p95); [..] = 95 % bootstrap interval`,
    '',
    ...table(
      [
        'one-way / loss',
        'configuration',
        'calls',
        'measured p50 ms',
        'model',
        'ratio',
        'measured p95 ms',
        'model',
        'ratio',
      ],
      rows,
    ),
    '',
    `Goals met in ${cmp.goalsMet} of ${cmp.goalsTotal} cells × configurations (measured in ${(m.wallMs / 1000).toFixed(1)} s).`,
  ].join('\n');
}

export function comparisonToJson(cmp: Comparison): string {
  const m = cmp.measurement;
  // Lateness samples fed the model; the JSON keeps their count, not every value.
  const clean = (k: string, v: unknown): unknown =>
    typeof v === 'number' && !Number.isFinite(v)
      ? null
      : k === 'lateSamplesMs' && Array.isArray(v)
        ? v.length
        : v;
  return `${JSON.stringify(
    {
      format: 'callrec-delay-measured/1',
      settings: m.settings,
      emulator: { overhead: m.overhead, recorderPath: m.recorderPath },
      recorderAnswerMs: m.recorderAnswerMs,
      modelCalls: cmp.modelCalls,
      goals: { p50: GOALS.p50, p95: GOALS.p95, met: cmp.goalsMet, of: cmp.goalsTotal },
      wallMs: m.wallMs,
      cells: cmp.cells.map((c) => {
        const measured = m.cells.find((x) => x.cell === c.cell);
        return {
          ...c,
          paths: measured?.paths,
          samples: measured?.configs.map((k) => ({
            config: k.config,
            totalsMs: k.totalsMs,
            callerReadyMs: k.callerReadyMs,
            calleeReadyMs: k.calleeReadyMs,
            recorderMs: k.recorderMs,
            errors: k.errors,
          })),
        };
      }),
    },
    (k, v) => clean(k, v),
    2,
  )}\n`;
}
