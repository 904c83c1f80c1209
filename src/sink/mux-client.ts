/**
 * A multiplexed sink connection: one signed WebSocket carrying many recordings (docs/sink-protocol.md,
 * "Multiplexed connections"). The caller builds the binary frames itself — packets of any recording opened
 * here, each recording's SSRCs declared in its `open` — so a live load of thousands of calls costs one
 * WebSocket message per connection per 20 ms rather than one per call (facts.md: the cost is per message).
 *
 * Unlike `createSinkClient` it keeps no journal and never reconnects: it exists to measure the sink, and
 * what a dropped connection did not get stored is counted as lost by its user.
 */
import WebSocket from 'ws';
import { SimError } from '../errors.ts';
import type { SimClock } from '../time/clock.ts';
import { signRequest } from './auth-signature.ts';
import {
  type CheckpointInfo,
  type OpenedInfo,
  type OpenRecordingRequest,
  openParametersOf,
  type SinkWarning,
  simCodeOf,
} from './client.ts';
import type { ClientMessageType, ServerMessage } from './messages.ts';
import { checkSeq, clientMessage, encodeMessage, parseServerText } from './parse-message.ts';
import { isSinkErrorCode } from './sink-errors.ts';

export interface MuxConnectionOptions {
  /** ws://host:port/v1/stream */
  readonly url: string;
  readonly keyId: string;
  readonly secret: string;
  /** Signs with `clock.nowMs()`; it must read the sink's timeline (epoch ms for a `callrec sink`). */
  readonly clock: Pick<SimClock, 'nowMs'>;
}

export interface MuxOpenRequest extends Omit<OpenRecordingRequest, 'recordingId'> {
  readonly recordingId: string;
}

