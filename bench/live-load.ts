/**
 * Live load: how many concurrent real-time calls the simulator carries to the sink on this
 * machine. 100, 500, 1,000 and 2,000 calls (two G.711 streams of 50 packets/s each), 20 multiplexed
 * connections, the sink in its own process storing every packet in a SQLite file; against a bare ws
 * receiver in its own process that only counts the same frames (same generator, frame rate and batching),
 * measured in the same run. Lateness is receive time − due time of each frame, after a 1 s warm-up.
 *
 * `tsx bench/live-load.ts` runs it; the same file with `--bare-ws-server` is the bare receiver's process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import {
  createReceiverMeter,
  createSinkTarget,
  type LiveLoadResult,
  type LoadTarget,
  type ReceiverChild,
  runLiveLoad,
  SINK_PROCESS_NODE_ARGS,
  serveReceiver,
  spawnReceiver,
  startResourceMeter,
} from '../src/load/index.ts';
import { PACKET_BYTES } from '../src/media/media-format.ts';
import { wallClockEpochMs } from '../src/time/real-clock.ts';
import { type BenchResult, runIfMain } from './bench-result.ts';

const STEPS = [100, 500, 1000, 2000] as const;
const CONNECTIONS = 20;
const SINK_STEP_MS = 10_000;
const BARE_STEP_MS = 6_000;
const WARMUP_MS = 1000;
const GOAL = { calls: 2000, p99Ms: 20 } as const;
/** Bytes per packet in a frame: the 2-byte length prefix and the 172-byte RTP packet. */
const FRAMED_PACKET_BYTES = 2 + PACKET_BYTES;

/** The bare receiver's process: a plain ws server that counts frames and times their arrival. */
async function runBareServer(): Promise<void> {
  const rssAtBoot = process.memoryUsage.rss();
  const meter = createReceiverMeter(wallClockEpochMs);
  let resources: ReturnType<typeof startResourceMeter> | undefined;
  let frames = 0;
  let bytes = 0;
  let connections = 0;
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    maxPayload: 16 << 20,
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    connections += 1;
    const connection = connections;
    let n = 0;
    ws.on('message', (data: Buffer) => {
      n += 1;
      frames += 1;
      bytes += data.length;
      meter.onFrame(connection, n);
    });
  });
  const address = wss.address() as { port: number };
  serveReceiver(
    { streamUrl: `ws://127.0.0.1:${address.port}` },
    {
      start(t0Ms, tickMs, warmupTicks) {
        meter.start(t0Ms, tickMs, warmupTicks);
        resources = startResourceMeter(wallClockEpochMs, rssAtBoot);
      },
      stats: () => ({
        framesReceived: frames,
        packetsStored: Math.round(bytes / FRAMED_PACKET_BYTES),
        packetsDropped: 0,
        lateness: meter.lateness(),
        warmupLateness: meter.warmupLateness(),
        resources: resources?.sample(),
      }),
      nowMs: wallClockEpochMs,
      stop: () =>
        new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate();
          wss.close(() => resolve());
        }),
    },
    120_000,
  );
}

/** The generator side of the bare baseline: the same frames, sent over plain ws connections. */
function bareTarget(): LoadTarget {
  let child: ReceiverChild | undefined;
  return {
    label: 'bare ws',
    inProcess: false,
    async prepare() {
      // The same V8 flags as the sink's process, so the two differ only in what they do with a frame.
      child = await spawnReceiver({
        entry: fileURLToPath(import.meta.url),
        args: ['--bare-ws-server'],
        nodeArgs: SINK_PROCESS_NODE_ARGS,
      });
    },
    async connect() {
      const ws = new WebSocket(child?.info.streamUrl ?? '', {
        perMessageDeflate: false,
        // As the sink's multiplexed client: a zero mask, so neither side XORs the payload.
        generateMask: (mask: Buffer) => void mask.fill(0),
      });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      return {
        sendFrame: (frame) => ws.send(frame),
        get bufferedBytes() {
          return ws.bufferedAmount;
        },
        reconnects: 0, // a bare receiver is never reconnected to
        finish: async () => new Map<string, number>(),
        close: async () => ws.close(),
      };
    },
    start: async (t0Ms, tickMs, warmupTicks) => child?.start(t0Ms, tickMs, warmupTicks),
    async stats() {
      if (child === undefined) throw new Error('bare receiver not started');
      return child.stats();
    },
    clockOffset: async () => child?.clockOffset(wallClockEpochMs),
    close: async () => child?.stop(),
  };
}

const round = (v: number, digits = 2) => Number(v.toFixed(digits));

