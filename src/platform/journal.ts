/**
 * The recording client's journal (with reconnect on): every binary frame and control message the caller sent
 * that no checkpoint has covered yet, in sending order, so a new connection can send them again after the
 * recordings are reopened. A checkpoint's `frames` and `clientseq` count per connection (docs/sink-protocol.md,
 * "Durability, checkpoints and resume"), so each entry remembers the number it was sent under on the
 * current connection (0: not sent on it yet), and a new connection starts every entry from 0.
 *
 * Frames are bounded (`maxJournalFrames`): the journal holds the frames themselves, and a sink that never
 * acknowledges must not grow the client without limit. The caller checks `isFull` before adding.
 */
import type { ClientMessageType } from '../protocol/messages.ts';

/** A control message kept for a resend (`open` is resent from the recording's request, `ping` by its waiter). */
export interface JournalText {
  readonly id: string;
  readonly type: Exclude<ClientMessageType, 'open' | 'ping'>;
  readonly positionMs: number;
  readonly parameters: Readonly<Record<string, unknown>>;
}

interface Entry<T> {
  readonly item: T;
  /** Position in sending order over frames and texts. */
  readonly order: number;
  /** The frame number or seq on the current connection; 0 while not sent on it. */
  sent: number;
}

export interface ResendTarget {
  /** Sends a frame on the new connection; returns its frame number there. */
  frame(bytes: Uint8Array): number;
  /** Sends a text; returns its seq there. */
  text(text: JournalText): number;
  /** False drops the text instead (its recording is no longer open, so sending it would be refused). */
  keep(text: JournalText): boolean;
}

export interface Journal {
  /** Frames kept: sent (or waiting to be sent) and not covered by a checkpoint. */
  readonly unackedFrames: number;
  /** Frames and texts kept. */
  readonly unacked: number;
  /** Frames the sink has said are durable, over every connection. */
  readonly durableFrames: number;
  readonly maxJournalFrames: number;
  readonly isFull: boolean;
  /** Keeps a frame; `sent` is its number on the current connection, or 0 when it waits for a resend. */
  addFrame(bytes: Uint8Array, sent: number): void;
  addText(text: JournalText, sent: number): void;
  /** A checkpoint: every text up to `clientSeq` and every frame up to `frames` of this connection is durable. */
  acknowledge(clientSeq: number, frames: number): void;
  /** The connection is gone: nothing is sent on the next one yet. */
  forgetSent(): void;
  /** Sends every entry not yet sent on the current connection, frames and texts in their original order. */
  resend(target: ResendTarget): void;
  /** Forgets every frame kept (no recording they carry is open any more, so none can be resent). */
  dropFrames(): void;
}

/** `maxJournalFrames` may be Infinity (a caller that reconnects by hand keeps everything until acknowledged). */
export function createJournal(maxJournalFrames: number): Journal {
  let frames: Entry<Uint8Array>[] = [];
  let head = 0;
  let texts: Entry<JournalText>[] = [];
  let nextOrder = 0;
  let durableFrames = 0;

  // Acknowledged frames are dropped soon, so the journal holds little beyond its unacknowledged bound.
  const compact = () => {
    if (head >= 256 || (head > 0 && head * 2 > frames.length)) {
      frames = frames.slice(head);
      head = 0;
    }
  };

  return {
    get unackedFrames() {
      return frames.length - head;
    },
    get unacked() {
      return frames.length - head + texts.length;
    },
    get durableFrames() {
      return durableFrames;
    },
    maxJournalFrames,
    get isFull() {
      return frames.length - head >= maxJournalFrames;
    },
    addFrame(bytes, sent) {
      frames.push({ item: bytes, order: nextOrder++, sent });
    },
    addText(text, sent) {
      texts.push({ item: text, order: nextOrder++, sent });
    },
    acknowledge(clientSeq, acked) {
      // Within one connection frames are numbered in sending order, so the acknowledged ones are a prefix.
      while (head < frames.length) {
        const sent = (frames[head] as Entry<Uint8Array>).sent;
        if (sent === 0 || sent > acked) break;
        head += 1;
        durableFrames += 1;
      }
      compact();
      if (texts.some((t) => t.sent > 0 && t.sent <= clientSeq)) {
        texts = texts.filter((t) => t.sent === 0 || t.sent > clientSeq);
      }
    },
    forgetSent() {
      for (let i = head; i < frames.length; i++) (frames[i] as Entry<Uint8Array>).sent = 0;
      for (const t of texts) t.sent = 0;
    },
    dropFrames() {
      frames = [];
      head = 0;
    },
    resend(target) {
      texts = texts.filter((t) => t.sent > 0 || target.keep(t.item));
      let f = head;
      let t = 0;
      while (f < frames.length || t < texts.length) {
        const frame = frames[f];
        const text = texts[t];
        if (text === undefined || (frame !== undefined && frame.order < text.order)) {
          const entry = frame as Entry<Uint8Array>;
          if (entry.sent === 0) entry.sent = target.frame(entry.item);
          f += 1;
        } else {
          if (text.sent === 0) text.sent = target.text(text.item);
          t += 1;
        }
      }
    },
  };
}
