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
import { type ConnectionFrames, createConnectionFrames, FRAME_BYTES_PER_CALL } from './frame-builder.ts';
import { createLatenessRecorder, type LatenessRecorder, type LatenessSummary } from './lateness.ts';
import { type LoadCall, planCalls } from './load-calls.ts';
import { checkLoadOptions } from './load-options.ts';
import { createSeriesRecorder, type LoadSecond, type SeriesRecorder } from './load-series.ts';
import type { LoadLink, LoadTarget, ReceiverStats } from './load-target.ts';
import { createPayloadBank } from './payload-bank.ts';
import { type ResourceSample, startResourceMeter } from './resources.ts';
import { startTicker, type TickerClock } from './ticker.ts';

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
  readonly calls: number;
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

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
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
  const { target } = options;
  const clock = options.clock ?? createEpochClock();
  const tickMs = PACKET_INTERVAL_MS;
  const ticks = Math.floor(durationMs / tickMs);
  const warmupTicks = Math.min(ticks, Math.round((options.warmupMs ?? DEFAULT_WARMUP_MS) / tickMs));
  const law = options.law ?? 'mulaw';
  const rng = createRng(options.seed ?? 'live-load');
  const bank = createPayloadBank(rng, law);
  const rssBaseline = process.memoryUsage.rss();
  const byConnection = planCalls({
    calls,
    connections,
    rng,
    runId: Math.floor(wallClockEpochMs()).toString(36),
    bankFrames: bank.frames,
    rampTicks: warmupTicks,
  });
  const maxFrameBytes = Math.max(...byConnection.map((c) => c.length)) * FRAME_BYTES_PER_CALL;
  const builders = byConnection.map((c) => createConnectionFrames(c, bank, law));
  const steady = createLatenessRecorder();
  const warmup = createLatenessRecorder();
  const links: LoadLink[] = [];
  try {
    await target.prepare(byConnection, maxFrameBytes);
    // One connection after the other, so each connection's recordings get neighbouring keys in the store.
    for (const [i, c] of byConnection.entries()) links.push(await target.connect(i, c));
    const offset = await target.clockOffset?.();

    // --- the real-time part ---
    let framesSent = 0;
    let packetsSent = 0;
    let maxBufferedBytes = 0;
    let maxCatchUpTicks = 0;
    const buildTick = (tick: number): Uint8Array[] => builders.map((b) => b.buildFrame(tick));
    let ready = { tick: 0, frames: buildTick(0) };
    const t0 = clock.nowMs() + (options.startDelayMs ?? 200);
    await target.start(t0, tickMs, warmupTicks);
    const meter = startResourceMeter(clock.nowMs, rssBaseline);
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
    let ticksRun = 0;
    const progress = startProgress(options, calls, target, clock, () => ({
      packetsSent,
      steady,
      warmupEndsMs,
      series,
      ticksBehind: Math.max(0, Math.floor((clock.nowMs() - t0) / tickMs) + 1 - ticksRun),
    }));
    await new Promise<void>((resolve) => {
      const ticker = startTicker({
        clock,
        startMs: t0,
        intervalMs: tickMs,
        ticks,
        onTick(tick, dueMs) {
          series.beforeTick(tick, packetsSent);
          const frames = ready.tick === tick ? ready.frames : buildTick(tick);
          const recorder = tick < warmupTicks ? warmup : steady;
          for (let i = 0; i < links.length; i++) {
            const frame = frames[i];
            const link = links[i];
            if (frame === undefined || link === undefined || frame.length === 0) continue;
            link.sendFrame(frame);
            const lateMs = clock.nowMs() - dueMs;
            recorder.record(lateMs);
            series.recordLateness(tick, lateMs);
            framesSent += 1;
            packetsSent += (builders[i] as ConnectionFrames).packetsAt(tick);
            maxBufferedBytes = Math.max(maxBufferedBytes, link.bufferedBytes);
          }
          // The next tick's frames are built now, in the idle time before it is due, so the work at the
          // due time is only the sends.
          if (tick + 1 < ticks) ready = { tick: tick + 1, frames: buildTick(tick + 1) };
          ticksRun = tick + 1;
          // From the tick loop, not a timer of its own: a generator that falls behind runs ticks back to
          // back without yielding, and a timer would not fire until it caught up.
          progress.afterTick();
        },
        onDone: () => {
          series.end(ticksRun, packetsSent);
          maxCatchUpTicks = ticker.maxCatchUp;
          resolve();
        },
      });
    });
    const generatorResources = meter.sample();

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
      storedPerCall.size === calls
        ? [...storedPerCall.values()].reduce((a, b) => a + b, 0)
        : receiver.packetsStored;
    const allCalls: LoadCall[] = byConnection.flat();
    return {
      target: target.label,
      calls,
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
      generatorLateness: steady.summary(),
      generatorWarmupLateness: warmup.summary(),
      receiver,
      generatorResources,
      generatorRssPerCallBytes: generatorResources.rssGrowthBytes / calls,
      receiverRssPerCallBytes:
        receiver.resources === undefined ? undefined : receiver.resources.rssGrowthBytes / calls,
      clockOffsetMs: offset?.offsetMs,
      maxCatchUpTicks,
      maxBufferedBytes,
      reconnects: links.reduce((n, l) => n + l.reconnects, 0),
      seconds: series.rows(receiver),
    };
  } finally {
    await Promise.allSettled(links.map((l) => l.close()));
    await target.close();
  }
}

/** The receiver's figures once it has seen every frame sent (or after `timeoutMs`). */
async function settledStats(
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

const processCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface ProgressState {
  readonly packetsSent: number;
  readonly steady: LatenessRecorder;
  readonly warmupEndsMs: number;
  readonly series: SeriesRecorder;
  readonly ticksBehind: number;
}

/**
 * Progress every `progressEveryMs` of the clock, checked after each tick: synchronous, from what the
 * generator holds (sent, stored by checkpoints, its own p99); the receiver's figures (refused packets,
 * p99) are from its latest report, asked for after each line and used once it arrives.
 */
function startProgress(
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
      const { packetsSent, steady, warmupEndsMs, series, ticksBehind } = state();
      const rate = ((packetsSent - lastSent) * 1000) / Math.max(1, now - lastMs);
      lastSent = packetsSent;
      lastMs = now;
      onProgress({
        elapsedMs: now - startedMs,
        calls,
        packetsPerSecond: rate,
        packetsSent,
        packetsStored: series.storedNow() ?? Math.min(packetsSent, report?.packetsStored ?? 0),
        lostSoFar: report?.packetsDropped ?? 0,
        warmingUp: now < warmupEndsMs,
        generatorP99Ms: steady.summary().p99Ms,
        receiverP99Ms: report !== undefined && report.lateness.count > 0 ? report.lateness.p99Ms : undefined,
        ticksBehind,
      });
      ask();
    },
  };
}
