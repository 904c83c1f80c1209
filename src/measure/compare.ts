/**
 * Measured beside modelled: for every cell and configuration, the measured p50/p95 with 95 % bootstrap
 * intervals, the model's p50/p95 (with their order-statistic intervals) for the same conditions, and the
 * model/measured ratio against the goals (p50 within ±15 %, p95 within ±25 %).
 */
import {
  bootstrapPercentile,
  configSummary,
  DELAY_CONFIGS,
  type DelayConfigId,
  type Interval,
  percentileOfSorted,
  runMonteCarlo,
} from '../delay/index.ts';
import { createRng, type Rng } from '../time/index.ts';
import type { GridCell, GridMeasurement } from './grid.ts';
import { cellModelParams } from './stack-model.ts';

export const GOALS = { p50: 0.15, p95: 0.25 } as const;

export interface ComparedConfig {
  readonly config: DelayConfigId;
  readonly label: string;
  readonly connected: number;
  readonly failed: number;
  readonly measured: Readonly<Record<'p50' | 'p95', Interval>>;
  readonly model: Readonly<Record<'p50' | 'p95', Interval>>;
  /** model / measured. */
  readonly ratio: Readonly<Record<'p50' | 'p95', number>>;
  readonly withinGoal: Readonly<Record<'p50' | 'p95', boolean>>;
}

export interface ComparedCell {
  readonly cell: GridCell;
  /** The recorder's answer times the model was given for this cell (as its calls met them), p50 / p95. */
  readonly recorderAnswerP50Ms: number;
  readonly recorderAnswerP95Ms: number;
  /** The direct path's one-way delay the model was given (requested + the emulator's cost). */
  readonly modelOneWayMs: number;
  /** The emulator's mean lateness per relay hop in this cell (timers, event-loop lag). */
  readonly relayLateMs: number;
  readonly configs: readonly ComparedConfig[];
}

export interface Comparison {
  readonly measurement: GridMeasurement;
  readonly modelCalls: number;
  readonly cells: readonly ComparedCell[];
  /** Cells × configurations where both goals were met, and how many there were. */
  readonly goalsMet: number;
  readonly goalsTotal: number;
}

/**
 * The recorder's answer times as this cell's calls met them: when the recorder answered, less the round
 * trip of the emulated recorder path (so lateness on that path and the sink's load during the grid are in
 * them). The sink's answers taken straight before the grid stand in when the cell had no recorded call.
 */
function recorderAnswersInCell(
  cell: GridMeasurement['cells'][number],
  recorderRttMs: number,
  straightMs: readonly number[],
): number[] {
  const inRun = cell.configs.flatMap((k) => k.recorderMs).map((ms) => Math.max(0, ms - recorderRttMs));
  if (inRun.length > 0) return inRun;
  return straightMs.length > 0 ? [...straightMs] : [0];
}

const nan: Interval = { estimateMs: Number.NaN, lowMs: Number.NaN, highMs: Number.NaN };

