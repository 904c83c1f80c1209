/**
 * One client connection's protocol session: validates each message against the connection's state,
 * queues the storage writes it implies, and replies. Writes are applied later by the server's group
 * commit (`applyPending` inside one transaction for many sessions), after which `afterCommit` sends the
 * checkpoints, pongs and `closed` replies that promise durability. No sockets here: the transport is two
 * callbacks, so the whole protocol is tested without a network.
 *
 * A connection carries one recording, or — when its first `open` says `multiplex: true` — any number of
 * recordings with distinct ids, whose packets share the binary frames and are routed by SSRC
 * (docs/sink-protocol.md, "Multiplexed connections").
 *
 * Audio gathers per stream and is committed every `mediaCommitFrames` frames per recording (1 = every
 * frame), so a busy sink writes one run of many packets per stream instead of a row per packet. The
 * recordings of a connection take turns — a different slice of them each frame, offset per connection —
 * so each commit is small and the event loop is never blocked long. A checkpoint's `frames` covers only
 * frames whose packets are all stored: the oldest frame still gathering bounds it.
 */
import type { SimClock } from '../time/clock.ts';
import type { SinkKey } from './auth-signature.ts';
import type { SinkLimits } from './limits.ts';
import { accumulate } from './media-accumulator.ts';
import { checkMediaFrame } from './media-frame.ts';
import type { ClientMessage, ServerMessageOf, ServerMessageType } from './messages.ts';
import { checkSeq, encodeMessage, parseClientText, serverMessage } from './parse-message.ts';
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
import { newRtpHeaderScratch, readRtpHeader } from './rtp-header.ts';
import { extendSequence } from './rtp-sequence.ts';
import { decideOpen } from './session-open.ts';
import { SINK_ERROR_POLICIES, type SinkFault, sinkFault } from './sink-errors.ts';
import type { EventRow, SinkStore } from './store.ts';

export interface SessionTransport {
  sendText(text: string): void;
  close(code: number, reason: string): void;
}

export interface SessionDeps {
  readonly store: SinkStore;
  readonly clock: SimClock;
  /** The key that authenticated the connection; it limits which org may be recorded. */
  readonly key: SinkKey;
  readonly limits: SinkLimits;
  /** The session has queued writes; the server schedules a group commit. */
  readonly requestFlush: (session: SinkSession) => void;
  /**
   * Commit every session's queued writes now, including what the connection currently holding
   * `recordingId` has gathered for it (before a resume reads the store).
   */
  readonly flushNow: (recordingId: string) => void;
  /** True when no connection of this sink carried the recording (store key) yet (session-open.ts). */
  readonly unseenBySink?: (recordingKey: string) => boolean;
  /** Makes this session the recording's only live connection, ending any older one. */
  readonly claimRecording: (recordingId: string, session: SinkSession) => void;
  /** Called once when the session ends (fatal error, close, transport gone). */
  readonly onEnded?: (session: SinkSession) => void;
  /** Spreads the deferred media commits of many connections over different frames (default 0). */
  readonly commitPhase?: number;
}

