/**
 * The sink as a live load runs it, in a child process or in-process: the real `createSinkServer` on the
 * wall clock, with a platform key for the run, media commits deferred to every `mediaCommitFrames` frames,
 * frames large enough for the batching, and the receive-side lateness meter on its frame hook.
 */
import { createSinkServer, type SinkServer } from '../dubber/server.ts';
import { createEpochClock, wallClockEpochMs } from '../time/real-clock.ts';
import type { ReceiverStats } from './load-target.ts';
import { createReceiverMeter } from './receiver-meter.ts';
import { type ResourceMeter, startResourceMeter } from './resources.ts';

/** The environment variable that hands the sink's child process its LoadSinkConfig (as JSON). */
export const SINK_CONFIG_ENV = 'CALLREC_LOAD_SINK_CONFIG';

export interface LoadSinkConfig {
  /** SQLite file, or ':memory:'. */
  readonly dbPath: string;
  readonly keyId: string;
  readonly secret: string;
  /** Commit media-only traffic every this many frames per connection (SinkLimits.mediaCommitFrames). */
  readonly mediaCommitFrames: number;
  readonly maxPayloadBytes: number;
  /** A file database's audio is committed by the sink's writer thread (default), or on its event loop. */
  readonly writerThread?: boolean;
}

export interface LoadSink {
  readonly server: SinkServer;
  start(t0Ms: number, tickMs: number, warmupTicks: number): void;
  /** `ownProcess`: the sink has the process to itself, so its CPU and RSS are reported. */
  stats(ownProcess: boolean): ReceiverStats;
  close(): Promise<void>;
}

export async function startLoadSink(config: LoadSinkConfig): Promise<LoadSink> {
  const rssAtBoot = process.memoryUsage.rss();
  const meter = createReceiverMeter(wallClockEpochMs);
  let resources: ResourceMeter | undefined;
  const server = await createSinkServer({
    port: 0,
    host: '127.0.0.1',
    dbPath: config.dbPath,
    // A file database is checkpointed by a worker thread, so no commit stalls the ingest (wal-checkpointer.ts).
    walCheckpointIntervalMs: 500,
    // …and a writer thread commits the audio, so the event loop only reads frames (media-writer.ts).
    mediaWriterThread: config.writerThread ?? true,
    clock: createEpochClock(),
    keys: [{ keyId: config.keyId, secret: config.secret, orgId: '*' }],
    limits: {
      mediaCommitFrames: config.mediaCommitFrames,
      maxPayloadBytes: config.maxPayloadBytes,
      // Opening thousands of recordings on a few connections takes longer than one call's 5 s.
      openTimeoutMs: 60_000,
    },
    scheduleSweep: false,
    onMediaFrame: meter.onFrame,
  });
  return {
    server,
    start(t0Ms, tickMs, warmupTicks) {
      meter.start(t0Ms, tickMs, warmupTicks);
      resources = startResourceMeter(wallClockEpochMs, rssAtBoot);
    },
    stats(ownProcess) {
      const s = server.stats();
      return {
        framesReceived: s.framesReceived,
        packetsStored: s.packetsStored,
        packetsDropped: s.packetsDropped,
        lateness: meter.lateness(),
        warmupLateness: meter.warmupLateness(),
        resources: ownProcess ? resources?.sample() : undefined,
        // In the generator's process the CPU is both sides', so it is not the sink's.
        seconds: meter.seconds().map((row) => (ownProcess ? row : { ...row, cpuCores: undefined })),
      };
    },
    close: () => server.close(),
  };
}
