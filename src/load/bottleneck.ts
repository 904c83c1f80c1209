/**
 * Who limited a live load: each generator (the main thread, a worker thread, a shard process's threads)
 * reports how far behind schedule its frames left (send time − due time after the warm-up) and how busy it
 * was. A generator whose p99 send lateness is above the limit could not keep its calls' 20 ms pace, so the
 * sink was never offered the load asked for: the run measured the generator, not the sink, and it is not
 * a pass whatever the sink's figures say.
 */
import { EMPTY_LATENESS, type LatenessSummary } from './lateness.ts';

/** Send lateness p99 above this (ms) means the generator fell behind (default of `--max-send-lag`). */
export const DEFAULT_MAX_SEND_LAG_MS = 50;

export interface GeneratorReport {
  /** "main thread", "worker 2", "shard 1/2 worker 2". */
  readonly name: string;
  readonly calls: number;
  readonly connections: number;
  /** Send time − due time of its frames after the warm-up (ms). */
  readonly sendLateness: LatenessSummary;
  /** Most ticks one wake-up had to run (1 = never behind). */
  readonly maxCatchUpTicks: number;
  /**
   * Share of the wall time its thread's event loop was busy over the ticks (performance.eventLoopUtilization;
   * Node 20 has no CPU time per thread): near 1, the thread had no time to spare.
   */
  readonly busy: number;
  /** Cores its whole process used over the ticks (all threads; with an in-process sink, the sink's too). */
  readonly processCpuCores: number;
}

export interface BottleneckVerdict {
  readonly maxSendLagMs: number;
  /** Names of the generators that fell behind. */
  readonly behind: readonly string[];
  /** True when any generator fell behind: the run is not a pass. */
  readonly generatorWasBottleneck: boolean;
}

export function judgeGenerators(
  generators: readonly GeneratorReport[],
  maxSendLagMs = DEFAULT_MAX_SEND_LAG_MS,
): BottleneckVerdict {
  const behind = generators.filter((g) => g.sendLateness.p99Ms > maxSendLagMs).map((g) => g.name);
  return { maxSendLagMs, behind, generatorWasBottleneck: behind.length > 0 };
}

/** The lateness the verdict reads: after the warm-up, or the warm-up's when the run was all warm-up. */
export function judgedLateness(steady: LatenessSummary, warmup: LatenessSummary): LatenessSummary {
  if (steady.count > 0) return steady;
  return warmup.count > 0 ? warmup : EMPTY_LATENESS;
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

/** One line per generator, then the verdict. */
export function formatGenerators(generators: readonly GeneratorReport[], verdict: BottleneckVerdict): string {
  const lines = generators.map((g) => {
    const l = g.sendLateness;
    return `  ${verdict.behind.includes(g.name) ? '✗' : '✓'} ${g.name}: ${g.calls} calls on ${g.connections} connections, send lateness p50/p99/max ${ms(l.p50Ms)} / ${ms(l.p99Ms)} / ${ms(l.maxMs)} ms, event loop ${(g.busy * 100).toFixed(0)} % busy, process CPU ${g.processCpuCores.toFixed(2)} cores`;
  });
  const summary = verdict.generatorWasBottleneck
    ? `  bottleneck: the GENERATOR (${verdict.behind.join(', ')}) fell behind its schedule (send p99 > ${verdict.maxSendLagMs} ms): the sink was not offered the load asked for, so this run is NOT a pass`
    : `  generators kept their schedule (send p99 ≤ ${verdict.maxSendLagMs} ms each): the figures are the sink's`;
  return ['  generators:', ...lines, summary].join('\n');
}
