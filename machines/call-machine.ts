/**
 * One call, as one XState v5 machine: the call phase (setup → connected ⇄ held → ended), the recording
 * behaviour of the user's mode (S20–S23, S28), the recorder connection and its failure behaviour, the
 * announcements (S24–S27), and the repeat tone (S29). It reads top-down as the spec; docs/call-machine.md
 * is generated from it (`callrec machine --mermaid`).
 *
 * Effects are `emit`ted CallLogEvents (announcements, tones, rejections, recorder); state changes are
 * derived from snapshots by the driver (src/call/). Timers are named delays on the injected clock.
 */
import { assign, cancel, emit, enqueueActions, raise, setup } from 'xstate';
import {
  type FailureBehaviour,
  type RecorderTransport,
  retransmissionAnswerAtMs,
} from '../src/domain/recorder.ts';
import type {
  AnnouncementKind,
  CallLogEvent,
  RecordingState,
  StopReason,
  UserCommand,
} from './call-events.ts';
import { announcesStartStop, type CallInput, type RecordingPolicy, recordingPolicyOf } from './call-input.ts';
import { recordingStateOfValue } from './call-selectors.ts';
import { describeStates } from './call-state-docs.ts';

export type CallCommandEvent =
  | { type: 'ANSWER' }
  | { type: 'HANG_UP' }
  | { type: 'HOLD' }
  | { type: 'UNHOLD' }
  | { type: 'START' }
  | { type: 'STOP' }
  | { type: 'PAUSE' }
  | { type: 'RESUME' }
  | { type: 'RECORDER_DOWN' }
  | { type: 'RECORDER_UP' };

type InternalEvent = { type: 'END_CALL_AFTER_FAILURE' } | { type: 'RETRANSMISSION_ANSWERED' };
export type CallMachineEvent = CallCommandEvent | InternalEvent;

export interface CallContext {
  readonly callId: string;
  readonly policy: RecordingPolicy;
  readonly announcesStartStop: boolean;
  readonly pauseResumeSound: 'beep' | 'announcement' | null;
  readonly repeatIntervalMs: number | null;
  readonly failureBehaviour: FailureBehaviour;
  readonly recorderWaitMs: number;
  readonly recorderAnswerMs: number;
  readonly recorderTransport: RecorderTransport;
  /** When the recorder was asked (the request the platform retransmits while it waits). */
  readonly connectStartedMs: number;
  /** The recorder's answer came due while it was down; only a retransmission can still reach it. */
  readonly answerMissed: boolean;
  readonly nowMs: () => number;
  readonly recorderUp: boolean;
  readonly held: boolean;
  /** The capture under way is On Demand's provisional one (kept only if the user starts, S21). */
  readonly provisional: boolean;
  /** The user pressed start while the provisional capture was still connecting. */
  readonly keepRequested: boolean;
  readonly stopReason: StopReason | null;
  /** Time spent recording with the call not held; the repeat tone counts whole intervals of it. */
  readonly activeRecordingMs: number;
  readonly activeSinceMs: number;
  readonly tones: number;
  /** The recordingState at hang-up, frozen. */
  readonly finalRecordingState: RecordingState;
  readonly endedBy: 'hang-up' | 'recorder-failure' | null;
}

const MODE_NAMES: Record<RecordingPolicy, string> = {
  never: 'Never',
  always: 'Always',
  alwaysPauseResume: 'Always with Pause/Resume',
  onDemand: 'On Demand',
  onDemandUserStart: 'On Demand with User Initiated Start',
};

export function policyAllowsStartStop(policy: RecordingPolicy): boolean {
  return policy === 'onDemand' || policy === 'onDemandUserStart';
}
export function policyAllowsPauseResume(policy: RecordingPolicy): boolean {
  return policy === 'alwaysPauseResume' || policyAllowsStartStop(policy);
}

