/**
 * The ingest core: one client connection's recordings, free of any transport. A transport feeds it
 * decoded client messages in order and RTP packets grouped in frames (`IngestInput`); it validates each
 * against the connection's state, queues the storage writes they imply and answers through
 * `IngestOutput`. The WebSocket session (session.ts) is one such transport; a SIP/RTP one drives the
 * same input without changing anything here.
 *
 * Its parts are small and pure where they can be: recording control (recording-control.ts: state +
 * message → next state, write, reply or refusal), packet routing by SSRC (packet-routing.ts), commit
 * scheduling and what a checkpoint may promise (commit-schedule.ts), replies and errors (replies.ts),
 * the checks of an `open` (session-open.ts) and the writes (recording-writes.ts).
 *
 * Writes are applied later by the server's group commit (`applyPending` inside one transaction for many
 * connections), after which `afterCommit` sends the checkpoints, pongs and `closed` replies that promise
 * durability.
 *
 * A connection carries one recording, or — when its first `open` says `multiplex: true` — any number of
 * recordings with distinct ids, whose packets share the frames and are routed by SSRC
 * (docs/sink-protocol.md, "Multiplexed connections").
 */

import { messageOf } from '../../errors.ts';
import type { SinkKey } from '../../protocol/auth-signature.ts';
import type {
  ClientMessage,
  ServerMessage,
  ServerMessageOf,
  ServerMessageType,
} from '../../protocol/messages.ts';
import { newRtpHeaderScratch, readRtpHeader } from '../../protocol/rtp-header.ts';
import { extendSequence } from '../../protocol/rtp-sequence.ts';
import { SINK_ERROR_POLICIES, type SinkFault, sinkFault } from '../../protocol/sink-errors.ts';
import type { SimClock } from '../../time/clock.ts';
import type { SinkLimits } from '../limits.ts';
import type { SinkStore } from '../store/store.ts';
import { createCommitSchedule, createDurabilityMarks } from './commit-schedule.ts';
import { accumulate } from './media-accumulator.ts';
import { createPacketRouter } from './packet-routing.ts';
import { type ControlMessage, controlRecording, isLive } from './recording-control.ts';
import {
  applyGatheredMedia,
  applyPendingOps,
  hasPendingMedia,
  type PendingOp,
  type RecordingRuntime,
  type Segment,
  type StreamRuntime,
  sealMedia,
} from './recording-writes.ts';
import { createReplies, type ReplyTarget } from './replies.ts';
import { decideOpen } from './session-open.ts';

/** What a transport feeds the core. */
export interface IngestInput {
  /** The session ended (fatal error, close, transport gone): the transport stops feeding it. */
  readonly ended: boolean;
  /** The seq of the last client message accepted; the transport checks the next one against it. */
  readonly lastClientSeq: number;
  /** A decoded client message whose seq follows `lastClientSeq`. */
  message(message: ClientMessage, positionMs: number): void;
  /** A message with a valid seq of a type the sink does not know: answered once, otherwise ignored. */
  unknownMessage(seq: number, fault: SinkFault): void;
  /** A fault the transport found (undecodable message, seq gap, malformed frame): fatal. */
  fail(fault: SinkFault): void;
  /** Whether a frame of packets may come now; before any `open` this fails the session. */
  acceptsFrame(): boolean;
  /** A frame of packets starts (checkpoints count frames). */
  beginFrame(): void;
  /** One RTP packet of the frame: `length` bytes of `bytes` from `offset` (copied if stored). */
  packet(bytes: Uint8Array, offset: number, length: number): void;
  /** The frame's packets are all given. */
  endFrame(): void;
  /** The transport went away (with or without `close`). */
  transportClosed(): void;
}

/** Where the core's replies go. */
export interface IngestOutput {
  send(message: ServerMessage): void;
  /** Ends the connection with the fault's documented status. */
  close(code: number, reason: string): void;
}

