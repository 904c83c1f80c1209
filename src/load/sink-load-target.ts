/**
 * The real sink as a live-load target: in a child process (default, so generator and sink each get a
 * core) or in-process, reached as the platform's SinkTarget (src/platform/sink-target.ts). Provisioning
 * goes first (org, account, one user per call) over signed HTTP, or the in-process API; then each
 * connection opens its calls as recordings on one multiplexed WebSocket.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inProcessSinkAdmin } from '../dubber/in-process-admin.ts';
import { DEFAULT_SINK_LIMITS } from '../dubber/limits.ts';
import { SimError } from '../errors.ts';
import { connectMux } from '../platform/connection.ts';
import { inProcessSinkTarget, remoteSinkTarget, type SinkTarget } from '../platform/sink-target.ts';
import type { SinkAdmin } from '../protocol/admin-api.ts';
import { createEpochClock, wallClockEpochMs } from '../time/real-clock.ts';
import { LOAD_ORG_ID, type LoadCall } from './load-calls.ts';
import { type LoadSink, SINK_CONFIG_ENV, startLoadSink } from './load-sink.ts';
import type { LoadLink, LoadTarget, ReceiverStats } from './load-target.ts';
import { type ReceiverChild, spawnReceiver } from './receiver-child.ts';

export interface SinkTargetOptions {
  /** Run the sink in this process instead of a child process. */
  readonly inProcess: boolean;
  /**
   * SQLite file for the recordings, or ':memory:'. Default: a file in a fresh temporary folder, removed
   * when the target closes: audio is committed by the sink's writer thread only on a file, as a real sink
   * would store it.
   */
  readonly dbPath?: string;
  /** SinkLimits.mediaCommitFrames for the run (default 25: 500 ms of audio per stored run). */
  readonly mediaCommitFrames?: number;
  /**
   * A dropped connection reconnects, reopens its calls and resends what no checkpoint covered
   * (src/platform/connection.ts), so it loses nothing. Off by default: keeping every unacknowledged frame cost the
   * generator ≈ 0.2 of a core and ≈ 110 KiB per call at 2,000 calls and put the sink's p99 up by ≈ 10 ms,
   * and on loopback a connection drops only if the sink dies.
   */
  readonly reconnect?: boolean;
  /** false: the sink commits audio on its event loop rather than its writer thread (for comparison). */
  readonly writerThread?: boolean;
  /** The child stops itself after this long whatever happens (ms). */
  readonly maxLifetimeMs: number;
}

export const DEFAULT_MEDIA_COMMIT_FRAMES = 25;
/**
 * V8 flags of the sink's process. A young generation of 8 MB rather than 16 MB: scavenges come twice as
 * often but each stops ingest about half as long, which at 2,000 calls cut the sink's p99 lateness from
 * ≈ 19 ms to ≈ 14 ms in our runs (docs/live-load.md); 32–64 MB made it far worse.
 */
export const SINK_PROCESS_NODE_ARGS = ['--max-semi-space-size=8'] as const;
/** Users are provisioned this many requests at a time. */
const PROVISION_CONCURRENCY = 32;

