/**
 * The SIPREC listener's sockets, and nothing else: SIP over UDP and TCP on one port number (TCP framed by
 * Content-Length, RFC 3261 §18.3, with the stream reader of src/protocol/sip), and one UDP socket per
 * offered RTP stream, all on loopback unless told otherwise. Everything a message or datagram means is
 * the adapter's (siprec-adapter.ts); this file only moves bytes.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket as TcpSocket } from 'node:net';
import { messageOf, SimError } from '../../errors.ts';
import { createSipStreamReader } from '../../protocol/sip/parse-sip.ts';
import type { SimClock } from '../../time/clock.ts';
import type { SessionHub } from '../ingest/session-hub.ts';
import {
  createSiprecAdapter,
  type SiprecAdapter,
  type SiprecDirectory,
  type SiprecEvent,
  type SiprecStats,
} from './siprec-adapter.ts';
import { DEFAULT_SIPREC_LIMITS, type SiprecLimits } from './siprec-limits.ts';
import type { RtpPort, SiprecTransport } from './siprec-transport.ts';

export interface SiprecListenerOptions {
  readonly hub: Pick<SessionHub, 'createSession'>;
  readonly clock: SimClock;
  readonly directory: SiprecDirectory;
  /** 0 (default) picks a free port (the same number for UDP and TCP). */
  readonly port?: number;
  /** Defaults to 127.0.0.1; RTP ports open on the same address. */
  readonly host?: string;
  readonly limits?: Partial<SiprecLimits>;
  readonly onEvent?: (event: SiprecEvent) => void;
}

export interface SiprecListener {
  readonly port: number;
  readonly host: string;
  /** `sip:srs@host:port`, where a SIP tool sends its recording INVITEs. */
  readonly uri: string;
  readonly adapter: SiprecAdapter;
  stats(): SiprecStats & { readonly tcpConnections: number };
  close(): Promise<void>;
}

const bindUdp = (socket: Socket, port: number, host: string) =>
  new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve();
    });
  });

/** UDP and TCP on one port number; with port 0, UDP's free port is taken for TCP (a few tries if TCP's is held). */
async function bindSipPort(
  wanted: number,
  host: string,
  family: 'udp4' | 'udp6',
): Promise<{ udp: Socket; tcp: Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket({ type: family });
    const tcp = createServer();
    try {
      await bindUdp(udp, wanted, host);
      const port = udp.address().port;
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      return { udp, tcp, port };
    } catch (cause) {
      try {
        udp.close();
        tcp.close();
      } catch {
        // never bound: nothing to release
      }
      if (wanted !== 0 || attempt >= 5) {
        throw new SimError(
          'SIM_ERR_SINK_UNAVAILABLE',
          `The SIPREC listener cannot listen on ${host}:${wanted}: ${messageOf(cause)}`,
          { cause },
        );
      }
    }
  }
}

export async function startSiprecListener(options: SiprecListenerOptions): Promise<SiprecListener> {
  const host = options.host ?? '127.0.0.1';
  const family = isIPv6(host) ? 'udp6' : 'udp4';
  const limits: SiprecLimits = { ...DEFAULT_SIPREC_LIMITS, ...options.limits };
  const emit = (event: SiprecEvent) => options.onEvent?.(event);
  const connections = new Map<number, TcpSocket>();
  const rtpSockets = new Set<Socket>();
  let connectionCount = 0;

  const { udp, tcp, port } = await bindSipPort(options.port ?? 0, host, family);

  const transport: SiprecTransport = {
    sendSip(peer, bytes) {
      if (peer.transport === 'udp') udp.send(bytes, peer.port, peer.address);
      else connections.get(peer.connectionId ?? -1)?.write(bytes);
    },
    openRtpPort(onDatagram) {
      const socket = createSocket({ type: family });
      socket.on('message', (datagram, from) =>
        onDatagram(datagram, { address: from.address, port: from.port }),
      );
      socket.on('error', (error) =>
        emit({ type: 'internal-error', message: `RTP socket: ${error.message}` }),
      );
      return bindUdp(socket, 0, host).then((): RtpPort => {
        rtpSockets.add(socket);
        return {
          port: socket.address().port,
          close: () => {
            if (!rtpSockets.delete(socket)) return;
            socket.close();
          },
        };
      });
    },
  };
  const adapter = createSiprecAdapter({
    hub: options.hub,
    clock: options.clock,
    transport,
    directory: options.directory,
    local: { host, port },
    mediaAddress: host,
    limits,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });

  udp.on('message', (datagram, from) =>
    adapter.receiveDatagram(datagram, { transport: 'udp', address: from.address, port: from.port }),
  );
  udp.on('error', (error) => emit({ type: 'internal-error', message: `SIP UDP socket: ${error.message}` }));

  tcp.on('connection', (socket) => {
    if (connections.size >= limits.maxSessions) {
      socket.destroy();
      return;
    }
    const id = ++connectionCount;
    connections.set(id, socket);
    const reader = createSipStreamReader(limits);
    const peer = {
      transport: 'tcp' as const,
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
      connectionId: id,
    };
    socket.on('data', (chunk) => {
      for (const item of reader.push(chunk)) adapter.receiveStreamItem(item, peer);
      // The framing is lost (no Content-Length, oversized): what could be answered was; the stream ends.
      if (reader.broken) socket.end();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => connections.delete(id));
  });

  const uri = `sip:srs@${isIPv6(host) ? `[${host}]` : host}:${port}`;
  return {
    port,
    host,
    uri,
    adapter,
    stats: () => ({ ...adapter.stats(), tcpConnections: connections.size }),
    async close() {
      adapter.close();
      for (const socket of connections.values()) socket.destroy();
      for (const socket of rtpSockets) socket.close();
      rtpSockets.clear();
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
