/**
 * The sink of a live load as an address that worker threads connect to themselves: the same sink as
 * `createSinkTarget` (child process or in-process, provisioned over signed HTTP or the in-process API, a
 * platform key made for the run), but its stream URL and key are handed out (`endpoint()`), so each
 * worker thread opens its own multiplexed connections and sends its own frames (`connectEndpoint`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inProcessSinkAdmin } from '../dubber/in-process-admin.ts';
import { DEFAULT_SINK_LIMITS } from '../dubber/limits.ts';
import { SimError } from '../errors.ts';
import { httpSinkAdmin } from '../platform/admin-client.ts';
import { connectMux } from '../platform/connection.ts';
import type { SinkAdmin } from '../protocol/admin-api.ts';
import { createEpochClock, wallClockEpochMs } from '../time/real-clock.ts';
import { LOAD_ORG_ID, type LoadCall } from './load-calls.ts';
import { type LoadSink, SINK_CONFIG_ENV, startLoadSink } from './load-sink.ts';
import type { LoadLink, LoadTarget, ReceiverStats } from './load-target.ts';
import { type ReceiverChild, spawnReceiver } from './receiver-child.ts';
import {
  DEFAULT_MEDIA_COMMIT_FRAMES,
  SINK_PROCESS_NODE_ARGS,
  type SinkTargetOptions,
} from './sink-load-target.ts';

/** Where a generator thread sends: plain data, posted to worker threads. */
export interface LoadEndpoint {
  readonly streamUrl: string;
  readonly keyId: string;
  readonly secret: string;
  readonly reconnect: boolean;
}

export interface EndpointTarget extends LoadTarget {
  /** The sink's stream address and key (after `prepare`). */
  endpoint(): LoadEndpoint;
}

const PROVISION_CONCURRENCY = 32;

function dubPointOf(call: LoadCall) {
  return {
    product: 'Dubber Go' as const,
    externalType: 'BroadWorks',
    serviceProvider: 'sp-load',
    externalGroup: LOAD_ORG_ID,
    externalIdentifier: call.userId,
  };
}

async function provision(admin: SinkAdmin, calls: readonly LoadCall[]): Promise<void> {
  await admin.upsertOrg({ orgId: LOAD_ORG_ID, customerName: 'Live load' });
  await admin.upsertAccount({
    orgId: LOAD_ORG_ID,
    termsAcceptedBy: 'admin@load.example',
    adminEmails: ['admin@load.example'],
  });
  for (let i = 0; i < calls.length; i += PROVISION_CONCURRENCY) {
    await Promise.all(
      calls.slice(i, i + PROVISION_CONCURRENCY).map((call) =>
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
      ),
    );
  }
}

/** Opens one multiplexed connection to the endpoint and every call on it, as the sink target does. */
export async function connectEndpoint(endpoint: LoadEndpoint, calls: readonly LoadCall[]): Promise<LoadLink> {
  const mux = await connectMux({
    url: endpoint.streamUrl,
    keyId: endpoint.keyId,
    secret: endpoint.secret,
    clock: createEpochClock(),
    ...(endpoint.reconnect ? { reconnect: {} } : {}),
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
  // A ping commits everything of the connection: the recordings exist before audio starts.
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
      const results = await Promise.allSettled(calls.map((call) => mux.close(call.recordingId, positionMs)));
      const stored = new Map<string, number>();
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') stored.set((calls[i] as LoadCall).recordingId, r.value.packetsStored);
      });
      return stored;
    },
    close: () => mux.end(),
  };
}

export function createEndpointSinkTarget(options: SinkTargetOptions): EndpointTarget {
  const keyId = 'load-platform';
  const secret = randomBytes(24).toString('base64url');
  let child: ReceiverChild | undefined;
  let local: LoadSink | undefined;
  let streamUrl = '';
  let tempDir: string | undefined;
  const endpoint = (): LoadEndpoint => {
    if (streamUrl === '') throw new SimError('SIM_ERR_INTERNAL', 'The sink has no address before prepare().');
    return { streamUrl, keyId, secret, reconnect: options.reconnect === true };
  };
  return {
    label:
      (options.inProcess ? 'sink (in-process)' : 'sink (child process)') +
      (options.writerThread === false ? ', no writer thread' : ''),
    inProcess: options.inProcess,
    endpoint,
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
      let admin: SinkAdmin;
      if (options.inProcess) {
        local = await startLoadSink(config);
        streamUrl = local.server.streamUrl;
        admin = inProcessSinkAdmin(local.server);
      } else {
        child = await spawnReceiver({
          entry: fileURLToPath(new URL('./sink-process.ts', import.meta.url)),
          args: [],
          env: { [SINK_CONFIG_ENV]: JSON.stringify({ ...config, maxLifetimeMs: options.maxLifetimeMs }) },
          nodeArgs: SINK_PROCESS_NODE_ARGS,
        });
        streamUrl = child.info.streamUrl ?? '';
        admin = httpSinkAdmin({ baseUrl: child.info.url ?? '', keyId, secret, clock: createEpochClock() });
      }
      await provision(admin, callsByConnection.flat());
    },
    connect: (_index, calls) => connectEndpoint(endpoint(), calls),
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