export interface MuxConnection {
  /** Opens (or resumes) one recording on this connection. */
  open(request: MuxOpenRequest): Promise<OpenedInfo>;
  /** Sends one binary frame: (2-byte length, RTP packet)… of recordings opened here. */
  sendFrame(frame: Uint8Array): void;
  /** Resolves once everything sent so far is durable, with the recording's checkpoint. */
  ping(recordingId: string): Promise<CheckpointInfo>;
  /** Ends one recording; resolves with its last checkpoint (packets stored) once `closed` arrives. */
  close(
    recordingId: string,
    positionMs: number,
    reason?: 'end' | 'stopped' | 'failure',
  ): Promise<CheckpointInfo>;
  readonly framesSent: number;
  /** Frames of this connection the sink has said are durable (latest checkpoint). */
  readonly durableFrames: number;
  /** Bytes queued in the socket, not yet handed to the kernel. */
  readonly bufferedBytes: number;
  readonly warnings: readonly SinkWarning[];
  /** Closes the socket normally (after closing the recordings). */
  end(): Promise<void>;
  terminate(): void;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface RecordingWaiters {
  open: Waiter<OpenedInfo> | undefined;
  pings: Waiter<CheckpointInfo>[];
  close: Waiter<CheckpointInfo> | undefined;
  last: CheckpointInfo | undefined;
}

export function connectMux(options: MuxConnectionOptions): Promise<MuxConnection> {
  return new Promise<MuxConnection>((resolveConnect, rejectConnect) => {
    const path = new URL(options.url).pathname;
    const ws = new WebSocket(options.url, {
      headers: signRequest({
        method: 'GET',
        path,
        keyId: options.keyId,
        secret: options.secret,
        nowMs: options.clock.nowMs(),
      }),
      perMessageDeflate: false,
      // An all-zero mask: ws then skips XOR-ing every payload byte on both ends (35 MB/s at 2,000 calls, in
      // JavaScript on Node 20 without bufferutil). Masking guards against proxy cache poisoning (RFC 6455
      // §10.3); this client talks to its own sink over loopback.
      generateMask: (mask: Buffer) => void mask.fill(0),
    });
    let clientSeq = 0;
    let serverSeq = 0;
    let framesSent = 0;
    let durableFrames = 0;
    let connected = false;
    let failure: SimError | undefined;
    const warnings: SinkWarning[] = [];
    const byId = new Map<string, RecordingWaiters>();
    const waitersOf = (id: string): RecordingWaiters => {
      let w = byId.get(id);
      if (w === undefined) {
        w = { open: undefined, pings: [], close: undefined, last: undefined };
        byId.set(id, w);
      }
      return w;
    };

    const rejectRecording = (w: RecordingWaiters, error: SimError) => {
      w.open?.reject(error);
      w.open = undefined;
      for (const p of w.pings.splice(0)) p.reject(error);
      w.close?.reject(error);
      w.close = undefined;
    };
    const failAll = (error: SimError) => {
      failure ??= error;
      for (const w of byId.values()) rejectRecording(w, failure);
    };

    const sendText = (type: ClientMessageType, id: string, positionMs: number, parameters: object) => {
      if (failure !== undefined) throw failure;
      clientSeq += 1;
      ws.send(
        encodeMessage(
          clientMessage(type, { id, seq: clientSeq, positionMs, parameters: parameters as never }),
        ),
      );
    };

    const onServerMessage = (message: ServerMessage) => {
      const w = message.id === '' ? undefined : byId.get(message.id);
      switch (message.type) {
        case 'opened':
          w?.open?.resolve({
            resumed: message.parameters.resumed,
            state: message.parameters.state,
            packetsStored: message.parameters.packets,
          });
          if (w) w.open = undefined;
          return;
        case 'checkpoint': {
          durableFrames = Math.max(durableFrames, message.parameters.frames);
          if (w) {
            w.last = {
              clientSeq: message.clientseq,
              frames: message.parameters.frames,
              packetsStored: message.parameters.packets,
              position: message.position,
            };
          }
          return;
        }
        case 'pong':
          if (w?.last) w.pings.shift()?.resolve(w.last);
          return;
        case 'closed':
          if (w?.close && w.last) w.close.resolve(w.last);
          if (w) w.close = undefined;
          return;
        case 'disconnect': {
          const code = isSinkErrorCode(message.parameters.reason) ? message.parameters.reason : undefined;
          const error = new SimError(simCodeOf(code), message.parameters.message, {
            details: { recordingId: message.id, sinkCode: code },
          });
          if (w) rejectRecording(w, error);
          else failAll(error);
          return;
        }
        case 'error': {
          const { code, message: text, fatal, details } = message.parameters;
          if (!fatal) {
            warnings.push({ code, message: text });
            return;
          }
          const sinkCode = isSinkErrorCode(code) ? code : undefined;
          const error = new SimError(simCodeOf(sinkCode), `${code}: ${text}`, {
            details: { recordingId: message.id, sinkCode, ...details },
          });
          // A fatal error naming a recording refuses that recording; one without an id ends the connection.
          if (w) rejectRecording(w, error);
          else failAll(error);
          return;
        }
      }
    };

    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let body: { code?: string; message?: string } = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          // not JSON: keep the status only
        }
        rejectConnect(
          new SimError(
            res.statusCode === 401 || res.statusCode === 403
              ? 'SIM_ERR_SINK_AUTH'
              : 'SIM_ERR_SINK_UNAVAILABLE',
            `The sink refused the connection (HTTP ${res.statusCode}): ${body.message ?? 'no reason given'}`,
            { details: { status: res.statusCode, sinkCode: body.code } },
          ),
        );
        ws.terminate();
      });
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const parsed = parseServerText(String(data));
      const seqFault = parsed.ok ? checkSeq(serverSeq, parsed.message.seq) : parsed.fault;
      if (!parsed.ok || seqFault) {
        failAll(new SimError('SIM_ERR_SINK_PROTOCOL', `Bad message from the sink: ${seqFault?.message}`));
        ws.close(1002, 'SINK_ERR_INVALID_MESSAGE');
        return;
      }
      serverSeq = parsed.message.seq;
      onServerMessage(parsed.message);
    });
    ws.on('error', () => {
      // 'close' follows and carries the outcome.
    });
    ws.on('close', (code, reason) => {
      const error = new SimError(
        'SIM_ERR_SINK_UNAVAILABLE',
        `The sink connection closed (${code} ${reason}).`,
        {
          details: { closeCode: code },
        },
      );
      failAll(error);
      if (!connected) rejectConnect(error);
    });
    ws.on('open', () => {
      connected = true;
      resolveConnect(connection);
    });

    const connection: MuxConnection = {
      open(request) {
        const w = waitersOf(request.recordingId);
        return new Promise<OpenedInfo>((resolve, reject) => {
          w.open = { resolve, reject };
          sendText('open', request.recordingId, request.positionMs ?? 0, {
            ...openParametersOf(request),
            multiplex: true,
          });
        });
      },
      sendFrame(frame) {
        if (failure !== undefined || ws.readyState !== WebSocket.OPEN) return;
        framesSent += 1;
        ws.send(frame);
      },
      ping(recordingId) {
        const w = waitersOf(recordingId);
        return new Promise<CheckpointInfo>((resolve, reject) => {
          w.pings.push({ resolve, reject });
          sendText('ping', recordingId, 0, {});
        });
      },
      close(recordingId, positionMs, reason = 'end') {
        const w = waitersOf(recordingId);
        return new Promise<CheckpointInfo>((resolve, reject) => {
          w.close = { resolve, reject };
          sendText('close', recordingId, positionMs, { reason });
        });
      },
      get framesSent() {
        return framesSent;
      },
      get durableFrames() {
        return durableFrames;
      },
      get bufferedBytes() {
        return ws.bufferedAmount;
      },
      warnings,
      end() {
        if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
        return new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close(1000, 'done');
        });
      },
      terminate() {
        ws.terminate();
      },
    };
  });
}
