/**
 * The fake Dubber: one HTTP server carrying the signed WebSocket ingest (`/v1/stream`), provisioning and
 * the portal, over a SinkStore. A thin shell: sockets and the group commit live here, the protocol in
 * session.ts. Writes from all connections that arrive in one event-loop turn are committed in one
 * transaction, then each session sends the checkpoints that promise durability.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { messageOf, SimError } from '../errors.ts';
import { createNonceCache, type SinkKey, verifyRequest } from '../protocol/auth-signature.ts';
import { STREAM_PATH } from '../protocol/http-paths.ts';
import { SINK_ERROR_POLICIES, type SinkFault, sinkFault } from '../protocol/sink-errors.ts';
import type { SimClock } from '../time/clock.ts';
import { handleHttpRequest, requestPath } from './http-api.ts';
import { createSessionHub } from './ingest/session-hub.ts';
import { DEFAULT_SINK_LIMITS, type SinkLimits } from './limits.ts';
import { createPortal, type Portal } from './portal.ts';
import { createPortalWeb, isPortalWebPath } from './portal-web/handler.ts';
import { createProvisioning, type Provisioning } from './provisioning.ts';
import { type SweepResult, scheduleRetentionSweep, sweepRetention } from './retention-sweep.ts';
import {
  createSiprecAdapter,
  type SiprecAdapter,
  type SiprecAdapterOptions,
} from './siprec/siprec-adapter.ts';
import type { SiprecLimits } from './siprec/siprec-limits.ts';
import { type SiprecListener, startSiprecListener } from './siprec/siprec-shell.ts';
import { directoryOfUsers } from './siprec/user-directory.ts';
import { startMediaWriter } from './store/sqlite/media-writer.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';
import { startWalCheckpointer } from './store/sqlite/wal-checkpointer.ts';
import type { SinkStore } from './store/store.ts';

export interface SinkServerOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Defaults to 127.0.0.1: the sink is a local test double. */
  readonly host?: string;
  /** SQLite file, or ':memory:' (default). Ignored when `store` is given. */
  readonly dbPath?: string;
  readonly synchronous?: 'NORMAL' | 'FULL';
  /**
   * With a file database: checkpoint the WAL from a worker thread every this many ms instead of inside
   * commits (wal-checkpointer.ts), so a commit never stalls ingest. Unset: SQLite's own checkpoints.
   */
  readonly walCheckpointIntervalMs?: number;
  /**
   * With a file database: commit new audio from a worker thread with its own connection (media-writer.ts),
   * so the event loop keeps reading frames while it is written; checkpoints wait for that commit.
   */
  readonly mediaWriterThread?: boolean;
  readonly store?: SinkStore;
  /**
   * All sink times (signatures, recording creation, retention) come from here. With a file database
   * that outlives the process, use a clock whose `nowMs()` is epoch-based so stored times stay comparable.
   */
  readonly clock: SimClock;
  readonly keys: readonly SinkKey[];
  readonly limits?: Partial<SinkLimits>;
  /** Whether to run the retention sweep on the clock (default true). */
  readonly scheduleSweep?: boolean;
  /** Diagnostics (transport errors, storage failures); the sink itself never logs. */
  readonly onEvent?: (event: SinkServerEvent) => void;
  /**
   * Called as each binary frame arrives, before it is parsed: `connection` numbers connections from 1 in
   * accept order, `frame` counts this connection's binary frames from 1. The live load generator times
   * frame arrival with it (docs/live-load.md); keep it cheap, it runs on the ingest path.
   */
  readonly onMediaFrame?: (connection: number, frame: number) => void;
  /**
   * Also listen for SIPREC (RFC 7866) on SIP UDP and TCP at this port (0 picks one), on `host`; the
   * recordings go to the same ingest core and store (docs/siprec.md).
   */
  readonly siprec?: { readonly port?: number; readonly limits?: Partial<SiprecLimits> };
}

