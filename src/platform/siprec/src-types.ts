/**
 * The SRC side of SIPREC as the platform uses it: what one recorded call needs (its parameters), what the
 * core needs from a transport (send SIP to the recorder, media ports for RTP), and what the caller hears
 * back (the outcome of the INVITE, and events as the session goes on). Types only; no sockets.
 */

import type { SipTimerValues } from '../../protocol/sip/transaction/transaction-types.ts';
import type { MetadataNamespace } from '../../protocol/siprec/recording-metadata.ts';
import type { RecordingCodec } from '../../protocol/siprec/recording-sdp.ts';
import type { SimClock } from '../../time/index.ts';

export interface SrcParty {
  /** Address of record, e.g. `sip:+15551230001@example.com` or `tel:+15551230001`. */
  readonly aor: string;
  readonly name?: string;
  /** The party's number for BroadWorks' calling/called party fields. */
  readonly number?: string;
}

/** What one recording of one call needs, as the platform knows it. */
export interface SiprecRecordingParams {
  /** The platform's id of this recording (names the SIP Call-ID). */
  readonly recordingId: string;
  readonly user: SrcParty;
  readonly remote: SrcParty;
  /** Control Hub's dub.point of the user (S19, S33): BroadWorks serviceProviderID, groupID, userID. */
  readonly dubPoint: {
    readonly serviceProvider: string;
    readonly externalGroup: string;
    readonly externalIdentifier: string;
  };
  /** inbound = the user was called (BroadWorks termCall), outbound = the user called (origCall). */
  readonly direction: 'inbound' | 'outbound';
  /** The codec the media pipeline encodes in; offered first. */
  readonly format: RecordingCodec;
  /** The user's configured codec order; default: `format` first, then the other G.711 law. */
  readonly codecs?: readonly RecordingCodec[];
  /** SSRC of each stream: label 1 (the user) and label 2 (the remote party). */
  readonly ssrcs: { readonly user: number; readonly remote: number };
  /** The call's id on the platform (BroadWorks callID); default: the recording id. */
  readonly callId?: string;
}

export interface SrcAddress {
  readonly address: string;
  readonly port: number;
}

/** The RTP side of one recording: two local ports (label 1, label 2) and a way to send from them. */
export interface SrcMediaPorts {
  readonly address: string;
  readonly userPort: number;
  readonly remotePort: number;
  send(label: '1' | '2', bytes: Uint8Array, to: SrcAddress): void;
  close(): void;
}

export interface SrcTransport {
  /** What Via and Contact name: where the recorder's answers and requests reach the platform. */
  readonly local: { readonly host: string; readonly port: number; readonly transport: 'UDP' | 'TCP' };
  /** Sends one SIP message to the recorder (the next hop for every request of every session). */
  sendSip(bytes: Uint8Array): void;
  /** Opens the two RTP ports of one recording. */
  openMedia(): SrcMediaPorts | Promise<SrcMediaPorts>;
}

export interface SrcCoreOptions {
  readonly transport: SrcTransport;
  /** The shared clock: virtual in tests and virtual replays, real live. */
  readonly clock: SimClock;
  /** The recorder's URI, e.g. `sip:srs@127.0.0.1:5060`. */
  readonly target: string;
  /** How long the platform waits for the recorder's answer (BroadWorks: 1,000–10,000 ms; default 5,000). */
  readonly recorderWaitMs?: number;
  readonly timers?: SipTimerValues;
  /** `feature-tag` (RFC 7866 `+sip.src`, default) or `src-param` (the bare `;src` BroadWorks sends). */
  readonly contactForm?: 'feature-tag' | 'src-param';
  /** `siprec` (BroadWorks' pre-RFC namespace, default) or `rfc7865`. */
  readonly metadataNamespace?: MetadataNamespace;
  readonly partOrder?: 'sdp-first' | 'metadata-first';
  /** Seeds Call-IDs, tags, branches and metadata UUIDs, so a virtual replay is the same every time. */
  readonly seed?: string;
  /** Wall-clock time (ms since 1970) at clock time 0, for the metadata's start-time; default 0. */
  readonly epochOffsetMs?: number;
  /** The user part of From and Contact; default `webex-src`. */
  readonly localUser?: string;
  readonly onEvent?: (event: SrcEvent) => void;
}