/** Why the mode itself forbids a command, or null when the mode allows it (S20–S23, S28). */
export function modeForbids(policy: RecordingPolicy, command: UserCommand): string | null {
  const allowed =
    command === 'start' || command === 'stop'
      ? policyAllowsStartStop(policy)
      : policyAllowsPauseResume(policy);
  if (allowed) return null;
  switch (policy) {
    case 'never':
      return `${command} is not available: this call is not recorded (mode Never, S20; voicemail only with voicemail recording on, S28)`;
    case 'always':
      return `${command} is not available in Always: every call is recorded and the user has no control (S22)`;
    default:
      return `${command} is not available in ${MODE_NAMES[policy]}: the user may pause and resume, never start or stop (S23)`;
  }
}

const MAX_TIMER_MS = 2_147_483_647;
const NOT_STARTED = 'recording has not started yet';
const NOT_STARTED_ON_DEMAND =
  'recording has not been started (On Demand keeps the call only once started, S21)';
const RECORDER_FAILED = 'recording failed: the recorder did not answer';

function announcement(
  context: CallContext,
  kind: AnnouncementKind,
  sound: 'announcement' | 'beep',
): CallLogEvent {
  // S26/S32: Dubber is told when an *announcement* was played about a recording. A beep is not an
  // announcement, and a failure notice has no recording to attach to.
  const reportedToDubber = sound === 'announcement' && kind !== 'failure';
  return { type: 'announcement', atMs: context.nowMs(), kind, sound, reportedToDubber };
}

type RejectParams = { readonly command: UserCommand; readonly reason: string };
const reject = (command: UserCommand, reason: string) => ({
  type: 'reject' as const,
  params: { command, reason },
});

