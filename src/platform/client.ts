/**
 * The sink client: one WebSocket per recording, signed upgrade, batched media frames, control messages at
 * caller-given (virtual) positions, and a journal of everything not yet covered by a checkpoint. After a
 * reconnect the client opens the same recording id and resends the journal; the server drops what it
 * already has, so nothing is lost or duplicated. Used by the scenario runner and the live load generator.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { DubPoint } from '../domain/platform-info.ts';
import { SimError, type SimErrorCode } from '../errors.ts';
import { encodeMediaFrame, mediaFrameBytes } from '../protocol/media-frame.ts';
import {
  type ANNOUNCEMENT_KINDS,
  type ClientMessageOf,
  type ClientMessageType,
  type MediaFormat,
  type RecordingState,
  type ServerMessage,
  STREAM_LABELS,
} from '../protocol/messages.ts';
import { clientMessage, encodeMessage } from '../protocol/parse-message.ts';
import { isSinkErrorCode, SINK_ERROR_POLICIES, type SinkErrorCode } from '../protocol/sink-errors.ts';
import type { SimClock } from '../time/clock.ts';
import { readServerMessages } from './server-message-reader.ts';
import { onUpgradeRefused, openSignedSocket, upgradeRefusalError } from './sink-socket.ts';

export interface SinkClientOptions {
  /** ws://host:port/v1/stream */
  readonly url: string;
  readonly keyId: string;
  readonly secret: string;
  /** Signs with `clock.nowMs()`; it must read the same timeline as the sink's clock. */
  readonly clock: SimClock;
  /** Packets per binary frame before it is sent on its own (default 8). */
  readonly maxBatchPackets?: number;
  /** Keep frames below the sink's maxPayloadBytes (default 60 KiB). */
  readonly maxFrameBytes?: number;
}

export interface OpenRecordingRequest {
  /** Defaults to a random UUID. Reuse an id to resume a recording. */
  readonly recordingId?: string;
  readonly orgId: string;
  readonly userId: string;
  /** What Control Hub shows for the user (S19, S33); the sink compares it with its own dub.point. */
  readonly dubPoint: DubPoint;
  readonly direction: 'inbound' | 'outbound';
  readonly remote: { readonly type: 'internal' | 'pstn'; readonly address?: string };
  readonly format: MediaFormat;
  readonly ssrcs: { readonly user: number; readonly remote: number };
  /** Position of the start of the recording (default 0). */
  readonly positionMs?: number;
}

export interface OpenedInfo {
  readonly resumed: boolean;
  readonly state: RecordingState;
  readonly packetsStored: number;
}

export interface CheckpointInfo {
  readonly clientSeq: number;
  readonly frames: number;
  readonly packetsStored: number;
  readonly position: string;
}

export interface SinkWarning {
  readonly code: string;
  readonly message: string;
}

export interface SinkRecording {
  readonly recordingId: string;
  readonly connected: boolean;
  /** Journal entries (frames and control messages) not yet covered by a checkpoint. */
  readonly unacked: number;
  readonly lastCheckpoint: CheckpointInfo | undefined;
  /** Non-fatal `error` replies from the sink. */
  readonly warnings: readonly SinkWarning[];
  /** Queues one RTP packet; it goes out in the next frame (full batch, `flush`, or any control message). */
  sendPacket(packet: Uint8Array): void;
  flush(): void;
  paused(positionMs: number): void;
  resumed(positionMs: number): void;
  announcement(
    kind: (typeof ANNOUNCEMENT_KINDS)[number],
    positionMs: number,
    sound?: 'announcement' | 'beep',
  ): void;
  tone(index: number, positionMs: number): void;
  discarded(positionMs: number, reason?: string): void;
  reportError(code: string, message: string, positionMs: number): void;
  /** Resolves when everything queued so far is durably stored (ping → checkpoint + pong). */
  drain(): Promise<CheckpointInfo>;
  /** Sends `close`, waits for `closed`, closes the socket. */
  close(positionMs: number, reason?: 'end' | 'stopped' | 'failure'): Promise<void>;
  /** Opens the same recording on a new connection (optionally another URL) and resends the journal. */
  reconnect(url?: string): Promise<OpenedInfo>;
  /** Drops the connection abruptly (tests, fault injection); the journal is kept. */
  disconnect(): void;
}