/** A second between steps, so one step's leftovers (process exit, file writes) do not land in the next. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

function figuresOf(prefix: string, r: LiveLoadResult): Record<string, number> {
  return {
    [`${prefix}LostPackets`]: r.packetsLost,
    [`${prefix}P50Ms`]: round(r.receiver.lateness.p50Ms),
    [`${prefix}P99Ms`]: round(r.receiver.lateness.p99Ms),
    [`${prefix}MaxMs`]: round(r.receiver.lateness.maxMs),
    [`${prefix}WarmupP99Ms`]: round(r.receiver.warmupLateness.p99Ms),
    [`${prefix}GeneratorP99Ms`]: round(r.generatorLateness.p99Ms),
    [`${prefix}ReceiverCpuCores`]: round(r.receiver.resources?.cpuCores ?? Number.NaN),
    [`${prefix}GeneratorCpuCores`]: round(r.generatorResources.cpuCores),
    [`${prefix}ReceiverRssPerCallKiB`]: round((r.receiverRssPerCallBytes ?? Number.NaN) / 1024, 1),
    [`${prefix}GeneratorRssPerCallKiB`]: round(r.generatorRssPerCallBytes / 1024, 1),
  };
}

function row(r: LiveLoadResult): string {
  const l = r.receiver.lateness;
  return (
    `${r.target.padEnd(20)} ${String(r.calls).padStart(5)} calls: lost ${r.packetsLost}, ` +
    `p50/p99/max ${l.p50Ms.toFixed(1)}/${l.p99Ms.toFixed(1)}/${l.maxMs.toFixed(1)} ms ` +
    `(warm-up p99 ${r.receiver.warmupLateness.p99Ms.toFixed(1)}), ` +
    `CPU receiver ${(r.receiver.resources?.cpuCores ?? Number.NaN).toFixed(2)} + generator ${r.generatorResources.cpuCores.toFixed(2)} cores, ` +
    `RSS/call ${((r.receiverRssPerCallBytes ?? Number.NaN) / 1024).toFixed(0)} + ${(r.generatorRssPerCallBytes / 1024).toFixed(0)} KiB`
  );
}

/** One sink step on a fresh database file, removed afterwards so the next step does not share the machine
 * with the kernel writing it back. `writerThread: false` commits the audio on the sink's event loop. */
async function runSinkStep(dir: string, calls: number, writerThread: boolean): Promise<LiveLoadResult> {
  const dbPath = join(dir, `sink-${calls}${writerThread ? '' : '-loop'}.db`);
  try {
    return await runLiveLoad({
      calls,
      connections: CONNECTIONS,
      durationMs: SINK_STEP_MS,
      warmupMs: WARMUP_MS,
      target: createSinkTarget({ inProcess: false, dbPath, writerThread, maxLifetimeMs: 120_000 }),
    });
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  }
}

export default async function bench(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'callrec-live-load-'));
  const figures: Record<string, number> = {
    connections: CONNECTIONS,
    sinkStepMs: SINK_STEP_MS,
    bareStepMs: BARE_STEP_MS,
  };
  const ratios: Record<string, number> = {};
  const notes: string[] = [];
  let goalMet = false;
  try {
    for (const calls of STEPS) {
      await settle();
      const bare = await runLiveLoad({
        calls,
        connections: CONNECTIONS,
        durationMs: BARE_STEP_MS,
        warmupMs: WARMUP_MS,
        target: bareTarget(),
      });
      await settle();
      const sink = await runSinkStep(dir, calls, true);
      Object.assign(figures, figuresOf(`bare${calls}`, bare), figuresOf(`sink${calls}`, sink));
      ratios[`sinkVsBareP99At${calls}`] = round(sink.receiver.lateness.p99Ms / bare.receiver.lateness.p99Ms);
      ratios[`sinkVsBareCpuAt${calls}`] = round(
        (sink.receiver.resources?.cpuCores ?? Number.NaN) / (bare.receiver.resources?.cpuCores ?? Number.NaN),
      );
      notes.push(row(bare), row(sink));
      if (calls === GOAL.calls) {
        // The same step with the audio committed on the sink's event loop: what the writer thread buys.
        await settle();
        const onLoop = await runSinkStep(dir, calls, false);
        Object.assign(figures, figuresOf(`sinkNoWriter${calls}`, onLoop));
        ratios[`writerVsEventLoopP99At${calls}`] = round(
          sink.receiver.lateness.p99Ms / onLoop.receiver.lateness.p99Ms,
        );
        notes.push(row(onLoop));
        goalMet =
          sink.packetsLost === 0 &&
          sink.callsWithWrongCount === 0 &&
          sink.receiver.lateness.p99Ms < GOAL.p99Ms;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  notes.push(
    `lateness = receive time − due time of each frame (docs/live-load.md), after a ${WARMUP_MS / 1000} s warm-up; loss = sent − stored (sink: each call's final checkpoint; bare: frames counted)`,
    `steps of ${SINK_STEP_MS / 1000} s (sink) and ${BARE_STEP_MS / 1000} s (bare), ${CONNECTIONS} connections, sink: SQLite file, mediaCommitFrames 25, audio committed by the writer thread and WAL checkpoints by another (at ${GOAL.calls} calls also without the writer thread)`,
  );
  return {
    name: 'live-load',
    figures,
    ratios,
    goals: [
      {
        goal: `${GOAL.calls} calls with 0 loss and p99 lateness < ${GOAL.p99Ms} ms (after warm-up)`,
        met: goalMet,
      },
    ],
    notes,
  };
}

if (process.argv.includes('--bare-ws-server')) await runBareServer();
else await runIfMain(import.meta, bench);