async function inBatches<T>(
  items: readonly T[],
  size: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function provision(admin: SinkAdmin, calls: readonly LoadCall[]): Promise<void> {
  await admin.upsertOrg({ orgId: LOAD_ORG_ID, customerName: 'Live load' });
  await admin.upsertAccount({
    orgId: LOAD_ORG_ID,
    termsAcceptedBy: 'admin@load.example',
    adminEmails: ['admin@load.example'],
  });
  await inBatches(calls, PROVISION_CONCURRENCY, (call) =>
    admin.upsertUser({
      orgId: LOAD_ORG_ID,
      userId: call.userId,
      profile: {
        timeZone: 'Europe/Prague',
        firstName: 'Load',
        lastName: String(call.index),
        email: `${call.userId}@load.example`,
      },
      dubPoint: dubPointOf(call),
      tier: 'Go',
    }),
  );
}

function dubPointOf(call: LoadCall) {
  return {
    product: 'Dubber Go' as const,
    externalType: 'BroadWorks',
    serviceProvider: 'sp-load',
    externalGroup: LOAD_ORG_ID,
    externalIdentifier: call.userId,
  };
}

export function createSinkTarget(options: SinkTargetOptions): LoadTarget {
  const keyId = 'load-platform';
  const secret = randomBytes(24).toString('base64url');
  const clock = createEpochClock();
  let child: ReceiverChild | undefined;
  let local: LoadSink | undefined;
  let sink: SinkTarget | undefined;
  let tempDir: string | undefined;

  return {
    label:
      (options.inProcess ? 'sink (in-process)' : 'sink (child process)') +
      (options.writerThread === false ? ', no writer thread' : ''),
    inProcess: options.inProcess,
    async prepare(callsByConnection, maxFrameBytes) {
      if (options.dbPath === undefined) tempDir = mkdtempSync(join(tmpdir(), 'callrec-load-'));
      const config = {
        dbPath: options.dbPath ?? join(tempDir as string, 'sink.db'),
        keyId,
        secret,
        mediaCommitFrames: options.mediaCommitFrames ?? DEFAULT_MEDIA_COMMIT_FRAMES,
        maxPayloadBytes: Math.max(DEFAULT_SINK_LIMITS.maxPayloadBytes, maxFrameBytes + 1024),
        writerThread: options.writerThread ?? true,
      };
      if (options.inProcess) {
        local = await startLoadSink(config);
        const { server } = local;
        sink = inProcessSinkTarget(
          {
            streamUrl: server.streamUrl,
            clock,
            admin: inProcessSinkAdmin(server),
            download: async (token, recordingId) => server.portal.download(token, recordingId).wav,
            close: () => server.close(),
          },
          { keyId, secret },
        );
      } else {
        child = await spawnReceiver({
          entry: fileURLToPath(new URL('./sink-process.ts', import.meta.url)),
          args: [],
          env: { [SINK_CONFIG_ENV]: JSON.stringify({ ...config, maxLifetimeMs: options.maxLifetimeMs }) },
          nodeArgs: SINK_PROCESS_NODE_ARGS,
        });
        sink = remoteSinkTarget(child.info.url ?? '', { keyId, secret });
      }
      await provision(sink.admin, callsByConnection.flat());
    },
    async connect(_index, calls): Promise<LoadLink> {
      if (sink === undefined)
        throw new SimError('SIM_ERR_INTERNAL', 'The sink target was used before prepare().');
      const mux = await connectMux({
        url: sink.streamUrl,
        keyId: sink.keyId,
        secret: sink.secret,
        clock: sink.clock,
        ...(options.reconnect === true ? { reconnect: {} } : {}),
      });
      await Promise.all(
        calls.map((call) =>
          mux.open({
            recordingId: call.recordingId,
            orgId: LOAD_ORG_ID,
            userId: call.userId,
            dubPoint: dubPointOf(call),
            direction: call.index % 2 === 0 ? 'outbound' : 'inbound',
            remote: { type: 'pstn' },
            format: 'PCMU',
            ssrcs: { user: call.identities.user.ssrc, remote: call.identities.remote.ssrc },
          }),
        ),
      );
      // A ping commits everything of the connection: the recordings exist on disk before audio starts,
      // and the sink is not still busy creating them when tick 0 is due.
      const first = calls[0];
      if (first !== undefined) await mux.ping(first.recordingId);
      return {
        sendFrame: (frame) => mux.sendFrame(frame),
        get bufferedBytes() {
          return mux.bufferedBytes;
        },
        get reconnects() {
          return mux.reconnects;
        },
        get durableFrames() {
          return mux.durableFrames;
        },
        async finish(positionMs) {
          const results = await Promise.allSettled(
            calls.map((call) => mux.close(call.recordingId, positionMs)),
          );
          const stored = new Map<string, number>();
          results.forEach((r, i) => {
            if (r.status === 'fulfilled')
              stored.set((calls[i] as LoadCall).recordingId, r.value.packetsStored);
          });
          return stored;
        },
        close: () => mux.end(),
      };
    },
    async start(t0Ms, tickMs, warmupTicks) {
      if (child) await child.start(t0Ms, tickMs, warmupTicks);
      else local?.start(t0Ms, tickMs, warmupTicks);
    },
    async stats(): Promise<ReceiverStats> {
      if (child) return child.stats();
      if (local) return local.stats(false);
      throw new SimError('SIM_ERR_INTERNAL', 'The sink target was used before prepare().');
    },
    async close() {
      await child?.stop();
      await local?.close();
      if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
    },
    clockOffset: async () => child?.clockOffset(wallClockEpochMs),
  };
}
