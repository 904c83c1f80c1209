/**
 * The measured start-of-call delay on a reduced grid (one-way 10/75 ms × loss 0/3 %, 40 calls per cell and
 * configuration): werift-ice on both devices and the real sink as recorder, through the emulated WAN, beside
 * the model for the same conditions. Ratios are model / measured; `callrec delay --measure` runs the full grid.
 */
import {
  compareWithModel,
  createIceStack,
  DEFAULT_MEASURE_SETTINGS,
  GOALS,
  measureGrid,
} from '../src/measure/index.ts';
import { createRealClock, createRng } from '../src/time/index.ts';
import { type BenchResult, runIfMain } from './bench-result.ts';

const CELLS = [10, 75].flatMap((oneWayMs) => [0, 0.03].map((lossRate) => ({ oneWayMs, lossRate })));
const CALLS_PER_CELL = 40;

export default async function delayMeasured(): Promise<BenchResult> {
  const settings = { ...DEFAULT_MEASURE_SETTINGS, cells: CELLS, callsPerCell: CALLS_PER_CELL, seed: 'bench' };
  const m = await measureGrid({
    settings,
    stack: await createIceStack('werift'),
    clock: createRealClock(),
    rng: createRng('bench/delay-measured'),
  });
  const cmp = compareWithModel(m, createRng('bench/compare'));
  const figures: Record<string, number> = {
    callsPerCellAndConfig: CALLS_PER_CELL,
    wallMs: Math.round(m.wallMs),
    emulatorAddedOneWayMs: m.overhead.addedOneWayMs,
    recorderAnswerP50Ms:
      [...m.recorderAnswerMs].sort((a, b) => a - b)[Math.floor(m.recorderAnswerMs.length / 2)] ?? 0,
  };
  const ratios: Record<string, number> = {};
  const goals: { goal: string; met: boolean }[] = [];
  for (const c of cmp.cells) {
    const key = `${c.cell.oneWayMs}ms_${c.cell.lossRate * 100}pct`;
    figures[`${key}_relayLateMs`] = c.relayLateMs;
    for (const k of c.configs) {
      figures[`${key}_${k.config}_measuredP50Ms`] = k.measured.p50.estimateMs;
      figures[`${key}_${k.config}_measuredP95Ms`] = k.measured.p95.estimateMs;
      figures[`${key}_${k.config}_modelP50Ms`] = k.model.p50.estimateMs;
      figures[`${key}_${k.config}_modelP95Ms`] = k.model.p95.estimateMs;
      if (k.config === 'ice' || k.config === 'combined') {
        ratios[`${key}_${k.config}_p50`] = k.ratio.p50;
        ratios[`${key}_${k.config}_p95`] = k.ratio.p95;
      }
      goals.push({
        goal: `${c.cell.oneWayMs} ms / ${c.cell.lossRate * 100} % ${k.label}: model/measured p50 ${k.ratio.p50.toFixed(2)} within ±${GOALS.p50 * 100} %, p95 ${k.ratio.p95.toFixed(2)} within ±${GOALS.p95 * 100} %`,
        met: k.withinGoal.p50 && k.withinGoal.p95,
      });
    }
  }
  return {
    name: 'delay-measured',
    figures,
    ratios,
    goals,
    notes: [
      `werift-ice on both devices, ${settings.concurrency} calls at a time, real time through the emulated WAN (loopback relays); the model gets werift's timing profile and the delays as delivered`,
      `the emulator added ${m.overhead.addedOneWayMs.toFixed(3)} ms per hop, and delivered ${Math.min(...cmp.cells.map((c) => c.relayLateMs)).toFixed(1)}–${Math.max(...cmp.cells.map((c) => c.relayLateMs)).toFixed(1)} ms late per hop on average: other load on the machine shows up here`,
      'only the ICE-on ratios are listed in the last line; every cell is in the figures and goals',
    ],
  };
}

await runIfMain(import.meta, delayMeasured);