/** How the recorder answered the recording INVITE. */
export type SrcOpenOutcome =
  | { readonly kind: 'answered'; readonly recording: SiprecRecording; readonly answeredAfterMs: number }
  | {
      readonly kind: 'refused';
      readonly status: number;
      /** The reason phrase, and the `Reason` / `Warning` header texts when the recorder sent them. */
      readonly reason: string;
      readonly reasonHeader?: string;
      readonly warning?: string;
      readonly retransmissions: number;
    }
  | {
      readonly kind: 'timed-out';
      /** `recorder-wait`: the platform's wait ran out first; `B`: RFC 3261 Timer B; `transport`: it failed. */
      readonly timer: 'recorder-wait' | 'B' | 'transport';
      readonly afterMs: number;
      readonly retransmissions: number;
      /** A provisional answer came, so the INVITE was cancelled. */
      readonly cancelled: boolean;
    }
  | {
      /** A 200 whose SDP does not answer both labels: it is ACKed and the session ended with BYE. */
      readonly kind: 'bad-answer';
      readonly reason: string;
    };

export interface SrcStreamCounters {
  readonly sent: number;
  /** Packets given while paused or after the end: not sent (nothing goes while paused). */
  readonly held: number;
}

export interface SrcRtpCounters {
  readonly user: SrcStreamCounters;
  readonly remote: SrcStreamCounters;
  /** Packets whose SSRC is neither stream's, or too short to be RTP: never sent. */
  readonly rejected: number;
}

export interface SrcRequestResult {
  readonly method: string;
  readonly cseq: number;
  /** Final status, or 0 when the request timed out (Timer B / F) or could not be sent. */
  readonly status: number;
  readonly reason: string;
}

export type SrcEvent =
  | { readonly type: 'sent'; readonly atMs: number; readonly callId: string; readonly label: string }
  | { readonly type: 'received'; readonly atMs: number; readonly callId: string; readonly label: string }
  | ({ readonly type: 'request-done'; readonly atMs: number; readonly callId: string } & SrcRequestResult)
  | { readonly type: 'ended-by-recorder'; readonly atMs: number; readonly callId: string }
  | { readonly type: 'late-answer-ended'; readonly atMs: number; readonly callId: string };

export type SrcCloseReason = 'end' | 'stopped' | 'failure';

/** One answered recording session: RTP in, pause/resume/announcements/close as SIP. */
export interface SiprecRecording {
  readonly recordingId: string;
  readonly callId: string;
  /** The codec the recorder chose. */
  readonly codec: 'PCMU' | 'PCMA';
  /** Where each label's RTP goes (the recorder's answer). */
  readonly destinations: { readonly user: SrcAddress; readonly remote: SrcAddress };
  /** True from `paused()` until `resumed()`. */
  readonly isPaused: boolean;
  /** True once BYE was sent or the dialog ended (the recorder's BYE, a 408/481). */
  readonly isEnded: boolean;
  readonly counters: SrcRtpCounters;
  /** Every in-dialog request's result, in order. */
  readonly requests: readonly SrcRequestResult[];
  /** One RTP packet of either stream (by its SSRC), sent now unless paused or ended. */
  sendPacket(bytes: Uint8Array): void;
  /** Stops RTP at once and sends the `a=inactive` re-INVITE; resolves with its result. */
  paused(positionMs: number): Promise<SrcRequestResult>;
  /** Sends the `a=sendonly` re-INVITE and lets RTP flow again; resolves with its result. */
  resumed(positionMs: number): Promise<SrcRequestResult>;
  /** Tells the recorder an announcement was played (an INFO, see docs/siprec.md). */
  announcement(
    kind: 'start' | 'stop' | 'pause' | 'resume',
    positionMs: number,
    sound?: 'announcement' | 'beep',
  ): Promise<SrcRequestResult>;
  /** Stops RTP, sends BYE, resolves with its result and closes the media ports. */
  close(positionMs: number, reason?: SrcCloseReason): Promise<SrcRequestResult>;
}
