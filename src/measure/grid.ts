/**
 * The measured 2×2 table over a grid of network conditions: for each cell (one-way delay × loss) the four
 * configurations, `callsPerCell` calls each, run `concurrency` at a time and interleaved so that machine
 * noise falls on all four alike. Real sockets and real time through the emulated WAN.
 */
import { DELAY_CONFIGS, type DelayConfigId } from '../delay/index.ts';
import { SimError } from '../errors.ts';
import type { Rng } from '../time/index.ts';
import { type DirectionStats, mergeStats, type PathImpairment, type WanClock } from '../wan/index.ts';
import { type EmulatorOverhead, measureEmulatorOverhead } from './emulator-overhead.ts';
import type { IceStack, IceStackName } from './ice-stack.ts';
import { measureCall } from './measured-call.ts';
import { type RecorderLink, startRecorderLink } from './recorder-link.ts';
import { startSignallingLink } from './signalling-link.ts';

export interface GridCell {
  readonly oneWayMs: number;
  readonly lossRate: number;
}

export interface MeasureSettings {
  readonly stack: IceStackName;
  readonly cells: readonly GridCell[];
  readonly callsPerCell: number;
  readonly concurrency: number;
  readonly seed: string;
  /** Uniform jitter on every emulated path (ms, ±). */
  readonly jitterMs: number;
  /** The cloud path's extra one-way delay over the direct one (signalling, media without ICE, recorded media). */
  readonly cloudDetourOneWayMs: number;
  /** Platform ↔ recorder one-way delay. */
  readonly recorderOneWayMs: number;
  /** 0: no start announcement. */
  readonly announcementMs: number;
  /** Recorder answer times taken straight from the sink before the grid (fed to the model). */
  readonly recorderSamples: number;
  readonly callTimeoutMs: number;
  /** Calls run (all four configurations, at the first cell's conditions) and discarded before the grid: JIT. */
  readonly warmupCalls: number;
}

export const FULL_GRID: readonly GridCell[] = [10, 30, 75].flatMap((oneWayMs) =>
  [0, 0.01, 0.03].map((lossRate) => ({ oneWayMs, lossRate })),
);

export const DEFAULT_MEASURE_SETTINGS: MeasureSettings = {
  stack: 'werift',
  cells: FULL_GRID,
  callsPerCell: 200,
  concurrency: 4,
  seed: '1',
  jitterMs: 0,
  cloudDetourOneWayMs: 20,
  recorderOneWayMs: 20,
  announcementMs: 0,
  recorderSamples: 200,
  callTimeoutMs: 10_000,
  warmupCalls: 32,
};

export interface ConfigMeasurement {
  readonly config: DelayConfigId;
  readonly calls: number;
  readonly failed: number;
  /** Answer → both parties heard each other, per connected call (ms, in completion order). */
  readonly totalsMs: readonly number[];
  readonly callerReadyMs: readonly number[];
  readonly calleeReadyMs: readonly number[];
  readonly recorderMs: readonly number[];
  readonly errors: readonly string[];
}

export interface CellMeasurement {
  readonly cell: GridCell;
  readonly configs: readonly ConfigMeasurement[];
  /** What the relays delivered during this cell's calls, by path. */
  readonly paths: Readonly<Record<'media' | 'signalling', DirectionStats>>;
}

export interface GridMeasurement {
  readonly settings: MeasureSettings;
  readonly overhead: EmulatorOverhead;
  readonly recorderAnswerMs: readonly number[];
  readonly recorderPath: DirectionStats;
  readonly cells: readonly CellMeasurement[];
  readonly wallMs: number;
}

export function validateMeasureSettings(s: MeasureSettings): void {
  const bad = (what: string, value: unknown, allowed: string): never => {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `Invalid ${what} ${JSON.stringify(value)}; give ${allowed}.`,
      {
        details: { what, value },
      },
    );
  };
  if (s.cells.length === 0) bad('grid', [], 'at least one cell');
  for (const c of s.cells) {
    if (!(c.oneWayMs >= 0 && c.oneWayMs <= 1000))
      bad('one-way delay', c.oneWayMs, 'a delay from 0 to 1,000 ms');
    if (!(c.lossRate >= 0 && c.lossRate <= 0.5)) bad('loss', c.lossRate, 'a fraction from 0 to 0.5');
    if (s.jitterMs > c.oneWayMs)
      bad('jitter', s.jitterMs, `at most the smallest one-way delay (${c.oneWayMs} ms)`);
  }
  if (!Number.isInteger(s.callsPerCell) || s.callsPerCell < 1 || s.callsPerCell > 10_000)
    bad('calls per cell', s.callsPerCell, 'a whole number from 1 to 10,000');
  if (!Number.isInteger(s.concurrency) || s.concurrency < 1 || s.concurrency > 200)
    bad('concurrency', s.concurrency, 'a whole number from 1 to 200');
}

