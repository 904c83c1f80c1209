/**
 * A live load run: N concurrent real-time calls, each two G.711 streams of 50 packets/s, spread
 * over K connections to a receiver, for a bounded duration. One shared ticker; per tick one frame per
 * connection with all its calls' packets. Measures what was sent, what the receiver stored, lateness at
 * both ends (the first `warmupMs` apart), CPU and RSS, and always stops the receiver, also on failure.
 */
import type { G711Law } from '../media/g711.ts';
import { PACKET_INTERVAL_MS } from '../media/media-format.ts';
import { createEpochClock, wallClockEpochMs } from '../time/real-clock.ts';
import { createRng } from '../time/rng.ts';
import { type GeneratorReport, judgedLateness } from './bottleneck.ts';
import { createConnectionFrames, FRAME_BYTES_PER_CALL } from './frame-builder.ts';
import type { LatenessSnapshot, LatenessSummary } from './lateness.ts';
import { type LoadCall, planCalls } from './load-calls.ts';
import { checkLoadOptions } from './load-options.ts';
import {
  checkPartition,
  connectionsByWorker,
  generatorName,
  ONE_SHARD,
  type ShardSpec,
} from './load-partition.ts';
import { createSeriesRecorder, type LoadSecond } from './load-series.ts';
import type { LoadLink, LoadTarget, ReceiverStats } from './load-target.ts';
import { createPayloadBank } from './payload-bank.ts';
import { type ResourceSample, startResourceMeter } from './resources.ts';
import { startTickLoop } from './tick-loop.ts';
import type { TickerClock } from './ticker.ts';

export interface LiveLoadOptions {
  readonly calls: number;
  readonly connections: number;
  readonly durationMs: number;
  readonly target: LoadTarget;
  /**
   * Calls start spread over the first this-many ms, and lateness in it is reported apart (default 1000;
   * 0 = every call starts at tick 0 and everything is measured).
   */
  readonly warmupMs?: number;
  readonly seed?: string;
  readonly law?: G711Law;
  /** Tick 0 is due this long after the calls are open (ms). */
  readonly startDelayMs?: number;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly progressEveryMs?: number;
  /** How long closing the calls and collecting the counts may take (ms). */
  readonly finishTimeoutMs?: number;
  /** Defaults to the wall clock (epoch ms). */
  readonly clock?: TickerClock;
  /** CPU time this process has used, ms (default: process.cpuUsage()). */
  readonly cpuMs?: () => number;
  /**
   * Tags the recording ids (`load-<runId>-<call>`). Default: from the wall clock, so a kept database never
   * resumes an older run's recordings; shards of one run must share it (load-run.ts derives one).
   */
  readonly runId?: string;
  /** Run only this shard of the run's calls (load-partition.ts); default: all of them. */
  readonly shard?: ShardSpec;
  /** Runs at the start of every tick (a hook that simulates a slow host: tick-loop.ts). */
  readonly beforeTick?: (tick: number) => void;
}

export interface LoadProgress {
  readonly elapsedMs: number;
  readonly calls: number;
  /** Packets sent during the last progress interval, per second. */
  readonly packetsPerSecond: number;
  readonly packetsSent: number;
  /** Durable by the sink's checkpoints as the generator holds them now (≤ packetsSent). */
  readonly packetsStored: number;
  /** Packets that can no longer be stored: refused by the receiver (its latest report). */
  readonly lostSoFar: number;
  /** Still in the warm-up: the p99 figures below are not measured yet. */
  readonly warmingUp: boolean;
  /** p99 so far (after the warm-up), ms. */
  readonly generatorP99Ms: number;
  /** Undefined until a report of the receiver with frames after the warm-up has arrived. */
  readonly receiverP99Ms: number | undefined;
  /** Ticks that were due but not yet run when this line was made (0 = the generator keeps up). */
  readonly ticksBehind: number;
}