export interface SinkSession {
  /** The first recording opened on this connection. */
  readonly recordingId: string | undefined;
  /** The store keys (recording-key.ts) of every recording this connection carries (one unless multiplexed). */
  recordingIds(): string[];
  readonly multiplexed: boolean;
  onText(text: string): void;
  onBinary(frame: Uint8Array): void;
  /** The socket went away (with or without `close`). */
  onTransportClosed(): void;
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

type Phase = 'awaiting-open' | 'open' | 'ended';

const MAX_WARNINGS = 1000;
/** Frames between two commits of a connection's gathered audio (each commits a slice of its recordings). */
const COMMIT_SLICE_FRAMES = 5;

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

const isLive = (rec: RecordingRuntime): boolean => rec.state === 'active' || rec.state === 'paused';

export function createSinkSession(deps: SessionDeps, transport: SessionTransport): SinkSession {
  const { store, limits } = deps;
  let phase: Phase = 'awaiting-open';
  let multiplexed = false;
  /** The first recording: the default id of replies on a one-recording connection. */
  let primary: RecordingRuntime | undefined;
  const recordings = new Map<string, RecordingRuntime>();
  /** The same recordings by store key (the hub names them so). */
  const byKey = new Map<string, RecordingRuntime>();
  /**
   * Where each SSRC's packets go, keyed by the SSRC as an int32 (`ssrc | 0`): a uint32 above 2^31 would be a
   * heap number, allocated on every lookup at 200,000 packets a second; an int32 is a small integer.
   */
  const routes = new Map<number, { readonly rec: RecordingRuntime; readonly stream: StreamRuntime }>();
  let lastClientSeq = 0;
  let serverSeq = 0;
  let framesReceived = 0;
  let packetsDropped = 0;
  let pending: PendingOp[] = [];
  /** Recordings whose streams gathered audio since their last commit, with the first frame that did. */
  const gathering = new Map<RecordingRuntime, number>();
  /** Recordings owed a reply (checkpoint, pong, closed) by the next commit. */
  const replyDue = new Set<RecordingRuntime>();
  /** Gathering recordings whose turn to commit has come. */
  const due = new Set<RecordingRuntime>();
  /** The next commit applies every recording's audio (a ping, or the session is ending). */
  let commitAll = false;
  // What the next commit makes durable, and what the previous checkpoint told the client.
  let markedSeq = 0;
  let markedFrames = 0;
  let durableSeq = 0;
  let durableFrames = 0;
  let checkpointedFrames = 0;
  let transportOpen = true;
  const warned = new Set<string>();
  const commitEvery = Math.max(1, Math.floor(limits.mediaCommitFrames));
  const commitPhase = (deps.commitPhase ?? 0) % commitEvery;
  // The recordings take turns in slices, one slice every COMMIT_SLICE_FRAMES frames: small commits block
  // the event loop briefly, and are not so many that each one's fixed cost dominates (docs/live-load.md).
  const commitSlices = Math.max(1, Math.round(commitEvery / COMMIT_SLICE_FRAMES));
  const commitStep = Math.max(1, Math.floor(commitEvery / commitSlices));
  /** Recordings by commit slot: slot s commits at frames n with n mod commitEvery = s. */
  const slots: RecordingRuntime[][] = Array.from({ length: commitEvery }, () => []);
  let opened = 0;
  /** Recordings of this connection still active or paused (bounded by maxRecordingsPerConnection). */
  let liveCount = 0;
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
    for (const rec of recordings.values()) if (isLive(rec)) queue({ kind: 'interrupted', rec });
    fail(
      sinkFault('SINK_ERR_IDLE_TIMEOUT', `Nothing received for ${limits.idleTimeoutMs} ms; closing.`, {
        idleTimeoutMs: limits.idleTimeoutMs,
      }),
    );
  }

  /** Replies name the recording they concern; on a multiplexed connection, connection-wide ones have id "". */
  function send<T extends ServerMessageType>(
    type: T,
    parameters: ServerMessageOf<T>['parameters'],
    rec: Pick<RecordingRuntime, 'id' | 'positionMs'> | undefined = multiplexed ? undefined : primary,
    clientseq = lastClientSeq,
  ): void {
    if (!transportOpen) return;
    serverSeq += 1;
    transport.sendText(
      encodeMessage(
        serverMessage(type, {
          id: rec?.id ?? '',
          seq: serverSeq,
          clientseq,
          positionMs: rec?.positionMs ?? 0,
          parameters,
        }),
      ),
    );
  }

  function end(): void {
    if (phase === 'ended') return;
    phase = 'ended';
    clearOpenTimer();
    if (idleTimer !== undefined) deps.clock.clearTimeout(idleTimer);
    idleTimer = undefined;
    deps.onEnded?.(session);
    // Gathered audio is still committed (as after any fatal error): the client may have been told nothing.
    commitAll = true;
    if (pending.length > 0 || gathering.size > 0) deps.requestFlush(session);
  }

  /** Fatal: tell the client why, close with the documented status. Queued writes still commit. */
  function fail(fault: SinkFault): void {
    if (phase === 'ended') return;
    const policy = SINK_ERROR_POLICIES[fault.code];
    send('error', {
      code: fault.code,
      message: fault.message,
      fatal: true,
      ...(fault.details ? { details: fault.details } : {}),
    });
    end();
    if (transportOpen) {
      transportOpen = false;
      transport.close(policy.action === 'close' ? policy.status : 1011, fault.code);
    }
  }