export interface SinkClient {
  openRecording(request: OpenRecordingRequest): Promise<SinkRecording & { readonly opened: OpenedInfo }>;
}

type JournalItem =
  | {
      readonly kind: 'text';
      readonly type: Exclude<ClientMessageType, 'open' | 'ping'>;
      readonly positionMs: number;
      readonly parameters: Record<string, unknown>;
      sentSeq: number;
    }
  | { readonly kind: 'frame'; readonly bytes: Uint8Array; sentFrame: number };

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Maps a fatal sink code to the simulator's error codes. */
export function simCodeOf(code: SinkErrorCode | undefined): SimErrorCode {
  if (code === 'SINK_ERR_DUBPOINT_MISMATCH') return 'SIM_ERR_DUBPOINT_MISMATCH';
  if (
    code === undefined ||
    code === 'SINK_ERR_STORAGE' ||
    code === 'SINK_ERR_SHUTDOWN' ||
    code === 'SINK_ERR_SUPERSEDED'
  ) {
    return 'SIM_ERR_SINK_UNAVAILABLE';
  }
  if (code.startsWith('SINK_ERR_AUTH')) return 'SIM_ERR_SINK_AUTH';
  return 'SIM_ERR_SINK_PROTOCOL';
}

/** The `open` message's parameters for a recording (shared by the single and the multiplexed client). */
export function openParametersOf(request: OpenRecordingRequest) {
  return {
    orgId: request.orgId,
    userId: request.userId,
    dubPoint: request.dubPoint,
    direction: request.direction,
    remote: request.remote,
    media: {
      format: request.format,
      rate: 8000,
      streams: [
        { ssrc: request.ssrcs.user, label: STREAM_LABELS.user },
        { ssrc: request.ssrcs.remote, label: STREAM_LABELS.remote },
      ],
    },
  };
}

export function createSinkClient(options: SinkClientOptions): SinkClient {
  return { openRecording: (request) => openRecording(options, request) };
}

