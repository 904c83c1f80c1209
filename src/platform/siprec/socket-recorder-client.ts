/**
 * The socket shell around the SRC core: SIP over UDP (one `node:dgram` socket) or TCP (one `node:net`
 * connection, framed by Content-Length), and two UDP sockets per recording for its RTP, all on loopback
 * unless told otherwise. Everything SIPREC decides is in the core; this only moves bytes.
 *
 *   const client = await createSiprecRecorderClient({ target: 'sip:127.0.0.1:5060', transport: 'udp' });
 *   const outcome = await client.open({ recordingId, user, remote, dubPoint, direction, format, ssrcs });
 *   if (outcome.kind === 'answered') { outcome.recording.sendPacket(rtp); … await outcome.recording.close(ms); }
 *   await client.close();
 */
import { createSocket, type Socket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { SimError } from '../../errors.ts';
import { createSipStreamReader } from '../../protocol/sip/parse-sip.ts';
import { createRealClock, type SimClock } from '../../time/index.ts';
import { createSiprecSrcCore, type SiprecSrcCore } from './src-core.ts';
import type {
  SiprecRecordingParams,
  SrcCoreOptions,
  SrcMediaPorts,
  SrcOpenOutcome,
  SrcTransport,
} from './src-types.ts';

export interface SiprecRecorderClientOptions extends Omit<SrcCoreOptions, 'transport' | 'clock' | 'target'> {
  /** The recorder, `sip:[user@]host[:port]`; default port 5060. */
  readonly target: string;
  /** Default `udp`. */
  readonly transport?: 'udp' | 'tcp';
  /** The address our SIP and RTP sockets bind to and advertise; default 127.0.0.1. */
  readonly localAddress?: string;
  /** Default: the real clock. */
  readonly clock?: SimClock;
}

export interface SiprecRecorderClient {
  /** Where the recorder's answers reach us. */
  readonly local: { readonly host: string; readonly port: number; readonly transport: 'UDP' | 'TCP' };
  readonly core: SiprecSrcCore;
  open(params: SiprecRecordingParams): Promise<SrcOpenOutcome>;
  /**
   * Stops every SIP timer and closes the SIP socket and every recording's RTP sockets; sessions still open
   * are dropped without a BYE (close them first).
   */
  close(): Promise<void>;
}

/** `sip:[user@]host[:port][;params]` → host and port (IPv6 in brackets). */
export function parseSipTarget(target: string): { host: string; port: number } {
  const match = /^sips?:(?:[^@;]+@)?(\[[0-9a-fA-F:.]+\]|[^:;>\s]+)(?::(\d{1,5}))?(?:;.*)?$/.exec(
    target.trim(),
  );
  const port = Number(match?.[2] ?? 5060);
  if (match?.[1] === undefined || !(port > 0 && port < 65_536)) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `The recorder target must look like sip:host:port (e.g. sip:127.0.0.1:5060); got "${target}".`,
      { details: { target } },
    );
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

function bindUdp(address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(0, address, () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve(socket);
    });
  });
}

function unavailable(target: string, error: unknown): SimError {
  return new SimError(
    'SIM_ERR_SINK_UNAVAILABLE',
    `Cannot reach the recorder at ${target}: ${error instanceof Error ? error.message : String(error)}. Check that it listens there.`,
    { cause: error, details: { target } },
  );
}

export async function createSiprecRecorderClient(
  options: SiprecRecorderClientOptions,
): Promise<SiprecRecorderClient> {
  const { host, port } = parseSipTarget(options.target);
  const localAddress = options.localAddress ?? '127.0.0.1';
  const clock = options.clock ?? createRealClock();
  const mediaSockets = new Set<Socket>();

  const openMedia = async (): Promise<SrcMediaPorts> => {
    const user = await bindUdp(localAddress);
    const remote = await bindUdp(localAddress).catch((error: unknown) => {
      user.close();
      throw error;
    });
    mediaSockets.add(user).add(remote);
    let closed = false;
    return {
      address: localAddress,
      userPort: user.address().port,
      remotePort: remote.address().port,
      send(label, bytes, to) {
        if (!closed) (label === '1' ? user : remote).send(bytes, to.port, to.address);
      },
      close() {
        if (closed) return;
        closed = true;
        for (const s of [user, remote]) {
          mediaSockets.delete(s);
          s.close();
        }
      },
    };
  };

  let core: SiprecSrcCore;
  let closeSip: () => Promise<void>;
  let local: SrcTransport['local'];

  if ((options.transport ?? 'udp') === 'udp') {
    const socket = await bindUdp(localAddress);
    local = { host: localAddress, port: socket.address().port, transport: 'UDP' };
    const transport: SrcTransport = {
      local,
      sendSip: (bytes) => socket.send(bytes, port, host),
      openMedia,
    };
    core = createSiprecSrcCore({ ...options, transport, clock, target: options.target });
    socket.on('message', (bytes) => core.receiveDatagram(bytes));
    closeSip = () => new Promise((resolve) => socket.close(() => resolve()));
  } else {
    const tcp: TcpSocket = await new Promise((resolve, reject) => {
      const s = connect({ host, port, localAddress });
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', (error) => reject(unavailable(options.target, error)));
    });
    tcp.setNoDelay(true);
    local = { host: localAddress, port: tcp.localPort ?? 0, transport: 'TCP' };
    const reader = createSipStreamReader();
    const transport: SrcTransport = {
      local,
      sendSip: (bytes) => {
        if (!tcp.destroyed) tcp.write(bytes);
      },
      openMedia,
    };
    core = createSiprecSrcCore({ ...options, transport, clock, target: options.target });
    tcp.on('data', (chunk: Buffer) => {
      for (const item of reader.push(chunk)) if (item.ok) core.receiveMessage(item.message);
      if (reader.broken) tcp.destroy();
    });
    tcp.on('error', () => {});
    tcp.on('close', () => core.transportFailed());
    closeSip = () =>
      new Promise((resolve) => {
        if (tcp.destroyed) resolve();
        else tcp.end(() => resolve());
        tcp.once('close', () => resolve());
      });
  }

  return {
    local,
    core,
    open: (params) => core.open(params),
    async close() {
      core.dispose();
      for (const s of [...mediaSockets]) s.close();
      mediaSockets.clear();
      await closeSip();
    },
  };
}
