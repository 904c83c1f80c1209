/**
 * The recording client: one signed WebSocket to the sink carrying one recording or, multiplexed, many
 * (docs/sink-protocol.md, "Multiplexed connections"), with one journal of what no checkpoint covers yet and
 * one reconnect (machines/reconnect-machine.ts, on the caller's clock). The caller builds the binary frames
 * itself — packets of any recording opened here, each recording's SSRCs declared in its `open` — so a live
 * load of thousands of calls costs one WebSocket message per connection per 20 ms rather than one per call.
 *
 * `connectMux` is the multiplexed connection: by default it keeps no journal and never reconnects (it exists
 * to measure the sink, and what a dropped connection did not get stored is counted as lost by its user);
 * with `reconnect` it keeps a bounded journal and, after an unexpected drop, reconnects with backoff,
 * reopens its recordings and resends the journal. The one-recording client (client.ts) is a facade over a
 * connection opened without `multiplex`, whose journal keeps everything and which reconnects when asked.
 */
import WebSocket from 'ws';
import { createActor } from 'xstate';
import { type ReconnectEvent, reconnectMachine } from '../../machines/reconnect-machine.ts';
import { SimError } from '../errors.ts';
import type { ClientMessageType, ServerMessage } from '../protocol/messages.ts';
import { clientMessage, encodeMessage } from '../protocol/parse-message.ts';
import { isSinkErrorCode, SINK_ERROR_POLICIES } from '../protocol/sink-errors.ts';
import type { TimerClock } from '../time/clock.ts';
import type {
  MuxConnection,
  MuxConnectionOptions,
  RecordingConnection,
  RecordingConnectionOptions,
} from './connection-api.ts';
import {
  endedWhileReconnectingError,
  journalFullError,
  notOpenAfterReconnectError,
  reconnectGaveUpError,
} from './connection-errors.ts';
import { type Fault, FRAME_TOO_LARGE_FAULT, faultError } from './connection-faults.ts';
import { createJournal } from './journal.ts';
import {
  machinePolicyOf,
  muxReconnectPolicy,
  reconnectsAfterClose,
  reconnectsAfterFault,
} from './reconnect-policy.ts';
import {
  type CheckpointInfo,
  type OpenedInfo,
  openParametersOf,
  type SinkWarning,
} from './recording-types.ts';
import {
  createMuxRecordings,
  failRecording,
  isLive,
  type MuxOpenRequest,
  type MuxRecording,
  rejectWaiters,
} from './recordings.ts';
import { readServerMessages } from './server-message-reader.ts';
import { isAuthRefusal, onUpgradeRefused, openSignedSocket, upgradeRefusalError } from './sink-socket.ts';

export type {
  MuxConnection,
  MuxConnectionOptions,
  RecordingConnection,
  RecordingConnectionOptions,
} from './connection-api.ts';
export type { MuxReconnectOptions } from './reconnect-policy.ts';
export type { MuxOpenRequest } from './recordings.ts';

/** `attempting`: a reconnect's socket is opening; `reopening`: it is open, its `open`s wait for replies. */
type Phase = 'connecting' | 'connected' | 'down' | 'attempting' | 'reopening';

export function connectMux(options: MuxConnectionOptions): Promise<MuxConnection> {
  return openRecordingConnection({
    url: options.url,
    keyId: options.keyId,
    secret: options.secret,
    clock: options.clock,
    multiplex: true,
    reconnect: options.reconnect === undefined ? 'off' : muxReconnectPolicy(options.reconnect),
    zeroMask: true,
  });
}

