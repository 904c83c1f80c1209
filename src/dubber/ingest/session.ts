/**
 * The WebSocket transport of the ingest core: one connection's text messages are parsed (JSON, schema)
 * and their `seq` checked before the core gets them; each binary frame is checked and split into its
 * length-prefixed RTP packets; replies go back as JSON text. Everything else — what a message means for
 * its recording, what is stored and when, what is answered — is the core's (ingest-core.ts). No sockets
 * here either: the transport is two callbacks, so the whole protocol is tested without a network.
 */

import { checkMediaFrame } from '../../protocol/media-frame.ts';
import { checkSeq, encodeMessage, parseClientText } from '../../protocol/parse-message.ts';
import { createIngestCore, type IngestCommits, type IngestDeps } from './ingest-core.ts';

export interface SessionTransport {
  sendText(text: string): void;
  close(code: number, reason: string): void;
}

/** The core's dependencies, with the hub's callbacks naming the session they concern. */
export interface SessionDeps extends Omit<IngestDeps, 'requestFlush' | 'claimRecording' | 'onEnded'> {
  /** The session has queued writes; the server schedules a group commit. */
  readonly requestFlush: (session: SinkSession) => void;
  /** Makes this session the recording's only live connection, ending any older one. */
  readonly claimRecording: (recordingKey: string, session: SinkSession) => void;
  /** Called once when the session ends (fatal error, close, transport gone). */
  readonly onEnded?: (session: SinkSession) => void;
}

export interface SinkSession extends IngestCommits {
  onText(text: string): void;
  onBinary(frame: Uint8Array): void;
  /** The socket went away (with or without `close`). */
  onTransportClosed(): void;
}

export function createSinkSession(deps: SessionDeps, transport: SessionTransport): SinkSession {
  const { onEnded, requestFlush: _requestFlush, claimRecording: _claim, ...shared } = deps;
  const core = createIngestCore(
    {
      ...shared,
      requestFlush: () => deps.requestFlush(session),
      claimRecording: (recordingKey) => deps.claimRecording(recordingKey, session),
      ...(onEnded ? { onEnded: () => onEnded(session) } : {}),
    },
    {
      send: (message) => transport.sendText(encodeMessage(message)),
      close: (code, reason) => transport.close(code, reason),
    },
  );

  function onText(text: string) {
    if (core.ended) return;
    const parsed = parseClientText(text);
    if (!parsed.ok) {
      if (parsed.fault.code === 'SINK_ERR_UNKNOWN_TYPE' && parsed.seq !== undefined) {
        const seqFault = checkSeq(core.lastClientSeq, parsed.seq);
        if (seqFault) return core.fail(seqFault);
        return core.unknownMessage(parsed.seq, parsed.fault);
      }
      return core.fail(parsed.fault);
    }
    const seqFault = checkSeq(core.lastClientSeq, parsed.message.seq);
    if (seqFault) return core.fail(seqFault);
    core.message(parsed.message, parsed.positionMs);
  }

  // The per-packet entry, read once: at 2,000 calls the loop below runs 200,000 times a second.
  const { packet } = core;

  function onBinary(frame: Uint8Array) {
    if (!core.acceptsFrame()) return;
    const frameFault = checkMediaFrame(frame);
    if (frameFault) return core.fail(frameFault);
    core.beginFrame();
    // A frame is RTP packets, each after its 16-bit length (docs/sink-protocol.md, "Media frames").
    for (let at = 0; at < frame.length; ) {
      const length = ((frame[at] as number) << 8) | (frame[at + 1] as number);
      const start = at + 2;
      at = start + length;
      packet(frame, start, length);
    }
    core.endFrame();
  }

  const session: SinkSession = {
    get recordingId() {
      return core.recordingId;
    },
    recordingIds: () => core.recordingIds(),
    get multiplexed() {
      return core.multiplexed;
    },
    get packetsDropped() {
      return core.packetsDropped;
    },
    onText,
    onBinary,
    onTransportClosed: () => core.transportClosed(),
    hasPending: () => core.hasPending(),
    hasQueuedWrites: () => core.hasQueuedWrites(),
    applyPending: () => core.applyPending(),
    afterCommit: () => core.afterCommit(),
    failStorage: (cause) => core.failStorage(cause),
    terminate: (fault) => core.terminate(fault),
    sealRecording: (recordingKey) => core.sealRecording(recordingKey),
    supersede: (recordingKey) => core.supersede(recordingKey),
  };
  return session;
}