export interface IngestDeps {
  readonly store: SinkStore;
  readonly clock: SimClock;
  /** The key that authenticated the connection; it limits which org may be recorded. */
  readonly key: SinkKey;
  readonly limits: SinkLimits;
  /** Writes are queued; the server schedules a group commit. */
  readonly requestFlush: () => void;
  /**
   * Commit every connection's queued writes now, including what the connection currently holding
   * the recording stored as `recordingKey` has gathered for it (before a resume reads the store).
   */
  readonly flushNow: (recordingKey: string) => void;
  /** True when no connection of this sink carried the recording (store key) yet (session-open.ts). */
  readonly unseenBySink?: (recordingKey: string) => boolean;
  /** Makes this connection the recording's only live one, ending any older one. */
  readonly claimRecording: (recordingKey: string) => void;
  /** Called once when the session ends (fatal error, close, transport gone). */
  readonly onEnded?: () => void;
  /** Spreads the deferred media commits of many connections over different frames (default 0). */
  readonly commitPhase?: number;
}

/** What the server's group commit and its bookkeeping use. */
export interface IngestCommits {
  /** The first recording opened on this connection. */
  readonly recordingId: string | undefined;
  /** The store keys (recording-key.ts) of every recording this connection carries (one unless multiplexed). */
  recordingIds(): string[];
  readonly multiplexed: boolean;
  hasPending(): boolean;
  /** Writes other than gathered audio are queued (recordings created, paused, closed…). */
  hasQueuedWrites(): boolean;
  /** Applies queued writes (the caller wraps it in a transaction); returns the packets newly stored. */
  applyPending(): number;
  /** Sends what waited for durability. */
  afterCommit(): void;
  /** The group commit failed: the writes are not durable, so the client must resend after reconnecting. */
  failStorage(cause: unknown): void;
  /** Server-initiated end (superseded, shutdown). */
  terminate(fault: SinkFault): void;
  /** Queues the recording's gathered audio for the next commit (another connection is about to resume it). */
  sealRecording(recordingKey: string): void;
  /** A newer connection opened the recording stored as `recordingKey`: a multiplexed one drops just that one. */
  supersede(recordingKey: string): void;
  /** Packets dropped so far (unknown SSRC, bad RTP, audio while paused). */
  readonly packetsDropped: number;
}

export type IngestCore = IngestInput & IngestCommits;

type Phase = 'awaiting-open' | 'open' | 'ended';

const MAX_WARNINGS = 1000;

/** Fault codes that refuse one `open`; on a multiplexed connection they end only that recording. */
const OPEN_REFUSALS = new Set<string>([
  'SINK_ERR_UNSUPPORTED_MEDIA',
  'SINK_ERR_FORBIDDEN_ORG',
  'SINK_ERR_UNKNOWN_USER',
  'SINK_ERR_USER_DISABLED',
  'SINK_ERR_DUBPOINT_MISMATCH',
  'SINK_ERR_RECORDING_CONFLICT',
  'SINK_ERR_TOO_MANY_RECORDINGS',
]);

