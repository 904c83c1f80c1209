/**
 * The emulator's own cost, measured at the start of every run: the round trip of a bare UDP echo on
 * loopback against the same echo through a relay asked for 0 ms each way. Half the difference is what one
 * relay hop adds to a one-way delay before any emulated delay.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Rng } from '../time/index.ts';
import { createUdpPairRelay, LOOPBACK, NO_IMPAIRMENT, type WanClock } from '../wan/index.ts';

export interface EmulatorOverhead {
  readonly samples: number;
  readonly bareRttMedianMs: number;
  readonly relayRttMedianMs: number;
  /** (relay − bare) / 2: added to each one-way crossing of the relay. */
  readonly addedOneWayMs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

function bind(): Promise<Socket> {
  const s = createSocket('udp4');
  return new Promise((r) => s.bind(0, LOOPBACK, () => r(s)));
}

async function echoRtts(clock: WanClock, client: Socket, port: number, samples: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = clock.nowMs();
    await new Promise<void>((resolve) => {
      client.once('message', () => resolve());
      client.send(Buffer.alloc(100), port, LOOPBACK);
    });
    out.push(clock.nowMs() - t0);
  }
  return out;
}

export async function measureEmulatorOverhead(
  clock: WanClock,
  rng: Rng,
  samples = 100,
): Promise<EmulatorOverhead> {
  const [echo, client] = await Promise.all([bind(), bind()]);
  echo.on('message', (msg, r) => echo.send(msg, r.port, r.address));
  const relay = await createUdpPairRelay({ clock, aToB: NO_IMPAIRMENT, bToA: NO_IMPAIRMENT, rng });
  try {
    relay.setA({ address: LOOPBACK, port: client.address().port });
    relay.setB({ address: LOOPBACK, port: echo.address().port });
    const bare = median(await echoRtts(clock, client, echo.address().port, samples));
    const relayed = median(await echoRtts(clock, client, relay.faceForA.port, samples));
    return {
      samples,
      bareRttMedianMs: bare,
      relayRttMedianMs: relayed,
      addedOneWayMs: Math.max(0, (relayed - bare) / 2),
    };
  } finally {
    await relay.close();
    echo.close();
    client.close();
  }
}
