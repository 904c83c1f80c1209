/**
 * A small, pure reference model of the recording rules (S20–S31), written independently of the XState
 * machine: the model-based property tests run both side by side and compare what a user would see.
 * Time is handled arithmetically (tones = whole intervals of active recording time), not with timers.
 */
import type { CallCommand, RecordingState, StopReason } from '../../machines/call-events.ts';
import { type RecordingPolicy, recordingPolicyOf } from '../../machines/call-input.ts';
import type { CallRunInput } from '../../src/call/call-run.ts';
import { retransmissionAnswerAtMs } from '../../src/domain/recorder.ts';

type Rec =
  | 'off'
  | 'waitingForUnhold'
  | 'connecting'
  | 'provisional'
  | 'recording'
  | 'paused'
  | 'stopped'
  | 'failed';

export interface ModelView {
  phase: 'setup' | 'connected' | 'held' | 'ended';
  recordingState: RecordingState;
  stopReason: StopReason | null;
  indicator: 'off' | 'recording' | 'paused';
  tones: number;
  recordedMs: number;
}

export class ReferenceModel {
  readonly policy: RecordingPolicy;
  nowMs = 0;
  phase: ModelView['phase'] = 'setup';
  rec: Rec = 'off';
  provisional = false;
  keepRequested = false;
  recorderUp: boolean;
  connectStartMs = 0;
  /** The recorder's answer came due while it was down: only the wait is left. */
  answerMissed = false;
  /** A recorder back during the wait answers the next UDP retransmission at this time (RFC 3261 Timer A). */
  retryAnswerDueMs: number | null = null;
  stopReason: StopReason | null = null;
  activeMs = 0;
  keptMs = 0;
  provisionalMs = 0;
  finalState: RecordingState = 'none';
  readonly announcements = { start: 0, stop: 0, pause: 0, resume: 0, failure: 0 };
  private readonly announces: boolean;
  private readonly notifies: boolean;
  private readonly intervalMs: number | null;

  constructor(private readonly input: CallRunInput) {
    this.policy = recordingPolicyOf(input);
    this.recorderUp = input.recorderUp;
    const s = input.settings;
    this.announces =
      s.startStopAnnouncementEnabled &&
      (input.remote === 'internal'
        ? s.startStopAnnouncement.internalCallsEnabled
        : s.startStopAnnouncement.pstnCallsEnabled);
    this.notifies = s.notification.enabled && s.notification.type !== 'None';
    this.intervalMs = s.repeat.enabled ? s.repeat.interval * 1000 : null;
  }

  private get startStopAllowed(): boolean {
    return this.policy === 'onDemand' || this.policy === 'onDemandUserStart';
  }
  private get pauseAllowed(): boolean {
    return this.startStopAllowed || this.policy === 'alwaysPauseResume';
  }
  private get live(): boolean {
    return this.phase === 'connected' || this.phase === 'held';
  }

  view(): ModelView {
    const recordingState = this.recordingState();
    const ended = this.phase === 'ended';
    return {
      phase: this.phase,
      recordingState,
      stopReason: recordingState === 'stopped' ? this.stopReason : null,
      indicator: ended
        ? 'off'
        : recordingState === 'started'
          ? 'recording'
          : recordingState === 'paused'
            ? 'paused'
            : 'off',
      tones: this.intervalMs === null ? 0 : Math.floor(this.activeMs / this.intervalMs),
      recordedMs: this.keptMs,
    };
  }

  private recordingState(): RecordingState {
    if (this.phase === 'setup') return 'none';
    if (this.phase === 'ended') return this.finalState;
    switch (this.rec) {
      case 'waitingForUnhold':
        return 'pending';
      case 'connecting':
        return this.provisional && !this.keepRequested ? 'none' : 'pending';
      case 'recording':
        return 'started';
      case 'off':
      case 'provisional':
        return 'none';
      default:
        return this.rec;
    }
  }

  /** Moves time forward, firing the recorder answer or wait on the way. */
  advance(durationMs: number): void {
    const targetMs = this.nowMs + durationMs;
    while (this.live && this.rec === 'connecting') {
      const next = this.nextConnectTimer();
      if (next.dueMs > targetMs) break;
      this.accrue(next.dueMs);
      if (next.kind === 'wait') this.recorderTimedOut();
      else if (next.kind === 'retry') {
        this.retryAnswerDueMs = null;
        if (this.recorderUp) this.recorderAnswered();
      } else if (this.recorderUp) this.recorderAnswered();
      else this.answerMissed = true;
    }
    this.accrue(targetMs);
  }

