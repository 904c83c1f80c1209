/**
 * The recorder in the measured path: the real fake Dubber (in this process, in-memory store) behind the
 * emulated recorder path (a TCP relay), reached over one multiplexed WebSocket that stays open for the run
 * — as a platform keeps its SIPREC trunk up — so each call's recording session costs the recorder's round
 * trip and its answer, not a new connection. A second connection goes straight to the sink and gives the
 * recorder's own answer time (open → opened with no emulated path), which the model is fed.
 */

import { createSinkServer, type SinkServer } from '../dubber/index.ts';
import { connectMux, type MuxConnection } from '../platform/index.ts';
import { createRealClock, type Rng, type SimClock, wallClockEpochMs } from '../time/index.ts';
import { createTcpRelay, type DirectionStats, LOOPBACK, type TcpRelay, type WanClock } from '../wan/index.ts';

const ORG_ID = 'measure';
const USER_ID = 'measure-user';
const DUB_POINT = {
  product: 'Dubber Go' as const,
  externalType: 'BroadWorks',
  serviceProvider: 'sp-measure',
  externalGroup: ORG_ID,
  externalIdentifier: USER_ID,
};

export interface RecorderLink {
  /** Opens call `callId`'s recording session across the emulated path; resolves when the recorder answered. */
  open(callId: string): Promise<void>;
  /** Ends it (off the measured path). */
  close(callId: string): Promise<void>;
  /** `count` open → opened times straight to the sink (no emulated path), ms. */
  answerSamplesMs(count: number): Promise<number[]>;
  relayStats(): { readonly upstream: DirectionStats; readonly downstream: DirectionStats };
  stop(): Promise<void>;
}

export interface RecorderLinkOptions {
  readonly clock: WanClock;
  /** One-way delay of the platform ↔ recorder path. */
  readonly oneWayMs: number;
  readonly rng: Rng;
}

export async function startRecorderLink(options: RecorderLinkOptions): Promise<RecorderLink> {
  const { clock } = options;
  const secret = `measure-${options.rng.nextUint32().toString(36)}-${options.rng.nextUint32().toString(36)}`;
  const signingClock: SimClock = { ...createRealClock(), nowMs: wallClockEpochMs };
  const server: SinkServer = await createSinkServer({
    clock: signingClock,
    keys: [{ keyId: 'measure-platform', secret, orgId: '*' }],
    scheduleSweep: false,
  });
  const p = server.provisioning;
  p.upsertOrg({ orgId: ORG_ID, customerName: 'Delay measurement' });
  p.upsertAccount({
    orgId: ORG_ID,
    termsAcceptedBy: 'admin@measure.example',
    adminEmails: ['admin@measure.example'],
  });
  p.upsertUser({
    orgId: ORG_ID,
    userId: USER_ID,
    profile: {
      timeZone: 'Europe/Prague',
      firstName: 'Delay',
      lastName: 'Measure',
      email: 'user@measure.example',
    },
    dubPoint: DUB_POINT,
    tier: 'Go',
  });
  const relay: TcpRelay = await createTcpRelay({
    clock,
    target: { address: LOOPBACK, port: server.port },
    upstream: { oneWayMs: options.oneWayMs, jitterMs: 0, lossRate: 0 },
    downstream: { oneWayMs: options.oneWayMs, jitterMs: 0, lossRate: 0 },
    rng: options.rng.fork('recorder-path'),
  });
  const connect = (port: number): Promise<MuxConnection> =>
    connectMux({
      url: `ws://${LOOPBACK}:${port}${new URL(server.streamUrl).pathname}`,
      keyId: 'measure-platform',
      secret,
      clock: signingClock,
    });
  const [viaPath, direct] = await Promise.all([connect(relay.address.port), connect(server.port)]);
  let ssrc = 1000;
  const request = (recordingId: string) => ({
    recordingId,
    orgId: ORG_ID,
    userId: USER_ID,
    dubPoint: DUB_POINT,
    direction: 'outbound' as const,
    remote: { type: 'pstn' as const },
    format: 'PCMU' as const,
    ssrcs: { user: ssrc++, remote: ssrc++ },
  });
  let sample = 0;
  return {
    open: async (callId) => {
      await viaPath.open(request(callId));
    },
    close: async (callId) => {
      await viaPath.close(callId, 0).catch(() => {});
    },
    answerSamplesMs: async (count) => {
      const out: number[] = [];
      for (let i = 0; i < count; i++) {
        const id = `answer-sample-${sample++}`;
        const t0 = clock.nowMs();
        await direct.open(request(id));
        out.push(clock.nowMs() - t0);
        await direct.close(id, 0).catch(() => {});
      }
      return out;
    },
    relayStats: () => relay.stats(),
    stop: async () => {
      await Promise.allSettled([viaPath.end(), direct.end()]);
      await relay.close();
      await server.close();
    },
  };
}
