/**
 * Entry of one generator worker thread (`callrec load --workers N`; started by worker-pool.ts). From its
 * job — the run's seed and shape, the connections it owns, the sink's address — it plans the run's calls
 * exactly as a single generator would (same seed → same calls, SSRCs, audio), keeps those of its own
 * connections, opens them on its own multiplexed connections, says `ready`, and on `go` runs their ticks
 * from the shared tick-0 time on its own event loop; then it closes its calls and posts what it sent, what
 * the sink stored per call, its send-lateness histograms and per-second rows, and how busy it was.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isSimError } from '../errors.ts';
import { createEpochClock } from '../time/real-clock.ts';
import { createRng } from '../time/rng.ts';
import { createConnectionFrames } from './frame-builder.ts';
import { EMPTY_LATENESS } from './lateness.ts';
import { processCpuMs, withTimeout } from './live-load.ts';
import { planCalls } from './load-calls.ts';
import { createSeriesRecorder } from './load-series.ts';
import type { LoadLink } from './load-target.ts';
import { createPayloadBank } from './payload-bank.ts';
import { connectEndpoint } from './sink-endpoint.ts';
import { slowHostHook, startTickLoop } from './tick-loop.ts';
import type { FromWorker, ToWorker, WorkerJob } from './worker-messages.ts';

const port = parentPort;
const job = workerData as WorkerJob;
const post = (message: FromWorker) => port?.postMessage(message);

async function main(): Promise<void> {
  if (port === null) return;
  const clock = createEpochClock();
  const rng = createRng(job.seed);
  const bank = createPayloadBank(rng, job.law);
  const planned = planCalls({
    calls: job.calls,
    connections: job.connections,
    rng,
    runId: job.runId,
    bankFrames: bank.frames,
    rampTicks: job.warmupTicks,
  });
  const byConnection = job.connectionIndexes.map((c) => planned[c] ?? []);
  const builders = byConnection.map((c) => createConnectionFrames(c, bank, job.law));
  const links: LoadLink[] = [];
  try {
    for (const calls of byConnection) links.push(await connectEndpoint(job.endpoint, calls));
    const go = new Promise<number>((resolve) => {
      port.on('message', (message: ToWorker) => {
        if (message.type === 'go') resolve(message.t0Ms);
      });
    });
    post({ type: 'ready' });
    const t0Ms = await go;
    const elu = performance.eventLoopUtilization();
    const cpuAtStart = processCpuMs();
    const startedMs = clock.nowMs();
    const series = createSeriesRecorder({
      ticksPerSecond: Math.round(1000 / job.tickMs),
      tickMs: job.tickMs,
      t0Ms,
      nowMs: clock.nowMs,
      cpuMs: processCpuMs,
      byConnection,
      links,
    });
    let lastProgressMs = clock.nowMs();
    const loop = startTickLoop({
      clock,
      t0Ms,
      tickMs: job.tickMs,
      ticks: job.ticks,
      warmupTicks: job.warmupTicks,
      builders,
      links,
      series,
      ...(job.slowHostMsPerTick > 0 ? { beforeTick: slowHostHook(job.slowHostMsPerTick) } : {}),
      afterTick: () => {
        const now = clock.nowMs();
        if (now - lastProgressMs < job.progressEveryMs) return;
        lastProgressMs = now;
        post({
          type: 'progress',
          packetsSent: loop.packetsSent,
          packetsStored: series.storedNow(),
          generatorP99Ms: loop.steady.summary().p99Ms,
          ticksBehind: Math.max(0, Math.floor((now - t0Ms) / job.tickMs) + 1 - loop.ticksRun),
        });
      },
    });
    await loop.done;
    const busy = performance.eventLoopUtilization(elu).utilization;
    const wallMs = Math.max(1, clock.nowMs() - startedMs);
    const processCpuCores = (processCpuMs() - cpuAtStart) / wallMs;
    const perLink = await withTimeout(
      Promise.all(links.map((l) => l.finish(job.ticks * job.tickMs))),
      job.finishTimeoutMs,
      [] as ReadonlyMap<string, number>[],
    );
    const storedPerCall: [string, number][] = [];
    for (const m of perLink) storedPerCall.push(...m);
    // Closed before `done`, so the main thread may end this thread as soon as it has the result.
    await Promise.allSettled(links.splice(0).map((l) => l.close()));
    post({
      type: 'done',
      framesSent: loop.framesSent,
      packetsSent: loop.packetsSent,
      storedPerCall,
      steady: loop.steady.snapshot(),
      warmup: loop.warmup.snapshot(),
      maxCatchUpTicks: loop.maxCatchUpTicks,
      maxBufferedBytes: loop.maxBufferedBytes,
      reconnects: links.reduce((n, l) => n + l.reconnects, 0),
      busy,
      processCpuCores,
      seconds: series.rows({
        framesReceived: 0,
        packetsStored: 0,
        packetsDropped: 0,
        lateness: EMPTY_LATENESS,
        warmupLateness: EMPTY_LATENESS,
        resources: undefined,
      }),
    });
  } finally {
    await Promise.allSettled(links.map((l) => l.close()));
  }
}

main().catch((error: unknown) => {
  post({
    type: 'failed',
    message: (error as Error)?.message ?? String(error),
    ...(isSimError(error) ? { code: error.code } : {}),
  });
});
