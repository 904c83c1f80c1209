/**
 * Call signalling across the emulated cloud path: one TCP connection through a TCP relay (like a SIP
 * connection kept up between the devices' registrations and the cloud), carrying one JSON line per message
 * tagged with its call. The callee sends its answer on it; the caller's side hands it to the waiting call.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Rng } from '../time/index.ts';
import {
  createTcpRelay,
  type DirectionStats,
  LOOPBACK,
  type PathImpairment,
  type WanClock,
} from '../wan/index.ts';

export interface SignallingLink {
  /** From the callee's side to the caller's. */
  send(callId: string, payload: string): void;
  /** Resolves with the next message for `callId` on the caller's side. */
  receive(callId: string): Promise<string>;
  relayStats(): { readonly upstream: DirectionStats; readonly downstream: DirectionStats };
  stop(): Promise<void>;
}

export async function startSignallingLink(options: {
  readonly clock: WanClock;
  readonly path: PathImpairment;
  readonly rng: Rng;
}): Promise<SignallingLink> {
  const waiting = new Map<string, (payload: string) => void>();
  const early = new Map<string, string>();
  let callerSide: Socket | undefined;
  const server: Server = createServer((socket) => {
    callerSide = socket;
    socket.setNoDelay(true);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const { callId, payload } = JSON.parse(line) as { callId: string; payload: string };
        const w = waiting.get(callId);
        if (w === undefined) early.set(callId, payload);
        else {
          waiting.delete(callId);
          w(payload);
        }
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, LOOPBACK, () => r()));
  const relay = await createTcpRelay({
    clock: options.clock,
    target: { address: LOOPBACK, port: (server.address() as { port: number }).port },
    upstream: { ...options.path, lossRate: 0 },
    downstream: { ...options.path, lossRate: 0 },
    rng: options.rng,
  });
  const calleeSide = connect(relay.address.port, LOOPBACK);
  calleeSide.setNoDelay(true);
  calleeSide.on('error', () => {});
  await new Promise<void>((r) => calleeSide.once('connect', () => r()));
  return {
    send: (callId, payload) => {
      calleeSide.write(`${JSON.stringify({ callId, payload })}\n`);
    },
    receive: (callId) => {
      const got = early.get(callId);
      if (got !== undefined) {
        early.delete(callId);
        return Promise.resolve(got);
      }
      return new Promise((resolve) => waiting.set(callId, resolve));
    },
    relayStats: () => relay.stats(),
    stop: async () => {
      calleeSide.destroy();
      callerSide?.destroy();
      await relay.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
