/**
 * A multiplexed sink connection: one signed WebSocket carrying many recordings (docs/sink-protocol.md,
 * "Multiplexed connections"). The caller builds the binary frames itself — packets of any recording opened
 * here, each recording's SSRCs declared in its `open` — so a live load of thousands of calls costs one
 * WebSocket message per connection per 20 ms rather than one per call (facts.md: the cost is per message).
 *
 * By default it keeps no journal and never reconnects: it exists to measure the sink, and what a dropped
 * connection did not get stored is counted as lost by its user. With `reconnect` (opt-in) it keeps a bounded
 * journal of what no checkpoint covers and, after an unexpected drop, reconnects with backoff, reopens its
 * recordings and resends the journal ("Reconnecting a multiplexed connection" in the same doc).
 */
import WebSocket from 'ws';
import { SimError } from '../errors.ts';
import type { ClientMessageType, ServerMessage } from '../protocol/messages.ts';
import { clientMessage, encodeMessage } from '../protocol/parse-message.ts';
import { isSinkErrorCode, type SinkErrorCode } from '../protocol/sink-errors.ts';
import type { SimClock, TimerClock } from '../time/clock.ts';
import {
  type CheckpointInfo,
  type OpenedInfo,
  openParametersOf,
  type SinkWarning,
  simCodeOf,
} from './client.ts';
import {
  endedWhileReconnectingError,
  journalFullError,
  notOpenAfterReconnectError,
  reconnectGaveUpError,
} from './mux-errors.ts';
import { createMuxJournal } from './mux-journal.ts';
import { createReconnectAttempts } from './mux-reconnect-attempts.ts';
import {
  type MuxReconnectOptions,
  muxReconnectPolicy,
  reconnectsAfterClose,
  reconnectsAfterFault,
} from './mux-reconnect-policy.ts';
import {
  createMuxRecordings,
  failRecording,
  isLive,
  type MuxOpenRequest,
  rejectWaiters,
} from './mux-recordings.ts';
import { readServerMessages } from './server-message-reader.ts';
import { isAuthRefusal, onUpgradeRefused, openSignedSocket, upgradeRefusalError } from './sink-socket.ts';

export type { MuxReconnectOptions } from './mux-reconnect-policy.ts';
export type { MuxOpenRequest } from './mux-recordings.ts';

interface MuxConnectionTarget {
  /** ws://host:port/v1/stream */
  readonly url: string;
  readonly keyId: string;
  readonly secret: string;
}

export type MuxConnectionOptions = MuxConnectionTarget &
  (
    | {
        /** Signs with `clock.nowMs()`; it must read the sink's timeline (epoch ms for a `callrec sink`). */
        readonly clock: Pick<SimClock, 'nowMs'>;
        readonly reconnect?: undefined;
      }
    | {
        /** Signs with `clock.nowMs()`; its timers wait between reconnect attempts. */
        readonly clock: Pick<SimClock, 'nowMs'> & TimerClock;
        /** Reconnect after an unexpected drop (opt-in); the first connection is never retried. */
        readonly reconnect: MuxReconnectOptions;
      }
  );

export interface MuxConnection {
  /** Opens (or resumes) one recording on this connection. */
  open(request: MuxOpenRequest): Promise<OpenedInfo>;
  /**
   * Sends one binary frame: (2-byte length, RTP packet)… of recordings opened here. With `reconnect` the
   * frame is kept (do not change it afterwards) until a checkpoint covers it, and this throws a
   * SIM_ERR_SINK_UNAVAILABLE SimError, failing the connection, when `maxJournalFrames` are unacknowledged.
   */
  sendFrame(frame: Uint8Array): void;
  /** Resolves once everything sent so far is durable, with the recording's checkpoint. */
  ping(recordingId: string): Promise<CheckpointInfo>;
  /** Ends one recording; resolves with its last checkpoint (packets stored) once `closed` arrives. */
  close(
    recordingId: string,
    positionMs: number,
    reason?: 'end' | 'stopped' | 'failure',
  ): Promise<CheckpointInfo>;
  /** Frames the caller sent (resends not counted). */
  readonly framesSent: number;
  /** Frames the sink has said are durable (latest checkpoint; with `reconnect`, over all connections). */
  readonly durableFrames: number;
  /** Bytes queued in the socket, not yet handed to the kernel. */
  readonly bufferedBytes: number;
  readonly warnings: readonly SinkWarning[];
  /** Reconnects that succeeded (recordings reopened, journal resent). */
  readonly reconnects: number;
  /** The connection dropped and is being reconnected; frames sent meanwhile wait in the journal. */
  readonly reconnecting: boolean;
  /** Frames kept for a resend that no checkpoint covers yet (always 0 without `reconnect`). */
  readonly unackedFrames: number;
  /** Closes the socket normally (after closing the recordings). */
  end(): Promise<void>;
  terminate(): void;
}