export const callMachine = setup({
  types: {
    context: {} as CallContext,
    events: {} as CallMachineEvent,
    input: {} as CallInput,
    emitted: {} as CallLogEvent,
  },
  guards: {
    autoRecords: ({ context }) => context.policy === 'always' || context.policy === 'alwaysPauseResume',
    capturesOnDemand: ({ context }) => context.policy === 'onDemand',
    mayStart: ({ context }) => policyAllowsStartStop(context.policy),
    mayStartWhileHeld: ({ context }) => policyAllowsStartStop(context.policy) && context.held,
    mayStop: ({ context }) => policyAllowsStartStop(context.policy),
    mayPause: ({ context }) => policyAllowsPauseResume(context.policy),
    isHeld: ({ context }) => context.held,
    recorderWasUp: ({ context }) => context.recorderUp,
    /** The recorder answers only if it is up when its answer is due and answers within the wait. */
    recorderAnswers: ({ context }) => context.recorderUp && context.recorderAnswerMs < context.recorderWaitMs,
    recorderAnswersProvisionally: ({ context }) =>
      context.recorderUp &&
      context.recorderAnswerMs < context.recorderWaitMs &&
      context.provisional &&
      !context.keepRequested,
    mayKeepProvisional: ({ context }) => context.provisional && !context.keepRequested,
    endsCallOnFailure: ({ context }) => context.failureBehaviour === 'END_CALL_WITH_ANNOUNCEMENT',
    repeatToneOn: ({ context }) => context.repeatIntervalMs !== null,
    /** A recorder back during the wait answers the next retransmission, if that answer is within the wait. */
    retransmissionInTime: ({ context }) =>
      !context.recorderUp && context.answerMissed && retransmissionAnswerAt(context) !== null,
    recorderUpProvisionally: ({ context }) =>
      context.recorderUp && context.provisional && !context.keepRequested,
  },
  delays: {
    recorderAnswerMs: ({ context }) => context.recorderAnswerMs,
    recorderWaitMs: ({ context }) => context.recorderWaitMs,
    retransmissionAnswerMs: ({ context }) =>
      Math.max(0, (retransmissionAnswerAt(context) ?? context.nowMs()) - context.nowMs()),
    /**
     * Until the next tone is owed: tone k is due when active recording time reaches k × interval. Counting
     * from the tones already played (not from the time modulo the interval) keeps a tone whose due instant
     * met a pause or hold: it is owed at once (0 ms) when the recording is audible again.
     */
    repeatToneMs: ({ context }) => {
      // With the tone off the timer is guarded out; keep its delay within what a real setTimeout accepts.
      if (context.repeatIntervalMs === null) return MAX_TIMER_MS;
      return Math.max(0, (context.tones + 1) * context.repeatIntervalMs - context.activeRecordingMs);
    },
  },
  actions: {
    markHeld: assign({ held: true }),
    markUnheld: assign({ held: false }),
    markRecorderUp: assign({ recorderUp: true }),
    markRecorderDown: assign({ recorderUp: false }),
    markConnectStarted: assign({ connectStartedMs: ({ context }) => context.nowMs(), answerMissed: false }),
    markAnswerMissed: assign({ answerMissed: true }),
    scheduleRetransmissionAnswer: raise(
      { type: 'RETRANSMISSION_ANSWERED' },
      { delay: 'retransmissionAnswerMs', id: 'retransmission' },
    ),
    cancelRetransmission: cancel('retransmission'),
    beginAttempt: assign({ provisional: false, keepRequested: false, stopReason: null }),
    beginProvisionalAttempt: assign({ provisional: true, keepRequested: false, stopReason: null }),
    requestKeep: assign({ keepRequested: true }),
    keepCapture: assign({ provisional: false, keepRequested: false }),
    requestRecorder: emit(
      ({ context }) => ({ type: 'recorder', atMs: context.nowMs(), status: 'requested' }) as const,
    ),
    recorderConnected: emit(
      ({ context }) => ({ type: 'recorder', atMs: context.nowMs(), status: 'connected' }) as const,
    ),
    recorderUnreachable: emit(
      ({ context }) => ({ type: 'recorder', atMs: context.nowMs(), status: 'unreachable' }) as const,
    ),
    playStartAnnouncement: enqueueActions(({ context, enqueue }) => {
      if (context.announcesStartStop) enqueue.emit(announcement(context, 'start', 'announcement'));
    }),
    playStopAnnouncement: enqueueActions(({ context, enqueue }) => {
      if (context.announcesStartStop) enqueue.emit(announcement(context, 'stop', 'announcement'));
    }),
    playPauseNotification: enqueueActions(({ context, enqueue }) => {
      if (context.pauseResumeSound) enqueue.emit(announcement(context, 'pause', context.pauseResumeSound));
    }),
    playResumeNotification: enqueueActions(({ context, enqueue }) => {
      if (context.pauseResumeSound) enqueue.emit(announcement(context, 'resume', context.pauseResumeSound));
    }),
    applyFailureBehaviour: enqueueActions(({ context, enqueue }) => {
      if (context.failureBehaviour !== 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT') {
        enqueue.emit(announcement(context, 'failure', 'announcement'));
      }
    }),
    endCallAfterFailure: raise({ type: 'END_CALL_AFTER_FAILURE' }),
    stoppedByUser: assign({ stopReason: 'User Requested' as const }),
    stoppedByFailure: assign({ stopReason: 'Failure' as const }),
    markActiveSince: assign({ activeSinceMs: ({ context }) => context.nowMs() }),
    accumulateActive: assign({
      activeRecordingMs: ({ context }) =>
        context.activeRecordingMs + (context.nowMs() - context.activeSinceMs),
    }),
    playTone: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ tones: context.tones + 1 });
      enqueue.emit({ type: 'tone', atMs: context.nowMs(), index: context.tones + 1 });
    }),
    reject: emit(({ context }, params: RejectParams) => ({
      type: 'rejected' as const,
      atMs: context.nowMs(),
      command: params.command,
      reason: modeForbids(context.policy, params.command) ?? params.reason,
    })),
    rejectNotAnswered: emit(({ context, event }) => ({
      type: 'rejected' as const,
      atMs: context.nowMs(),
      command: commandName(event),
      reason: 'the call has not been answered yet',
    })),
    rejectAlreadyHeld: emit(({ context }) => ({
      type: 'rejected' as const,
      atMs: context.nowMs(),
      command: 'hold' as const,
      reason: 'the call is already on hold',
    })),
    rejectNotHeld: emit(({ context }) => ({
      type: 'rejected' as const,
      atMs: context.nowMs(),
      command: 'unhold' as const,
      reason: 'the call is not on hold',
    })),
    freezeRecordingState: assign({
      finalRecordingState: ({ context, self }) => recordingStateOfValue(self.getSnapshot().value, context),
    }),
    endedByHangUp: assign({ endedBy: 'hang-up' as const }),
    endedByFailure: assign({ endedBy: 'recorder-failure' as const, finalRecordingState: 'failed' as const }),
  },
}).createMachine({
  id: 'call',
  context: ({ input }) => ({
    callId: input.callId,
    policy: recordingPolicyOf(input),
    announcesStartStop: announcesStartStop(input),
    pauseResumeSound:
      !input.settings.notification.enabled || input.settings.notification.type === 'None'
        ? null
        : input.settings.notification.type === 'Beep'
          ? 'beep'
          : 'announcement',
    repeatIntervalMs: input.settings.repeat.enabled ? input.settings.repeat.interval * 1000 : null,
    failureBehaviour: input.recorder.failureBehaviour,
    recorderWaitMs: input.recorder.waitMs,
    recorderAnswerMs: input.recorderAnswerMs,
    recorderTransport: input.recorder.transport ?? 'udp',
    connectStartedMs: 0,
    answerMissed: false,
    nowMs: input.nowMs,
    recorderUp: input.recorderUp,
    held: false,
    provisional: false,
    keepRequested: false,
    stopReason: null,
    activeRecordingMs: 0,
    activeSinceMs: 0,
    tones: 0,
    finalRecordingState: 'none',
    endedBy: null,
  }),
  initial: 'setup',
  states: {
    setup: {
      on: {
        ANSWER: { target: 'live' },
        HANG_UP: { target: 'ended', actions: ['freezeRecordingState', 'endedByHangUp'] },
        RECORDER_DOWN: { actions: 'markRecorderDown' },
        RECORDER_UP: { actions: 'markRecorderUp' },
        HOLD: { actions: 'rejectNotAnswered' },
        UNHOLD: { actions: 'rejectNotAnswered' },
        START: { actions: 'rejectNotAnswered' },
        STOP: { actions: 'rejectNotAnswered' },
        PAUSE: { actions: 'rejectNotAnswered' },
        RESUME: { actions: 'rejectNotAnswered' },
      },
    },
    live: {
      type: 'parallel',
      on: {
        HANG_UP: { target: 'ended', actions: ['freezeRecordingState', 'endedByHangUp'] },
        END_CALL_AFTER_FAILURE: { target: 'ended', actions: 'endedByFailure' },
      },
      states: {
        phase: {
          initial: 'connected',
          states: {
            connected: {
              on: { HOLD: { target: 'held', actions: 'markHeld' }, UNHOLD: { actions: 'rejectNotHeld' } },
            },
            held: {
              on: {
                UNHOLD: { target: 'connected', actions: 'markUnheld' },
                HOLD: { actions: 'rejectAlreadyHeld' },
              },
            },
          },
        },
        recorder: {
          initial: 'deciding',
          states: {
            deciding: { always: [{ guard: 'recorderWasUp', target: 'up' }, { target: 'down' }] },
            up: { on: { RECORDER_DOWN: { target: 'down', actions: 'markRecorderDown' } } },
            down: { on: { RECORDER_UP: { target: 'up', actions: 'markRecorderUp' } } },
          },
        },
        recording: {
          initial: 'deciding',
          states: {
            deciding: {
              always: [
                { guard: 'autoRecords', target: 'connecting', actions: 'beginAttempt' },
                { guard: 'capturesOnDemand', target: 'connecting', actions: 'beginProvisionalAttempt' },
                { target: 'off' },
              ],
            },
            off: {
              on: {
                START: [
                  { guard: 'mayStartWhileHeld', target: 'waitingForUnhold', actions: 'beginAttempt' },
                  { guard: 'mayStart', target: 'connecting', actions: 'beginAttempt' },
                  { actions: reject('start', 'recording cannot start now') },
                ],
                STOP: { actions: reject('stop', 'recording is not running') },
                PAUSE: { actions: reject('pause', 'recording is not running') },
                RESUME: { actions: reject('resume', 'recording is not paused') },
              },
            },
            /** Webex `pending`: start was asked while the call is held; it begins when the call resumes. */
            waitingForUnhold: {
              on: {
                UNHOLD: { target: 'connecting' },
                START: { actions: reject('start', 'start is already pending until the call is resumed') },
                STOP: { actions: reject('stop', NOT_STARTED) },
                PAUSE: { actions: reject('pause', NOT_STARTED) },
                RESUME: { actions: reject('resume', NOT_STARTED) },
              },
            },
            /** Webex `pending`: the recorder (SIPREC) is asked; the failure behaviour applies after the wait. */
            connecting: {
              entry: ['requestRecorder', 'markConnectStarted'],
              exit: 'cancelRetransmission',
              after: {
                recorderAnswerMs: [
                  {
                    guard: 'recorderAnswersProvisionally',
                    target: 'provisional',
                    actions: 'recorderConnected',
                  },
                  {
                    guard: 'recorderAnswers',
                    target: 'recording',
                    actions: ['recorderConnected', 'keepCapture', 'playStartAnnouncement'],
                  },
                  { actions: 'markAnswerMissed' },
                ],
                recorderWaitMs: [
                  {
                    guard: 'endsCallOnFailure',
                    target: 'failed',
                    actions: ['recorderUnreachable', 'applyFailureBehaviour', 'endCallAfterFailure'],
                  },
                  { target: 'failed', actions: ['recorderUnreachable', 'applyFailureBehaviour'] },
                ],
              },
              on: {
                RECORDER_UP: {
                  guard: 'retransmissionInTime',
                  actions: ['cancelRetransmission', 'scheduleRetransmissionAnswer'],
                },
                RETRANSMISSION_ANSWERED: [
                  { guard: 'recorderUpProvisionally', target: 'provisional', actions: 'recorderConnected' },
                  {
                    guard: 'recorderWasUp',
                    target: 'recording',
                    actions: ['recorderConnected', 'keepCapture', 'playStartAnnouncement'],
                  },
                ],
                START: [
                  { guard: 'mayKeepProvisional', actions: 'requestKeep' },
                  { actions: reject('start', 'recording is already starting') },
                ],
                STOP: { actions: reject('stop', NOT_STARTED) },
                PAUSE: { actions: reject('pause', NOT_STARTED) },
                RESUME: { actions: reject('resume', NOT_STARTED) },
              },
            },
            /** On Demand: media is captured from connect, kept only if the user starts recording (S21). */
            provisional: {
              on: {
                START: { target: 'recording', actions: ['keepCapture', 'playStartAnnouncement'] },
                STOP: { actions: reject('stop', NOT_STARTED_ON_DEMAND) },
                PAUSE: { actions: reject('pause', NOT_STARTED_ON_DEMAND) },
                RESUME: { actions: reject('resume', NOT_STARTED_ON_DEMAND) },
                RECORDER_DOWN: { target: 'failed', actions: 'recorderUnreachable' },
              },
            },
            recording: {
              initial: 'deciding',
              on: {
                PAUSE: [
                  { guard: 'mayPause', target: 'paused', actions: 'playPauseNotification' },
                  { actions: reject('pause', 'recording cannot be paused') },
                ],
                RESUME: { actions: reject('resume', 'recording is not paused') },
                START: { actions: reject('start', 'recording is already running') },
                STOP: [
                  { guard: 'mayStop', target: 'stopped', actions: ['stoppedByUser', 'playStopAnnouncement'] },
                  { actions: reject('stop', 'recording cannot be stopped') },
                ],
                RECORDER_DOWN: { target: 'stopped', actions: 'stoppedByFailure' },
              },
              /** S29: the repeat tone counts whole intervals of recording while the call is not held. */
              states: {
                deciding: { always: [{ guard: 'isHeld', target: 'muted' }, { target: 'audible' }] },
                audible: {
                  entry: 'markActiveSince',
                  exit: 'accumulateActive',
                  on: { HOLD: { target: 'muted' } },
                  after: {
                    repeatToneMs: {
                      guard: 'repeatToneOn',
                      target: 'audible',
                      reenter: true,
                      actions: 'playTone',
                    },
                  },
                },
                muted: { on: { UNHOLD: { target: 'audible' } } },
              },
            },
            paused: {
              on: {
                RESUME: { target: 'recording', actions: 'playResumeNotification' },
                PAUSE: { actions: reject('pause', 'recording is already paused') },
                START: { actions: reject('start', 'recording is paused; resume it instead') },
                STOP: [
                  { guard: 'mayStop', target: 'stopped', actions: ['stoppedByUser', 'playStopAnnouncement'] },
                  { actions: reject('stop', 'recording cannot be stopped') },
                ],
                RECORDER_DOWN: { target: 'stopped', actions: 'stoppedByFailure' },
              },
            },
            stopped: {
              on: {
                START: [
                  { guard: 'mayStartWhileHeld', target: 'waitingForUnhold', actions: 'beginAttempt' },
                  { guard: 'mayStart', target: 'connecting', actions: 'beginAttempt' },
                  { actions: reject('start', 'recording stopped after a recorder failure') },
                ],
                STOP: { actions: reject('stop', 'recording is already stopped') },
                PAUSE: { actions: reject('pause', 'recording is stopped') },
                RESUME: { actions: reject('resume', 'recording is stopped') },
              },
            },
            failed: {
              on: {
                START: [
                  { guard: 'mayStartWhileHeld', target: 'waitingForUnhold', actions: 'beginAttempt' },
                  { guard: 'mayStart', target: 'connecting', actions: 'beginAttempt' },
                  { actions: reject('start', RECORDER_FAILED) },
                ],
                STOP: { actions: reject('stop', RECORDER_FAILED) },
                PAUSE: { actions: reject('pause', RECORDER_FAILED) },
                RESUME: { actions: reject('resume', RECORDER_FAILED) },
              },
            },
          },
        },
      },
    },
    ended: { type: 'final' },
  },
});
// Each state's XState description and tags live in call-state-docs.ts (docs/call-machine.md shows them).
describeStates(callMachine);

function retransmissionAnswerAt(context: CallContext): number | null {
  return retransmissionAnswerAtMs(
    {
      failureBehaviour: context.failureBehaviour,
      waitMs: context.recorderWaitMs,
      transport: context.recorderTransport,
    },
    context.connectStartedMs,
    context.nowMs(),
    context.recorderAnswerMs,
  );
}

function commandName(event: CallMachineEvent): UserCommand | 'hold' | 'unhold' {
  switch (event.type) {
    case 'HOLD':
      return 'hold';
    case 'UNHOLD':
      return 'unhold';
    case 'STOP':
      return 'stop';
    case 'PAUSE':
      return 'pause';
    case 'RESUME':
      return 'resume';
    default:
      return 'start';
  }
}