export interface LiveLoadResult {
  readonly target: string;
  /** Calls this generator process ran (its shard's; all of the run's when not sharded). */
  readonly calls: number;
  /** Calls of the whole run, over every shard. */
  readonly runCalls: number;
  readonly shard: ShardSpec;
  /** Worker threads that generated the calls (1: the main thread did). */
  readonly workers: number;
  readonly runId: string;
  /** Per generator: how far behind schedule its frames left, how busy it was (bottleneck.ts). */
  readonly generators: readonly GeneratorReport[];
  /** The generator lateness histograms, for merging with other shards' (lateness.ts). */
  readonly generatorLatenessSnapshot: LatenessSnapshot;
  readonly generatorWarmupSnapshot: LatenessSnapshot;
  readonly connections: number;
  readonly durationMs: number;
  readonly ticks: number;
  readonly warmupTicks: number;
  readonly framesSent: number;
  readonly packetsSent: number;
  readonly packetsStored: number;
  /** packetsSent − packetsStored at the end. */
  readonly packetsLost: number;
  /** Calls whose final checkpoint does not count their 2 × (ticks − start tick) packets; −1 when unknown. */
  readonly callsWithWrongCount: number;
  /** Packets stored per recording id, from each call's final checkpoint (sink only). */
  readonly storedPerCall: ReadonlyMap<string, number>;
  /** Send time − due time of each frame at the generator, after the warm-up … */
  readonly generatorLateness: LatenessSummary;
  /** … and during it. */
  readonly generatorWarmupLateness: LatenessSummary;
  readonly receiver: ReceiverStats;
  /** The generator's CPU and RSS over the ticks. */
  readonly generatorResources: ResourceSample;
  /** RSS growth per call (bytes) of the generator and of the receiver process. */
  readonly generatorRssPerCallBytes: number;
  readonly receiverRssPerCallBytes: number | undefined;
  /** Receiver clock − generator clock, ms (child process only). */
  readonly clockOffsetMs: number | undefined;
  /** Most ticks one wake-up of the ticker had to run (1 = never behind). */
  readonly maxCatchUpTicks: number;
  /** Largest socket backlog seen at the generator, bytes. */
  readonly maxBufferedBytes: number;
  /**
   * Connections that dropped and reconnected (their unacknowledged frames were resent). The receiver times
   * a reconnected connection's frames by their number on the new connection, so its lateness is skewed.
   */
  readonly reconnects: number;
  /** One row per second of the run (load-series.ts; docs/live-load.md, "Per-second series"). */
  readonly seconds: readonly LoadSecond[];
}

export const DEFAULT_WARMUP_MS = 1000;

export function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((resolve) => {
      timer = setTimeout(() => resolve(fallback), ms);
    }),
  ]);
}

export async function runLiveLoad(options: LiveLoadOptions): Promise<LiveLoadResult> {
  const { calls, connections, durationMs } = checkLoadOptions(options);
  const shard = options.shard ?? ONE_SHARD;
  checkPartition(connections, shard, 1);
  const { target } = options;
  const clock = options.clock ?? createEpochClock();
  const tickMs = PACKET_INTERVAL_MS;
  const ticks = Math.floor(durationMs / tickMs);
  const warmupTicks = Math.min(ticks, Math.round((options.warmupMs ?? DEFAULT_WARMUP_MS) / tickMs));
  const law = options.law ?? 'mulaw';
  const rng = createRng(options.seed ?? 'live-load');
  const bank = createPayloadBank(rng, law);
  const rssBaseline = process.memoryUsage.rss();
  const runId = options.runId ?? Math.floor(wallClockEpochMs()).toString(36);
  const planned = planCalls({
    calls,
    connections,
    rng,
    runId,
    bankFrames: bank.frames,
    rampTicks: warmupTicks,
  });
  // This shard's connections (all of them when not sharded), each with the calls the run gives it.
  const byConnection = (connectionsByWorker(connections, shard, 1)[0] ?? []).map(
    (c) => planned[c] as LoadCall[],
  );
  const allCalls: LoadCall[] = byConnection.flat();
  const maxFrameBytes = Math.max(...byConnection.map((c) => c.length)) * FRAME_BYTES_PER_CALL;
  const builders = byConnection.map((c) => createConnectionFrames(c, bank, law));
  const links: LoadLink[] = [];
  try {
    await target.prepare(byConnection, maxFrameBytes);
    // One connection after the other, so each connection's recordings get neighbouring keys in the store.
    for (const [i, c] of byConnection.entries()) links.push(await target.connect(i, c));
    const offset = await target.clockOffset?.();

    // --- the real-time part ---
    const t0 = clock.nowMs() + (options.startDelayMs ?? 200);
    await target.start(t0, tickMs, warmupTicks);
    const meter = startResourceMeter(clock.nowMs, rssBaseline);
    const elu = performance.eventLoopUtilization();
    const warmupEndsMs = t0 + warmupTicks * tickMs;
    const series = createSeriesRecorder({
      ticksPerSecond: Math.round(1000 / tickMs),
      tickMs,
      t0Ms: t0,
      nowMs: clock.nowMs,
      cpuMs: options.cpuMs ?? processCpuMs,
      byConnection,
      links,
    });
    let progress: { afterTick(): void } = { afterTick() {} };
    const loop = startTickLoop({
      clock,
      t0Ms: t0,
      tickMs,
      ticks,
      warmupTicks,
      builders,
      links,
      series,
      ...(options.beforeTick === undefined ? {} : { beforeTick: options.beforeTick }),
      afterTick: () => progress.afterTick(),
    });
    progress = startProgress(options, allCalls.length, target, clock, () => ({
      packetsSent: loop.packetsSent,
      generatorP99Ms: loop.steady.summary().p99Ms,
      warmupEndsMs,
      storedNow: series.storedNow(),
      ticksBehind: Math.max(0, Math.floor((clock.nowMs() - t0) / tickMs) + 1 - loop.ticksRun),
    }));
    await loop.done;
    const generatorResources = meter.sample();
    const busy = performance.eventLoopUtilization(elu).utilization;
    const { framesSent, packetsSent } = loop;

    // --- closing: every call's final checkpoint says how many of its packets are stored ---
    const positionMs = ticks * tickMs;
    const perLink = await withTimeout(
      Promise.all(links.map((l) => l.finish(positionMs))),
      options.finishTimeoutMs ?? 30_000,
      [] as ReadonlyMap<string, number>[],
    );
    const storedPerCall = new Map<string, number>();
    for (const m of perLink) for (const [id, n] of m) storedPerCall.set(id, n);
    const receiver = await settledStats(target, framesSent, 5000);
    const packetsStored =
      storedPerCall.size === allCalls.length
        ? [...storedPerCall.values()].reduce((a, b) => a + b, 0)
        : receiver.packetsStored;
    const generatorLateness = loop.steady.summary();
    const generatorWarmupLateness = loop.warmup.summary();
    return {
      target: target.label,
      calls: allCalls.length,
      runCalls: calls,
      shard,
      workers: 1,
      runId,
      connections: byConnection.length,
      durationMs: ticks * tickMs,
      ticks,
      warmupTicks,
      framesSent,
      packetsSent,
      packetsStored,
      packetsLost: packetsSent - packetsStored,
      callsWithWrongCount:
        storedPerCall.size === 0
          ? -1
          : allCalls.filter((c) => storedPerCall.get(c.recordingId) !== 2 * (ticks - c.startTick)).length,
      storedPerCall,
      generatorLateness,
      generatorWarmupLateness,
      generatorLatenessSnapshot: loop.steady.snapshot(),
      generatorWarmupSnapshot: loop.warmup.snapshot(),
      generators: [
        {
          name: generatorName(shard, undefined),
          calls: allCalls.length,
          connections: byConnection.length,
          sendLateness: judgedLateness(generatorLateness, generatorWarmupLateness),
          maxCatchUpTicks: loop.maxCatchUpTicks,
          busy,
          processCpuCores: generatorResources.cpuCores,
        },
      ],
      receiver,
      generatorResources,
      generatorRssPerCallBytes: generatorResources.rssGrowthBytes / allCalls.length,
      receiverRssPerCallBytes:
        receiver.resources === undefined ? undefined : receiver.resources.rssGrowthBytes / allCalls.length,
      clockOffsetMs: offset?.offsetMs,
      maxCatchUpTicks: loop.maxCatchUpTicks,
      maxBufferedBytes: loop.maxBufferedBytes,
      reconnects: links.reduce((n, l) => n + l.reconnects, 0),
      seconds: series.rows(receiver),
    };
  } finally {
    await Promise.allSettled(links.map((l) => l.close()));
    await target.close();
  }
}

