/**
 * A user-space UDP path between two endpoints A and B, impaired per direction (impairment.ts). It has two
 * faces on loopback: `faceForA` is where A sends to reach B, `faceForB` where B sends to reach A. A datagram
 * from A to `faceForA` leaves `faceForB` towards B after its delay, so B sees A at `faceForB`, and its
 * answer goes back the same way — like a full-cone NAT whose mapping is the face. Rewrite each endpoint's
 * candidate (or media address) in what the other receives to the face it must use, and every packet
 * between them crosses the relay.
 */
import { createSocket, type Socket } from 'node:dgram';
import { SimError } from '../errors.ts';
import type { Rng } from '../time/index.ts';
import { createDelayLine } from './delay-line.ts';
import type { WanClock } from './deliver-at.ts';
import { createImpairment, type PathImpairment } from './impairment.ts';
import { createStatsRecorder, type DirectionStats } from './relay-stats.ts';

export const LOOPBACK = '127.0.0.1';

export interface UdpAddress {
  readonly address: string;
  readonly port: number;
}

export interface UdpPairRelayOptions {
  readonly clock: WanClock;
  readonly aToB: PathImpairment;
  readonly bToA: PathImpairment;
  /** Each direction forks its own stream from this one (`aToB`, `bToA`). */
  readonly rng: Rng;
}

export interface UdpPairRelay {
  /** Where A sends to reach B (B's address as A must see it). */
  readonly faceForA: UdpAddress;
  /** Where B sends to reach A (A's address as B must see it). */
  readonly faceForB: UdpAddress;
  /** A's real address; until set, the first sender to `faceForA` is taken as A (and likewise for B). */
  setA(address: UdpAddress): void;
  setB(address: UdpAddress): void;
  stats(): { readonly aToB: DirectionStats; readonly bToA: DirectionStats };
  close(): Promise<void>;
}

function bindLoopback(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

export async function createUdpPairRelay(options: UdpPairRelayOptions): Promise<UdpPairRelay> {
  const { clock } = options;
  const [forA, forB] = await Promise.all([bindLoopback(), bindLoopback()]);
  let a: UdpAddress | undefined;
  let b: UdpAddress | undefined;
  let closed = false;
  const direction = (imp: PathImpairment, label: string, out: Socket, to: () => UdpAddress | undefined) => {
    const stats = createStatsRecorder();
    const fate = createImpairment(imp, options.rng.fork(label));
    const line = createDelayLine<{ msg: Buffer; arrivedMs: number; delayMs: number }>(clock, (d, nowMs) => {
      const target = to();
      if (closed || target === undefined) {
        stats.dropped();
        return;
      }
      stats.delivered(d.delayMs, nowMs - d.arrivedMs);
      out.send(d.msg, target.port, target.address);
    });
    return {
      stats,
      line,
      forward(msg: Buffer): void {
        const arrivedMs = clock.nowMs();
        stats.received();
        const delayMs = fate();
        if (delayMs === undefined) {
          stats.dropped();
          return;
        }
        line.push(arrivedMs + delayMs, { msg, arrivedMs, delayMs });
      },
    };
  };
  const directions = {
    aToB: direction(options.aToB, 'aToB', forB, () => b),
    bToA: direction(options.bToA, 'bToA', forA, () => a),
  };

  forA.on('message', (msg, rinfo) => {
    a ??= { address: rinfo.address, port: rinfo.port };
    directions.aToB.forward(msg);
  });
  forB.on('message', (msg, rinfo) => {
    b ??= { address: rinfo.address, port: rinfo.port };
    directions.bToA.forward(msg);
  });
  // A send to a closed endpoint shows up as an ICMP error on some systems: not the relay's problem.
  forA.on('error', () => {});
  forB.on('error', () => {});

  const face = (s: Socket): UdpAddress => ({ address: LOOPBACK, port: s.address().port });
  const checkLoopback = (addr: UdpAddress, who: string): UdpAddress => {
    if (addr.address !== LOOPBACK)
      throw new SimError(
        'SIM_ERR_INVALID_ARGUMENT',
        `The emulated WAN relays loopback only; endpoint ${who} is at ${addr.address}.`,
        { details: { address: addr.address } },
      );
    return { address: addr.address, port: addr.port };
  };
  return {
    faceForA: face(forA),
    faceForB: face(forB),
    setA: (addr) => {
      a = checkLoopback(addr, 'A');
    },
    setB: (addr) => {
      b = checkLoopback(addr, 'B');
    },
    stats: () => ({ aToB: directions.aToB.stats.snapshot(), bToA: directions.bToA.stats.snapshot() }),
    close: async () => {
      closed = true;
      directions.aToB.line.clear();
      directions.bToA.line.clear();
      await Promise.all([forA, forB].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
