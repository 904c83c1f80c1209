/**
 * Live load on one generator thread against two (`callrec load --workers 1` vs `--workers 2`): the same
 * calls (same seed, 20 connections, shared out whole over the threads) to the same kind of sink in its own
 * process, one run after the other, each on a fresh SQLite file. Per run: the generators' send lateness
 * (how far behind schedule frames left), the sink's receive lateness, loss, the generator process's CPU
 * and how busy each generator thread's event loop was; the last line has workers-2 ÷ workers-1 ratios.
 *
 * `tsx bench/live-load-workers.ts` runs it (`npm run bench -- workers`); CALLS=… changes the call count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeGenerators } from '../src/load/bottleneck.ts';
import type { LiveLoadResult } from '../src/load/live-load.ts';
import { runLiveLoad } from '../src/load/live-load.ts';
import { createEndpointSinkTarget } from '../src/load/sink-endpoint.ts';
import { createSinkTarget } from '../src/load/sink-load-target.ts';
import { runThreadedLoad } from '../src/load/threaded-load.ts';
import { type BenchResult, runIfMain } from './bench-result.ts';

const CALLS = Number(process.env.CALLS ?? 2000);
const CONNECTIONS = 20;
const STEP_MS = 10_000;
const WARMUP_MS = 1000;
const SEED = 'bench-workers';

const round = (v: number, digits = 2) => Number(v.toFixed(digits));
const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

async function step(dir: string, workers: number): Promise<LiveLoadResult> {
  const dbPath = join(dir, `sink-w${workers}.db`);
  const shape = {
    calls: CALLS,
    connections: CONNECTIONS,
    durationMs: STEP_MS,
    warmupMs: WARMUP_MS,
    seed: SEED,
  };
  const sink = { inProcess: false, dbPath, maxLifetimeMs: 120_000 };
  try {
    return workers === 1
      ? await runLiveLoad({ ...shape, target: createSinkTarget(sink) })
      : await runThreadedLoad({ ...shape, workers, target: createEndpointSinkTarget(sink) });
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  }
}

function figuresOf(prefix: string, r: LiveLoadResult): Record<string, number> {
  return {
    [`${prefix}LostPackets`]: r.packetsLost,
    [`${prefix}SendP50Ms`]: round(r.generatorLateness.p50Ms),
    [`${prefix}SendP99Ms`]: round(r.generatorLateness.p99Ms),
    [`${prefix}SendMaxMs`]: round(r.generatorLateness.maxMs),
    [`${prefix}ReceiveP99Ms`]: round(r.receiver.lateness.p99Ms),
    [`${prefix}GeneratorCpuCores`]: round(r.generatorResources.cpuCores),
    [`${prefix}BusiestThread`]: round(Math.max(...r.generators.map((g) => g.busy))),
    [`${prefix}SinkCpuCores`]: round(r.receiver.resources?.cpuCores ?? Number.NaN),
  };
}

function row(r: LiveLoadResult): string {
  const g = r.generatorLateness;
  const verdict = judgeGenerators(r.generators);
  return (
    `workers ${r.workers}: ${r.calls} calls, lost ${r.packetsLost}, send p50/p99/max ${g.p50Ms.toFixed(1)}/${g.p99Ms.toFixed(1)}/${g.maxMs.toFixed(1)} ms, ` +
    `receive p99 ${r.receiver.lateness.p99Ms.toFixed(1)} ms, generator CPU ${r.generatorResources.cpuCores.toFixed(2)} cores, ` +
    `threads busy ${r.generators.map((x) => `${(x.busy * 100).toFixed(0)} %`).join(' / ')}, sink CPU ${(r.receiver.resources?.cpuCores ?? Number.NaN).toFixed(2)}` +
    (verdict.generatorWasBottleneck ? ` — generator fell behind (${verdict.behind.join(', ')})` : '')
  );
}

export default async function bench(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'callrec-load-workers-'));
  try {
    await settle();
    const one = await step(dir, 1);
    await settle();
    const two = await step(dir, 2);
    const ratio = (a: number, b: number) => round(a / b);
    return {
      name: 'live-load-workers',
      figures: {
        calls: CALLS,
        connections: CONNECTIONS,
        stepMs: STEP_MS,
        ...figuresOf('workers1', one),
        ...figuresOf('workers2', two),
      },
      ratios: {
        [`workers2VsWorkers1SendP99At${CALLS}`]: ratio(
          two.generatorLateness.p99Ms,
          one.generatorLateness.p99Ms,
        ),
        [`workers2VsWorkers1ReceiveP99At${CALLS}`]: ratio(
          two.receiver.lateness.p99Ms,
          one.receiver.lateness.p99Ms,
        ),
        [`workers2VsWorkers1GeneratorCpuAt${CALLS}`]: ratio(
          two.generatorResources.cpuCores,
          one.generatorResources.cpuCores,
        ),
        [`workers2VsWorkers1BusiestThreadAt${CALLS}`]: ratio(
          Math.max(...two.generators.map((g) => g.busy)),
          Math.max(...one.generators.map((g) => g.busy)),
        ),
      },
      goals: [
        {
          goal: `workers 1 and 2 at ${CALLS} calls store every packet`,
          met: one.packetsLost === 0 && two.packetsLost === 0,
        },
      ],
      notes: [
        row(one),
        row(two),
        `same seed and calls, ${CONNECTIONS} connections (workers 2: 10 each), ${STEP_MS / 1000} s steps after a ${WARMUP_MS / 1000} s warm-up, sink in its own process on a SQLite file; send lateness = send time − due time at the generator, busy = event-loop utilisation of each generator thread`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runIfMain(import.meta, bench);