export type SinkServerEvent =
  | { readonly type: 'transport-error'; readonly code: string; readonly message: string }
  | { readonly type: 'storage-error'; readonly message: string }
  | { readonly type: 'auth-rejected'; readonly code: string; readonly path: string }
  /** A request handler failed unexpectedly; the request got a 500 and the sink keeps serving. */
  | { readonly type: 'request-error'; readonly message: string };

export interface SinkServerStats {
  readonly connections: number;
  readonly commits: number;
  /** Commits whose audio the media writer thread wrote (`mediaWriterThread`). */
  readonly writerCommits: number;
  readonly authRejections: number;
  /** Binary frames received on all connections. */
  readonly framesReceived: number;
  /** Packets durably stored by all commits (after dedupe). */
  readonly packetsStored: number;
  /** Packets dropped (unknown SSRC, bad RTP, audio while paused). */
  readonly packetsDropped: number;
}

export interface SinkServer {
  /** http://host:port */
  readonly url: string;
  /** ws://host:port/v1/stream */
  readonly streamUrl: string;
  readonly port: number;
  readonly limits: SinkLimits;
  readonly provisioning: Provisioning;
  readonly portal: Portal;
  /** The store, for inspection in tests and tools. */
  readonly store: SinkStore;
  /** The SIPREC listener, when `siprec` was given. */
  readonly siprec?: SiprecListener;
  /**
   * A SIPREC adapter on this sink's ingest, store and clock with a transport of the caller's (no sockets):
   * an SRC in the same process, in virtual time, delivers SIP and RTP to it (docs/siprec.md).
   */
  createSiprecAdapter(
    options: Pick<SiprecAdapterOptions, 'transport' | 'local' | 'mediaAddress' | 'limits' | 'onEvent'>,
  ): SiprecAdapter;
  sweepRetention(): SweepResult;
  addKey(key: SinkKey): void;
  /** Commits queued writes now (tests use it to make state observable without waiting a turn). */
  flush(): void;
  stats(): SinkServerStats;
  close(): Promise<void>;
}

