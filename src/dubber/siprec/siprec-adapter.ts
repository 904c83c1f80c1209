/**
 * The SRS side of SIPREC (RFC 7866) for the fake Dubber, free of sockets: SIP requests and RTP datagrams in,
 * SIP responses out through an injected transport (siprec-transport.ts), time from the injected clock, and
 * every recording fed to the ingest core through the session hub (ingest-link.ts) exactly as a ws client
 * would feed it. So the socket shell (siprec-shell.ts), a test, or a virtual-time replay can drive it.
 *
 * A recording INVITE is checked by the pure SRS decision (answerRecordingInvite: Contact marker, multipart,
 * SDP, metadata, codecs), its BroadWorks identifiers find the Dubber user (the directory) and are compared
 * with the stored dub.point (S33, 403 naming the field), one RTP port is opened per offered stream, and the
 * core is sent `open`; its `opened` becomes the 200 (recvonly per label), its refusal a 4xx with `Warning`
 * and `Reason`. A re-INVITE with every stream `a=inactive` is `paused`, back to `sendonly` is `resumed`
 * (the 200 mirrors `inactive`); BYE sends the RTP receive statistics and `close`, and is answered once the
 * core says `closed` (the recording is durable). CANCEL ends an INVITE still being answered (487). The
 * INVITE and non-INVITE server transactions of RFC 3261 run on the clock (retransmissions, the 200 resent
 * until the ACK). Nothing here throws on input: every defect is an answer or a counted drop.
 */
