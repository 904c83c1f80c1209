/**
 * How a merged sharded load reads (`callrec load merge`): the run's totals, each shard's sink, the merged
 * send lateness, every generator with the bottleneck verdict, and whether the run is a pass — never when
 * a shard is missing, a threshold is not met, or a generator fell behind.
 */
import { formatGenerators } from './bottleneck.ts';
import type { LatenessSummary } from './lateness.ts';
import type { MergedLoad } from './load-parts.ts';
import { formatThresholds, type ThresholdOutcome } from './thresholds.ts';

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const percentiles = (l: LatenessSummary) =>
  l.count === 0 ? '–' : `${ms(l.p50Ms)} / ${ms(l.p95Ms)} / ${ms(l.p99Ms)} / ${ms(l.maxMs)}`;

/** A merged run passes only when complete, every threshold is met and no generator fell behind. */
export function mergedPass(merged: MergedLoad, outcomes: readonly ThresholdOutcome[]): boolean {
  return merged.complete && outcomes.every((o) => o.met) && !merged.verdict.generatorWasBottleneck;
}

export function formatMerged(merged: MergedLoad, outcomes: readonly ThresholdOutcome[]): string {
  const { run } = merged;
  const lines = [
    `Live load (merged): run ${run.runId}, ${run.calls} calls × ${run.durationMs / 1000} s over ${run.connections} connections in ${run.shards} shard(s); shards here: ${merged.shards.join(', ')}`,
    ...(merged.complete
      ? []
      : [
          `  PARTIAL: shard(s) ${merged.missingShards.map((s) => `${s}/${run.shards}`).join(', ')} missing; the figures below cover ${merged.calls} of ${run.calls} calls`,
        ]),
    `  packets (sent / stored): ${merged.packetsSent} / ${merged.packetsStored}`,
    `  lost packets: ${merged.packetsLost} (sent − stored)${merged.callsWithWrongCount > 0 ? `; ${merged.callsWithWrongCount} calls with a wrong count` : ''}`,
    `  send lateness ms, p50 / p95 / p99 / max (all generators, merged): ${percentiles(merged.generatorLateness)}`,
    '  receive lateness ms, p50 / p95 / p99 / max, per shard:',
    ...merged.receivers.map(
      (r) => `    shard ${r.shard}/${run.shards} → ${r.target}: ${percentiles(r.stats.lateness)}`,
    ),
    `    thresholds read the worst shard's (an upper bound of the merged value): ${percentiles(merged.receiver.lateness)}`,
    formatGenerators(merged.generators, merged.verdict),
    formatThresholds(outcomes),
  ];
  const pass = mergedPass(merged, outcomes);
  lines.push(
    pass
      ? '  result: pass'
      : `  result: NOT a pass (${[
          ...(merged.complete ? [] : ['shards missing']),
          ...(outcomes.every((o) => o.met) ? [] : ['a threshold not met']),
          ...(merged.verdict.generatorWasBottleneck ? ['a generator fell behind'] : []),
        ].join('; ')})`,
  );
  return lines.join('\n');
}

export function mergedJson(
  merged: MergedLoad,
  outcomes: readonly ThresholdOutcome[],
): Record<string, unknown> {
  const perCall = [...merged.storedPerCall.values()];
  return {
    ...merged,
    storedPerCall:
      perCall.length === 0
        ? null
        : { calls: perCall.length, min: Math.min(...perCall), max: Math.max(...perCall) },
    thresholds: outcomes.map((o) => ({ threshold: o.threshold.text, actual: o.actual, met: o.met })),
    pass: mergedPass(merged, outcomes),
  };
}