/** The receiver's figures once it has seen every frame sent (or after `timeoutMs`). */
export async function settledStats(
  target: LoadTarget,
  framesSent: number,
  timeoutMs: number,
): Promise<ReceiverStats> {
  const deadline = wallClockEpochMs() + timeoutMs;
  let stats = await target.stats();
  while (stats.framesReceived < framesSent && wallClockEpochMs() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    stats = await target.stats();
  }
  return stats;
}

export const processCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface ProgressState {
  readonly packetsSent: number;
  /** The generators' p99 send lateness so far (after the warm-up). */
  readonly generatorP99Ms: number;
  readonly warmupEndsMs: number;
  /** Stored by the sink's checkpoints as the generators hold them (null: no checkpoints). */
  readonly storedNow: number | null;
  readonly ticksBehind: number;
}

/**
 * Progress every `progressEveryMs` of the clock, checked after each tick: synchronous, from what the
 * generator holds (sent, stored by checkpoints, its own p99); the receiver's figures (refused packets,
 * p99) are from its latest report, asked for after each line and used once it arrives.
 */
export function startProgress(
  options: LiveLoadOptions,
  calls: number,
  target: LoadTarget,
  clock: TickerClock,
  state: () => ProgressState,
): { afterTick(): void } {
  const onProgress = options.onProgress;
  if (onProgress === undefined) return { afterTick() {} };
  const everyMs = options.progressEveryMs ?? 1000;
  const startedMs = clock.nowMs();
  let lastSent = 0;
  let lastMs = startedMs;
  let asking = false;
  let report: ReceiverStats | undefined;
  const ask = () => {
    if (asking) return; // a slow receiver must not pile up stats requests
    asking = true;
    void target
      .stats()
      .then((r) => {
        report = r;
      })
      .catch(() => {})
      .finally(() => {
        asking = false;
      });
  };
  ask();
  return {
    afterTick() {
      const now = clock.nowMs();
      if (now - lastMs < everyMs) return;
      const { packetsSent, generatorP99Ms, warmupEndsMs, storedNow, ticksBehind } = state();
      const rate = ((packetsSent - lastSent) * 1000) / Math.max(1, now - lastMs);
      lastSent = packetsSent;
      lastMs = now;
      onProgress({
        elapsedMs: now - startedMs,
        calls,
        packetsPerSecond: rate,
        packetsSent,
        packetsStored: storedNow ?? Math.min(packetsSent, report?.packetsStored ?? 0),
        lostSoFar: report?.packetsDropped ?? 0,
        warmingUp: now < warmupEndsMs,
        generatorP99Ms,
        receiverP99Ms: report !== undefined && report.lateness.count > 0 ? report.lateness.p99Ms : undefined,
        ticksBehind,
      });
      ask();
    },
  };
}
