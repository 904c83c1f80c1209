/**
 * One answered recording session: RTP goes out while it is neither paused nor ended, and every change is
 * an in-dialog request, one at a time in the order asked (RFC 3261 §14.1 allows one INVITE transaction
 * per dialog at a time; queuing INFO and BYE behind it keeps the recorder's view in the platform's order):
 * pause and resume are re-INVITEs (`a=inactive` / `a=sendonly`, CSeq + 1, `o=` version + 1, each 2xx
 * ACKed in a new transaction), announcements are INFOs, stop and hang-up are BYE. A 408 or 481 to any of
 * them, or a re-INVITE that times out, ends the dialog (RFC 3261 §12.2.1.2); a BYE from the recorder
 * ends it too. The recorder's retransmitted 2xx is ACKed again from the stored ACK.
 */
import { bodyText, type SipRequest, type SipResponse } from '../../protocol/sip/sip-message.ts';
import {
  acceptRecordingAnswer,
  buildPauseReInvite,
  buildRecordingAck,
  buildRecordingBye,
  type SrcDialog,
} from '../../protocol/siprec/src-session.ts';
import type { RtpSender } from './rtp-sender.ts';
import { runClientTransaction, type SrcContext } from './src-context.ts';
import type { SrcIdentifiers } from './src-identifiers.ts';
import { buildAnnouncementInfo, cseqOf } from './src-requests.ts';
import type { SiprecRecording, SrcAddress, SrcMediaPorts, SrcRequestResult } from './src-types.ts';

interface Job {
  readonly build: (dialog: SrcDialog) => { request: SipRequest; dialog: SrcDialog };
  readonly resolve: (result: SrcRequestResult) => void;
}

export interface DialogSession {
  readonly recording: SiprecRecording;
  /** A 2xx that matched no transaction: ACKed again if it repeats the last INVITE's answer. */
  strayAnswer(response: SipResponse): void;
  /** The recorder sent BYE. */
  endedByRecorder(): void;
}

export function createDialogSession(options: {
  readonly context: SrcContext;
  readonly ids: SrcIdentifiers;
  readonly dialog: SrcDialog;
  readonly ack: SipRequest;
  readonly recordingId: string;
  readonly codec: 'PCMU' | 'PCMA';
  readonly destinations: { readonly user: SrcAddress; readonly remote: SrcAddress };
  readonly sender: RtpSender;
  readonly media: SrcMediaPorts;
  readonly onFinished: () => void;
}): DialogSession {
  const { context, ids, sender, media } = options;
  const callId = options.dialog.spec.callId;
  let dialog = options.dialog;
  let lastAck = options.ack;
  let paused = false;
  let ended = false;
  let finished = false;
  let busy = false;
  const queue: Job[] = [];
  const requests: SrcRequestResult[] = [];

  const finish = () => {
    if (finished) return;
    finished = true;
    sender.setOpen(false);
    media.close();
    options.onFinished();
  };

  const endDialog = () => {
    ended = true;
    sender.setOpen(false);
  };

  const done = (job: Job, result: SrcRequestResult) => {
    requests.push(result);
    context.emit({ type: 'request-done', atMs: context.clock.nowMs(), callId, ...result });
    job.resolve(result);
    busy = false;
    pump();
  };

  const pump = () => {
    if (busy) return;
    const job = queue.shift();
    if (job === undefined) {
      if (ended) finish();
      return;
    }
    if (ended && !finished && job.build !== byeBuild) {
      const cseq = dialog.cseq;
      job.resolve({ method: 'none', cseq, status: 0, reason: 'the recording session has ended' });
      pump();
      return;
    }
    busy = true;
    const previous = dialog;
    const built = job.build(dialog);
    dialog = built.dialog;
    const { request } = built;
    const { number: cseq, method } = cseqOf(request);
    const result = (status: number, reason: string): SrcRequestResult => ({ method, cseq, status, reason });
    let answered = false;
    let jobAck: SipRequest | undefined;
    runClientTransaction(context, request, (effect) => {
      if (effect.type === 'timeout') {
        if (answered) return;
        answered = true;
        if (method !== 'BYE') endAfterFailure();
        done(
          job,
          result(0, effect.timer === 'transport' ? 'transport failed' : `no answer (Timer ${effect.timer})`),
        );
        return;
      }
      if (effect.type !== 'deliver' || effect.message.kind !== 'response') return;
      const response = effect.message;
      if (response.status < 200) return;
      if (method === 'INVITE' && response.status < 300) {
        if (jobAck !== undefined) {
          context.send(jobAck); // a retransmitted 2xx: this INVITE's ACK again
          return;
        }
        const accepted = acceptRecordingAnswer(dialog, response, bodyText(response));
        jobAck = buildRecordingAck(accepted.ok ? accepted.value.dialog : dialog, ids.nextBranch());
        lastAck = jobAck;
        context.send(jobAck);
        answered = true;
        if (accepted.ok) dialog = accepted.value.dialog;
        done(job, result(response.status, accepted.ok ? response.reason : accepted.fault.message));
        return;
      }
      if (answered) return;
      answered = true;
      if (method === 'INVITE') dialog = { ...dialog, paused: previous.paused };
      if (method !== 'BYE' && (response.status === 408 || response.status === 481)) endAfterFailure();
      done(job, result(response.status, response.reason));
    });
  };

  /** RFC 3261 §12.2.1.2: the dialog is gone; a BYE still tells the recorder when it may not know. */
  const endAfterFailure = () => {
    if (ended) return;
    endDialog();
    queue.unshift({ build: byeBuild, resolve: () => {} });
  };

  const byeBuild = (d: SrcDialog) => buildRecordingBye(d, ids.nextBranch());

  const enqueue = (build: Job['build']): Promise<SrcRequestResult> =>
    new Promise((resolve) => {
      queue.push({ build, resolve });
      pump();
    });

  const recording: SiprecRecording = {
    recordingId: options.recordingId,
    callId,
    codec: options.codec,
    destinations: options.destinations,
    get isPaused() {
      return paused;
    },
    get isEnded() {
      return ended;
    },
    counters: sender.counters,
    requests,
    sendPacket: (bytes) => sender.send(bytes),
    paused: () => {
      paused = true;
      sender.setOpen(false);
      return enqueue((d) => buildPauseReInvite(d, true, ids.nextBranch()));
    },
    resumed: () => {
      paused = false;
      if (!ended) sender.setOpen(true);
      return enqueue((d) => buildPauseReInvite(d, false, ids.nextBranch()));
    },
    announcement: (kind, positionMs, sound = 'announcement') =>
      enqueue((d) =>
        buildAnnouncementInfo(d, { kind, sound, positionMs, sessionId: ids.ids.session }, ids.nextBranch()),
      ),
    close: () => {
      if (ended) {
        if (!busy && queue.length === 0) finish();
        return Promise.resolve({
          method: 'BYE',
          cseq: dialog.cseq,
          status: 0,
          reason: 'the recording session had already ended',
        });
      }
      endDialog();
      return enqueue(byeBuild);
    },
  };

  return {
    recording,
    strayAnswer(response) {
      const { number, method } = cseqOf(response);
      if (method === 'INVITE' && number === dialog.inviteCseq && response.status < 300) context.send(lastAck);
    },
    endedByRecorder() {
      context.emit({ type: 'ended-by-recorder', atMs: context.clock.nowMs(), callId });
      endDialog();
      for (const job of queue.splice(0)) {
        job.resolve({
          method: 'none',
          cseq: dialog.cseq,
          status: 0,
          reason: 'the recorder ended the session',
        });
      }
      if (!busy) finish();
    },
  };
}
