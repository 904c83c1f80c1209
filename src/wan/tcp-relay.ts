/**
 * The TCP variant of the emulated WAN path, for signalling and the recorder's WebSocket: a loopback
 * listener that connects each accepted connection to the target and delays every chunk, each direction by
 * its own one-way delay ± jitter, keeping the byte order (a chunk never overtakes the one before it). TCP
 * recovers loss itself, so loss is not emulated here; `lossRate` must be 0.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { SimError } from '../errors.ts';
import type { Rng } from '../time/index.ts';
import { createDelayLine, type DelayLine } from './delay-line.ts';
import type { WanClock } from './deliver-at.ts';
import { createImpairment, type PathImpairment } from './impairment.ts';
import { createStatsRecorder, type DirectionStats } from './relay-stats.ts';
import { LOOPBACK, type UdpAddress } from './udp-relay.ts';

export interface TcpRelayOptions {
  readonly clock: WanClock;
  readonly target: UdpAddress;
  /** Client → target. */
  readonly upstream: PathImpairment;
  /** Target → client. */
  readonly downstream: PathImpairment;
  readonly rng: Rng;
}

export interface TcpRelay {
  /** Where clients connect instead of the target. */
  readonly address: UdpAddress;
  stats(): { readonly upstream: DirectionStats; readonly downstream: DirectionStats };
  close(): Promise<void>;
}

export async function createTcpRelay(options: TcpRelayOptions): Promise<TcpRelay> {
  const { clock } = options;
  for (const [what, imp] of [
    ['upstream', options.upstream],
    ['downstream', options.downstream],
  ] as const) {
    if (imp.lossRate !== 0)
      throw new SimError(
        'SIM_ERR_INVALID_ARGUMENT',
        `The TCP relay does not drop data (TCP would resend it); give ${what}.lossRate 0.`,
        { details: { field: `${what}.lossRate`, value: imp.lossRate } },
      );
  }
  const up = {
    fate: createImpairment(options.upstream, options.rng.fork('up')),
    stats: createStatsRecorder(),
  };
  const down = {
    fate: createImpairment(options.downstream, options.rng.fork('down')),
    stats: createStatsRecorder(),
  };
  const sockets = new Set<Socket>();
  let closed = false;

  const lines = new Set<DelayLine<unknown>>();
  const pipe = (from: Socket, to: Socket, dir: typeof up): void => {
    let lastDueMs = Number.NEGATIVE_INFINITY;
    const line = createDelayLine<{ chunk: Buffer | 'end'; arrivedMs: number }>(clock, (d, nowMs, dueMs) => {
      if (closed || to.destroyed) return;
      if (d.chunk === 'end') {
        to.end();
        return;
      }
      dir.stats.delivered(dueMs - d.arrivedMs, nowMs - d.arrivedMs);
      to.write(d.chunk);
    });
    lines.add(line as DelayLine<unknown>);
    from.on('data', (chunk) => {
      const arrivedMs = clock.nowMs();
      dir.stats.received();
      const delayMs = dir.fate() as number;
      // In order: a chunk is due no earlier than the one before it.
      lastDueMs = Math.max(arrivedMs + delayMs, lastDueMs);
      line.push(lastDueMs, { chunk, arrivedMs });
    });
    from.on('end', () =>
      line.push(Math.max(lastDueMs, clock.nowMs()), { chunk: 'end', arrivedMs: clock.nowMs() }),
    );
    from.on('close', () => {
      if (line.pending === 0) lines.delete(line as DelayLine<unknown>);
    });
  };

  const server: Server = createServer((client) => {
    const target = connect(options.target.port, options.target.address);
    for (const s of [client, target]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('error', () => {
        client.destroy();
        target.destroy();
      });
      s.on('close', () => sockets.delete(s));
    }
    pipe(client, target, up);
    pipe(target, client, down);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    address: { address: LOOPBACK, port },
    stats: () => ({ upstream: up.stats.snapshot(), downstream: down.stats.snapshot() }),
    close: async () => {
      closed = true;
      for (const line of lines) line.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