/** `reopening`: a new socket is open, its `open`s are sent and the journal waits for their replies. */
type Phase = 'connecting' | 'connected' | 'reconnecting' | 'reopening';

export function connectMux(options: MuxConnectionOptions): Promise<MuxConnection> {
  return new Promise<MuxConnection>((resolveConnect, rejectConnect) => {
    const timers: TimerClock | undefined = options.reconnect === undefined ? undefined : options.clock;
    const policy = options.reconnect === undefined ? undefined : muxReconnectPolicy(options.reconnect);
    const journal = policy === undefined ? undefined : createMuxJournal(policy.maxJournalFrames);
    const recordings = createMuxRecordings();
    const warnings: SinkWarning[] = [];
    let ws: WebSocket;
    let phase: Phase = 'connecting';
    let ended = false;
    let failure: SimError | undefined;
    let clientSeq = 0;
    let framesOnSocket = 0;
    let framesSent = 0;
    let checkpointFrames = 0;
    let reconnects = 0;
    /** A connection-wide `disconnect`/`error` on the current socket worth a reconnect; the close follows. */
    let socketFault: SimError | undefined;
    /** Why the connection dropped, for the error when reconnecting gives up. */
    let dropError: SimError | undefined;
    /** Why the current reconnect attempt failed, when the sink said (a refused upgrade). */
    let attemptError: SimError | undefined;
    let lastAttemptError: SimError | undefined;
    const awaitingReopen = new Set<string>();

    const failAll = (error: SimError) => {
      failure ??= error;
      attempts?.cancel();
      for (const rec of recordings.all()) rejectWaiters(rec, failure);
    };

    const sendTextNow = (type: ClientMessageType, id: string, positionMs: number, parameters: object) => {
      clientSeq += 1;
      ws.send(
        encodeMessage(
          clientMessage(type, { id, seq: clientSeq, positionMs, parameters: parameters as never }),
        ),
      );
      return clientSeq;
    };
    const sendFrameNow = (frame: Uint8Array) => {
      framesOnSocket += 1;
      ws.send(frame);
      return framesOnSocket;
    };
    const sendOpen = (request: MuxOpenRequest) =>
      sendTextNow('open', request.recordingId, request.positionMs ?? 0, {
        ...openParametersOf(request),
        multiplex: true,
      });

    // --- reconnecting -------------------------------------------------------------------------------

    const attempts =
      policy === undefined || timers === undefined
        ? undefined
        : createReconnectAttempts(policy, timers, {
            attempt: () => {
              if (!ended && failure === undefined) openSocket();
            },
            giveUp: () =>
              failAll(
                reconnectGaveUpError({
                  url: options.url,
                  attempts: policy.maxReconnects,
                  unackedFrames: journal?.unackedFrames ?? 0,
                  dropCause: dropError,
                  lastAttemptCause: lastAttemptError,
                }),
              ),
          });

    const startReconnect = (cause: SimError) => {
      phase = 'reconnecting';
      dropError = cause;
      awaitingReopen.clear();
      journal?.forgetSent();
      attempts?.next();
    };

    /** The new socket is open: reopen every recording still open here, then wait for the replies. */
    const reopen = () => {
      phase = 'reopening';
      for (const rec of recordings.all()) {
        if (!isLive(rec)) continue;
        awaitingReopen.add(rec.id);
        sendOpen(rec.request);
      }
      if (awaitingReopen.size === 0) finishReopen();
    };

    /** Every reopen answered: resend the journal in order, then the pings still waiting for a pong. */
    const finishReopen = () => {
      phase = 'connected';
      attempts?.succeeded();
      reconnects += 1;
      // Frames of recordings that are all closed or gone would meet a connection with nothing open, which
      // the sink refuses (SINK_ERR_NOT_OPEN); what their closes covered is stored already.
      if (![...recordings.all()].some(isLive)) journal?.dropFrames();
      journal?.resend({
        frame: sendFrameNow,
        text: (t) => sendTextNow(t.type, t.id, t.positionMs, t.parameters),
        keep: (t) => isLive(recordings.get(t.id)),
      });
      for (const rec of recordings.all()) {
        if (!isLive(rec)) {
          if (rec.pings.length > 0 || rec.close !== undefined)
            rejectWaiters(rec, notOpenAfterReconnectError(rec));
          continue;
        }
        for (const ping of rec.pings) ping.seq = sendTextNow('ping', rec.id, 0, {});
      }
    };

    const reopenAnswered = (id: string) => {
      if (!awaitingReopen.delete(id)) return;
      if (phase === 'reopening' && awaitingReopen.size === 0) finishReopen();
    };

    // --- the socket ---------------------------------------------------------------------------------

    /** A connection-wide `disconnect` or fatal `error`: with reconnect on, some are worth another try. */
    const connectionFault = (code: SinkErrorCode | undefined, error: SimError) => {
      if (policy !== undefined && !ended && reconnectsAfterFault(code)) {
        socketFault = error; // the close follows, and the reconnect with it
        return;
      }
      failAll(error);
    };

    const onServerMessage = (message: ServerMessage) => {
      const rec = message.id === '' ? undefined : recordings.get(message.id);
      switch (message.type) {
        case 'opened':
          if (rec === undefined) return;
          if (rec.status === 'opening') rec.status = 'open';
          rec.open?.resolve({
            resumed: message.parameters.resumed,
            state: message.parameters.state,
            packetsStored: message.parameters.packets,
          });
          rec.open = undefined;
          reopenAnswered(rec.id);
          return;
        case 'checkpoint': {
          checkpointFrames = Math.max(checkpointFrames, message.parameters.frames);
          journal?.acknowledge(message.clientseq, message.parameters.frames);
          if (rec) {
            rec.last = {
              clientSeq: message.clientseq,
              frames: message.parameters.frames,
              packetsStored: message.parameters.packets,
              position: message.position,
            };
          }
          return;
        }
        case 'pong': {
          // One commit may answer several pings with one pong: it covers every ping sent up to its clientseq.
          const last = rec?.last;
          if (rec === undefined || last === undefined) return;
          const answered = rec.pings.filter((p) => p.seq > 0 && p.seq <= message.clientseq);
          if (answered.length === 0) rec.pings.shift()?.resolve(last);
          rec.pings = rec.pings.filter((p) => !answered.includes(p));
          for (const p of answered) p.resolve(last);
          return;
        }
        case 'closed':
          if (rec?.close && rec.last) rec.close.resolve(rec.last);
          if (rec) {
            rec.close = undefined;
            rec.status = 'closed';
          }
          return;
        case 'disconnect': {
          const code = isSinkErrorCode(message.parameters.reason) ? message.parameters.reason : undefined;
          const error = new SimError(simCodeOf(code), message.parameters.message, {
            details: { recordingId: message.id, sinkCode: code },
          });
          if (rec === undefined) return connectionFault(code, error);
          failRecording(rec, error);
          reopenAnswered(rec.id);
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
          if (rec === undefined) return connectionFault(sinkCode, error);
          failRecording(rec, error);
          reopenAnswered(rec.id);
          return;
        }
      }
    };

    const onClose = (code: number, reason: string) => {
      const error = new SimError(
        'SIM_ERR_SINK_UNAVAILABLE',
        `The sink connection closed (${code} ${reason}).`,
        { details: { closeCode: code } },
      );
      if (phase === 'connecting') {
        failAll(error);
        rejectConnect(error);
        return;
      }
      if (phase === 'reconnecting') {
        // This attempt never opened.
        lastAttemptError = attemptError ?? error;
        attemptError = undefined;
        if (!ended && failure === undefined) attempts?.next();
        return;
      }
      if (policy !== undefined && !ended && failure === undefined && reconnectsAfterClose(code)) {
        return startReconnect(socketFault ?? error);
      }
      failAll(socketFault ?? error);
    };

    function openSocket(): void {
      const socket = openSignedSocket({
        url: options.url,
        keyId: options.keyId,
        secret: options.secret,
        nowMs: options.clock.nowMs(),
        extra: {
          // An all-zero mask: ws then skips XOR-ing every payload byte on both ends (35 MB/s at 2,000 calls,
          // in JavaScript on Node 20 without bufferutil). Masking guards against proxy cache poisoning
          // (RFC 6455 §10.3); this client talks to its own sink over loopback.
          generateMask: (mask: Buffer) => void mask.fill(0),
        },
      });
      ws = socket;
      socketFault = undefined;
      clientSeq = 0;
      framesOnSocket = 0;
      onUpgradeRefused(socket, (refusal) => {
        const error = upgradeRefusalError(refusal, { status: refusal.status, sinkCode: refusal.code });
        if (phase === 'connecting') return rejectConnect(error);
        attemptError = error;
        if (isAuthRefusal(refusal)) failAll(error); // a new signature will not be accepted either
      });
      readServerMessages(socket, {
        message: (message) => {
          if (socket === ws) onServerMessage(message);
        },
        fault: (fault) => {
          failAll(new SimError('SIM_ERR_SINK_PROTOCOL', `Bad message from the sink: ${fault.message}`));
          socket.close(1002, 'SINK_ERR_INVALID_MESSAGE');
        },
      });
      socket.on('error', () => {
        // 'close' follows and carries the outcome.
      });
      socket.on('close', (code, reason) => {
        if (socket === ws) onClose(code, String(reason));
      });
      socket.on('open', () => {
        if (socket !== ws) return;
        if (phase === 'connecting') {
          phase = 'connected';
          resolveConnect(connection);
        } else reopen();
      });
    }

    const stopReconnecting = (how: 'ended' | 'terminated') => {
      if (phase === 'reconnecting' || phase === 'reopening')
        failAll(endedWhileReconnectingError(how, journal?.unackedFrames ?? 0));
    };

    const connection: MuxConnection = {
      open(request) {
        const rec = recordings.of(request.recordingId);
        rec.request = request;
        rec.status = 'opening';
        return new Promise<OpenedInfo>((resolve, reject) => {
          rec.open = { resolve, reject };
          if (failure !== undefined) throw failure;
          if (phase === 'connected' || phase === 'reopening') sendOpen(request);
        });
      },
      sendFrame(frame) {
        if (journal === undefined) {
          if (failure !== undefined || ws.readyState !== WebSocket.OPEN) return;
          framesSent += 1;
          sendFrameNow(frame);
          return;
        }
        if (failure !== undefined || ended) return;
        if (journal.isFull) {
          const error = journalFullError({
            maxJournalFrames: journal.maxJournalFrames,
            durableFrames: journal.durableFrames,
            framesSent,
            reconnecting:
              phase === 'connected' || policy === undefined
                ? undefined
                : { attempt: attempts?.made ?? 0, maxReconnects: policy.maxReconnects },
          });
          failAll(error);
          if (ws.readyState === WebSocket.OPEN) ws.close(1001, 'client journal full');
          else ws.terminate();
          throw error;
        }
        framesSent += 1;
        const now = phase === 'connected' && ws.readyState === WebSocket.OPEN;
        journal.addFrame(frame, now ? sendFrameNow(frame) : 0);
      },
      ping(recordingId) {
        const rec = recordings.of(recordingId);
        return new Promise<CheckpointInfo>((resolve, reject) => {
          const ping = { resolve, reject, seq: 0 };
          rec.pings.push(ping);
          if (failure !== undefined) throw failure;
          if (phase === 'connected') ping.seq = sendTextNow('ping', recordingId, 0, {});
        });
      },
      close(recordingId, positionMs, reason = 'end') {
        const rec = recordings.of(recordingId);
        return new Promise<CheckpointInfo>((resolve, reject) => {
          rec.close = { resolve, reject };
          if (failure !== undefined) throw failure;
          const seq = phase === 'connected' ? sendTextNow('close', recordingId, positionMs, { reason }) : 0;
          journal?.addText({ id: recordingId, type: 'close', positionMs, parameters: { reason } }, seq);
        });
      },
      get framesSent() {
        return framesSent;
      },
      get durableFrames() {
        return journal === undefined ? checkpointFrames : journal.durableFrames;
      },
      get bufferedBytes() {
        return ws.bufferedAmount;
      },
      warnings,
      get reconnects() {
        return reconnects;
      },
      get reconnecting() {
        return phase === 'reconnecting' || phase === 'reopening';
      },
      get unackedFrames() {
        return journal?.unackedFrames ?? 0;
      },
      end() {
        ended = true;
        stopReconnecting('ended');
        if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
        return new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close(1000, 'done');
        });
      },
      terminate() {
        ended = true;
        stopReconnecting('terminated');
        ws.terminate();
      },
    };

    openSocket();
  });
}
