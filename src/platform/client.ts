/**
 * The one-recording sink client: one recording per connection, signed upgrade, batched media frames,
 * control messages at caller-given (virtual) positions. A facade over the recording connection
 * (connection.ts) opened without `multiplex`, which keeps the journal of everything no checkpoint covers
 * and, on `reconnect()`, opens the same recording id again and resends it; the server drops what it
 * already has, so nothing is lost or duplicated. Used by the scenario runner and its live runs.
 */
import { randomUUID } from 'node:crypto';
import { isSimError, SimError } from '../errors.ts';
import { encodeMediaFrame, mediaFrameBytes } from '../protocol/media-frame.ts';
import type { ANNOUNCEMENT_KINDS } from '../protocol/messages.ts';
import type { SimClock } from '../time/clock.ts';
import { openRecordingConnection, type RecordingConnection } from './connection.ts';
import type { JournalText } from './journal.ts';
import type { CheckpointInfo, OpenedInfo, OpenRecordingRequest, SinkWarning } from './recording-types.ts';

export {
  type CheckpointInfo,
  type OpenedInfo,
  type OpenRecordingRequest,
  openParametersOf,
  type SinkWarning,
  simCodeOf,
} from './recording-types.ts';

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
  let connection: RecordingConnection;
  try {
    connection = await openRecordingConnection({
      url: options.url,
      keyId: options.keyId,
      secret: options.secret,
      clock: options.clock,
      multiplex: false,
      reconnect: 'manual',
      zeroMask: false,
    });
  } catch (error) {
    throw isSimError(error)
      ? new SimError(error.code, error.message, { details: { recordingId, ...error.details } })
      : error;
  }
  const conn = connection;
  let batch: Uint8Array[] = [];
  let closeQueued = false;

  const flush = () => {
    if (batch.length === 0) return;
    const bytes = encodeMediaFrame(batch);
    batch = [];
    conn.sendFrame(bytes);
  };

  const control = (type: JournalText['type'], positionMs: number, parameters: JournalText['parameters']) => {
    flush(); // media before the control message stays before it
    conn.send(recordingId, type, positionMs, parameters);
  };

  const recording = {
    recordingId,
    get connected() {
      return conn.connected;
    },
    get unacked() {
      return conn.unacked + (batch.length > 0 ? 1 : 0);
    },
    get lastCheckpoint() {
      return conn.lastCheckpointOf(recordingId);
    },
    warnings: conn.warnings,
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
      if (!conn.connected)
        return Promise.reject(conn.notConnected('Not connected to the sink; reconnect first.'));
      return conn.ping(recordingId);
    },
    async close(positionMs: number, reason: 'end' | 'stopped' | 'failure' = 'end') {
      if (!closeQueued) {
        closeQueued = true;
        control('close', positionMs, { reason });
      } else flush();
      if (!conn.connected) throw conn.notConnected('Not connected to the sink; reconnect to finish closing.');
      await conn.awaitClosed(recordingId);
      await conn.end('closed');
    },
    async reconnect(nextUrl?: string) {
      await conn.reconnect(nextUrl);
      return conn.openedOf(recordingId) as OpenedInfo;
    },
    disconnect() {
      conn.drop();
    },
  };
  const opened = await conn.open({ ...request, recordingId });
  return Object.assign(recording, { opened });
}
