/**
 * One SIPREC recording session's link to the ingest core, through the session hub's public API
 * (`createSession`): control messages go in as the client messages a ws client sends (`open`, `paused`,
 * `resumed`, `error`, `ping`, `close`, seq rising by one), each RTP datagram as one media frame, and the
 * core's answers come back as `ServerMessage`s. So a recording arriving by SIPREC is committed, checked,
 * superseded, stored, listed and retained by exactly the code a ws recording goes through.
 */
import type { SinkKey } from '../../protocol/auth-signature.ts';
import type {
  ClientMessage,
  ClientMessageOf,
  ClientMessageType,
  ServerMessage,
} from '../../protocol/messages.ts';
import { clientMessage, encodeMessage, parseServerText } from '../../protocol/parse-message.ts';
import type { SessionHub } from '../ingest/session-hub.ts';

export interface IngestLink {
  /** Sends the next control message (its seq is the link's). */
  send<T extends ClientMessageType>(
    type: T,
    id: string,
    positionMs: number,
    parameters: ClientMessageOf<T>['parameters'],
  ): void;
  /** One RTP datagram as one frame; `ssrc` replaces the packet's own (the stream the SRS routed it to). */
  packet(datagram: Uint8Array, ssrc: number): void;
  /** The SIP side went away without BYE: the core counts an interruption; the recording stays resumable. */
  drop(): void;
  /** The core ended the session (refusal, close, idle, shutdown, superseded). */
  readonly ended: boolean;
}

export interface IngestLinkEvents {
  readonly onReply: (message: ServerMessage) => void;
  /** The core closed the session, with its fault code. */
  readonly onClosed: (reason: string) => void;
}

export function openIngestLink(
  hub: Pick<SessionHub, 'createSession'>,
  key: SinkKey,
  events: IngestLinkEvents,
): IngestLink {
  let seq = 0;
  let ended = false;
  const session = hub.createSession(key, {
    sendText: (text) => {
      const parsed = parseServerText(text);
      if (parsed.ok) events.onReply(parsed.message);
    },
    close: (_code, reason) => {
      if (ended) return;
      ended = true;
      events.onClosed(reason);
    },
  });
  let frame = new Uint8Array(2 + 1500);
  return {
    send(type, id, positionMs, parameters) {
      if (ended) return;
      const message = clientMessage(type, { id, seq: ++seq, positionMs, parameters }) as ClientMessage;
      session.onText(encodeMessage(message));
    },
    packet(datagram, ssrc) {
      if (ended || datagram.length > 0xffff) return;
      if (frame.length < datagram.length + 2) frame = new Uint8Array(datagram.length + 2);
      frame[0] = datagram.length >> 8;
      frame[1] = datagram.length & 0xff;
      frame.set(datagram, 2);
      if (datagram.length >= 12) {
        frame[10] = ssrc >>> 24;
        frame[11] = (ssrc >>> 16) & 0xff;
        frame[12] = (ssrc >>> 8) & 0xff;
        frame[13] = ssrc & 0xff;
      }
      session.onBinary(frame.subarray(0, datagram.length + 2));
    },
    drop() {
      if (ended) return;
      ended = true;
      session.onTransportClosed();
    },
    get ended() {
      return ended;
    },
  };
}