  /** Non-fatal: reply once per code (and key) per connection so a bad stream cannot flood the client. */
  function warn(fault: SinkFault, onceKey: string = fault.code, rec?: RecordingRuntime): void {
    // Bounded, so a client sending endless bad messages cannot grow the set (it just stops getting replies).
    if (warned.has(onceKey) || warned.size >= MAX_WARNINGS) return;
    warned.add(onceKey);
    send(
      'error',
      {
        code: fault.code,
        message: fault.message,
        fatal: false,
        ...(fault.details ? { details: fault.details } : {}),
      },
      rec ?? (multiplexed ? undefined : primary),
    );
  }

  function queue(op: PendingOp): void {
    // The recording's audio received before this message is applied before it.
    if (op.kind !== 'media') seal(op.rec);
    pending.push(op);
    deps.requestFlush(session);
  }

  /** Moves the recording's gathered audio into the queue (it then commits with the next commit). */
  function seal(rec: RecordingRuntime): void {
    if (!gathering.has(rec)) return;
    const media = sealMedia(rec);
    if (media !== undefined) pending.push(media);
    gathering.delete(rec);
    due.delete(rec);
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
              ssrcOwner: (ssrc) => routes.get(ssrc | 0)?.rec.id,
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
        const { fault } = decision;
        send(
          'error',
          {
            code: fault.code,
            message: fault.message,
            fatal: true,
            ...(fault.details ? { details: fault.details } : {}),
          },
          { id: message.id, positionMs },
        );
        return;
      }
      return fail(decision.fault);
    }
    const { rec } = decision;
    deps.claimRecording(rec.key, session);
    recordings.set(rec.id, rec);
    if (isLive(rec)) liveCount += 1;
    byKey.set(rec.key, rec);
    for (const [ssrc, stream] of rec.streams) routes.set(ssrc | 0, { rec, stream });
    (slots[((opened % commitSlices) * commitStep + commitPhase) % commitEvery] as RecordingRuntime[]).push(
      rec,
    );
    opened += 1;
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

  function badState(message: ClientMessage, why: string, rec: RecordingRuntime): void {
    warn(
      sinkFault('SINK_ERR_BAD_STATE', `${message.type} at ${message.position} ignored: ${why}.`, {
        type: message.type,
        state: rec.state,
      }),
      `BAD_STATE:${rec.id}:${message.type}:${message.position}`,
      rec,
    );
  }

  function handleControl(message: ClientMessage, positionMs: number, rec: RecordingRuntime) {
    const current = rec.segments.at(-1) as Segment;
    const live = rec.state === 'active' || rec.state === 'paused';
    switch (message.type) {
      case 'open':
        return; // onText hands every open to handleOpen or refuses it
      case 'ping':
        // "Everything before the ping is durable": all recordings' audio, not just this one's.
        rec.pongWaiting = true;
        replyDue.add(rec);
        commitAll = true;
        deps.requestFlush(session);
        return;
      case 'paused':
        if (rec.state === 'paused' && current.endMs === positionMs) return; // a resend: already stored
        if (rec.state !== 'active') return badState(message, `the recording is ${rec.state}`, rec);
        if (positionMs < current.startMs)
          return badState(message, 'it precedes the start of the current segment', rec);
        current.endMs = positionMs;
        rec.state = 'paused';
        queue({ kind: 'pause', rec, segmentIndex: current.index, positionMs });
        rec.controlInBatch = true;
        replyDue.add(rec);
        return;
      case 'resumed': {
        if (rec.state === 'active' && current.index > 0 && current.startMs === positionMs) return; // a resend
        if (rec.state !== 'paused')
          return badState(message, `the recording is ${rec.state}, not paused`, rec);
        if (positionMs < (current.endMs ?? 0)) return badState(message, 'it precedes the pause', rec);
        const next: Segment = { index: current.index + 1, startMs: positionMs, endMs: null };
        rec.segments.push(next);
        rec.state = 'active';
        queue({ kind: 'resume', rec, segmentIndex: next.index, positionMs });
        rec.controlInBatch = true;
        replyDue.add(rec);
        return;
      }
      case 'announcement':
      case 'tone':
      case 'error': {
        if (!live) return badState(message, `the recording is ${rec.state}`, rec);
        const row: EventRow =
          message.type === 'announcement'
            ? {
                type: 'announcement',
                kind: message.parameters.kind,
                positionMs,
                detail: { sound: message.parameters.sound },
              }
            : message.type === 'tone'
              ? {
                  type: 'tone',
                  kind: String(message.parameters.index),
                  positionMs,
                  detail: { index: message.parameters.index },
                }
              : {
                  type: 'client-error',
                  kind: message.parameters.code,
                  positionMs,
                  detail: { message: message.parameters.message },
                };
        queue({ kind: 'event', rec, row });
        rec.controlInBatch = true;
        replyDue.add(rec);
        return;
      }
      case 'discarded':
        if (rec.state === 'discarded') return;
        if (!live) return badState(message, `the recording is ${rec.state}`, rec);
        if (rec.state === 'active') current.endMs = positionMs;
        rec.state = 'discarded';
        liveCount -= 1;
        queue({ kind: 'discard', rec, positionMs });
        rec.controlInBatch = true;
        replyDue.add(rec);
        return;
      case 'close':
        if (live) {
          if (rec.state === 'active') current.endMs = positionMs;
          rec.state = 'closed';
          liveCount -= 1;
          queue({ kind: 'close', rec, positionMs, reason: message.parameters.reason });
        }
        rec.closedWaiting = true;
        rec.controlInBatch = true;
        replyDue.add(rec);
        deps.requestFlush(session);
        return;
    }
  }

  function onText(text: string) {
    if (phase === 'ended') return;
    lastActivityMs = deps.clock.nowMs();
    const parsed = parseClientText(text);
    if (!parsed.ok) {
      if (parsed.fault.code === 'SINK_ERR_UNKNOWN_TYPE' && parsed.seq !== undefined) {
        const seqFault = checkSeq(lastClientSeq, parsed.seq);
        if (seqFault) return fail(seqFault);
        lastClientSeq = parsed.seq;
        warn(parsed.fault, `UNKNOWN_TYPE:${lastClientSeq}`);
        return;
      }
      return fail(parsed.fault);
    }
    const { message, positionMs } = parsed;
    const seqFault = checkSeq(lastClientSeq, message.seq);
    if (seqFault) return fail(seqFault);
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

  function onBinary(frame: Uint8Array) {
    if (phase === 'ended') return;
    lastActivityMs = deps.clock.nowMs();
    if (phase === 'awaiting-open') {
      return fail(sinkFault('SINK_ERR_NOT_OPEN', 'Got a binary frame before open.'));
    }
    const frameFault = checkMediaFrame(frame);
    if (frameFault) return fail(frameFault);
    framesReceived += 1;
    // A one-recording connection reports audio while paused once per frame state, before packet faults.
    if (!multiplexed && primary !== undefined && primary.state !== 'active') audioNotActive(primary);
    // Nothing is allocated per packet here (a scratch header, payloads copied into accumulators): at
    // 2,000 calls this loop runs 200,000 times a second, and garbage means collector pauses.
    const header = scratch;
    for (let at = 0; at < frame.length; ) {
      const length = ((frame[at] as number) << 8) | (frame[at + 1] as number);
      const start = at + 2;
      at = start + length;
      const reason = readRtpHeader(frame, start, length, header);
      if (reason !== undefined) {
        packetsDropped += 1;
        warn(sinkFault('SINK_ERR_BAD_RTP', `Dropped a packet: ${reason}.`));
        continue;
      }
      const route = routes.get(header.ssrc | 0);
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
        continue;
      }
      const { rec, stream } = route;
      if (!gathering.has(rec)) gathering.set(rec, framesReceived);
      if (rec.state !== 'active') {
        if (multiplexed) audioNotActive(rec);
        packetsDropped += 1;
        stream.pending.rejected += 1;
        continue;
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
        continue;
      }
      const extSeq = extendSequence(stream.highestExt, header.sequenceNumber);
      if (stream.highestExt === undefined || extSeq > stream.highestExt) stream.highestExt = extSeq;
      // `| 0`: the timestamp as an int32 (no heap number); the accumulator's Uint32Array stores it back as uint32.
      accumulate(
        stream.pending,
        extSeq,
        header.timestamp | 0,
        frame,
        header.payloadOffset,
        header.payloadLength,
      );
    }
    // This frame's slot of recordings commits (each recording every `commitEvery` frames); control
    // messages commit their recording's audio with them, pings everything.
    for (const rec of slots[framesReceived % commitEvery] as RecordingRuntime[])
      if (gathering.has(rec)) due.add(rec);
    // Committing every frame (the default) commits even a frame with nothing to store, as before gathering.
    if (due.size > 0 || commitEvery === 1) deps.requestFlush(session);
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
    send('checkpoint', { frames: durableFrames, packets: rec.packetsStored }, rec, durableSeq);
  }

  const session: SinkSession = {
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
    onText,
    onBinary,
    onTransportClosed() {
      transportOpen = false;
      if (phase === 'open') {
        for (const rec of recordings.values()) {
          if (rec.state === 'active' || rec.state === 'paused') queue({ kind: 'interrupted', rec });
        }
      }
      end();
    },
    hasQueuedWrites: () => pending.length > 0,
    hasPending: () =>
      pending.length > 0 || gathering.size > 0 || [...replyDue].some((r) => r.pongWaiting || r.closedWaiting),
    applyPending() {
      markedSeq = lastClientSeq;
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
      for (const rec of commitAll ? [...gathering.keys()] : due) {
        if (hasPendingMedia(rec)) stored += applyGatheredMedia(store, rec);
        gathering.delete(rec);
      }
      due.clear();
      commitAll = false;
      // Durable: every frame before the oldest one whose packets still wait in an accumulator.
      markedFrames = framesReceived;
      for (const since of gathering.values()) markedFrames = Math.min(markedFrames, since - 1);
      return stored;
    },
    afterCommit() {
      durableSeq = markedSeq;
      durableFrames = markedFrames;
      if (primary === undefined) return;
      const dueByFrames = durableFrames - checkpointedFrames >= limits.checkpointEveryFrames;
      let checkpointed = false;
      if (!multiplexed && dueByFrames && replying.length === 0) {
        replying.push({ rec: primary, pong: false, closed: false });
      }
      for (const { rec, pong, closed } of replying) {
        if (recordings.get(rec.id) !== rec) continue; // left the connection (superseded) meanwhile
        recordingCheckpoint(rec);
        checkpointed = true;
        if (pong) send('pong', {}, rec, durableSeq);
        if (closed) send('closed', { state: rec.state }, rec, durableSeq);
      }
      replying = [];
      if (dueByFrames && !checkpointed) {
        // Multiplexed media-only checkpoint: the connection's frames, and the packets of all its recordings.
        let packets = 0;
        for (const rec of recordings.values()) packets += rec.packetsStored;
        send('checkpoint', { frames: durableFrames, packets }, undefined, durableSeq);
        checkpointed = true;
      }
      if (checkpointed) checkpointedFrames = durableFrames;
    },
    failStorage(cause) {
      pending = [];
      gathering.clear();
      due.clear();
      fail(sinkFault('SINK_ERR_STORAGE', `Storing failed: ${(cause as Error)?.message ?? String(cause)}`));
    },
    terminate(fault) {
      if (fault.code === 'SINK_ERR_SHUTDOWN' || fault.code === 'SINK_ERR_SUPERSEDED') {
        send('disconnect', { reason: fault.code, message: fault.message });
        end();
        if (transportOpen) {
          transportOpen = false;
          transport.close(SINK_ERROR_POLICIES[fault.code].status, fault.code);
        }
        return;
      }
      fail(fault);
    },
    sealRecording(recordingKey) {
      const rec = byKey.get(recordingKey);
      if (rec === undefined || !gathering.has(rec)) return;
      seal(rec);
      deps.requestFlush(session);
    },
    supersede(recordingKey) {
      const rec = byKey.get(recordingKey);
      const fault = sinkFault(
        'SINK_ERR_SUPERSEDED',
        `Recording "${rec?.id ?? recordingKey}" was opened on a newer connection.`,
      );
      if (!multiplexed || rec === undefined) return session.terminate(fault);
      // Only this recording leaves the connection; its queued writes still commit.
      send('disconnect', { reason: fault.code, message: fault.message }, rec);
      recordings.delete(rec.id);
      byKey.delete(recordingKey);
      if (isLive(rec)) liveCount -= 1;
      for (const ssrc of rec.streams.keys()) if (routes.get(ssrc | 0)?.rec === rec) routes.delete(ssrc | 0);
    },
  };
  return session;
}
