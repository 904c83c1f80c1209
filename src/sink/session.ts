/**
 * One client connection's protocol session: validates each message against the connection's state,
 * queues the storage writes it implies, and replies. Writes are applied later by the server's group
 * commit (`applyPending` inside one transaction for many sessions), after which `afterCommit` sends the
 * checkpoints, pongs and `closed` replies that promise durability. No sockets here: the transport is two
 * callbacks, so the whole protocol is tested without a network.
 */
import { findDubPointMismatches } from '../domain/platform-info.ts';
import type { SimClock } from '../time/clock.ts';
import { keyActsFor, type SinkKey } from './auth-signature.ts';
import type { SinkLimits } from './limits.ts';
import { decodeMediaFrame } from './media-frame.ts';
import { checkMediaOffer, PAYLOAD_TYPE_OF } from './media-offer.ts';
import type {
  ClientMessage,
  ClientMessageOf,
  MediaFormat,
  MediaOffer,
  RecordingState,
  ServerMessageOf,
  ServerMessageType,
} from './messages.ts';
import { checkSeq, encodeMessage, parseClientText, serverMessage } from './parse-message.ts';
import { SAMPLES_PER_MS } from './position.ts';
import { parseRtpHeader } from './rtp-header.ts';
import { extendSequence, timestampDelta } from './rtp-sequence.ts';
import { SINK_ERROR_POLICIES, type SinkFault, sinkFault } from './sink-errors.ts';
import type { EventRow, PacketRow, RecordingRow, SinkStore, StreamStatsDelta } from './store.ts';

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
  /** Commit every session's queued writes now (before a resume reads the store). */
  readonly flushNow: () => void;
  /** Makes this session the recording's only live connection, ending any older one. */
  readonly claimRecording: (recordingId: string, session: SinkSession) => void;
  /** Called once when the session ends (fatal error, close, transport gone). */
  readonly onEnded?: (session: SinkSession) => void;
}

export interface SinkSession {
  readonly recordingId: string | undefined;
  onText(text: string): void;
  onBinary(frame: Uint8Array): void;
  /** The socket went away (with or without `close`). */
  onTransportClosed(): void;
  hasPending(): boolean;
  /** Applies queued writes; the caller wraps it in a transaction. */
  applyPending(): void;
  /** Sends what waited for durability. */
  afterCommit(): void;
  /** The group commit failed: the writes are not durable, so the client must resend after reconnecting. */
  failStorage(cause: unknown): void;
  /** Server-initiated end (superseded, shutdown). */
  terminate(fault: SinkFault): void;
}

interface PacketWrite {
  readonly ssrc: number;
  readonly extSeq: number;
  readonly timestamp: number;
  readonly payload: Uint8Array;
}

type PendingOp =
  | { readonly kind: 'create'; readonly row: RecordingRow; readonly media: MediaOffer }
  | {
      readonly kind: 'frame';
      readonly segmentIndex: number;
      readonly segmentStartMs: number;
      readonly packets: PacketWrite[];
      readonly rejected: ReadonlyMap<number, number>;
    }
  | { readonly kind: 'pause'; readonly segmentIndex: number; readonly positionMs: number }
  | { readonly kind: 'resume'; readonly segmentIndex: number; readonly positionMs: number }
  | { readonly kind: 'event'; readonly row: EventRow }
  | { readonly kind: 'discard'; readonly positionMs: number }
  | { readonly kind: 'close'; readonly positionMs: number; readonly reason: string }
  | { readonly kind: 'interrupted' };

interface StreamRuntime {
  readonly label: number;
  highestExt: number | undefined;
}

interface Segment {
  readonly index: number;
  readonly startMs: number;
  endMs: number | null;
}

