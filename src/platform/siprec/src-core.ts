/**
 * The platform's SIPREC client (SRC, RFC 7866), without sockets: it opens one recording session per
 * recorded call over an injected transport, on the shared clock, so it runs the same in virtual time and
 * live. `open` sends the BroadWorks-shaped INVITE in the RFC 3261 INVITE client transaction (over UDP resent
 * at Timer A: 0.5 s, 1 s, 2 s …) inside the platform's recorder wait (1–10 s): the recorder's 200 is ACKed
 * and gives a `SiprecRecording`; a final ≥ 300 is a refusal with its status, `Reason` and `Warning`; the
 * wait running out first abandons the INVITE (CANCEL once a provisional answer came, RFC 3261 §9.1) and is
 * a timeout, as is Timer B. A 2xx arriving after the platform gave up is ACKed and ended with BYE, so the
 * recorder never holds a session the platform does not know. Requests from the recorder are answered: BYE
 * (ends the session), OPTIONS, and 481/405 for anything else.
 */
import { SimError } from '../../errors.ts';
import { parseSipDatagram } from '../../protocol/sip/parse-sip.ts';
import { serialiseSip } from '../../protocol/sip/serialise-sip.ts';
import {
  bodyText,
  headerValue,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../protocol/sip/sip-message.ts';
import { buildResponse } from '../../protocol/sip/sip-responses.ts';
import { DEFAULT_SIP_TIMERS, transactionKey } from '../../protocol/sip/transaction/transaction-types.ts';
import { RECORDING_CODECS, type RecordingCodec } from '../../protocol/siprec/recording-sdp.ts';
import {
  acceptRecordingAnswer,
  buildRecordingAck,
  buildRecordingBye,
  createRecordingInvite,
  type SrcDialog,
  type SrcRecordingSpec,
} from '../../protocol/siprec/src-session.ts';
import { createRtpSender } from './rtp-sender.ts';
import { runClientTransaction, type SrcContext } from './src-context.ts';
import { createDialogSession, type DialogSession } from './src-dialog.ts';
import { createSrcIdentifiers } from './src-identifiers.ts';
import { buildCancel, cseqOf, dialogOfAnswer } from './src-requests.ts';
import type { SiprecRecordingParams, SrcCoreOptions, SrcOpenOutcome } from './src-types.ts';
import { trackClock } from './tracked-clock.ts';
import { validateRecordingParams } from './validate-params.ts';

export const DEFAULT_RECORDER_WAIT_MS = 5_000;
const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, INFO';

export interface SiprecSrcCore {
  /** Opens one recording session; resolves with how the recorder answered (never rejects for that). */
  open(params: SiprecRecordingParams): Promise<SrcOpenOutcome>;
  /** A datagram (UDP) from the recorder. Unreadable ones are dropped (and counted). */
  receiveDatagram(bytes: Uint8Array): void;
  /** A message already framed (TCP stream reader). */
  receiveMessage(message: SipMessage): void;
  /** The connection to the recorder failed (TCP): every running transaction hears it. */
  transportFailed(): void;
  /** Sessions being set up or answered and not yet finished. */
  readonly activeSessions: number;
  /** Datagrams that did not parse as SIP. */
  readonly unreadable: number;
  /**
   * Stops every timer (retransmissions, the transactions' linger timers, the recorder waits) and ends
   * every session without sending anything; `open` refuses afterwards. The socket shell calls it on close.
   */
  dispose(): void;
}

type SessionEntry =
  | { readonly phase: 'inviting'; readonly onStray: (response: SipResponse) => void }
  | { readonly phase: 'answered'; readonly session: DialogSession };

function headerText(response: SipResponse, name: string): string | undefined {
  return headerValue(response, name);
}

export function createSiprecSrcCore(options: SrcCoreOptions): SiprecSrcCore {
  const { transport } = options;
  const clock = trackClock(options.clock);
  let disposed = false;
  const waitMs = options.recorderWaitMs ?? DEFAULT_RECORDER_WAIT_MS;
  if (!(Number.isFinite(waitMs) && waitMs > 0)) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `The recorder wait must be a positive number of milliseconds (BroadWorks uses 1,000–10,000); got ${waitMs}.`,
      { details: { recorderWaitMs: waitMs } },
    );
  }
  const timers = options.timers ?? DEFAULT_SIP_TIMERS;
  const reliable = transport.local.transport === 'TCP';
  const sessions = new Map<string, SessionEntry>();
  let unreadable = 0;
  let opened = 0;

  const label = (m: SipMessage) => (m.kind === 'request' ? m.method : `${m.status} (${cseqOf(m).method})`);
  const context: SrcContext = {
    clock,
    options: { reliable, timers },
    transactions: new Map(),
    send(message) {
      transport.sendSip(serialiseSip(message));
      options.onEvent?.({
        type: 'sent',
        atMs: clock.nowMs(),
        callId: headerValue(message, 'Call-ID') ?? '',
        label: label(message),
      });
    },
    emit: (event) => options.onEvent?.(event),
  };

  /**
   * ACK a 2xx nobody waits for any more, then BYE it once: the platform had given up on that session.
   * Later copies of the 2xx (the recorder resends it until it sees an ACK) get the same ACK again.
   */
  const lateAnswerHandler = (dialog: SrcDialog, nextBranch: () => string) => {
    let ack: SipRequest | undefined;
    return (response: SipResponse) => {
      if (ack !== undefined) {
        context.send(ack);
        return;
      }
      const established = dialogOfAnswer(dialog, response);
      ack = buildRecordingAck(established, nextBranch());
      context.send(ack);
      runClientTransaction(context, buildRecordingBye(established, nextBranch()).request, () => {});
      context.emit({ type: 'late-answer-ended', atMs: clock.nowMs(), callId: dialog.spec.callId });
    };
  };

  const answerRequest = (request: SipRequest) => {
    if (request.method === 'ACK') return;
    const callId = headerValue(request, 'Call-ID') ?? '';
    const entry = sessions.get(callId);
    if (request.method === 'BYE' && entry?.phase === 'answered') {
      context.send(buildResponse(request, 200));
      entry.session.endedByRecorder();
      return;
    }
    if (request.method === 'OPTIONS') {
      context.send(buildResponse(request, 200, { headers: [{ name: 'Allow', value: ALLOW }] }));
      return;
    }
    if (entry?.phase !== 'answered' || request.method === 'CANCEL') {
      context.send(buildResponse(request, 481, { toTag: 'src-none' }));
      return;
    }
    if (request.method === 'INFO') {
      context.send(buildResponse(request, 200)); // taken and ignored: the platform needs nothing from it
      return;
    }
    // The recorder has no media to offer the platform: its re-INVITE is refused and the session goes on.
    context.send(
      buildResponse(request, request.method === 'INVITE' ? 488 : 405, {
        headers: [{ name: 'Allow', value: ALLOW }],
      }),
    );
  };

  const receiveMessage = (message: SipMessage) => {
    options.onEvent?.({
      type: 'received',
      atMs: clock.nowMs(),
      callId: headerValue(message, 'Call-ID') ?? '',
      label: label(message),
    });
    if (message.kind === 'request') {
      answerRequest(message);
      return;
    }
    const key = transactionKey(message);
    const handler = key === undefined ? undefined : context.transactions.get(key);
    if (handler !== undefined) {
      handler.response(message);
      return;
    }
    if (message.status < 200 || message.status >= 300) return;
    const entry = sessions.get(headerValue(message, 'Call-ID') ?? '');
    if (entry?.phase === 'answered') entry.session.strayAnswer(message);
    else if (entry?.phase === 'inviting') entry.onStray(message);
  };

  const open = async (params: SiprecRecordingParams): Promise<SrcOpenOutcome> => {
    if (disposed) {
      throw new SimError(
        'SIM_ERR_USAGE',
        'This SIPREC client is closed; create a new one to open recordings.',
      );
    }
    validateRecordingParams(params);
    const ids = createSrcIdentifiers(
      options.seed ?? 'callrec-src',
      `${params.recordingId}#${opened++}`,
      transport.local.host,
    );
    let media: Awaited<ReturnType<typeof transport.openMedia>>;
    try {
      media = await transport.openMedia();
    } catch (error) {
      throw new SimError(
        'SIM_ERR_SINK_UNAVAILABLE',
        `Cannot open the RTP ports of recording ${params.recordingId}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, details: { recordingId: params.recordingId } },
      );
    }
    const codecs: readonly RecordingCodec[] = params.codecs ?? [
      params.format,
      ...RECORDING_CODECS.filter((c) => c !== params.format),
    ];
    const user = (party: typeof params.user) => ({
      aor: party.aor,
      ...(party.name === undefined ? {} : { name: party.name }),
    });
    const inbound = params.direction === 'inbound';
    const calling = inbound ? params.remote.number : params.user.number;
    const called = inbound ? params.user.number : params.remote.number;
    const spec: SrcRecordingSpec = {
      srsUri: options.target,
      local: { ...transport.local, user: options.localUser ?? 'webex-src' },
      callId: ids.callId,
      localTag: ids.localTag,
      codecs,
      media: { address: media.address, userPort: media.userPort, remotePort: media.remotePort },
      user: user(params.user),
      remote: user(params.remote),
      dubPoint: params.dubPoint,
      broadWorks: {
        extTrackingId: ids.extTrackingId,
        callId: params.callId ?? params.recordingId,
        callType: inbound ? 'termCall' : 'origCall',
        ...(calling === undefined ? {} : { callingPartyNumber: calling }),
        ...(called === undefined ? {} : { calledPartyNumber: called }),
      },
      sessionIdHeader: ids.sessionIdHeader,
      startTimeIso: new Date((options.epochOffsetMs ?? 0) + clock.nowMs())
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      ids: ids.ids,
      sdpSessionId: ids.sdpSessionId,
      ...(options.contactForm === undefined ? {} : { contactForm: options.contactForm }),
      ...(options.metadataNamespace === undefined ? {} : { metadataNamespace: options.metadataNamespace }),
      ...(options.partOrder === undefined ? {} : { partOrder: options.partOrder }),
    };
    const { request, dialog } = createRecordingInvite(spec, ids.nextBranch());
    const startedAtMs = clock.nowMs();

    return new Promise<SrcOpenOutcome>((resolve) => {
      let settled = false;
      let provisional = false;
      const forget = () => {
        clock.setTimeout(() => {
          if (sessions.get(spec.callId)?.phase === 'inviting') sessions.delete(spec.callId);
        }, 64 * timers.t1Ms);
      };
      const settle = (outcome: SrcOpenOutcome, keepMedia = false) => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(waitTimer);
        if (!keepMedia) {
          media.close();
          forget();
        }
        resolve(outcome);
      };
      const endLateAnswer = lateAnswerHandler(dialog, ids.nextBranch);
      sessions.set(spec.callId, { phase: 'inviting', onStray: endLateAnswer });

      const tx = runClientTransaction(context, request, (effect) => {
        if (effect.type === 'timeout') {
          settle({
            kind: 'timed-out',
            timer: effect.timer === 'B' ? 'B' : 'transport',
            afterMs: clock.nowMs() - startedAtMs,
            retransmissions: tx.sends - 1,
            cancelled: false,
          });
          return;
        }
        if (effect.type !== 'deliver' || effect.message.kind !== 'response') return;
        const response = effect.message;
        if (response.status < 200) {
          provisional = true;
          return;
        }
        if (response.status >= 300) {
          const reasonText = headerText(response, 'Reason');
          const warning = headerText(response, 'Warning');
          settle({
            kind: 'refused',
            status: response.status,
            reason: response.reason,
            ...(reasonText === undefined ? {} : { reasonHeader: reasonText }),
            ...(warning === undefined ? {} : { warning }),
            retransmissions: tx.sends - 1,
          });
          return;
        }
        const entry = sessions.get(spec.callId);
        if (settled) {
          // A retransmitted 2xx for an answered session, or one that came after the platform gave up.
          if (entry?.phase === 'answered') entry.session.strayAnswer(response);
          else endLateAnswer(response);
          return;
        }
        answered(response);
      });

      const answered = (response: SipResponse) => {
        const accepted = acceptRecordingAnswer(dialog, response, bodyText(response));
        if (!accepted.ok) {
          endLateAnswer(response);
          settle({ kind: 'bad-answer', reason: accepted.fault.message });
          return;
        }
        const { answer } = accepted.value;
        const stream = (l: string) => answer.streams.find((s) => s.label === l);
        const userStream = stream('1');
        const remoteStream = stream('2');
        const codecName = userStream?.codecs[0]?.name;
        const codec = codecName === 'PCMU' || codecName === 'PCMA' ? codecName : undefined;
        if (userStream === undefined || remoteStream === undefined || codec === undefined) {
          endLateAnswer(response);
          settle({ kind: 'bad-answer', reason: 'The answer chose no PCMU or PCMA stream for both labels' });
          return;
        }
        if (userStream.port === 0 || remoteStream.port === 0) {
          endLateAnswer(response);
          settle({ kind: 'bad-answer', reason: 'The recorder refused a stream (port 0)' });
          return;
        }
        const ack = buildRecordingAck(accepted.value.dialog, ids.nextBranch());
        context.send(ack);
        const destinations = {
          user: { address: userStream.address, port: userStream.port },
          remote: { address: remoteStream.address, port: remoteStream.port },
        };
        const sender = createRtpSender({
          media,
          ssrcs: params.ssrcs,
          format: params.format,
          answered: codec,
          destinations,
        });
        sender.setOpen(true);
        const session = createDialogSession({
          context,
          ids,
          dialog: accepted.value.dialog,
          ack,
          recordingId: params.recordingId,
          codec,
          destinations,
          sender,
          media,
          onFinished: () => {
            // Keep answering retransmitted 2xx for a while (Timer M), then forget the dialog.
            clock.setTimeout(() => sessions.delete(spec.callId), 64 * timers.t1Ms);
          },
        });
        sessions.set(spec.callId, { phase: 'answered', session });
        settle(
          { kind: 'answered', recording: session.recording, answeredAfterMs: clock.nowMs() - startedAtMs },
          true,
        );
      };

      const waitTimer = clock.setTimeout(() => {
        if (settled) return;
        const cancelled = provisional;
        if (provisional) runClientTransaction(context, buildCancel(request), () => {});
        else tx.abandon();
        settle({
          kind: 'timed-out',
          timer: 'recorder-wait',
          afterMs: clock.nowMs() - startedAtMs,
          retransmissions: tx.sends - 1,
          cancelled,
        });
      }, waitMs);
    });
  };

  return {
    open,
    receiveDatagram(bytes) {
      const parsed = parseSipDatagram(bytes);
      if (!parsed.ok) {
        unreadable++;
        return;
      }
      receiveMessage(parsed.message);
    },
    receiveMessage,
    transportFailed() {
      // Each running transaction ends as RFC 3261 says for a transport error (a timeout for its TU).
      for (const handler of [...context.transactions.values()]) handler.fail();
      for (const entry of sessions.values()) {
        if (entry.phase === 'answered') entry.session.endedByRecorder();
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const entry of sessions.values()) if (entry.phase === 'answered') entry.session.endedByRecorder();
      clock.clearAll();
      context.transactions.clear();
      sessions.clear();
    },
    get activeSessions() {
      let n = 0;
      for (const entry of sessions.values())
        if (entry.phase === 'answered' && !entry.session.recording.isEnded) n++;
      return n;
    },
    get unreadable() {
      return unreadable;
    },
  };
}