export interface MeasureRunOptions {
  readonly settings: MeasureSettings;
  readonly stack: IceStack;
  readonly clock: WanClock;
  readonly rng: Rng;
  /** Called after every call: calls done and in all. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Calls at the first cell's conditions whose results are dropped: the first calls pay for JIT and caches. */
async function warmUp(options: MeasureRunOptions, recorder: RecorderLink): Promise<void> {
  const { settings: s, clock, rng, stack } = options;
  const first = s.cells[0];
  if (first === undefined || s.warmupCalls === 0) return;
  const direct: PathImpairment = { oneWayMs: first.oneWayMs, jitterMs: s.jitterMs, lossRate: first.lossRate };
  const cloud: PathImpairment = { ...direct, oneWayMs: first.oneWayMs + s.cloudDetourOneWayMs };
  const signalling = await startSignallingLink({
    clock,
    path: { ...cloud, lossRate: 0 },
    rng: rng.fork('warm-up'),
  });
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < s.warmupCalls) {
        const k = next++;
        await measureCall({
          callId: `warm-up-${k}`,
          config: DELAY_CONFIGS[k % DELAY_CONFIGS.length] as (typeof DELAY_CONFIGS)[number],
          stack,
          paths: { direct, cloud },
          signalling,
          recorder,
          announcementMs: 0,
          clock,
          rng: rng.fork(`warm-up/${k}`),
          timeoutMs: s.callTimeoutMs,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(s.concurrency, s.warmupCalls) }, worker));
  } finally {
    await signalling.stop();
  }
}

export async function measureGrid(options: MeasureRunOptions): Promise<GridMeasurement> {
  const { settings: s, clock, rng, stack } = options;
  validateMeasureSettings(s);
  const startedMs = clock.nowMs();
  const overhead = await measureEmulatorOverhead(clock, rng.fork('overhead'));
  const recorder = await startRecorderLink({
    clock,
    oneWayMs: s.recorderOneWayMs,
    rng: rng.fork('recorder'),
  });
  const total = s.cells.length * DELAY_CONFIGS.length * s.callsPerCell;
  let done = 0;
  const cells: CellMeasurement[] = [];
  try {
    // Warm-up answers first (JIT, the sink's first statements), then the ones the model is fed.
    await recorder.answerSamplesMs(20);
    const recorderAnswerMs = await recorder.answerSamplesMs(s.recorderSamples);
    await warmUp(options, recorder);
    for (const [cellIndex, cell] of s.cells.entries()) {
      const direct: PathImpairment = {
        oneWayMs: cell.oneWayMs,
        jitterMs: s.jitterMs,
        lossRate: cell.lossRate,
      };
      const cloud: PathImpairment = { ...direct, oneWayMs: cell.oneWayMs + s.cloudDetourOneWayMs };
      const cellRng = rng.fork(`cell/${cellIndex}`);
      const signalling = await startSignallingLink({
        clock,
        path: { ...cloud, lossRate: 0 },
        rng: cellRng.fork('signalling'),
      });
      const results = DELAY_CONFIGS.map(() => ({
        failed: 0,
        totals: [] as number[],
        caller: [] as number[],
        callee: [] as number[],
        recorder: [] as number[],
        errors: [] as string[],
      }));
      const media: DirectionStats[] = [];
      // Interleave configurations: call k of the cell is configuration k mod 4.
      const jobs = Array.from({ length: DELAY_CONFIGS.length * s.callsPerCell }, (_, k) => k);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < jobs.length) {
          const k = jobs[next++] as number;
          const c = k % DELAY_CONFIGS.length;
          const config = DELAY_CONFIGS[c] as (typeof DELAY_CONFIGS)[number];
          const r = await measureCall({
            callId: `c${cellIndex}-${k}`,
            config,
            stack,
            paths: { direct, cloud },
            signalling,
            recorder,
            announcementMs: s.announcementMs,
            clock,
            rng: cellRng.fork(`call/${k}`),
            timeoutMs: s.callTimeoutMs + s.announcementMs,
          });
          const acc = results[c] as (typeof results)[number];
          media.push(...r.relays);
          if (r.ok) {
            acc.totals.push(r.totalMs);
            acc.caller.push(r.callerReadyMs);
            acc.callee.push(r.calleeReadyMs);
            if (config.recording) acc.recorder.push(r.recorderMs);
          } else {
            acc.failed++;
            if (acc.errors.length < 5) acc.errors.push(r.error ?? 'failed');
          }
          options.onProgress?.(++done, total);
        }
      };
      await Promise.all(Array.from({ length: Math.min(s.concurrency, jobs.length) }, worker));
      const sig = signalling.relayStats();
      await signalling.stop();
      cells.push({
        cell,
        configs: DELAY_CONFIGS.map((config, c) => {
          const acc = results[c] as (typeof results)[number];
          return {
            config: config.id,
            calls: s.callsPerCell,
            failed: acc.failed,
            totalsMs: acc.totals,
            callerReadyMs: acc.caller,
            calleeReadyMs: acc.callee,
            recorderMs: acc.recorder,
            errors: acc.errors,
          };
        }),
        paths: { media: mergeStats(media), signalling: mergeStats([sig.upstream, sig.downstream]) },
      });
    }
    const rec = recorder.relayStats();
    return {
      settings: s,
      overhead,
      recorderAnswerMs,
      recorderPath: mergeStats([rec.upstream, rec.downstream]),
      cells,
      wallMs: clock.nowMs() - startedMs,
    };
  } finally {
    await recorder.stop();
    await stack.dispose();
  }
}