export function openRecordingConnection(options: RecordingConnectionOptions): Promise<RecordingConnection> {
  return new Promise<RecordingConnection>((resolveConnect, rejectConnect) => {
    const policy = options.reconnect === 'off' ? undefined : options.reconnect;
    const automatic = policy !== undefined && policy !== 'manual' ? policy : undefined;
    const journal =
      policy === undefined
        ? undefined
        : createJournal(policy === 'manual' ? Number.POSITIVE_INFINITY : policy.maxJournalFrames);
    const recordings = createMuxRecordings();
    const warnings: SinkWarning[] = [];
    let url = options.url;
    let ws: WebSocket;
    let phase: Phase = 'connecting';
    let ended = false;
    let failure: SimError | undefined;
    let clientSeq = 0;
    let framesOnSocket = 0;
    let framesSent = 0;
    let checkpointFrames = 0;
    /** A fatal `error` or `disconnect` on the current socket; the close follows and carries it. */
    let socketFault: Fault | undefined;
    /** Why the connection dropped, for the error when reconnecting gives up. */
    let dropError: SimError | undefined;
    /** Why the current reconnect attempt failed, when the sink said (a refused upgrade). */
    let attemptError: SimError | undefined;
    let lastAttemptError: SimError | undefined;
    /** A caller's `reconnect()` waiting for its attempt. */
    let manualAttempt: { resolve(): void; reject(error: unknown): void } | undefined;
    const awaitingReopen = new Set<string>();
    /** The recording a one-recording connection carries. */
    let soleId: string | undefined;

    const machine =
      policy === undefined
        ? undefined
        : createActor(reconnectMachine, {
            input: { policy: machinePolicyOf(policy) },
            ...(automatic !== undefined ? { clock: options.clock as TimerClock } : {}),
          });

    /** Tells the machine; once it has stopped or given up there is nothing left to tell. */
    const tell = (event: ReconnectEvent) => {
      if (machine?.getSnapshot().status === 'active') machine.send(event);
    };

    /** A one-recording connection's errors name its recording. */
    const idDetails = () => (soleId === undefined ? {} : { recordingId: soleId });

    const failAll = (error: SimError) => {
      failure ??= error;
      tell({ type: 'STOP' });
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
      sendTextNow(
        'open',
        request.recordingId,
        request.positionMs ?? 0,
        options.multiplex ? { ...openParametersOf(request), multiplex: true } : openParametersOf(request),
      );
    const socketOpen = () => ws.readyState === WebSocket.OPEN;

    // --- reconnecting (the machine decides when; these are its effects) ------------------------------

    machine?.on('connect', () => {
      if (!ended && failure === undefined) openSocket();
    });
    machine?.on('give-up', () =>
      failAll(
        reconnectGaveUpError({
          url,
          attempts: automatic?.maxReconnects ?? 0,
          unackedFrames: journal?.unackedFrames ?? 0,
          dropCause: dropError,
          lastAttemptCause: lastAttemptError,
        }),
      ),
    );
    /** Every reopen answered: resend the journal in order, then the pings still waiting for a pong. */
    machine?.on('resume', () => {
      phase = 'connected';
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
      manualAttempt?.resolve();
      manualAttempt = undefined;
    });
    machine?.start();

    /** The connection is gone: nothing journalled is on the next one yet, and no reopen is awaited. */
    const goDown = () => {
      phase = 'down';
      awaitingReopen.clear();
      journal?.forgetSent();
    };

    /** The new socket is open: reopen every recording still open here, then wait for the replies. */
    const reopen = () => {
      phase = 'reopening';
      for (const rec of recordings.all()) {
        if (!isLive(rec)) continue;
        awaitingReopen.add(rec.id);
        sendOpen(rec.request);
      }
      if (awaitingReopen.size === 0) tell({ type: 'CONNECTED' });
    };

    const reopenAnswered = (id: string) => {
      if (!awaitingReopen.delete(id)) return;
      if (phase === 'reopening' && awaitingReopen.size === 0) tell({ type: 'CONNECTED' });
    };

    // --- the socket ---------------------------------------------------------------------------------

    /**
     * A `disconnect` or fatal `error`. A one-recording connection keeps it: the sink closes the connection,
     * and the close fails what waits. On a multiplexed one it ends the recording it names; one without an
     * id ends the connection, unless it is worth a reconnect (shutdown, failed commit).
     */
    const onFault = (rec: MuxRecording | undefined, fault: Fault) => {
      if (!options.multiplex) {
        socketFault = fault;
        return;
      }
      const error = faultError(fault, fault.message, { recordingId: rec?.id ?? '' });
      if (rec !== undefined) {
        failRecording(rec, error);
        reopenAnswered(rec.id);
        return;
      }
      if (automatic !== undefined && !ended && reconnectsAfterFault(fault.code)) {
        socketFault = { ...fault, details: { recordingId: '', ...fault.details } }; // the close follows, and the reconnect
        return;
      }
      failAll(error);
    };

    const onServerMessage = (message: ServerMessage) => {
      const rec = options.multiplex
        ? message.id === ''
          ? undefined
          : recordings.get(message.id)
        : soleId === undefined
          ? undefined
          : recordings.get(soleId);
      switch (message.type) {
        case 'opened': {
          if (rec === undefined) return;
          if (rec.status === 'opening') rec.status = 'open';
          const info: OpenedInfo = {
            resumed: message.parameters.resumed,
            state: message.parameters.state,
            packetsStored: message.parameters.packets,
          };
          rec.opened = info;
          rec.open?.resolve(info);
          rec.open = undefined;
          reopenAnswered(rec.id);
          return;
        }
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
          if (rec === undefined) return;
          const last = rec.last ?? emptyCheckpoint(message);
          const answered = rec.pings.filter((p) => p.seq > 0 && p.seq <= message.clientseq);
          if (answered.length === 0) rec.pings.shift()?.resolve(last);
          rec.pings = rec.pings.filter((p) => !answered.includes(p));
          for (const p of answered) p.resolve(last);
          return;
        }
        case 'closed':
          if (rec === undefined) return;
          rec.close?.resolve(rec.last ?? emptyCheckpoint(message));
          rec.close = undefined;
          rec.status = 'closed';
          return;
        case 'disconnect': {
          const code = isSinkErrorCode(message.parameters.reason) ? message.parameters.reason : undefined;
          return onFault(rec, { code, message: message.parameters.message });
        }
        case 'error': {
          const { code, message: text, fatal, details } = message.parameters;
          if (!fatal) {
            warnings.push({ code, message: text });
            return;
          }
          const sinkCode = isSinkErrorCode(code) ? code : undefined;
          return onFault(rec, {
            code: sinkCode,
            message: `${code}: ${text}`,
            ...(details ? { details } : {}),
          });
        }
      }
    };

    const closeError = (code: number, reason: string): SimError => {
      if (
        !options.multiplex &&
        socketFault === undefined &&
        code === SINK_ERROR_POLICIES.SINK_ERR_FRAME_TOO_LARGE.status
      )
        socketFault = FRAME_TOO_LARGE_FAULT;
      return faultError(socketFault, `The sink connection closed (${code} ${reason}).`, idDetails(), {
        closeCode: code,
      });
    };

    const onClose = (code: number, reason: string) => {
      const error = closeError(code, reason);
      if (phase === 'connecting') {
        failAll(error);
        rejectConnect(error);
        return;
      }
      if (policy === 'manual') {
        // The caller reconnects when it wants to; what waits on this connection fails now.
        for (const rec of recordings.all()) rejectWaiters(rec, error);
        const attempt = phase === 'attempting' || phase === 'reopening';
        goDown();
        manualAttempt?.reject(attemptError ?? error);
        manualAttempt = undefined;
        attemptError = undefined;
        tell({ type: attempt ? 'ATTEMPT_FAILED' : 'DROPPED' });
        return;
      }
      if (phase === 'attempting') {
        // This attempt never opened.
        lastAttemptError = attemptError ?? error;
        attemptError = undefined;
        goDown();
        if (!ended && failure === undefined) tell({ type: 'ATTEMPT_FAILED' });
        return;
      }
      if (automatic !== undefined && !ended && failure === undefined && reconnectsAfterClose(code)) {
        dropError = error;
        const attempt = phase === 'reopening';
        goDown();
        tell({ type: attempt ? 'ATTEMPT_FAILED' : 'DROPPED' });
        return;
      }
      failAll(error);
    };

    function openSocket(): void {
      const socket = openSignedSocket({
        url,
        keyId: options.keyId,
        secret: options.secret,
        nowMs: options.clock.nowMs(),
        ...(options.zeroMask ? { extra: { generateMask: (mask: Buffer) => void mask.fill(0) } } : {}),
      });
      ws = socket;
      socketFault = undefined;
      clientSeq = 0;
      framesOnSocket = 0;
      if (phase === 'down') phase = 'attempting';
      onUpgradeRefused(socket, (refusal) => {
        const code = isSinkErrorCode(refusal.code) ? refusal.code : undefined;
        const error = upgradeRefusalError(refusal, {
          ...(soleId === undefined ? {} : { recordingId: soleId }),
          status: refusal.status,
          sinkCode: options.multiplex ? refusal.code : code,
        });
        if (phase === 'connecting') return rejectConnect(error);
        attemptError = error;
        if (automatic !== undefined && isAuthRefusal(refusal)) failAll(error); // a new signature fails too
      });
      readServerMessages(socket, {
        message: (message) => {
          if (socket === ws) onServerMessage(message);
        },
        fault: (fault, stage) => {
          if (socket !== ws) return;
          if (options.multiplex) {
            failAll(new SimError('SIM_ERR_SINK_PROTOCOL', `Bad message from the sink: ${fault.message}`));
            socket.close(1002, 'SINK_ERR_INVALID_MESSAGE');
            return;
          }
          socketFault = {
            code: fault.code,
            message: stage === 'seq' ? `Server ${fault.message}` : fault.message,
          };
          socket.close(1002, fault.code);
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
      if (automatic !== undefined && phase !== 'connected' && phase !== 'connecting')
        failAll(endedWhileReconnectingError(how, journal?.unackedFrames ?? 0));
      // A caller that reconnects by hand may still do so after ending (the one-recording client's rule).
      if (policy !== 'manual') tell({ type: 'STOP' });
    };

    const recordingOf = (id: string) => {
      if (!options.multiplex) soleId ??= id;
      return recordings.of(id);
    };

    const connection: RecordingConnection = {
      open(request) {
        const rec = recordingOf(request.recordingId);
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
          if (failure !== undefined || !socketOpen()) return;
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
              phase === 'connected' || automatic === undefined
                ? undefined
                : {
                    attempt: machine?.getSnapshot().context.attempt ?? 0,
                    maxReconnects: automatic.maxReconnects,
                  },
          });
          failAll(error);
          if (socketOpen()) ws.close(1001, 'client journal full');
          else ws.terminate();
          throw error;
        }
        framesSent += 1;
        journal.addFrame(frame, phase === 'connected' && socketOpen() ? sendFrameNow(frame) : 0);
      },
      send(id, type, positionMs, parameters) {
        if (failure !== undefined) return;
        const seq = phase === 'connected' && socketOpen() ? sendTextNow(type, id, positionMs, parameters) : 0;
        journal?.addText({ id, type, positionMs, parameters }, seq);
      },
      ping(recordingId) {
        const rec = recordingOf(recordingId);
        return new Promise<CheckpointInfo>((resolve, reject) => {
          const ping = { resolve, reject, seq: 0 };
          rec.pings.push(ping);
          if (failure !== undefined) throw failure;
          if (phase === 'connected') ping.seq = sendTextNow('ping', recordingId, 0, {});
        });
      },
      close(recordingId, positionMs, reason = 'end') {
        const closed = connection.awaitClosed(recordingId);
        if (failure === undefined) connection.send(recordingId, 'close', positionMs, { reason });
        return closed;
      },
      awaitClosed(recordingId) {
        const rec = recordingOf(recordingId);
        return new Promise<CheckpointInfo>((resolve, reject) => {
          rec.close = { resolve, reject };
          if (failure !== undefined) throw failure;
        });
      },
      lastCheckpointOf: (id) => recordings.get(id)?.last,
      openedOf: (id) => recordings.get(id)?.opened,
      get connected() {
        return phase === 'connected' && socketOpen();
      },
      get unacked() {
        return journal?.unacked ?? 0;
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
        return machine?.getSnapshot().context.reconnects ?? 0;
      },
      get reconnecting() {
        return automatic !== undefined && phase !== 'connected' && phase !== 'connecting';
      },
      get unackedFrames() {
        return journal?.unackedFrames ?? 0;
      },
      reconnect(nextUrl) {
        if (nextUrl !== undefined) url = nextUrl;
        ended = false;
        const old = ws;
        const error = connection.notConnected('Reconnecting: the previous connection was dropped.');
        for (const rec of recordings.all()) rejectWaiters(rec, error);
        manualAttempt?.reject(error);
        goDown();
        return new Promise<void>((resolve, reject) => {
          manualAttempt = { resolve, reject };
          tell({ type: 'RECONNECT' }); // → `connect`: a new socket replaces the old one
          old.terminate();
        });
      },
      drop() {
        ws.terminate();
      },
      notConnected(message, details = {}) {
        return faultError(socketFault, message, { ...idDetails(), ...details });
      },
      end(reason = 'done') {
        ended = true;
        stopReconnecting('ended');
        if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
        return new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close(1000, reason);
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

function emptyCheckpoint(message: ServerMessage): CheckpointInfo {
  return { clientSeq: message.clientseq, frames: 0, packetsStored: 0, position: message.position };
}
