/**
 * A TCP proxy between a client and the sink, for fault injection over loopback without touching either:
 * `cut()` destroys every connection through it on both sides (as a network drop or a killed peer would, so
 * the sink sees its socket end and the client sees close 1006), `hold()` stops forwarding what clients send
 * (it never reaches the sink), `refuse` makes new connections fail at once, and `target` may be switched
 * to another sink (a restart on another port).
 */
import { createServer, connect as netConnect, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** ws://127.0.0.1:<proxy port>/v1/stream */
  readonly streamUrl: string;
  /** The sink port new connections go to. */
  target: number;
  /** New connections are destroyed as they arrive. */
  refuse: boolean;
  /** Connections destroyed because `refuse` was set. */
  readonly refused: number;
  /** Drops everything clients send from now on (until `cut`). */
  hold(): void;
  cut(): void;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  held: boolean;
}

export async function startTcpProxy(target: number): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let refused = 0;
  const server = createServer((client) => {
    if (proxy.refuse) {
      refused += 1;
      client.destroy();
      return;
    }
    const upstream = netConnect(proxy.target, '127.0.0.1');
    const pair: Pair = { client, upstream, held: false };
    pairs.add(pair);
    client.on('data', (chunk) => {
      if (!pair.held) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('close', drop);
      socket.on('error', drop);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const proxy: TcpProxy = {
    port,
    streamUrl: `ws://127.0.0.1:${port}/v1/stream`,
    target,
    refuse: false,
    get refused() {
      return refused;
    },
    hold() {
      for (const pair of pairs) pair.held = true;
    },
    cut() {
      for (const pair of [...pairs]) {
        pair.upstream.destroy();
        pair.client.destroy();
      }
    },
    async close() {
      proxy.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
