/**
 * The client end of the signed upgrade to `/v1/stream`, used by the recording connection
 * (connection.ts): open a WebSocket whose upgrade request carries a fresh HMAC signature (docs/sink-protocol.md,
 * "Authentication"), and read the JSON body of a refused upgrade (HTTP 401/403/503…) into a SimError.
 */
import WebSocket from 'ws';
import { SimError, type SimErrorDetails } from '../errors.ts';
import { signRequest } from '../protocol/auth-signature.ts';

export interface SignedSocketOptions {
  /** ws://host:port/v1/stream */
  readonly url: string;
  readonly keyId: string;
  readonly secret: string;
  /** The signing time (`clock.nowMs()` on the sink's timeline). */
  readonly nowMs: number;
  /** ws client options besides the signature headers (a multiplexed connection passes its zero mask). */
  readonly extra?: Omit<WebSocket.ClientOptions, 'headers' | 'perMessageDeflate'>;
}

export function openSignedSocket(options: SignedSocketOptions): WebSocket {
  const path = new URL(options.url).pathname;
  return new WebSocket(options.url, {
    headers: signRequest({
      method: 'GET',
      path,
      keyId: options.keyId,
      secret: options.secret,
      nowMs: options.nowMs,
    }),
    perMessageDeflate: false,
    ...options.extra,
  });
}

/** A refused upgrade: the HTTP status and the sink's `{code, message}` body when it was JSON. */
export interface UpgradeRefusal {
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly message: string | undefined;
}

/** Calls `handle` with the refusal once its body has been read, then terminates the socket. */
export function onUpgradeRefused(socket: WebSocket, handle: (refusal: UpgradeRefusal) => void): void {
  socket.on('unexpected-response', (_req, res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      let body: { code?: string; message?: string } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // not JSON: keep the status only
      }
      handle({ status: res.statusCode, code: body.code, message: body.message });
      socket.terminate();
    });
  });
}

/** Whether retrying cannot help: the key or its signature was refused (401/403). */
export function isAuthRefusal(refusal: UpgradeRefusal): boolean {
  return refusal.status === 401 || refusal.status === 403;
}

export function upgradeRefusalError(refusal: UpgradeRefusal, details: SimErrorDetails): SimError {
  return new SimError(
    isAuthRefusal(refusal) ? 'SIM_ERR_SINK_AUTH' : 'SIM_ERR_SINK_UNAVAILABLE',
    `The sink refused the connection (HTTP ${refusal.status}): ${refusal.message ?? 'no reason given'}`,
    { details },
  );
}