/** Everything about the open recording the session needs to validate messages without reading the store. */
interface RecordingRuntime {
  readonly id: string;
  readonly format: MediaFormat;
  readonly payloadType: number;
  readonly media: MediaOffer;
  state: RecordingState;
  readonly segments: Segment[];
  readonly streams: Map<number, StreamRuntime>;
  /** Anchors of `anchorSegment` by SSRC: the first packet of a stream in a segment sits at the segment start. */
  anchors: Map<number, { readonly timestamp: number; readonly positionSamples: number }>;
  anchorSegment: number;
  packetsStored: number;
  positionMs: number;
}

type Phase = 'awaiting-open' | 'open' | 'ended';

const MAX_WARNINGS = 1000;

export function createSinkSession(deps: SessionDeps, transport: SessionTransport): SinkSession {
  const { store, limits } = deps;
  let phase: Phase = 'awaiting-open';
  let recording: RecordingRuntime | undefined;
  let lastClientSeq = 0;
  let serverSeq = 0;
  let framesReceived = 0;
  let pending: PendingOp[] = [];
  // What the next commit makes durable, and what the previous checkpoint told the client.
  let markedSeq = 0;
  let markedFrames = 0;
  let durableSeq = 0;
  let durableFrames = 0;
  let checkpointedFrames = 0;
  let controlInBatch = false;
  let pongWaiting = false;
  let closedWaiting = false;
  let transportOpen = true;
  const warned = new Set<string>();

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
  };

  function send<T extends ServerMessageType>(
    type: T,
    parameters: ServerMessageOf<T>['parameters'],
    clientseq = lastClientSeq,
  ): void {
    if (!transportOpen) return;
    serverSeq += 1;
    transport.sendText(
      encodeMessage(
        serverMessage(type, {
          id: recording?.id ?? '',
          seq: serverSeq,
          clientseq,
          positionMs: recording?.positionMs ?? 0,
          parameters,
        }),
      ),
    );
  }

  function end(): void {
    if (phase === 'ended') return;
    phase = 'ended';
    clearOpenTimer();
    deps.onEnded?.(session);
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
    if (pending.length > 0) deps.requestFlush(session);
  }

  /** Non-fatal: reply once per code (and key) per connection so a bad stream cannot flood the client. */
  function warn(fault: SinkFault, onceKey: string = fault.code): void {
    // Bounded, so a client sending endless bad messages cannot grow the set (it just stops getting replies).
    if (warned.has(onceKey) || warned.size >= MAX_WARNINGS) return;
    warned.add(onceKey);
    send('error', {
      code: fault.code,
      message: fault.message,
      fatal: false,
      ...(fault.details ? { details: fault.details } : {}),
    });
  }

  function queue(op: PendingOp): void {
    pending.push(op);
    deps.requestFlush(session);
  }

  function handleOpen(message: ClientMessageOf<'open'>, positionMs: number) {
    const p = message.parameters;
    const mediaFault = checkMediaOffer(p.media);
    if (mediaFault) return fail(mediaFault);
    if (!keyActsFor(deps.key, p.orgId)) {
      return fail(
        sinkFault(
          'SINK_ERR_FORBIDDEN_ORG',
          `Key "${deps.key.keyId}" may not record for organisation "${p.orgId}".`,
          {
            orgId: p.orgId,
          },
        ),
      );
    }
    const user = store.getUser(p.userId);
    if (user === undefined || user.orgId !== p.orgId) {
      return fail(
        sinkFault(
          'SINK_ERR_UNKNOWN_USER',
          `User "${p.userId}" of organisation "${p.orgId}" is not provisioned in Dubber.`,
          {
            orgId: p.orgId,
            userId: p.userId,
          },
        ),
      );
    }
    if (!user.recordingEnabled) {
      return fail(
        sinkFault('SINK_ERR_USER_DISABLED', `Call recording is turned off for user "${p.userId}" (S14).`, {
          userId: p.userId,
        }),
      );
    }
    // S33: Control Hub's values (sent with the call) must equal the user's dub.point in Dubber, field by field.
    const mismatches = findDubPointMismatches(p.dubPoint, user.dubPoint);
    if (mismatches.length > 0) {
      const list = mismatches.map(
        (m) => `${m.field} is "${m.actual}" in Dubber but "${m.expected}" in Control Hub`,
      );
      return fail(
        sinkFault(
          'SINK_ERR_DUBPOINT_MISMATCH',
          `The dub.point of user "${p.userId}" does not match: ${list.join('; ')} (S33).`,
          {
            userId: p.userId,
            mismatches,
          },
        ),
      );
    }
    const ssrcLabels = (m: MediaOffer) =>
      [...m.streams]
        .sort((a, b) => a.label - b.label)
        .map((s) => `${s.label}:${s.ssrc}`)
        .join(',');

    // Commit what other sessions hold first: a reconnect may race the old connection's last writes.
    deps.flushNow();
    const existing = store.getRecording(message.id);
    if (existing !== undefined) {
      const streams = store.getStreams(message.id);
      const storedMedia: MediaOffer = {
        format: existing.format,
        rate: p.media.rate,
        streams: streams.map((s) => ({ ssrc: s.ssrc, label: s.label })),
      };
      const conflict =
        existing.orgId !== p.orgId
          ? 'belongs to another organisation'
          : existing.userId !== p.userId
            ? 'belongs to another user'
            : existing.deletedAtMs !== null
              ? 'was deleted by retention'
              : existing.format !== p.media.format || ssrcLabels(storedMedia) !== ssrcLabels(p.media)
                ? 'was opened with other media (format or SSRCs)'
                : undefined;
      if (conflict !== undefined) {
        return fail(
          sinkFault('SINK_ERR_RECORDING_CONFLICT', `Recording "${message.id}" ${conflict}.`, {
            recordingId: message.id,
          }),
        );
      }
      deps.claimRecording(message.id, session);
      const segments = store.getSegments(message.id).map((s) => ({ ...s }));
      const current = segments.at(-1);
      const anchors = new Map<number, { timestamp: number; positionSamples: number }>();
      if (current !== undefined) {
        for (const a of store.getAnchors(message.id, current.index)) anchors.set(a.ssrc, a);
      }
      recording = {
        id: message.id,
        format: existing.format,
        payloadType: PAYLOAD_TYPE_OF[existing.format],
        media: storedMedia,
        state: existing.state,
        segments,
        streams: new Map(
          streams.map((s) => [s.ssrc, { label: s.label, highestExt: s.maxExtSeq ?? undefined }]),
        ),
        anchors,
        anchorSegment: current?.index ?? 0,
        packetsStored: store.countPackets(message.id),
        positionMs: Math.max(
          existing.endPositionMs ?? 0,
          current?.endMs ?? current?.startMs ?? 0,
          ...streams.map((s) => Math.floor(s.endSamples / SAMPLES_PER_MS)),
        ),
      };
      phase = 'open';
      clearOpenTimer();
      send('opened', {
        resumed: true,
        state: recording.state,
        media: storedMedia,
        packets: recording.packetsStored,
      });
      return;
    }
    deps.claimRecording(message.id, session);
    const format = p.media.format as MediaFormat;
    const media: MediaOffer = { format, rate: p.media.rate, streams: p.media.streams.map((s) => ({ ...s })) };
    recording = {
      id: message.id,
      format,
      payloadType: PAYLOAD_TYPE_OF[format],
      media,
      state: 'active',
      segments: [{ index: 0, startMs: positionMs, endMs: null }],
      streams: new Map(media.streams.map((s) => [s.ssrc, { label: s.label, highestExt: undefined }])),
      anchors: new Map(),
      anchorSegment: 0,
      packetsStored: 0,
      positionMs,
    };
    phase = 'open';
    clearOpenTimer();
    queue({
      kind: 'create',
      media,
      row: {
        recordingId: message.id,
        orgId: p.orgId,
        userId: p.userId,
        direction: p.direction,
        remoteType: p.remote.type,
        remoteAddress: p.remote.address ?? null,
        format,
        createdAtMs: deps.clock.nowMs(),
        openPositionMs: positionMs,
        state: 'active',
        closeReason: null,
        endPositionMs: null,
        deletedAtMs: null,
        interruptions: 0,
      },
    });
    send('opened', { resumed: false, state: 'active', media, packets: 0 });
  }

  function badState(message: ClientMessage, why: string): void {
    warn(
      sinkFault('SINK_ERR_BAD_STATE', `${message.type} at ${message.position} ignored: ${why}.`, {
        type: message.type,
        state: recording?.state,
      }),
      `BAD_STATE:${message.type}:${message.position}`,
    );
  }

  function handleControl(message: ClientMessage, positionMs: number) {
    const rec = recording as RecordingRuntime;
    const current = rec.segments.at(-1) as Segment;
    const live = rec.state === 'active' || rec.state === 'paused';
    switch (message.type) {
      case 'open':
        return fail(sinkFault('SINK_ERR_ALREADY_OPEN', 'This connection already opened a recording.'));
      case 'ping':
        pongWaiting = true;
        deps.requestFlush(session);
        return;
      case 'paused':
        if (rec.state === 'paused' && current.endMs === positionMs) return; // a resend: already stored
        if (rec.state !== 'active') return badState(message, `the recording is ${rec.state}`);
        if (positionMs < current.startMs)
          return badState(message, 'it precedes the start of the current segment');
        current.endMs = positionMs;
        rec.state = 'paused';
        queue({ kind: 'pause', segmentIndex: current.index, positionMs });
        controlInBatch = true;
        return;
      case 'resumed': {
        if (rec.state === 'active' && current.index > 0 && current.startMs === positionMs) return; // a resend
        if (rec.state !== 'paused') return badState(message, `the recording is ${rec.state}, not paused`);
        if (positionMs < (current.endMs ?? 0)) return badState(message, 'it precedes the pause');
        const next: Segment = { index: current.index + 1, startMs: positionMs, endMs: null };
        rec.segments.push(next);
        rec.state = 'active';
        queue({ kind: 'resume', segmentIndex: next.index, positionMs });
        controlInBatch = true;
        return;
      }
      case 'announcement':
      case 'tone':
      case 'error': {
        if (!live) return badState(message, `the recording is ${rec.state}`);
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
        queue({ kind: 'event', row });
        controlInBatch = true;
        return;
      }
      case 'discarded':
        if (rec.state === 'discarded') return;
        if (!live) return badState(message, `the recording is ${rec.state}`);
        if (rec.state === 'active') current.endMs = positionMs;
        rec.state = 'discarded';
        queue({ kind: 'discard', positionMs });
        controlInBatch = true;
        return;
      case 'close':
        if (live) {
          if (rec.state === 'active') current.endMs = positionMs;
          rec.state = 'closed';
          queue({ kind: 'close', positionMs, reason: message.parameters.reason });
        }
        closedWaiting = true;
        controlInBatch = true;
        deps.requestFlush(session);
        return;
    }
  }

  function onText(text: string) {
    if (phase === 'ended') return;
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
    if (message.id !== recording?.id) {
      return fail(
        sinkFault(
          'SINK_ERR_ID_MISMATCH',
          `Message for "${message.id}" on the connection of "${recording?.id}".`,
        ),
      );
    }
    handleControl(message, positionMs);
  }

  function onBinary(frame: Uint8Array) {
    if (phase === 'ended') return;
    if (phase === 'awaiting-open' || recording === undefined) {
      return fail(sinkFault('SINK_ERR_NOT_OPEN', 'Got a binary frame before open.'));
    }
    const decoded = decodeMediaFrame(frame);
    if (!decoded.ok) return fail(decoded.fault);
    framesReceived += 1;
    const rec = recording;
    const current = rec.segments.at(-1) as Segment;
    const packets: PacketWrite[] = [];
    const rejected = new Map<number, number>();
    const reject = (ssrc: number) => rejected.set(ssrc, (rejected.get(ssrc) ?? 0) + 1);
    if (rec.state !== 'active') {
      warn(
        sinkFault(
          'SINK_ERR_BAD_STATE',
          `Audio while the recording is ${rec.state} was dropped (no audio while paused).`,
        ),
        `BAD_STATE:audio:${rec.state}`,
      );
    }
    for (const packet of decoded.packets) {
      const header = parseRtpHeader(packet);
      if (!header.ok) {
        warn(sinkFault('SINK_ERR_BAD_RTP', `Dropped a packet: ${header.reason}.`));
        continue;
      }
      const stream = rec.streams.get(header.ssrc);
      if (stream === undefined) {
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
      if (rec.state !== 'active') {
        reject(header.ssrc);
        continue;
      }
      if (header.payloadType !== rec.payloadType) {
        warn(
          sinkFault(
            'SINK_ERR_BAD_RTP',
            `Dropped packets with payload type ${header.payloadType}; ${rec.format} is ${rec.payloadType}.`,
            {
              ssrc: header.ssrc,
              payloadType: header.payloadType,
            },
          ),
          `BAD_RTP:pt:${header.ssrc}`,
        );
        reject(header.ssrc);
        continue;
      }
      const extSeq = extendSequence(stream.highestExt, header.sequenceNumber);
      if (stream.highestExt === undefined || extSeq > stream.highestExt) stream.highestExt = extSeq;
      packets.push({
        ssrc: header.ssrc,
        extSeq,
        timestamp: header.timestamp,
        payload: packet.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength),
      });
    }
    queue({ kind: 'frame', segmentIndex: current.index, segmentStartMs: current.startMs, packets, rejected });
  }

  function applyFrame(rec: RecordingRuntime, op: Extract<PendingOp, { kind: 'frame' }>): void {
    if (op.segmentIndex !== rec.anchorSegment) {
      // Segments only move forward, so the previous segment's anchors are never needed again.
      rec.anchors = new Map();
      rec.anchorSegment = op.segmentIndex;
    }
    const rows: PacketRow[] = [];
    const duplicatesBySsrc = new Map<number, number>();
    for (const p of op.packets) {
      let anchor = rec.anchors.get(p.ssrc);
      if (anchor === undefined) {
        // A resent packet that is already stored must not become the anchor of a new segment.
        if (store.hasPacket(rec.id, p.ssrc, p.extSeq)) {
          duplicatesBySsrc.set(p.ssrc, (duplicatesBySsrc.get(p.ssrc) ?? 0) + 1);
          continue;
        }
        anchor = { timestamp: p.timestamp, positionSamples: op.segmentStartMs * SAMPLES_PER_MS };
        store.insertAnchor(rec.id, { segmentIndex: op.segmentIndex, ssrc: p.ssrc, ...anchor });
        rec.anchors.set(p.ssrc, anchor);
      }
      rows.push({
        ssrc: p.ssrc,
        extSeq: p.extSeq,
        timestamp: p.timestamp,
        positionSamples: anchor.positionSamples + timestampDelta(p.timestamp, anchor.timestamp),
        payload: p.payload,
      });
    }
    const inserted = store.insertPackets(rec.id, rows);
    const ssrcs = new Set<number>([...op.rejected.keys(), ...duplicatesBySsrc.keys()]);
    for (const row of rows) ssrcs.add(row.ssrc);
    for (const ssrc of ssrcs) {
      let received = 0;
      let duplicates = duplicatesBySsrc.get(ssrc) ?? 0;
      let min: number | null = null;
      let max: number | null = null;
      let end = 0;
      rows.forEach((row, i) => {
        if (row.ssrc !== ssrc) return;
        if (inserted[i] !== 1) {
          duplicates += 1;
          return;
        }
        received += 1;
        min = min === null ? row.extSeq : Math.min(min, row.extSeq);
        max = max === null ? row.extSeq : Math.max(max, row.extSeq);
        end = Math.max(end, row.positionSamples + row.payload.length);
      });
      const delta: StreamStatsDelta = {
        received,
        duplicates,
        rejected: op.rejected.get(ssrc) ?? 0,
        minExtSeq: min,
        maxExtSeq: max,
        endSamples: end,
      };
      store.addStreamStats(rec.id, ssrc, delta);
      rec.packetsStored += received;
      rec.positionMs = Math.max(rec.positionMs, Math.floor(end / SAMPLES_PER_MS));
    }
  }

  function closeOpenSegment(rec: RecordingRuntime, positionMs: number): void {
    const last = store.getSegments(rec.id).at(-1);
    if (last !== undefined && last.endMs === null) store.closeSegment(rec.id, last.index, positionMs);
  }

  function applyOp(rec: RecordingRuntime, op: PendingOp) {
    switch (op.kind) {
      case 'create':
        store.insertRecording(op.row);
        for (const s of op.media.streams)
          store.insertStream({ recordingId: rec.id, ssrc: s.ssrc, label: s.label });
        store.insertSegment(rec.id, { index: 0, startMs: op.row.openPositionMs, endMs: null });
        return;
      case 'frame':
        return applyFrame(rec, op);
      case 'pause':
        store.closeSegment(rec.id, op.segmentIndex, op.positionMs);
        store.updateRecording(rec.id, { state: 'paused' });
        break;
      case 'resume':
        store.insertSegment(rec.id, { index: op.segmentIndex, startMs: op.positionMs, endMs: null });
        store.updateRecording(rec.id, { state: 'active' });
        break;
      case 'event':
        store.insertEvent(rec.id, op.row);
        break;
      case 'discard':
        // On Demand never started: the provisional capture is not kept.
        closeOpenSegment(rec, op.positionMs);
        store.purgeAudio(rec.id);
        store.updateRecording(rec.id, { state: 'discarded', endPositionMs: op.positionMs });
        rec.packetsStored = 0;
        break;
      case 'close': {
        closeOpenSegment(rec, op.positionMs);
        store.updateRecording(rec.id, {
          state: 'closed',
          endPositionMs: op.positionMs,
          closeReason: op.reason,
        });
        break;
      }
      case 'interrupted': {
        const row = store.getRecording(rec.id);
        if (row !== undefined) store.updateRecording(rec.id, { interruptions: row.interruptions + 1 });
        return;
      }
    }
    if ('positionMs' in op) rec.positionMs = Math.max(rec.positionMs, op.positionMs);
  }

  const session: SinkSession = {
    get recordingId() {
      return recording?.id;
    },
    onText,
    onBinary,
    onTransportClosed() {
      transportOpen = false;
      if (
        phase === 'open' &&
        recording !== undefined &&
        (recording.state === 'active' || recording.state === 'paused')
      ) {
        queue({ kind: 'interrupted' });
      }
      end();
    },
    hasPending: () => pending.length > 0 || pongWaiting || closedWaiting,
    applyPending() {
      markedSeq = lastClientSeq;
      markedFrames = framesReceived;
      const ops = pending;
      pending = [];
      if (recording === undefined) return;
      for (const op of ops) applyOp(recording, op);
    },
    afterCommit() {
      durableSeq = markedSeq;
      durableFrames = markedFrames;
      if (recording === undefined) return;
      const dueByFrames = durableFrames - checkpointedFrames >= limits.checkpointEveryFrames;
      if (controlInBatch || pongWaiting || closedWaiting || dueByFrames) {
        checkpointedFrames = durableFrames;
        send('checkpoint', { frames: durableFrames, packets: recording.packetsStored }, durableSeq);
      }
      controlInBatch = false;
      if (pongWaiting) send('pong', {}, durableSeq);
      pongWaiting = false;
      if (closedWaiting) {
        send('closed', { state: recording.state }, durableSeq);
        closedWaiting = false;
      }
    },
    failStorage(cause) {
      pending = [];
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
  };
  return session;
}
