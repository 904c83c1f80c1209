/**
 * How a live load reads to a person and to a program: the one-line progress shown each second, the final
 * table (generator and receiver side by side, units in the row names), and a JSON form.
 */
import { PACKET_INTERVAL_MS } from '../media/media-format.ts';
import type { LatenessSummary } from './lateness.ts';
import type { LiveLoadResult, LoadProgress } from './live-load.ts';

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const percentiles = (l: LatenessSummary) =>
  l.count === 0 ? '–' : `${ms(l.p50Ms)} / ${ms(l.p95Ms)} / ${ms(l.p99Ms)} / ${ms(l.maxMs)}`;
const kib = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 1024).toFixed(0)} KiB`);
const cores = (c: number | undefined) => (c === undefined ? '–' : c.toFixed(2));

export function formatProgress(p: LoadProgress): string {
  const p99 = p.warmingUp
    ? 'lateness: warming up'
    : `lateness p99 ${ms(p.generatorP99Ms)} ms sent / ${p.receiverP99Ms === undefined ? 'no report yet' : `${ms(p.receiverP99Ms)} ms`} received`;
  return [
    `${(p.elapsedMs / 1000).toFixed(0).padStart(4)} s`,
    `${p.calls} calls`,
    `${Math.round(p.packetsPerSecond).toLocaleString('en-US')} packets/s`,
    p99,
    `stored ${p.packetsStored.toLocaleString('en-US')}/${p.packetsSent.toLocaleString('en-US')}`,
    `lost ${p.lostSoFar}`,
    ...(p.ticksBehind > 0 ? [`generator behind by ${p.ticksBehind} ticks`] : []),
  ].join('  ');
}

export function formatLoadTable(r: LiveLoadResult): string {
  const rows: [string, string, string][] = [
    ['frames', String(r.framesSent), String(r.receiver.framesReceived)],
    ['packets (sent / stored)', String(r.packetsSent), String(r.packetsStored)],
    [
      'lateness ms, p50 / p95 / p99 / max',
      percentiles(r.generatorLateness),
      percentiles(r.receiver.lateness),
    ],
    [
      `  in the ${(r.warmupTicks * PACKET_INTERVAL_MS) / 1000} s warm-up`,
      percentiles(r.generatorWarmupLateness),
      percentiles(r.receiver.warmupLateness),
    ],
    ['CPU (cores busy)', cores(r.generatorResources.cpuCores), cores(r.receiver.resources?.cpuCores)],
    ['RSS per call', kib(r.generatorRssPerCallBytes), kib(r.receiverRssPerCallBytes)],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max('generator'.length, ...rows.map((x) => x[1].length));
  const line = (a: string, b: string, c: string) => `  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`;
  const lost = r.packetsLost;
  const p99 = r.receiver.lateness.p99Ms;
  return [
    `Live load: ${r.calls} calls × ${r.durationMs / 1000} s` +
      (r.warmupTicks > 1
        ? ` (starting over the first ${(r.warmupTicks * PACKET_INTERVAL_MS) / 1000} s)`
        : '') +
      ` over ${r.connections} connections → ${r.target}` +
      (r.shard.count > 1
        ? ` (shard ${r.shard.index}/${r.shard.count} of a ${r.runCalls}-call run ${r.runId})`
        : '') +
      (r.workers > 1 ? ` (${r.workers} generator threads)` : ''),
    line('', 'generator', r.target),
    ...rows.map(([a, b, c]) => line(a, b, c)),
    ...(r.receiver.resources === undefined
      ? ["  (the sink runs in the generator's process: the generator column's CPU and RSS cover both)"]
      : []),
    '',
    `  lost packets: ${lost} (sent − stored)${r.callsWithWrongCount > 0 ? `; ${r.callsWithWrongCount} calls with a wrong count` : ''}`,
    ...(r.reconnects > 0
      ? [
          `  reconnects: ${r.reconnects} (frames no checkpoint covered were resent; lateness after a reconnect is skewed)`,
        ]
      : []),
    `  receive lateness p99 ${ms(p99)} ms` +
      (r.clockOffsetMs === undefined
        ? ''
        : ` (clock offset between processes ${r.clockOffsetMs.toFixed(2)} ms)`),
  ].join('\n');
}

/** Plain JSON (per-call counts summarised, not listed). */
export function loadResultJson(r: LiveLoadResult): Record<string, unknown> {
  const perCall = [...r.storedPerCall.values()];
  const {
    storedPerCall: _omit,
    generatorLatenessSnapshot: _histogram,
    generatorWarmupSnapshot: _warmupHistogram,
    ...rest
  } = r;
  return {
    ...rest,
    storedPerCall:
      perCall.length === 0
        ? null
        : { calls: perCall.length, min: Math.min(...perCall), max: Math.max(...perCall) },
  };
}