/** How long close() waits for clients to finish the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 1000;

export async function createSinkServer(options: SinkServerOptions): Promise<SinkServer> {
  const limits: SinkLimits = { ...DEFAULT_SINK_LIMITS, ...options.limits };
  const { clock } = options;
  const ownsStore = options.store === undefined;
  const dbPath = options.dbPath ?? ':memory:';
  const fileDatabase = ownsStore && dbPath !== ':memory:' && dbPath !== '';
  const backgroundCheckpoints = fileDatabase && options.walCheckpointIntervalMs !== undefined;
  const store =
    options.store ??
    createSqliteStore({
      path: dbPath,
      ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }),
      ...(backgroundCheckpoints ? { autoCheckpoint: false } : {}),
    });
  const checkpointer = backgroundCheckpoints
    ? startWalCheckpointer({
        path: dbPath,
        synchronous: options.synchronous ?? 'NORMAL',
        intervalMs: options.walCheckpointIntervalMs ?? 1000,
        onError: (message) =>
          options.onEvent?.({ type: 'storage-error', message: `WAL checkpoint: ${message}` }),
      })
    : undefined;
  const mediaWriter =
    fileDatabase && options.mediaWriterThread === true
      ? startMediaWriter({
          path: dbPath,
          synchronous: options.synchronous ?? 'NORMAL',
          autoCheckpoint: !backgroundCheckpoints,
        })
      : undefined;
  /** Stops the background threads, then closes the store (the writer first: it still commits). */
  const releaseStorage = async (): Promise<void> => {
    await mediaWriter?.stop();
    await checkpointer?.stop();
    if (ownsStore) store.close();
  };
  const keys = new Map(options.keys.map((k) => [k.keyId, k]));
  const nonces = createNonceCache();
  const provisioning = createProvisioning(store, clock);
  const portal = createPortal(store, clock, { maxWavDurationMs: limits.maxWavDurationMs });
  const emit = (event: SinkServerEvent) => options.onEvent?.(event);

  const sockets = new Set<WebSocket>();
  const hub = createSessionHub({
    store,
    clock,
    limits,
    // Not a simulation timer: it only lets the rest of this I/O turn join the same transaction.
    scheduleFlush: (flush) => setImmediate(flush),
    onStorageError: (cause) => emit({ type: 'storage-error', message: messageOf(cause) }),
    ...(mediaWriter === undefined ? {} : { mediaWriter }),
  });
  let authRejections = 0;
  let connectionsAccepted = 0;
  let framesReceived = 0;
  let closing = false;
  /** Upgrades accepted but not yet attached (they count towards maxConnections). */
  let upgrading = 0;

  const verify = (method: string, path: string, headers: IncomingMessage['headers'], body?: Uint8Array) => {
    const result = verifyRequest({
      method,
      path,
      headers,
      ...(body === undefined ? {} : { body }),
      nowMs: clock.nowMs(),
      findKey: (keyId) => keys.get(keyId),
      nonces,
      maxSkewMs: limits.maxSkewMs,
    });
    if (!result.ok) {
      authRejections += 1;
      emit({ type: 'auth-rejected', code: result.fault.code, path });
    }
    return result;
  };

  const sweep = () => sweepRetention(store, clock.nowMs());
  const schedule =
    options.scheduleSweep === false
      ? undefined
      : scheduleRetentionSweep(clock, limits.retentionSweepIntervalMs, () => {
          // A timer callback: a storage failure is reported, and the next sweep tries again.
          try {
            sweep();
          } catch (cause) {
            emit({
              type: 'storage-error',
              message: `Retention sweep: ${messageOf(cause)}`,
            });
          }
        });

  const portalWeb = createPortalWeb({ store, portal, provisioning, clock });
  const httpServer = createServer((req, res) => {
    const webPath = requestPath(req.url);
    const handled =
      webPath !== undefined && isPortalWebPath(webPath)
        ? portalWeb.handle(req, res, webPath)
        : handleHttpRequest(req, res, {
            provisioning,
            portal,
            sweepRetention: sweep,
            verify,
            userOrg: (userId) => store.getUser(userId)?.orgId,
            adminEmailOrg: (email) => store.findAdminEmailOrg(email),
            maxBodyBytes: limits.maxHttpBodyBytes,
          });
    handled.catch((cause: unknown) => {
      // Never a crash: the request gets a 500 (if it can still be answered) and the sink keeps serving.
      emit({ type: 'request-error', message: messageOf(cause) });
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'SINK_ERR_STORAGE', message: 'Internal error in the sink.' }));
      } else res.destroy();
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxPayloadBytes,
    perMessageDeflate: false,
  });

  const refuseUpgrade = (socket: Duplex, status: number, fault: SinkFault) => {
    const body = JSON.stringify({ code: fault.code, message: fault.message });
    const reason =
      status === 400
        ? 'Bad Request'
        : status === 401
          ? 'Unauthorized'
          : status === 404
            ? 'Not Found'
            : 'Service Unavailable';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => emit({ type: 'transport-error', code: 'socket', message: error.message }));
    const path = requestPath(req.url);
    if (path === undefined)
      return refuseUpgrade(
        socket,
        400,
        sinkFault('SINK_ERR_BAD_REQUEST', 'The request-target is not a path.'),
      );
    if (closing) return refuseUpgrade(socket, 503, sinkFault('SINK_ERR_SHUTDOWN', 'The sink is stopping.'));
    if (sockets.size + upgrading >= limits.maxConnections) {
      return refuseUpgrade(
        socket,
        503,
        sinkFault(
          'SINK_ERR_TOO_MANY_CONNECTIONS',
          `The sink already holds ${limits.maxConnections} connections (maxConnections); retry later.`,
        ),
      );
    }
    if (path !== STREAM_PATH)
      return refuseUpgrade(socket, 404, sinkFault('SINK_ERR_NOT_FOUND', `No stream at ${path}.`));
    const auth = verify(req.method ?? 'GET', path, req.headers);
    if (!auth.ok) return refuseUpgrade(socket, SINK_ERROR_POLICIES[auth.fault.code].status, auth.fault);
    upgrading += 1;
    let counted = true;
    const settle = () => {
      if (counted) upgrading -= 1;
      counted = false;
    };
    socket.once('close', settle);
    wss.handleUpgrade(req, socket, head, (ws) => {
      settle();
      attach(ws, auth.key);
    });
  });

  const attach = (ws: WebSocket, key: SinkKey): void => {
    sockets.add(ws);
    connectionsAccepted += 1;
    const connection = connectionsAccepted;
    let frames = 0;
    const session = hub.createSession(key, {
      sendText: (text) => {
        if (ws.readyState === ws.OPEN) ws.send(text);
      },
      close: (code, reason) => ws.close(code, reason),
    });
    ws.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      if (isBinary) {
        framesReceived += 1;
        frames += 1;
        options.onMediaFrame?.(connection, frames);
      }
      try {
        if (isBinary) session.onBinary(bytes);
        else session.onText(bytes.toString('utf8'));
      } catch (cause) {
        // Reads during open (or a synchronous flush) hit the store; a failure there ends this connection only.
        emit({ type: 'storage-error', message: messageOf(cause) });
        session.failStorage(cause);
      }
    });
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes by itself here (1009 for maxPayload, 1002/1007 for broken framing).
      emit({ type: 'transport-error', code: error.code ?? 'ws', message: error.message });
    });
    ws.on('close', () => {
      sockets.delete(ws);
      session.onTransportClosed();
    });
  };

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (cause) =>
      reject(
        new SimError(
          'SIM_ERR_SINK_UNAVAILABLE',
          `The sink cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${cause.message}`,
          {
            cause,
          },
        ),
      ),
    );
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  }).catch(async (error: unknown) => {
    // Nothing was served: release the checkpoint worker and the store before reporting.
    schedule?.stop();
    await releaseStorage();
    throw error;
  });
  const siprec =
    options.siprec === undefined
      ? undefined
      : await startSiprecListener({
          hub,
          clock,
          directory: directoryOfUsers((userId) => provisioning.getUser(userId)),
          port: options.siprec.port ?? 0,
          host: options.host ?? '127.0.0.1',
          ...(options.siprec.limits === undefined ? {} : { limits: options.siprec.limits }),
          onEvent: (event) => {
            if (event.type === 'internal-error')
              emit({ type: 'request-error', message: `SIPREC: ${event.message}` });
          },
        }).catch(async (error: unknown) => {
          schedule?.stop();
          await new Promise<void>((resolve) => httpServer.close(() => resolve()));
          await releaseStorage();
          throw error;
        });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    streamUrl: `ws://${host}:${address.port}${STREAM_PATH}`,
    port: address.port,
    limits,
    provisioning,
    portal,
    store,
    ...(siprec === undefined ? {} : { siprec }),
    createSiprecAdapter: (adapterOptions) =>
      createSiprecAdapter({
        ...adapterOptions,
        hub,
        clock,
        directory: directoryOfUsers((userId) => provisioning.getUser(userId)),
      }),
    sweepRetention: sweep,
    addKey: (key) => void keys.set(key.keyId, key),
    flush: () => hub.flush(),
    stats: () => ({
      connections: sockets.size,
      commits: hub.commits,
      writerCommits: hub.writerCommits,
      authRejections,
      framesReceived,
      packetsStored: hub.packetsStored,
      packetsDropped: hub.packetsDropped,
    }),
    async close() {
      if (closing) return;
      closing = true;
      schedule?.stop();
      await siprec?.close();
      hub.terminateAll(sinkFault('SINK_ERR_SHUTDOWN', 'The sink is stopping; reconnect and resume later.'));
      if (sockets.size > 0) {
        const allClosed = Promise.all(
          [...sockets].map((ws) => new Promise((resolve) => ws.once('close', resolve))),
        );
        let guard: ReturnType<typeof setTimeout> | undefined;
        const timedOut = new Promise<void>((resolve) => {
          guard = setTimeout(() => {
            for (const ws of sockets) ws.terminate();
            resolve();
          }, CLOSE_GRACE_MS);
        });
        await Promise.race([allClosed, timedOut]);
        clearTimeout(guard);
      }
      hub.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await releaseStorage();
    },
  };
}