  /** The recorder answers at answerMs if it is up then and answerMs is within the wait; else the wait ends. */
  private nextConnectTimer(): { kind: 'answer' | 'retry' | 'wait'; dueMs: number } {
    const { recorderAnswerMs, recorder } = this.input;
    if (!this.answerMissed && recorderAnswerMs < recorder.waitMs) {
      return { kind: 'answer', dueMs: this.connectStartMs + recorderAnswerMs };
    }
    if (this.answerMissed && this.retryAnswerDueMs !== null) {
      return { kind: 'retry', dueMs: this.retryAnswerDueMs };
    }
    return { kind: 'wait', dueMs: this.connectStartMs + recorder.waitMs };
  }

  private accrue(toMs: number): void {
    const dt = toMs - this.nowMs;
    this.nowMs = toMs;
    if (this.phase !== 'connected') return;
    if (this.rec === 'recording') {
      this.activeMs += dt;
      this.keptMs += dt;
    } else if (this.rec === 'provisional') {
      this.provisionalMs += dt;
    }
  }

  private recorderAnswered(): void {
    if (this.provisional && !this.keepRequested) {
      this.rec = 'provisional';
      return;
    }
    this.startRecording();
  }

  private recorderTimedOut(): void {
    this.rec = 'failed';
    const behaviour = this.input.recorder.failureBehaviour;
    if (behaviour !== 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT') this.announcements.failure++;
    if (behaviour === 'END_CALL_WITH_ANNOUNCEMENT') this.end();
  }

  private startRecording(): void {
    this.rec = 'recording';
    this.provisional = false;
    this.keepRequested = false;
    this.keptMs += this.provisionalMs;
    this.provisionalMs = 0;
    if (this.announces) this.announcements.start++;
  }

  private connect(provisional: boolean): void {
    this.rec = 'connecting';
    this.answerMissed = false;
    this.retryAnswerDueMs = null;
    this.provisional = provisional;
    this.keepRequested = false;
    this.stopReason = null;
    this.connectStartMs = this.nowMs;
  }

  private end(): void {
    this.finalState = this.recordingState();
    this.phase = 'ended';
    this.provisionalMs = 0;
  }

  /** Applies a command at the current time; returns whether the call accepted it. */
  apply(command: CallCommand): boolean {
    if (this.phase === 'ended') return false;
    if (this.phase === 'setup') {
      if (command === 'answer') {
        this.phase = 'connected';
        if (this.policy === 'always' || this.policy === 'alwaysPauseResume') this.connect(false);
        else if (this.policy === 'onDemand') this.connect(true);
        else this.rec = 'off';
        return true;
      }
      if (command === 'hang-up') {
        this.end();
        return true;
      }
      if (command === 'recorder-down' || command === 'recorder-up') {
        this.recorderUp = command === 'recorder-up';
        return true;
      }
      return false;
    }
    switch (command) {
      case 'answer':
        return false;
      case 'hang-up':
        this.end();
        return true;
      case 'recorder-up':
        if (!this.recorderUp && this.rec === 'connecting' && this.answerMissed) {
          this.retryAnswerDueMs = retransmissionAnswerAtMs(
            this.input.recorder,
            this.connectStartMs,
            this.nowMs,
            this.input.recorderAnswerMs,
          );
        }
        this.recorderUp = true;
        return true;
      case 'recorder-down':
        this.recorderUp = false;
        if (this.rec === 'recording' || this.rec === 'paused') {
          this.rec = 'stopped';
          this.stopReason = 'Failure';
        } else if (this.rec === 'provisional') {
          this.rec = 'failed';
          this.provisionalMs = 0;
        }
        return true;
      case 'hold':
        if (this.phase === 'held') return false;
        this.phase = 'held';
        return true;
      case 'unhold':
        if (this.phase !== 'held') return false;
        this.phase = 'connected';
        if (this.rec === 'waitingForUnhold') this.connect(false);
        return true;
      case 'start':
        if (!this.startStopAllowed) return false;
        if (this.rec === 'off' || this.rec === 'stopped' || this.rec === 'failed') {
          if (this.phase === 'held') {
            this.rec = 'waitingForUnhold';
            this.provisional = false;
            this.stopReason = null;
          } else this.connect(false);
          return true;
        }
        if (this.rec === 'connecting' && this.provisional && !this.keepRequested) {
          this.keepRequested = true;
          return true;
        }
        if (this.rec === 'provisional') {
          this.startRecording();
          return true;
        }
        return false;
      case 'stop':
        if (!this.startStopAllowed || (this.rec !== 'recording' && this.rec !== 'paused')) return false;
        this.rec = 'stopped';
        this.stopReason = 'User Requested';
        if (this.announces) this.announcements.stop++;
        return true;
      case 'pause':
        if (!this.pauseAllowed || this.rec !== 'recording') return false;
        this.rec = 'paused';
        if (this.notifies) this.announcements.pause++;
        return true;
      case 'resume':
        if (!this.pauseAllowed || this.rec !== 'paused') return false;
        this.rec = 'recording';
        if (this.notifies) this.announcements.resume++;
        return true;
    }
  }
}