export function compareWithModel(measurement: GridMeasurement, rng: Rng, modelCalls = 20_000): Comparison {
  const s = measurement.settings;
  const perHopMs = measurement.overhead.addedOneWayMs;
  let goalsMet = 0;
  let goalsTotal = 0;
  const cells = measurement.cells.map((m, cellIndex): ComparedCell => {
    const late = Number.isFinite(m.paths.media.meanLateMs) ? m.paths.media.meanLateMs : 0;
    const modelOneWayMs = m.cell.oneWayMs + perHopMs + late;
    const recorderRttMs = 2 * (s.recorderOneWayMs + perHopMs);
    const params = cellModelParams({
      stack: s.stack,
      directOneWayMs: m.cell.oneWayMs + perHopMs,
      lateSamplesMs: m.paths.media.lateSamplesMs,
      rng: rng.fork(`delivered/${cellIndex}`),
      lossRate: m.cell.lossRate,
      cloudDetourOneWayMs: s.cloudDetourOneWayMs,
      recorderRttMs,
      recorderAnswerMs: recorderAnswersInCell(m, recorderRttMs, measurement.recorderAnswerMs),
      announcementMs: s.announcementMs,
    });
    const model = runMonteCarlo({ calls: modelCalls, seed: `${s.seed}/cell/${cellIndex}`, params });
    const configs = DELAY_CONFIGS.map((config): ComparedConfig => {
      const got = m.configs.find((c) => c.config === config.id);
      const totals = got?.totalsMs ?? [];
      const r = rng.fork(`bootstrap/${cellIndex}/${config.id}`);
      const measured = {
        p50: totals.length > 0 ? bootstrapPercentile(totals, 50, r) : nan,
        p95: totals.length > 0 ? bootstrapPercentile(totals, 95, r) : nan,
      };
      const sm = configSummary(model, config.id);
      const modelIv = {
        p50: { estimateMs: sm.p50Ms, lowMs: sm.ci.p50.lowMs, highMs: sm.ci.p50.highMs },
        p95: { estimateMs: sm.p95Ms, lowMs: sm.ci.p95.lowMs, highMs: sm.ci.p95.highMs },
      };
      const ratio = {
        p50: modelIv.p50.estimateMs / measured.p50.estimateMs,
        p95: modelIv.p95.estimateMs / measured.p95.estimateMs,
      };
      const withinGoal = {
        p50: Math.abs(ratio.p50 - 1) <= GOALS.p50,
        p95: Math.abs(ratio.p95 - 1) <= GOALS.p95,
      };
      goalsTotal++;
      if (withinGoal.p50 && withinGoal.p95) goalsMet++;
      return {
        config: config.id,
        label: config.label,
        connected: totals.length,
        failed: got?.failed ?? 0,
        measured,
        model: modelIv,
        ratio,
        withinGoal,
      };
    });
    const answers = Float64Array.from(
      recorderAnswersInCell(m, recorderRttMs, measurement.recorderAnswerMs),
    ).sort();
    return {
      cell: m.cell,
      recorderAnswerP50Ms: percentileOfSorted(answers, 50),
      recorderAnswerP95Ms: percentileOfSorted(answers, 95),
      modelOneWayMs,
      relayLateMs: late,
      configs,
    };
  });
  return { measurement, modelCalls, cells, goalsMet, goalsTotal };
}

export interface ModelCurvePoint {
  readonly oneWayMs: number;
  readonly p50Ms: Readonly<Record<DelayConfigId, number>>;
  readonly p95Ms: Readonly<Record<DelayConfigId, number>>;
}

/**
 * The model's p50/p95 against the requested one-way delay for each loss rate of the grid, on a finer set
 * of delays than the measured cells (for the chart), with the emulator's mean cost over the run added (its
 * spread is left out: the per-cell model values, spread included, are the ones in the table).
 */
export function modelCurves(cmp: Comparison, points = 16, calls = 4000): Map<number, ModelCurvePoint[]> {
  const m = cmp.measurement;
  const s = m.settings;
  const maxMs = Math.max(...s.cells.map((c) => c.oneWayMs));
  const meanLateMs = cmp.cells.reduce((sum, c) => sum + c.relayLateMs, 0) / Math.max(1, cmp.cells.length);
  const recorderRttMs = 2 * (s.recorderOneWayMs + m.overhead.addedOneWayMs);
  const answersMs = m.cells.flatMap((c) => recorderAnswersInCell(c, recorderRttMs, m.recorderAnswerMs));
  const out = new Map<number, ModelCurvePoint[]>();
  for (const lossRate of [...new Set(s.cells.map((c) => c.lossRate))].sort((a, b) => a - b)) {
    const curve: ModelCurvePoint[] = [];
    for (let i = 0; i <= points; i++) {
      const oneWayMs = (maxMs * 1.05 * i) / points;
      const params = cellModelParams({
        stack: s.stack,
        directOneWayMs: oneWayMs + m.overhead.addedOneWayMs + meanLateMs,
        lateSamplesMs: [],
        rng: createRng(`${s.seed}/curve/${lossRate}/${i}`),
        lossRate,
        cloudDetourOneWayMs: s.cloudDetourOneWayMs,
        recorderRttMs,
        recorderAnswerMs: answersMs,
        announcementMs: s.announcementMs,
      });
      const r = runMonteCarlo({ calls, seed: `${s.seed}/curve`, params });
      const by = (k: 'p50Ms' | 'p95Ms') =>
        Object.fromEntries(DELAY_CONFIGS.map((c) => [c.id, configSummary(r, c.id)[k]])) as Record<
          DelayConfigId,
          number
        >;
      curve.push({ oneWayMs, p50Ms: by('p50Ms'), p95Ms: by('p95Ms') });
    }
    out.set(lossRate, curve);
  }
  return out;
}