import { messageOf } from '../../errors.ts';
import { PLATFORM_ORG, type SinkKey } from '../../protocol/auth-signature.ts';
import type { ServerMessage } from '../../protocol/messages.ts';
import { encodeReceiveStats, type StreamReceiveStats } from '../../protocol/receive-stats-event.ts';
import { createRtpReceiveStats, type RtpReceiveStats } from '../../protocol/rtp/rtp-receive-stats.ts';
import { newRtpHeaderScratch, readRtpHeader } from '../../protocol/rtp-header.ts';
import { parseSipDatagram, type SipPartial, type SipStreamItem } from '../../protocol/sip/parse-sip.ts';
import { serialiseSip } from '../../protocol/sip/serialise-sip.ts';
import type { SipFault } from '../../protocol/sip/sip-errors.ts';
import {
  bodyText,
  headerValue,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../protocol/sip/sip-message.ts';
import { buildResponse, faultResponse } from '../../protocol/sip/sip-responses.ts';
import type { SipTimerValues } from '../../protocol/sip/transaction/transaction-types.ts';
import type { DubPointIdentifiers, RecordingOffer } from '../../protocol/siprec/recording-offer.ts';
import { answerSrsRequest, checkRequire } from '../../protocol/siprec/srs-requests.ts';
import {
  answerRecordingInvite,
  answerRecordingReInvite,
  type DubPointCheck,
  type SrsAnswerOptions,
  type SrsDecision,
} from '../../protocol/siprec/srs-session.ts';
import type { SimClock } from '../../time/clock.ts';
import type { SessionHub } from '../ingest/session-hub.ts';
import { type IngestLink, openIngestLink } from './ingest-link.ts';
import {
  coreLabelsOf,
  fnv1a32,
  mixedCodecs,
  openParameters,
  type RecordedUser,
  recordingIdOf,
  storedSsrcsOf,
} from './recording-open.ts';
import { createServerTransactions, type ServerTransaction } from './server-transactions.ts';
import {
  busyResponse,
  cseqNumberOf,
  fromTagOf,
  missingHeaderResponse,
  refusalResponse,
  toTagOf,
} from './sip-answers.ts';
import { DEFAULT_SIPREC_LIMITS, type SiprecLimits } from './siprec-limits.ts';
import type { RtpPort, SipPeer, SiprecTransport } from './siprec-transport.ts';
import {
  CORE_REFUSAL_DEFAULT_STATUS,
  CORE_REFUSAL_STATUS,
  SRS_REFUSAL_STATUS,
  type SrsRefusalCode,
} from './srs-refusals.ts';
import { createSsrcRouting, offeredSsrcs, type SsrcRouting } from './ssrc-routing.ts';

/** Finds the Dubber user a recording belongs to by the metadata's BroadWorks identifiers. */
export interface SiprecDirectory {
  findUser(ids: DubPointIdentifiers): RecordedUser | undefined | Promise<RecordedUser | undefined>;
}

export type SiprecEvent =
  /** A recording INVITE was refused: what the SRC was told. */
  | {
      readonly type: 'refused';
      readonly callId: string;
      readonly status: number;
      readonly code: string;
      readonly message: string;
    }
  | { readonly type: 'recording'; readonly callId: string; readonly recordingId: string }
  /** Something the adapter did not foresee failed; the request got a 500 and the SRS keeps serving. */
  | { readonly type: 'internal-error'; readonly message: string };

export interface SiprecAdapterOptions {
  readonly hub: Pick<SessionHub, 'createSession'>;
  readonly clock: SimClock;
  readonly transport: SiprecTransport;
  readonly directory: SiprecDirectory;
  /** Where SIP reaches this SRS (its Contact), e.g. `{ host: '127.0.0.1', port: 5060 }`. */
  readonly local: { readonly host: string; readonly port: number };
  /** The address the RTP ports listen on (the SDP answer's c=). */
  readonly mediaAddress: string;
  readonly limits?: Partial<SiprecLimits>;
  /** The `Warning` agent (default `callrec-srs`). */
  readonly agent?: string;
  /** The key the ingest core checks org access with (default: the platform's, which acts for every org). */
  readonly key?: SinkKey;
  readonly timers?: SipTimerValues;
  readonly onEvent?: (event: SiprecEvent) => void;
}

export interface SiprecStats {
  readonly sessions: number;
  readonly invites: number;
  readonly recordings: number;
  /** Final responses above 299 sent, by status. */
  readonly refusedByStatus: Readonly<Record<number, number>>;
  /** SIP messages neither answered nor used: unreadable without a Via, oversized datagrams, stray responses. */
  readonly sipDropped: number;
  readonly rtpReceived: number;
  /** RTP to a port no session holds any more (late packets after BYE, before the port closes). */
  readonly rtpNoSession: number;
  /** Datagrams on an RTP port that are not RTP version 2. */
  readonly rtpMalformed: number;
  /** RTP of an SSRC beyond the session's streams. */
  readonly rtpUnrouted: number;
}

export interface SiprecAdapter {
  /** One UDP datagram from `peer`. */
  receiveDatagram(bytes: Uint8Array, peer: SipPeer): void;
  /** One message (or fault) a TCP connection's stream reader produced. */
  receiveStreamItem(item: SipStreamItem, peer: SipPeer): void;
  /** Resolves once every INVITE being answered has its final response. */
  settled(): Promise<void>;
  stats(): SiprecStats;
  readonly sessionCount: number;
  /** Ends every session (each recording interrupted, resumable) and closes every RTP port. */
  close(): void;
}

const SIPREC_KEY: SinkKey = { keyId: 'siprec', secret: '', orgId: PLATFORM_ORG };

interface Dialog {
  readonly key: string;
  readonly callId: string;
  readonly localTag: string;
  readonly peer: SipPeer;
  readonly recordingId: string;
  readonly user: RecordedUser;
  readonly sdpSessionId: string;
  readonly ports: readonly RtpPort[];
  readonly portByLabel: Readonly<Record<string, number>>;
  /** Core label (1, 2) per offered stream index. */
  readonly coreLabels: readonly (1 | 2)[];
  readonly storedSsrc: Readonly<Record<1 | 2, number>>;
  readonly routing: SsrcRouting;
  readonly receive: Map<number, { readonly index: number; readonly stats: RtpReceiveStats }>;
  link: IngestLink;
  readonly startMs: number;
  offer: RecordingOffer;
  answerVersion: number;
  paused: boolean;
  /** established → closing (BYE sent `close`) → ended. */
  phase: 'opening' | 'established' | 'closing' | 'ended';
  /** The INVITE transaction whose 200 waits for its ACK, with its CSeq number. */
  awaitingAck: { readonly cseq: number; readonly tx: ServerTransaction } | undefined;
  initialAcked: boolean;
  lastActivityMs: number;
  keepalive: unknown;
  unrouted: number;
  opened: (result: { ok: true } | { ok: false; code: string; message: string }) => void;
  closedWaiters: (() => void)[];
  lastError?: { readonly code: string; readonly message: string };
}

interface PendingInvite {
  readonly source: string;
  cancelled: boolean;
  done: boolean;
  readonly tx: ServerTransaction;
  readonly request: SipRequest;
}

export function createSiprecAdapter(options: SiprecAdapterOptions): SiprecAdapter {
  const limits: SiprecLimits = { ...DEFAULT_SIPREC_LIMITS, ...options.limits };
  const { clock, transport, hub } = options;
  const agent = options.agent ?? 'callrec-srs';
  const key = options.key ?? SIPREC_KEY;
  const emit = (event: SiprecEvent) => options.onEvent?.(event);
  const dialogs = new Map<string, Dialog>();
  const pending = new Map<string, PendingInvite>();
  const pendingBySource = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  /** Ports of ended sessions, closed when their linger timer fires (or when the adapter closes). */
  const lingering = new Map<unknown, () => void>();
  const scratch = newRtpHeaderScratch();
  let tagCounter = 0;
  let closed = false;
  const counters = {
    invites: 0,
    recordings: 0,
    sipDropped: 0,
    rtpReceived: 0,
    rtpNoSession: 0,
    rtpMalformed: 0,
    rtpUnrouted: 0,
  };
  const refusedByStatus: Record<number, number> = {};

  const contactFor = (peer: SipPeer): string =>
    `<sip:srs@${options.local.host}:${options.local.port}${peer.transport === 'tcp' ? ';transport=tcp' : ''}>`;
  const newTag = (seed: string): string => `srs-${(++tagCounter).toString(36)}-${fnv1a32(seed).toString(16)}`;
  const dialogKey = (callId: string, fromTag: string | undefined) => `${callId}|${fromTag ?? ''}`;

  function send(peer: SipPeer, message: SipMessage): void {
    if (message.kind === 'response' && message.status >= 300) {
      refusedByStatus[message.status] = (refusedByStatus[message.status] ?? 0) + 1;
    }
    try {
      transport.sendSip(peer, serialiseSip(message));
    } catch (cause) {
      emit({ type: 'internal-error', message: `sending SIP: ${messageOf(cause)}` });
    }
  }

  const transactions = createServerTransactions({
    clock,
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    send: (peer, message) => send(peer, message),
  });
  const txKeyOf = transactions.keyOf;
  const startTransaction = transactions.start;

  const respond = (tx: ServerTransaction, response: SipResponse) => tx.send({ type: 'respond', response });

  function refusal(request: SipRequest, status: number, code: string, message: string, localTag?: string) {
    emit({ type: 'refused', callId: headerValue(request, 'Call-ID') ?? '', status, code, message });
    return refusalResponse(agent, request, {
      status,
      code,
      message,
      ...(localTag === undefined ? {} : { localTag }),
    });
  }

  const ownRefusal = (request: SipRequest, code: SrsRefusalCode, message: string, localTag?: string) =>
    refusal(request, SRS_REFUSAL_STATUS[code], code, message, localTag);

  const busy = (request: SipRequest, why: string): SipResponse => {
    emit({
      type: 'refused',
      callId: headerValue(request, 'Call-ID') ?? '',
      status: SRS_REFUSAL_STATUS.SIPREC_ERR_BUSY,
      code: 'SIPREC_ERR_BUSY',
      message: why,
    });
    return busyResponse(agent, request, why, limits.retryAfterS, newTag(why));
  };

  // ---------------------------------------------------------------------------------- INVITE

  function newInvite(request: SipRequest, peer: SipPeer) {
    counters.invites += 1;
    const source = peer.address;
    const held = dialogs.size + pending.size;
    if (closed || held >= limits.maxSessions) {
      const why = closed
        ? 'The recorder is stopping'
        : `The recorder holds ${held} recording sessions, the most it takes (maxSessions)`;
      return send(peer, busy(request, why));
    }
    if ((pendingBySource.get(source) ?? 0) >= limits.maxPendingInvitesPerSource) {
      return send(
        peer,
        busy(
          request,
          `${limits.maxPendingInvitesPerSource} INVITEs from ${source} are still being answered (maxPendingInvitesPerSource)`,
        ),
      );
    }
    const txKey = txKeyOf(request);
    startTransaction(
      request,
      peer,
      (tx) => {
        const invite: PendingInvite = { source, cancelled: false, done: false, tx, request };
        pending.set(txKey, invite);
        pendingBySource.set(source, (pendingBySource.get(source) ?? 0) + 1);
        const work = answerInvite(invite, peer)
          .catch((cause: unknown) => {
            emit({ type: 'internal-error', message: `answering an INVITE: ${messageOf(cause)}` });
            if (!invite.done && !invite.cancelled) {
              respond(tx, ownRefusal(request, 'SIPREC_ERR_INTERNAL', 'The recorder failed', newTag('500')));
            }
          })
          .finally(() => {
            pending.delete(txKey);
            const left = (pendingBySource.get(source) ?? 1) - 1;
            if (left > 0) pendingBySource.set(source, left);
            else pendingBySource.delete(source);
            inFlight.delete(work);
          });
        inFlight.add(work);
      },
      () => {
        // Timer H: our 200 was never ACKed. The recording ends as failed; its ports are released.
        const dialog = dialogs.get(dialogKey(headerValue(request, 'Call-ID') ?? '', fromTagOf(request)));
        if (dialog !== undefined && !dialog.initialAcked) endDialog(dialog, 'failure');
      },
    );
  }

  function answerOptions(
    localTag: string,
    sdpSessionId: string,
    sdpVersion: number,
    peer: SipPeer,
    ports: Readonly<Record<string, number>> | undefined,
    checkDubPoint?: (ids: DubPointIdentifiers) => DubPointCheck | undefined,
  ): SrsAnswerOptions {
    return {
      agent,
      localTag,
      contact: contactFor(peer),
      mediaAddress: options.mediaAddress,
      allocatePorts: (labels) => ports ?? Object.fromEntries(labels.map((l) => [l, 9])),
      sdpSessionId,
      sdpVersion,
      ...(checkDubPoint === undefined ? {} : { checkDubPoint }),
    };
  }

  function refuseDecision(tx: ServerTransaction, request: SipRequest, decision: SrsDecision) {
    if (decision.ok) return;
    emit({
      type: 'refused',
      callId: headerValue(request, 'Call-ID') ?? '',
      status: decision.fault.status,
      code: decision.fault.code,
      message: decision.fault.message,
    });
    respond(tx, decision.response);
  }

  async function answerInvite(invite: PendingInvite, peer: SipPeer): Promise<void> {
    const { request, tx } = invite;
    const callId = headerValue(request, 'Call-ID') ?? '';
    respond(tx, buildResponse(request, 100));
    const required = checkRequire(request, agent);
    if (required !== undefined) {
      invite.done = true;
      return respond(tx, required);
    }
    const localTag = newTag(callId);
    const sdpSessionId = String(fnv1a32(`sdp|${callId}`));
    // First the checks that need nothing but the message (and tell whose recording it is).
    const first = answerRecordingInvite(request, answerOptions(localTag, sdpSessionId, 1, peer, undefined));
    if (!first.ok) {
      invite.done = true;
      return refuseDecision(tx, request, first);
    }
    const ids = first.offer.dubPoint as DubPointIdentifiers;
    const user = await options.directory.findUser(ids);
    if (invite.cancelled) return;
    if (user === undefined) {
      invite.done = true;
      return respond(
        tx,
        ownRefusal(
          request,
          'SIPREC_ERR_UNKNOWN_USER',
          `No Dubber user has userID '${ids.externalIdentifier}' (the dub.point's externalIdentifier, S33); provision the user first`,
          localTag,
        ),
      );
    }
    const streams = first.offer.streams;
    const ports: RtpPort[] = [];
    // Filled once the ports are open; RTP reaching them before the 200 waits for the dialog.
    let dialog: Dialog | undefined;
    try {
      for (const [index] of streams.entries()) {
        ports.push(
          await transport.openRtpPort((datagram) => {
            if (dialog === undefined || dialog.phase === 'ended' || dialog.phase === 'closing') {
              counters.rtpNoSession += 1;
              return;
            }
            receiveRtp(dialog, index, datagram);
          }),
        );
      }
    } catch (cause) {
      for (const port of ports) port.close();
      if (invite.cancelled) return;
      invite.done = true;
      return respond(
        tx,
        ownRefusal(
          request,
          'SIPREC_ERR_NO_PORT',
          `No RTP port could be opened: ${messageOf(cause)}`,
          localTag,
        ),
      );
    }
    const releasePorts = () => {
      for (const port of ports) port.close();
    };
    if (invite.cancelled) return releasePorts();
    const portByLabel = Object.fromEntries(streams.map((s, i) => [s.label, ports[i]?.port ?? 0]));
    const checkDubPoint = (got: DubPointIdentifiers): DubPointCheck | undefined => {
      for (const field of ['serviceProvider', 'externalGroup', 'externalIdentifier'] as const) {
        if (user.dubPoint[field] !== got[field])
          return { field, expected: user.dubPoint[field], got: got[field] };
      }
      return undefined;
    };
    const decision = answerRecordingInvite(
      request,
      answerOptions(localTag, sdpSessionId, 1, peer, portByLabel, checkDubPoint),
    );
    if (!decision.ok) {
      releasePorts();
      invite.done = true;
      return refuseDecision(tx, request, decision);
    }
    if (mixedCodecs(decision.answer)) {
      releasePorts();
      invite.done = true;
      return respond(
        tx,
        refusal(
          request,
          488,
          'SIPREC_ERR_NO_CODEC',
          'The streams would be recorded with different codecs; offer the same first codec on both',
          localTag,
        ),
      );
    }
    const recordingId = recordingIdOf(callId);
    const routing = createSsrcRouting(streams.length);
    for (const [index, ssrc] of offeredSsrcs(bodyText(request)).entries()) {
      if (ssrc !== undefined) routing.declare(ssrc, index);
    }
    const storedSsrc = storedSsrcsOf(recordingId);
    let resolveOpened: Dialog['opened'] = () => {};
    const opened = new Promise<Parameters<Dialog['opened']>[0]>((resolve) => {
      resolveOpened = resolve;
    });
    const fromTag = fromTagOf(request);
    const created: Dialog = {
      key: dialogKey(callId, fromTag),
      callId,
      localTag,
      peer,
      recordingId,
      user,
      sdpSessionId,
      ports,
      portByLabel,
      coreLabels: coreLabelsOf(decision.offer),
      storedSsrc,
      routing,
      receive: new Map(),
      link: undefined as unknown as IngestLink,
      startMs: clock.nowMs(),
      offer: decision.offer,
      answerVersion: 1,
      paused: decision.offer.paused,
      phase: 'opening',
      initialAcked: false,
      awaitingAck: undefined,
      lastActivityMs: clock.nowMs(),
      keepalive: undefined,
      unrouted: 0,
      opened: resolveOpened,
      closedWaiters: [],
    };
    const link = openIngestLink(hub, key, {
      onReply: (message) => onCoreReply(created, message),
      onClosed: (reason) => onCoreClosed(created, reason),
    });
    created.link = link;
    link.send('open', recordingId, 0, openParameters(decision.offer, decision.answer, user, recordingId));
    const result = await opened;
    if (!result.ok) {
      releasePorts();
      created.phase = 'ended';
      if (invite.cancelled) return;
      invite.done = true;
      return respond(
        tx,
        refusal(
          request,
          CORE_REFUSAL_STATUS[result.code] ?? CORE_REFUSAL_DEFAULT_STATUS,
          result.code,
          result.message,
          localTag,
        ),
      );
    }
    if (invite.cancelled || closed) {
      // Nothing was recorded yet: the capture is dropped, as an On Demand capture never started is.
      link.send('discarded', recordingId, 0, { reason: 'CANCEL before the answer' });
      link.send('close', recordingId, 0, { reason: 'end' });
      link.drop();
      created.phase = 'ended';
      return releasePorts();
    }
    if (created.paused) link.send('paused', recordingId, 0, {});
    dialog = created;
    dialog.phase = 'established';
    dialogs.set(dialog.key, dialog);
    counters.recordings += 1;
    emit({ type: 'recording', callId, recordingId });
    startKeepalive(dialog);
    dialog.awaitingAck = { cseq: cseqNumberOf(request), tx };
    invite.done = true;
    respond(tx, decision.response);
  }

  function onCoreReply(dialog: Dialog, message: ServerMessage): void {
    if (message.type === 'opened') dialog.opened({ ok: true });
    else if (message.type === 'error') {
      dialog.lastError = { code: message.parameters.code, message: message.parameters.message };
      if (message.parameters.fatal && dialog.phase === 'opening') {
        dialog.opened({ ok: false, code: message.parameters.code, message: message.parameters.message });
      }
    } else if (message.type === 'closed') {
      const waiters = dialog.closedWaiters.splice(0);
      for (const waiter of waiters) waiter();
    }
  }

  function onCoreClosed(dialog: Dialog, reason: string): void {
    if (dialog.phase === 'opening') {
      dialog.opened({
        ok: false,
        code: dialog.lastError?.code ?? reason,
        message: dialog.lastError?.message ?? 'The recording could not be opened',
      });
      return;
    }
    // Idle, superseded, shutdown or storage: the SIP session has nothing left to record into.
    finish(dialog);
  }

  // ---------------------------------------------------------------------------------- in dialog

  const positionOf = (dialog: Dialog): number => Math.max(0, clock.nowMs() - dialog.startMs);

  function startKeepalive(dialog: Dialog): void {
    const tick = () => {
      dialog.keepalive = undefined;
      if (dialog.phase !== 'established') return;
      if (clock.nowMs() - dialog.lastActivityMs >= limits.sessionIdleMs) {
        // Nothing for an hour: the SRC is gone. The recording stays resumable, with an interruption.
        dialog.link.drop();
        finish(dialog);
        return;
      }
      dialog.link.send('ping', dialog.recordingId, positionOf(dialog), {});
      dialog.keepalive = clock.setTimeout(tick, limits.keepaliveMs);
    };
    if (limits.keepaliveMs > 0) dialog.keepalive = clock.setTimeout(tick, limits.keepaliveMs);
  }

  /** The dialog leaves the table; its ports linger a little so late RTP is counted, then close. */
  function finish(dialog: Dialog): void {
    if (dialog.phase === 'ended') return;
    dialog.phase = 'ended';
    if (dialogs.get(dialog.key) === dialog) dialogs.delete(dialog.key);
    if (dialog.keepalive !== undefined) clock.clearTimeout(dialog.keepalive);
    dialog.keepalive = undefined;
    const waiters = dialog.closedWaiters.splice(0);
    for (const waiter of waiters) waiter();
    const release = () => {
      for (const port of dialog.ports) port.close();
    };
    if (limits.rtpLingerMs > 0 && !closed) {
      const timer = clock.setTimeout(() => {
        lingering.delete(timer);
        release();
      }, limits.rtpLingerMs);
      lingering.set(timer, release);
    } else release();
  }

  function receiveStats(dialog: Dialog): StreamReceiveStats[] {
    return [...dialog.receive].map(([ssrc, { index, stats }]) => ({
      label: dialog.coreLabels[index] ?? 1,
      ssrc,
      ...stats.snapshot(),
    }));
  }

  function sendStats(dialog: Dialog): void {
    if (dialog.receive.size === 0 && dialog.unrouted === 0) return;
    dialog.link.send(
      'error',
      dialog.recordingId,
      positionOf(dialog),
      encodeReceiveStats({ streams: receiveStats(dialog), unrouted: dialog.unrouted }),
    );
  }

  /** BYE, or Timer H without an ACK: statistics, then `close`; `done` once the core says `closed`. */
  function endDialog(dialog: Dialog, reason: 'end' | 'failure', done?: () => void): void {
    if (dialog.phase !== 'established') {
      done?.();
      return;
    }
    dialog.phase = 'closing';
    if (dialogs.get(dialog.key) === dialog) dialogs.delete(dialog.key);
    sendStats(dialog);
    dialog.closedWaiters.push(() => {
      done?.();
    });
    dialog.closedWaiters.push(() => {
      dialog.link.drop();
      finish(dialog);
    });
    dialog.link.send('close', dialog.recordingId, positionOf(dialog), { reason });
    if (dialog.link.ended) finish(dialog);
  }

  function receiveRtp(dialog: Dialog, portIndex: number, datagram: Uint8Array): void {
    counters.rtpReceived += 1;
    const reason = readRtpHeader(datagram, 0, datagram.length, scratch);
    if (reason !== undefined) {
      counters.rtpMalformed += 1;
      return;
    }
    const index = dialog.routing.route(scratch.ssrc, portIndex);
    if (index === undefined) {
      counters.rtpUnrouted += 1;
      dialog.unrouted += 1;
      return;
    }
    const nowMs = clock.nowMs();
    dialog.lastActivityMs = nowMs;
    let entry = dialog.receive.get(scratch.ssrc);
    if (entry === undefined) {
      entry = { index, stats: createRtpReceiveStats() };
      dialog.receive.set(scratch.ssrc, entry);
    }
    entry.stats.receive(scratch.sequenceNumber, scratch.timestamp >>> 0, nowMs);
    const label = dialog.coreLabels[index] ?? 1;
    dialog.link.packet(datagram, dialog.storedSsrc[label]);
  }

  function reInvite(request: SipRequest, peer: SipPeer, dialog: Dialog): void {
    startTransaction(request, peer, (tx) => {
      dialog.lastActivityMs = clock.nowMs();
      const required = checkRequire(request, agent);
      if (required !== undefined) return respond(tx, required);
      if (dialog.phase !== 'established') {
        return respond(tx, ownRefusal(request, 'SIPREC_ERR_NO_SESSION', 'The recording session is ending'));
      }
      const checkDubPoint = (got: DubPointIdentifiers): DubPointCheck | undefined => {
        for (const field of ['serviceProvider', 'externalGroup', 'externalIdentifier'] as const) {
          const expected = dialog.user.dubPoint[field];
          if (expected !== got[field]) return { field, expected, got: got[field] };
        }
        return undefined;
      };
      const decision = answerRecordingReInvite(
        request,
        dialog.offer,
        answerOptions(
          dialog.localTag,
          dialog.sdpSessionId,
          dialog.answerVersion + 1,
          peer,
          dialog.portByLabel,
          checkDubPoint,
        ),
      );
      // A refused re-INVITE leaves the session as it was (RFC 3261 §14.2).
      if (!decision.ok) return refuseDecision(tx, request, decision);
      dialog.offer = decision.offer;
      dialog.answerVersion += 1;
      const at = positionOf(dialog);
      if (decision.offer.paused && !dialog.paused) {
        dialog.paused = true;
        dialog.link.send('paused', dialog.recordingId, at, {});
        sendStats(dialog);
      } else if (!decision.offer.paused && dialog.paused) {
        dialog.paused = false;
        dialog.link.send('resumed', dialog.recordingId, at, {});
      }
      dialog.awaitingAck = { cseq: cseqNumberOf(request), tx };
      respond(tx, decision.response);
    });
  }

  function ack(request: SipRequest) {
    // A 2xx ACK is a transaction of its own, matched by dialog and CSeq; a non-2xx ACK shares its INVITE's branch.
    const dialog = dialogs.get(dialogKey(headerValue(request, 'Call-ID') ?? '', fromTagOf(request)));
    const waiting = dialog?.awaitingAck;
    if (dialog !== undefined && waiting !== undefined && waiting.cseq === cseqNumberOf(request)) {
      dialog.awaitingAck = undefined;
      dialog.initialAcked = true;
      dialog.lastActivityMs = clock.nowMs();
      return waiting.tx.send({ type: 'request', request });
    }
    transactions.get(txKeyOf(request))?.send({ type: 'request', request });
  }

  function cancel(request: SipRequest, peer: SipPeer): void {
    const inviteKey = txKeyOf(request).replace(/\|CANCEL$/, '|INVITE');
    const invite = pending.get(inviteKey);
    if (invite === undefined || invite.done || invite.cancelled) {
      const answer = answerSrsRequest(request, {
        agent,
        localTag: newTag('cancel'),
        knowsDialog: () => false,
      });
      if (answer !== undefined) send(peer, answer);
      return;
    }
    invite.cancelled = true;
    send(peer, buildResponse(request, 200, { toTag: newTag('cancel') }));
    respond(
      invite.tx,
      buildResponse(invite.request, 487, { reason: 'Request Terminated', toTag: newTag('487') }),
    );
  }

  function inDialogRequest(request: SipRequest, peer: SipPeer, dialog: Dialog): void {
    startTransaction(request, peer, (tx) => {
      dialog.lastActivityMs = clock.nowMs();
      const required = checkRequire(request, agent);
      if (required !== undefined) return respond(tx, required);
      if (request.method === 'BYE') {
        return endDialog(dialog, 'end', () => respond(tx, buildResponse(request, 200)));
      }
      // INFO: answered; what it carries is not recorded.
      respond(tx, buildResponse(request, 200));
    });
  }

  // ---------------------------------------------------------------------------------- entry

  function handleRequest(request: SipRequest, peer: SipPeer) {
    if (request.method === 'ACK') return ack(request);
    if (request.method === 'CANCEL') return cancel(request, peer);
    const existing = transactions.get(txKeyOf(request));
    if (existing !== undefined) return existing.send({ type: 'request', request });
    const callId = headerValue(request, 'Call-ID') ?? '';
    const dialog = dialogs.get(dialogKey(callId, fromTagOf(request)));
    const inDialog = toTagOf(request) !== undefined;
    if (request.method === 'INVITE') {
      if (!inDialog) return newInvite(request, peer);
      if (dialog !== undefined && dialog.localTag === toTagOf(request))
        return reInvite(request, peer, dialog);
      return send(
        peer,
        ownRefusal(request, 'SIPREC_ERR_NO_SESSION', 'No recording session with this Call-ID and tags'),
      );
    }
    if ((request.method === 'BYE' || request.method === 'INFO') && dialog !== undefined && inDialog) {
      return inDialogRequest(request, peer, dialog);
    }
    const answer = answerSrsRequest(request, {
      agent,
      localTag: newTag(request.method),
      knowsDialog: () => false,
    });
    if (answer !== undefined) send(peer, answer);
  }

  function handleFault(partial: SipPartial, fault: SipFault, peer: SipPeer): void {
    const answer =
      faultResponse(partial, fault, agent, newTag(fault.code)) ??
      (fault.code === 'SIP_ERR_MISSING_HEADER' ? missingHeaderResponse(agent, partial, fault) : undefined);
    if (answer === undefined) {
      counters.sipDropped += 1;
      return;
    }
    send(peer, answer);
  }

  function guarded(what: string, fn: () => void): void {
    try {
      fn();
    } catch (cause) {
      // Never a crash: an unforeseen failure is reported and the SRS keeps serving.
      emit({ type: 'internal-error', message: `${what}: ${messageOf(cause)}` });
    }
  }

  function handleMessage(message: SipMessage, peer: SipPeer): void {
    if (message.kind === 'response') {
      counters.sipDropped += 1; // this SRS sends no requests, so no response is ours
      return;
    }
    handleRequest(message, peer);
  }

  return {
    receiveDatagram(bytes, peer) {
      guarded('a SIP datagram', () => {
        const parsed = parseSipDatagram(bytes, limits);
        if (!parsed.ok) return handleFault(parsed.partial, parsed.fault, peer);
        handleMessage(parsed.message, peer);
      });
    },
    receiveStreamItem(item, peer) {
      guarded('a SIP stream message', () => {
        if (!item.ok) return handleFault(item.partial, item.fault, peer);
        handleMessage(item.message, peer);
      });
    },
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    stats: () => ({
      sessions: dialogs.size,
      invites: counters.invites,
      recordings: counters.recordings,
      refusedByStatus: { ...refusedByStatus },
      sipDropped: counters.sipDropped,
      rtpReceived: counters.rtpReceived,
      rtpNoSession: counters.rtpNoSession,
      rtpMalformed: counters.rtpMalformed,
      rtpUnrouted: counters.rtpUnrouted,
    }),
    get sessionCount() {
      return dialogs.size;
    },
    close() {
      closed = true;
      for (const dialog of [...dialogs.values()]) {
        dialog.link.drop();
        finish(dialog);
      }
      for (const invite of pending.values()) invite.cancelled = true;
      for (const [timer, release] of lingering) {
        clock.clearTimeout(timer);
        release();
      }
      lingering.clear();
      transactions.stopAll();
    },
  };
}