export function createIngestCore(deps: IngestDeps, output: IngestOutput): IngestCore {
  const { store, limits } = deps;
  let phase: Phase = 'awaiting-open';
  let multiplexed = false;
  /** The first recording: the default id of replies on a one-recording connection. */
  let primary: RecordingRuntime | undefined;
  const recordings = new Map<string, RecordingRuntime>();
  /** The same recordings by store key (the hub names them so). */
  const byKey = new Map<string, RecordingRuntime>();
  const router = createPacketRouter<RecordingRuntime, StreamRuntime>();
  const schedule = createCommitSchedule<RecordingRuntime>({
    mediaCommitFrames: limits.mediaCommitFrames,
    commitPhase: deps.commitPhase ?? 0,
  });
  const marks = createDurabilityMarks(limits.checkpointEveryFrames);
  let lastClientSeq = 0;
  let framesReceived = 0;
  let packetsDropped = 0;
  let pending: PendingOp[] = [];
  /** Recordings owed a reply (checkpoint, pong, closed) by the next commit. */
  const replyDue = new Set<RecordingRuntime>();
  /** Recordings of this connection still active or paused (bounded by maxRecordingsPerConnection). */
  let liveCount = 0;
  let transportOpen = true;
  const warned = new Set<string>();
  const replies = createReplies(
    (message) => output.send(message),
    () => transportOpen,
  );
  const scratch = newRtpHeaderScratch();
  /** Replies owed by the commit in progress (set by applyPending, sent by afterCommit). */
  let replying: { readonly rec: RecordingRuntime; readonly pong: boolean; readonly closed: boolean }[] = [];

  let openTimer: unknown =
    limits.openTimeoutMs > 0
      ? deps.clock.setTimeout(() => {
          if (phase === 'awaiting-open') {
            fail(
              sinkFault('SINK_ERR_OPEN_TIMEOUT', `No open within ${limits.openTimeoutMs} ms of connecting.`),
            );
          }
        }, limits.openTimeoutMs)
      : undefined;
  const clearOpenTimer = () => {
    if (openTimer !== undefined) deps.clock.clearTimeout(openTimer);
    openTimer = undefined;
    startIdleTimer();
  };

  // Idle timeout: messages only note the time; one timer per connection checks it (no timer per frame).
  let lastActivityMs = deps.clock.nowMs();
  let idleTimer: unknown;
  function startIdleTimer(delayMs: number = limits.idleTimeoutMs): void {
    if (idleTimer !== undefined || limits.idleTimeoutMs <= 0 || phase === 'ended') return;
    idleTimer = deps.clock.setTimeout(checkIdle, delayMs);
  }
  function checkIdle(): void {
    idleTimer = undefined;
    if (phase !== 'open') return;
    const silentMs = deps.clock.nowMs() - lastActivityMs;
    if (silentMs < limits.idleTimeoutMs) {
      startIdleTimer(limits.idleTimeoutMs - silentMs);
      return;
    }
    // The recordings stay resumable; the cut counts as an interruption, as a lost connection does.
    for (const rec of recordings.values()) if (isLive(rec.state)) queue({ kind: 'interrupted', rec });
    fail(
      sinkFault('SINK_ERR_IDLE_TIMEOUT', `Nothing received for ${limits.idleTimeoutMs} ms; closing.`, {
        idleTimeoutMs: limits.idleTimeoutMs,
      }),
    );
  }

  /** Replies name the recording they concern; on a multiplexed connection, connection-wide ones have id "". */
  const defaultTarget = (): ReplyTarget | undefined => (multiplexed ? undefined : primary);

  function send<T extends ServerMessageType>(
    type: T,
    parameters: ServerMessageOf<T>['parameters'],
    rec: ReplyTarget | undefined = defaultTarget(),
    clientseq = lastClientSeq,
  ): void {
    replies.send(type, parameters, rec, clientseq);
  }

  function end(): void {
    if (phase === 'ended') return;
    phase = 'ended';
    clearOpenTimer();
    if (idleTimer !== undefined) deps.clock.clearTimeout(idleTimer);
    idleTimer = undefined;
    deps.onEnded?.();
    // Gathered audio is still committed (as after any fatal error): the client may have been told nothing.
    schedule.commitAll();
    if (pending.length > 0 || schedule.gatheringCount > 0) deps.requestFlush();
  }

  /** Fatal: tell the client why, close with the documented status. Queued writes still commit. */
  function fail(fault: SinkFault): void {
    if (phase === 'ended') return;
    const policy = SINK_ERROR_POLICIES[fault.code];
    replies.error(fault, true, defaultTarget(), lastClientSeq);
    end();
    if (transportOpen) {
      transportOpen = false;
      output.close(policy.action === 'close' ? policy.status : 1011, fault.code);
    }
  }

  /** Non-fatal: reply once per code (and key) per connection so a bad stream cannot flood the client. */
  function warn(fault: SinkFault, onceKey: string = fault.code, rec?: RecordingRuntime): void {
    // Bounded, so a client sending endless bad messages cannot grow the set (it just stops getting replies).
    if (warned.has(onceKey) || warned.size >= MAX_WARNINGS) return;
    warned.add(onceKey);
    replies.error(fault, false, rec ?? defaultTarget(), lastClientSeq);
  }

  function queue(op: PendingOp): void {
    // The recording's audio received before this message is applied before it.
    if (op.kind !== 'media') seal(op.rec);
    pending.push(op);
    deps.requestFlush();
  }

  /** Moves the recording's gathered audio into the queue (it then commits with the next commit). */
  function seal(rec: RecordingRuntime): void {
    if (!schedule.isGathering(rec)) return;
    const media = sealMedia(rec);
    if (media !== undefined) pending.push(media);
    schedule.sealed(rec);
  }

  function handleOpen(message: Extract<ClientMessage, { type: 'open' }>, positionMs: number) {
    if (phase === 'awaiting-open') {
      multiplexed = message.parameters.multiplex === true;
      if (multiplexed) {
        // The connection itself is open now, whatever happens to this first recording.
        phase = 'open';
        clearOpenTimer();
      }
    } else if (recordings.has(message.id)) {
      return fail(
        sinkFault('SINK_ERR_ALREADY_OPEN', `Recording "${message.id}" is already open on this connection.`),
      );
    }
    const decision: ReturnType<typeof decideOpen> =
      liveCount >= limits.maxRecordingsPerConnection
        ? {
            ok: false,
            fault: sinkFault(
              'SINK_ERR_TOO_MANY_RECORDINGS',
              `This connection already holds ${liveCount} open recordings, the most it may (maxRecordingsPerConnection); close some or use another connection.`,
              { recordingId: message.id, limit: limits.maxRecordingsPerConnection },
            ),
          }
        : decideOpen(
            {
              store,
              clock: deps.clock,
              key: deps.key,
              flushNow: deps.flushNow,
              ssrcOwner: (ssrc) => router.route(ssrc)?.rec.id,
              unseenBySink: deps.unseenBySink ?? (() => false),
            },
            message,
            positionMs,
          );
    // Committing what other sessions held (flushNow) can fail this session (a failed writer job it was in).
    if (phase === 'ended') return;
    if (!decision.ok) {
      if (multiplexed && OPEN_REFUSALS.has(decision.fault.code)) {
        // Only this recording is refused; the others on the connection carry on.
        replies.error(decision.fault, true, { id: message.id, positionMs }, lastClientSeq);
        return;
      }
      return fail(decision.fault);
    }
    const { rec } = decision;
    deps.claimRecording(rec.key);
    recordings.set(rec.id, rec);
    if (isLive(rec.state)) liveCount += 1;
    byKey.set(rec.key, rec);
    router.add(rec, rec.streams);
    schedule.admit(rec);
    primary ??= rec;
    phase = 'open';
    clearOpenTimer();
    if (decision.create !== undefined) {
      queue({ kind: 'create', rec, row: decision.create });
      send('opened', { resumed: false, state: 'active', media: rec.media, packets: 0 }, rec);
      return;
    }
    if (decision.interruptedBySink === true) queue({ kind: 'interrupted', rec });
    send('opened', { resumed: true, state: rec.state, media: rec.media, packets: rec.packetsStored }, rec);
  }

  /** Applies one recording-control step (recording-control.ts) to the recording and its writes. */
  function handleControl(message: ControlMessage, positionMs: number, rec: RecordingRuntime) {
    const step = controlRecording(rec, message, positionMs);
    if (step.refused !== undefined) {
      warn(
        sinkFault('SINK_ERR_BAD_STATE', `${message.type} at ${message.position} ignored: ${step.refused}.`, {
          type: message.type,
          state: rec.state,
        }),
        `BAD_STATE:${rec.id}:${message.type}:${message.position}`,
        rec,
      );
      return;
    }
    const current = rec.segments.at(-1) as Segment;
    if (step.endSegmentAtMs !== undefined) current.endMs = step.endSegmentAtMs;
    if (step.startSegment !== undefined) rec.segments.push({ ...step.startSegment });
    if (isLive(rec.state) && !isLive(step.state)) liveCount -= 1;
    rec.state = step.state;
    if (step.write !== undefined) queue({ ...step.write, rec });
    if (step.answered) rec.controlInBatch = true;
    if (step.answered || step.awaits !== undefined) replyDue.add(rec);
    if (step.awaits === 'pong') {
      // "Everything before the ping is durable": all recordings' audio, not just this one's.
      rec.pongWaiting = true;
      schedule.commitAll();
      deps.requestFlush();
    } else if (step.awaits === 'closed') {
      rec.closedWaiting = true;
      deps.requestFlush();
    }
  }

  function message(message: ClientMessage, positionMs: number) {
    if (phase === 'ended') return;
    lastActivityMs = deps.clock.nowMs();
    lastClientSeq = message.seq;
    if (phase === 'awaiting-open') {
      if (message.type !== 'open') {
        return fail(
          sinkFault('SINK_ERR_NOT_OPEN', `Got ${message.type} before open.`, { type: message.type }),
        );
      }
      return handleOpen(message, positionMs);
    }
    if (message.type === 'open' && multiplexed) return handleOpen(message, positionMs);
    const rec = recordings.get(message.id);
    if (rec === undefined) {
      return fail(
        sinkFault(
          'SINK_ERR_ID_MISMATCH',
          multiplexed
            ? `Message for "${message.id}", which is not open on this connection.`
            : `Message for "${message.id}" on the connection of "${primary?.id}".`,
        ),
      );
    }
    if (message.type === 'open') {
      return fail(sinkFault('SINK_ERR_ALREADY_OPEN', 'This connection already opened a recording.'));
    }
    handleControl(message, positionMs, rec);
  }

  function acceptsFrame(): boolean {
    if (phase === 'ended') return false;
    lastActivityMs = deps.clock.nowMs();
    if (phase === 'awaiting-open') {
      fail(sinkFault('SINK_ERR_NOT_OPEN', 'Got a binary frame before open.'));
      return false;
    }
    return true;
  }

  function beginFrame(): void {
    framesReceived += 1;
    // A one-recording connection reports audio while paused once per frame state, before packet faults.
    if (!multiplexed && primary !== undefined && primary.state !== 'active') audioNotActive(primary);
  }

  // Nothing is allocated per packet here (a scratch header, payloads copied into accumulators): at
  // 2,000 calls this runs 200,000 times a second, and garbage means collector pauses.
  function packet(bytes: Uint8Array, offset: number, length: number): void {
    const header = scratch;
    const reason = readRtpHeader(bytes, offset, length, header);
    if (reason !== undefined) {
      packetsDropped += 1;
      warn(sinkFault('SINK_ERR_BAD_RTP', `Dropped a packet: ${reason}.`));
      return;
    }
    const route = router.route(header.ssrc);
    if (route === undefined) {
      packetsDropped += 1;
      warn(
        sinkFault(
          'SINK_ERR_UNKNOWN_SSRC',
          `Dropped packets of SSRC ${header.ssrc}, which open did not declare.`,
          {
            ssrc: header.ssrc,
          },
        ),
        `UNKNOWN_SSRC:${header.ssrc}`,
      );
      return;
    }
    const { rec, stream } = route;
    schedule.gathered(rec, framesReceived);
    if (rec.state !== 'active') {
      if (multiplexed) audioNotActive(rec);
      packetsDropped += 1;
      stream.pending.rejected += 1;
      return;
    }
    if (header.payloadType !== rec.payloadType) {
      warn(
        sinkFault(
          'SINK_ERR_BAD_RTP',
          `Dropped packets with payload type ${header.payloadType}; ${rec.format} is ${rec.payloadType}.`,
          { ssrc: header.ssrc, payloadType: header.payloadType },
        ),
        `BAD_RTP:pt:${header.ssrc}`,
        rec,
      );
      packetsDropped += 1;
      stream.pending.rejected += 1;
      return;
    }
    const extSeq = extendSequence(stream.highestExt, header.sequenceNumber);
    if (stream.highestExt === undefined || extSeq > stream.highestExt) stream.highestExt = extSeq;
    // `| 0`: the timestamp as an int32 (no heap number); the accumulator's Uint32Array stores it back as uint32.
    accumulate(
      stream.pending,
      extSeq,
      header.timestamp | 0,
      bytes,
      header.payloadOffset,
      header.payloadLength,
    );
  }

  function endFrame(): void {
    // This frame's slot of recordings commits (each recording every `mediaCommitFrames` frames); control
    // messages commit their recording's audio with them, pings everything.
    if (schedule.frameEnded(framesReceived)) deps.requestFlush();
  }

  function audioNotActive(rec: RecordingRuntime): void {
    warn(
      sinkFault(
        'SINK_ERR_BAD_STATE',
        `Audio while the recording is ${rec.state} was dropped (no audio while paused).`,
      ),
      `BAD_STATE:${rec.id}:audio:${rec.state}`,
      rec,
    );
  }

  function recordingCheckpoint(rec: RecordingRuntime): void {
    send('checkpoint', { frames: marks.durableFrames, packets: rec.packetsStored }, rec, marks.durableSeq);
  }

  const core: IngestCore = {
    get ended() {
      return phase === 'ended';
    },
    get lastClientSeq() {
      return lastClientSeq;
    },
    get recordingId() {
      return primary?.id;
    },
    recordingIds: () => [...byKey.keys()],
    get multiplexed() {
      return multiplexed;
    },
    get packetsDropped() {
      return packetsDropped;
    },
    message,
    unknownMessage(seq, fault) {
      if (phase === 'ended') return;
      lastActivityMs = deps.clock.nowMs();
      lastClientSeq = seq;
      warn(fault, `UNKNOWN_TYPE:${lastClientSeq}`);
    },
    fail,
    acceptsFrame,
    beginFrame,
    packet,
    endFrame,
    transportClosed() {
      transportOpen = false;
      if (phase === 'open') {
        for (const rec of recordings.values()) if (isLive(rec.state)) queue({ kind: 'interrupted', rec });
      }
      end();
    },
    hasQueuedWrites: () => pending.length > 0,
    hasPending: () =>
      pending.length > 0 ||
      schedule.gatheringCount > 0 ||
      [...replyDue].some((r) => r.pongWaiting || r.closedWaiting),
    applyPending() {
      // The replies this commit will send: a message that arrives before afterCommit (the media writer
      // may still be committing) waits for the next commit, which is the one that applies it.
      replying = [];
      // Only the recordings that asked for a reply: a connection may carry thousands.
      for (const rec of replyDue) {
        if (!rec.controlInBatch && !rec.pongWaiting && !rec.closedWaiting) continue;
        replying.push({ rec, pong: rec.pongWaiting, closed: rec.closedWaiting });
        rec.controlInBatch = false;
        rec.pongWaiting = false;
        rec.closedWaiting = false;
      }
      replyDue.clear();
      const ops = pending;
      pending = [];
      let stored = applyPendingOps(store, ops);
      // Gathered audio came after every queued write of its recording (queue() seals it otherwise).
      for (const rec of schedule.take()) if (hasPendingMedia(rec)) stored += applyGatheredMedia(store, rec);
      // Durable: every frame before the oldest one whose packets still wait in an accumulator.
      marks.mark(lastClientSeq, schedule.durableFrames(framesReceived));
      return stored;
    },
    afterCommit() {
      marks.committed();
      if (primary === undefined) return;
      const dueByFrames = marks.checkpointDue();
      let checkpointed = false;
      if (!multiplexed && dueByFrames && replying.length === 0) {
        replying.push({ rec: primary, pong: false, closed: false });
      }
      for (const { rec, pong, closed } of replying) {
        if (recordings.get(rec.id) !== rec) continue; // left the connection (superseded) meanwhile
        recordingCheckpoint(rec);
        checkpointed = true;
        if (pong) send('pong', {}, rec, marks.durableSeq);
        if (closed) send('closed', { state: rec.state }, rec, marks.durableSeq);
      }
      replying = [];
      if (dueByFrames && !checkpointed) {
        // Multiplexed media-only checkpoint: the connection's frames, and the packets of all its recordings.
        let packets = 0;
        for (const rec of recordings.values()) packets += rec.packetsStored;
        send('checkpoint', { frames: marks.durableFrames, packets }, undefined, marks.durableSeq);
        checkpointed = true;
      }
      if (checkpointed) marks.checkpointed();
    },
    failStorage(cause) {
      pending = [];
      schedule.clear();
      fail(sinkFault('SINK_ERR_STORAGE', `Storing failed: ${messageOf(cause)}`));
    },
    terminate(fault) {
      if (fault.code === 'SINK_ERR_SHUTDOWN' || fault.code === 'SINK_ERR_SUPERSEDED') {
        send('disconnect', { reason: fault.code, message: fault.message });
        end();
        if (transportOpen) {
          transportOpen = false;
          output.close(SINK_ERROR_POLICIES[fault.code].status, fault.code);
        }
        return;
      }
      fail(fault);
    },
    sealRecording(recordingKey) {
      const rec = byKey.get(recordingKey);
      if (rec === undefined || !schedule.isGathering(rec)) return;
      seal(rec);
      deps.requestFlush();
    },
    supersede(recordingKey) {
      const rec = byKey.get(recordingKey);
      const fault = sinkFault(
        'SINK_ERR_SUPERSEDED',
        `Recording "${rec?.id ?? recordingKey}" was opened on a newer connection.`,
      );
      if (!multiplexed || rec === undefined) return core.terminate(fault);
      // Only this recording leaves the connection; its queued writes still commit.
      send('disconnect', { reason: fault.code, message: fault.message }, rec);
      recordings.delete(rec.id);
      byKey.delete(recordingKey);
      if (isLive(rec.state)) liveCount -= 1;
      router.remove(rec, rec.streams.keys());
    },
  };
  return core;
}
