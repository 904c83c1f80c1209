/**
 * `callrec delay --measure`: the measured 2×2 table with real ICE stacks and the real recorder through the
 * emulated WAN, beside the model; a progress bar on a terminal; table on stdout, JSON and SVG on request.
 */
import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import cliProgress from 'cli-progress';
import { SimError } from '../../errors.ts';
import {
  compareWithModel,
  comparisonToJson,
  createIceStack,
  DEFAULT_MEASURE_SETTINGS,
  formatComparisonTable,
  type IceStackName,
  type MeasureSettings,
  measureGrid,
  modelCurves,
  renderComparisonSvg,
  validateMeasureSettings,
} from '../../measure/index.ts';
import { createRealClock, createRng } from '../../time/index.ts';

/** `--high-priority`: nice −10, so that other load on the machine delays the measured calls less. */
const HIGH_PRIORITY = -10;

export interface MeasureCliOptions {
  readonly seed: string;
  readonly stack: IceStackName;
  readonly gridOneWay: readonly number[];
  readonly gridLoss: readonly number[];
  readonly callsPerCell: number;
  readonly concurrency: number;
  readonly jitterMs: number;
  readonly cloudDetourMs: number;
  readonly recorderOneWayMs: number;
  readonly announcement?: boolean;
  readonly announcementMs: number;
  readonly highPriority?: boolean;
  readonly warmupCalls: number;
  readonly json?: string;
  readonly svg?: string;
  readonly csv?: string;
}

export async function runMeasure(opts: MeasureCliOptions): Promise<void> {
  if (opts.csv !== undefined)
    throw new SimError(
      'SIM_ERR_USAGE',
      '--measure writes --json and --svg; the table is on stdout (no --csv).',
    );
  const settings: MeasureSettings = {
    ...DEFAULT_MEASURE_SETTINGS,
    stack: opts.stack,
    cells: opts.gridOneWay.flatMap((oneWayMs) => opts.gridLoss.map((lossRate) => ({ oneWayMs, lossRate }))),
    callsPerCell: opts.callsPerCell,
    concurrency: opts.concurrency,
    seed: opts.seed,
    jitterMs: opts.jitterMs,
    cloudDetourOneWayMs: opts.cloudDetourMs,
    recorderOneWayMs: opts.recorderOneWayMs,
    announcementMs: opts.announcement === true ? opts.announcementMs : 0,
    warmupCalls: opts.warmupCalls,
  };
  validateMeasureSettings(settings);
  if (opts.highPriority === true) {
    try {
      setPriority(HIGH_PRIORITY);
    } catch {
      console.error(
        `could not raise the scheduling priority (needs root or CAP_SYS_NICE); measuring at the usual one.`,
      );
    }
  }
  const stack = await createIceStack(settings.stack);
  const total = settings.cells.length * 4 * settings.callsPerCell;
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `measuring (${settings.stack}) [{bar}] {percentage}% | {value}/{total} calls | ETA {eta}s`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(total, 0);
  const rng = createRng(`measure/${settings.seed}`);
  let measurement: Awaited<ReturnType<typeof measureGrid>>;
  try {
    measurement = await measureGrid({
      settings,
      stack,
      clock: createRealClock(),
      rng,
      onProgress: (done) => bar?.update(done),
    });
  } finally {
    bar?.stop();
  }
  console.error('running the model for the same conditions…');
  const cmp = compareWithModel(measurement, rng.fork('compare'));
  console.log(formatComparisonTable(cmp));
  if (opts.json !== undefined) {
    writeFileSync(opts.json, comparisonToJson(cmp));
    console.error(`JSON written to ${opts.json}`);
  }
  if (opts.svg !== undefined) {
    writeFileSync(opts.svg, renderComparisonSvg(cmp, modelCurves(cmp)));
    console.error(`SVG chart written to ${opts.svg}`);
  }
  const failed = measurement.cells.flatMap((c) => c.configs).reduce((n, k) => n + k.failed, 0);
  if (failed > 0)
    console.error(`${failed} calls did not connect within the timeout (left out of the percentiles).`);
  // The goal is the model's accuracy: say plainly when it was missed, and exit 1 as any missed goal does.
  if (cmp.goalsMet < cmp.goalsTotal) {
    console.error(
      `goal missed: the model is outside ±15 % (p50) / ±25 % (p95) in ${cmp.goalsTotal - cmp.goalsMet} of ${cmp.goalsTotal} cells × configurations (marked ✗).`,
    );
    process.exitCode = 1;
  }
  // libdatachannel's threads outlive its peer connections (its cleanup() is not safe to call here).
  if (settings.stack === 'libdatachannel') process.exit(process.exitCode ?? 0);
}
