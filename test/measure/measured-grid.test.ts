/**
 * Measured calls through the emulated WAN (real sockets, real time, loopback only). Small runs; asserted
 * on behaviour and on lower bounds the emulated delays impose — never on how fast the machine is.
 */
import { describe, expect, it } from 'vitest';
import { DELAY_CONFIGS } from '../../src/delay/index.ts';
import {
  compareWithModel,
  comparisonToJson,
  createIceStack,
  DEFAULT_MEASURE_SETTINGS,
  type GridMeasurement,
  measureGrid,
  modelCurves,
  renderComparisonSvg,
} from '../../src/measure/index.ts';
import { createRealClock, createRng } from '../../src/time/index.ts';
import { assertWellFormedXml } from '../delay/xml-check.ts';

const clock = createRealClock();

async function measure(
  oneWayMs: number,
  calls: number,
  over: Partial<typeof DEFAULT_MEASURE_SETTINGS> = {},
): Promise<GridMeasurement> {
  return measureGrid({
    settings: {
      ...DEFAULT_MEASURE_SETTINGS,
      ...over,
      cells: [{ oneWayMs, lossRate: 0 }],
      callsPerCell: calls,
      concurrency: 4,
      recorderSamples: 5,
      warmupCalls: 0,
      seed: 'test',
    },
    stack: await createIceStack('werift'),
    clock,
    rng: createRng('measured-grid-test'),
  });
}

describe('measured 2×2 table (werift-ice through the emulated WAN)', () => {
  it('every call crosses the emulated paths: no configuration beats the delays it must cross', async () => {
    const d = 15;
    const m = await measure(d, 2);
    const { cloudDetourOneWayMs: c, recorderOneWayMs: r } = m.settings;
    const cell = m.cells[0];
    expect(cell?.configs.map((k) => k.config)).toEqual(DELAY_CONFIGS.map((k) => k.id));
    const totals = Object.fromEntries(cell?.configs.map((k) => [k.config, k.totalsMs]) ?? []) as Record<
      (typeof DELAY_CONFIGS)[number]['id'],
      readonly number[]
    >;
    for (const k of cell?.configs ?? []) {
      expect(k.failed, k.errors.join('; ')).toBe(0);
      expect(k.totalsMs).toHaveLength(2);
    }
    // ICE off: the answer crosses the cloud path, then the caller's first packet does: 2 × (d + c).
    for (const t of totals.baseline) expect(t).toBeGreaterThanOrEqual(2 * (d + c));
    // ICE on: answer (d + c), the caller's check and its answer (2d), then its first packet (d).
    for (const t of totals.ice) expect(t).toBeGreaterThanOrEqual(d + c + 3 * d);
    // Recording on: the recorder's round trip gates both parties, and media takes the cloud path.
    for (const t of totals.recording) expect(t).toBeGreaterThanOrEqual(Math.max(2 * r, d + c) + d + c);
    for (const t of totals.combined) expect(t).toBeGreaterThanOrEqual(d + c + 2 * d + d + c);
    // The relays saw every media packet and delivered none early.
    expect(cell?.paths.media.received).toBeGreaterThan(0);
    expect(cell?.paths.media.meanLateMs).toBeGreaterThanOrEqual(0);
    expect(m.recorderAnswerMs).toHaveLength(5);

    // Beside the model: the same rows, ratios, and outputs that parse.
    const cmp = compareWithModel(m, createRng('cmp'), 2000);
    const rows = cmp.cells[0]?.configs ?? [];
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(Number.isFinite(row.ratio.p50)).toBe(true);
      expect(row.measured.p50.lowMs).toBeLessThanOrEqual(row.measured.p50.estimateMs);
      expect(row.measured.p50.highMs).toBeGreaterThanOrEqual(row.measured.p50.estimateMs);
    }
    const json = JSON.parse(comparisonToJson(cmp));
    expect(json.format).toBe('callrec-delay-measured/1');
    expect(json.cells[0].samples[1].totalsMs).toHaveLength(2);
    assertWellFormedXml(renderComparisonSvg(cmp, modelCurves(cmp, 4, 500)));
  }, 60_000);

  it('with zero delay and no loss it shows what the loopback calibration found: werift’s 20 ms tick', async () => {
    // Every path at 0 ms, as in the calibration (two agents on loopback).
    const m = await measure(0, 3, { cloudDetourOneWayMs: 0, recorderOneWayMs: 0 });
    const ice = m.cells[0]?.configs.find((k) => k.config === 'ice');
    expect(ice?.failed).toBe(0);
    // The answering (controlled) agent's connect() returns at its check loop's 20 ms tick at the earliest —
    // the calibration's "1 pair ≈ 20 ms" — never sooner (its timer cannot fire early).
    for (const t of ice?.calleeReadyMs ?? []) expect(t).toBeGreaterThanOrEqual(19);
    for (const t of ice?.totalsMs ?? []) expect(t).toBeGreaterThanOrEqual(19);
    // The model for the same zero-delay cell (the emulator's own cost left out) predicts that same tick,
    // as the calibration's model did.
    const exact = {
      ...m,
      overhead: { ...m.overhead, addedOneWayMs: 0 },
      recorderPath: { ...m.recorderPath, meanLateMs: 0 },
      cells: m.cells.map((c) => ({
        ...c,
        paths: { ...c.paths, media: { ...c.paths.media, meanLateMs: 0, lateSamplesMs: [] } },
      })),
    };
    const model = compareWithModel(exact, createRng('cmp0'), 2000).cells[0]?.configs;
    expect(model?.find((k) => k.config === 'ice')?.model.p50.estimateMs).toBeCloseTo(20, 1);
    expect(model?.find((k) => k.config === 'baseline')?.model.p50.estimateMs).toBeCloseTo(0, 1);
  }, 60_000);
});