async function openRecording(
  options: SinkClientOptions,
  request: OpenRecordingRequest,
): Promise<SinkRecording & { readonly opened: OpenedInfo }> {
  const recordingId = request.recordingId ?? randomUUID();
  const maxBatchPackets = options.maxBatchPackets ?? 8;
  const maxFrameBytes = options.maxFrameBytes ?? 60 * 1024;
  let url = options.url;
  let ws: WebSocket | undefined;
  let opened = false;
  let clientSeq = 0;
  let framesSent = 0;
  let journal: JournalItem[] = [];
  let journalHead = 0;
  let batch: Uint8Array[] = [];
  let lastCheckpoint: CheckpointInfo | undefined;
  let closeQueued = false;
  let fatal:
    | { code: SinkErrorCode | undefined; message: string; details?: Record<string, unknown> }
    | undefined;
  const warnings: SinkWarning[] = [];
  let openWaiter: Waiter<OpenedInfo> | undefined;
  /** Drains waiting for a pong, with the seq of their ping. */
  const pongWaiters: (Waiter<CheckpointInfo> & { seq: number })[] = [];
  const closedWaiters: Waiter<void>[] = [];

  const openParameters = openParametersOf(request);

  const failure = (message: string, details: Record<string, unknown> = {}) =>
    new SimError(simCodeOf(fatal?.code), fatal ? `${fatal.message}` : message, {
      details: { recordingId, ...(fatal ? { sinkCode: fatal.code, ...fatal.details } : {}), ...details },
    });

  const rejectAll = (error: SimError) => {
    openWaiter?.reject(error);
    openWaiter = undefined;
    for (const w of pongWaiters.splice(0)) w.reject(error);
    for (const w of closedWaiters.splice(0)) w.reject(error);
  };

  const sendText = (
    type: ClientMessageType,
    positionMs: number,
    parameters: Record<string, unknown>,
  ): number => {
    clientSeq += 1;
    const message = clientMessage(type, {
      id: recordingId,
      seq: clientSeq,
      positionMs,
      parameters: parameters as ClientMessageOf<typeof type>['parameters'],
    });
    ws?.send(encodeMessage(message));
    return clientSeq;
  };

  const canSend = () => ws !== undefined && ws.readyState === WebSocket.OPEN && opened;

  const sendItem = (item: JournalItem) => {
    if (item.kind === 'text') item.sentSeq = sendText(item.type, item.positionMs, item.parameters);
    else {
      framesSent += 1;
      item.sentFrame = framesSent;
      ws?.send(item.bytes);
    }
  };

  const append = (item: JournalItem) => {
    journal.push(item);
    if (canSend()) sendItem(item);
  };

  const flush = () => {
    if (batch.length === 0) return;
    const bytes = encodeMediaFrame(batch);
    batch = [];
    append({ kind: 'frame', bytes, sentFrame: 0 });
  };

  const control = (
    type: Exclude<ClientMessageType, 'open' | 'ping'>,
    positionMs: number,
    parameters: Record<string, unknown>,
  ) => {
    flush(); // media before the control message stays before it
    append({ kind: 'text', type, positionMs, parameters, sentSeq: 0 });
  };

  const acknowledge = (seq: number, frames: number) => {
    while (journalHead < journal.length) {
      const item = journal[journalHead] as JournalItem;
      const acked =
        item.kind === 'text'
          ? item.sentSeq > 0 && item.sentSeq <= seq
          : item.sentFrame > 0 && item.sentFrame <= frames;
      if (!acked) break;
      journalHead += 1;
    }
    if (journalHead > 1024 && journalHead * 2 > journal.length) {
      journal = journal.slice(journalHead);
      journalHead = 0;
    }
  };

  const onServerMessage = (message: ServerMessage) => {
    switch (message.type) {
      case 'opened': {
        opened = true;
        const info: OpenedInfo = {
          resumed: message.parameters.resumed,
          state: message.parameters.state,
          packetsStored: message.parameters.packets,
        };
        // Everything not acknowledged goes again, in order; the sink drops what it already stored.
        for (let i = journalHead; i < journal.length; i++) sendItem(journal[i] as JournalItem);
        openWaiter?.resolve(info);
        openWaiter = undefined;
        return;
      }
      case 'checkpoint':
        lastCheckpoint = {
          clientSeq: message.clientseq,
          frames: message.parameters.frames,
          packetsStored: message.parameters.packets,
          position: message.position,
        };
        acknowledge(message.clientseq, message.parameters.frames);
        return;
      case 'pong': {
        // One commit may answer several pings with one pong: it covers every ping up to its clientseq.
        const info = lastCheckpoint ?? {
          clientSeq: message.clientseq,
          frames: 0,
          packetsStored: 0,
          position: message.position,
        };
        const answered = pongWaiters.filter((w) => w.seq <= message.clientseq);
        if (answered.length === 0) pongWaiters.shift()?.resolve(info);
        for (const w of answered) {
          pongWaiters.splice(pongWaiters.indexOf(w), 1);
          w.resolve(info);
        }
        return;
      }
      case 'closed':
        for (const w of closedWaiters.splice(0)) w.resolve();
        return;
      case 'disconnect':
        fatal = {
          code: isSinkErrorCode(message.parameters.reason) ? message.parameters.reason : undefined,
          message: message.parameters.message,
        };
        return;
      case 'error': {
        const { code, message: text, fatal: isFatal, details } = message.parameters;
        if (isFatal)
          fatal = {
            code: isSinkErrorCode(code) ? code : undefined,
            message: `${code}: ${text}`,
            ...(details ? { details } : {}),
          };
        else warnings.push({ code, message: text });
        return;
      }
    }
  };

  const connect = (): Promise<OpenedInfo> =>
    new Promise<OpenedInfo>((resolve, reject) => {
      fatal = undefined;
      opened = false;
      clientSeq = 0;
      framesSent = 0;
      for (let i = journalHead; i < journal.length; i++) {
        const item = journal[i] as JournalItem;
        if (item.kind === 'text') item.sentSeq = 0;
        else item.sentFrame = 0;
      }
      const socket = openSignedSocket({
        url,
        keyId: options.keyId,
        secret: options.secret,
        nowMs: options.clock.nowMs(),
      });
      ws = socket;
      openWaiter = { resolve, reject };
      onUpgradeRefused(socket, (refusal) => {
        const code = isSinkErrorCode(refusal.code) ? refusal.code : undefined;
        rejectAll(upgradeRefusalError(refusal, { recordingId, status: refusal.status, sinkCode: code }));
      });
      socket.on('open', () => {
        sendText('open', request.positionMs ?? 0, openParameters);
      });
      readServerMessages(socket, {
        message: onServerMessage,
        fault(fault, stage) {
          fatal = { code: fault.code, message: stage === 'seq' ? `Server ${fault.message}` : fault.message };
          socket.close(1002, fault.code);
        },
      });
      socket.on('error', () => {
        // 'close' follows and carries the outcome.
      });
      socket.on('close', (code, reason) => {
        if (ws === socket) {
          opened = false;
          if (fatal === undefined && code === SINK_ERROR_POLICIES.SINK_ERR_FRAME_TOO_LARGE.status) {
            fatal = {
              code: 'SINK_ERR_FRAME_TOO_LARGE',
              message: 'The sink closed the connection: frame too large (1009).',
            };
          }
          rejectAll(
            failure(`The sink connection closed (${code} ${reason.toString()}).`, { closeCode: code }),
          );
        }
      });
    });

  const recording = {
    recordingId,
    get connected() {
      return canSend();
    },
    get unacked() {
      return journal.length - journalHead + (batch.length > 0 ? 1 : 0);
    },
    get lastCheckpoint() {
      return lastCheckpoint;
    },
    warnings,
    sendPacket(packet: Uint8Array) {
      if (batch.length > 0 && mediaFrameBytes(batch) + 2 + packet.length > maxFrameBytes) flush();
      batch.push(packet);
      if (batch.length >= maxBatchPackets) flush();
    },
    flush,
    paused: (positionMs: number) => control('paused', positionMs, {}),
    resumed: (positionMs: number) => control('resumed', positionMs, {}),
    announcement: (
      kind: (typeof ANNOUNCEMENT_KINDS)[number],
      positionMs: number,
      sound: 'announcement' | 'beep' = 'announcement',
    ) => control('announcement', positionMs, { kind, sound }),
    tone: (index: number, positionMs: number) => control('tone', positionMs, { index }),
    discarded: (positionMs: number, reason?: string) =>
      control('discarded', positionMs, reason === undefined ? {} : { reason }),
    reportError: (code: string, message: string, positionMs: number) =>
      control('error', positionMs, { code, message }),
    drain() {
      flush();
      if (!canSend()) return Promise.reject(failure('Not connected to the sink; reconnect first.'));
      return new Promise<CheckpointInfo>((resolve, reject) => {
        pongWaiters.push({ resolve, reject, seq: sendText('ping', 0, {}) });
      });
    },
    async close(positionMs: number, reason: 'end' | 'stopped' | 'failure' = 'end') {
      if (!closeQueued) {
        closeQueued = true;
        control('close', positionMs, { reason });
      } else flush();
      if (!canSend()) throw failure('Not connected to the sink; reconnect to finish closing.');
      await new Promise<void>((resolve, reject) => closedWaiters.push({ resolve, reject }));
      const socket = ws;
      if (socket !== undefined) {
        await new Promise<void>((resolve) => {
          socket.once('close', () => resolve());
          socket.close(1000, 'closed');
        });
      }
    },
    reconnect(nextUrl?: string) {
      if (nextUrl !== undefined) url = nextUrl;
      const old = ws;
      ws = undefined;
      rejectAll(failure('Reconnecting: the previous connection was dropped.'));
      old?.terminate();
      return connect();
    },
    disconnect() {
      ws?.terminate();
    },
  };
  const info = await connect();
  return Object.assign(recording, { opened: info });
}
