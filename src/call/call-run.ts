/**
 * Drives one call machine on the shared clock: sends commands, and turns the machine's snapshots and
 * emitted effects into the call's ordered event log (CallLogEvent[]), which media, sink and reports read.
 */
import { type Actor, createActor, type InspectionEvent } from 'xstate';
import type {
  CallCommand,
  CallLogEvent,
  CallPhase,
  Indicator,
  RecordingState,
  StopReason,
} from '../../machines/call-events.ts';
import type { CallInput } from '../../machines/call-input.ts';
import { type CallCommandEvent, callMachine } from '../../machines/call-machine.ts';
import {
  indicatorOf,
  type MediaGate,
  mediaGateOfValue,
  recordingStateOfValue,
} from '../../machines/call-selectors.ts';
import type { SimClock } from '../time/clock.ts';

export type CallRunInput = Omit<CallInput, 'nowMs'>;

/** A stretch of media sent to the recorder. Provisional stretches are kept only if the user starts (S21). */
export interface MediaSegment {
  readonly startMs: number;
  readonly endMs: number;
  readonly kept: boolean;
}

export interface CallView {
  readonly callId: string;
  readonly phase: CallPhase;
  readonly recordingState: RecordingState;
  readonly stopReason: StopReason | null;
  readonly indicator: Indicator;
  readonly tones: number;
  /** Media time that ends up in a kept recording (S32); a discarded On Demand capture does not count. */
  readonly recordedMs: number;
  readonly ended: boolean;
  /** Who ended the call, once it has ended. */
  readonly endedBy: 'hang-up' | 'recorder-failure' | null;
}

export interface CallRun {
  readonly callId: string;
  /** Asks the call to do something now; a command the call cannot take is logged as `rejected`. */
  send(command: CallCommand): void;
  view(): CallView;
  readonly log: readonly CallLogEvent[];
  /** The media segments so far (an open one is closed at the current time). */
  segments(): MediaSegment[];
  /** Called for every log entry as it is appended. */
  onEvent(listener: (event: CallLogEvent) => void): () => void;
}

const COMMAND_EVENTS: Record<CallCommand, CallCommandEvent['type']> = {
  answer: 'ANSWER',
  'hang-up': 'HANG_UP',
  hold: 'HOLD',
  unhold: 'UNHOLD',
  start: 'START',
  stop: 'STOP',
  pause: 'PAUSE',
  resume: 'RESUME',
  'recorder-down': 'RECORDER_DOWN',
  'recorder-up': 'RECORDER_UP',
};

type Snapshot = ReturnType<Actor<typeof callMachine>['getSnapshot']>;

function phaseOf(snapshot: Snapshot): CallPhase {
  if (snapshot.value === 'setup' || snapshot.value === 'ended') return snapshot.value;
  return snapshot.context.held ? 'held' : 'connected';
}

export interface CallRunOptions {
  /** XState inspection events (used for transition coverage and debugging). */
  readonly inspect?: (event: InspectionEvent) => void;
}

export function startCall(clock: SimClock, input: CallRunInput, options: CallRunOptions = {}): CallRun {
  const log: CallLogEvent[] = [];
  const listeners = new Set<(event: CallLogEvent) => void>();
  const append = (event: CallLogEvent) => {
    log.push(event);
    for (const listener of listeners) listener(event);
  };
  const emitted: CallLogEvent[] = [];
  const actor = createActor(callMachine, {
    input: { ...input, nowMs: () => clock.nowMs() },
    clock,
    ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
  });

  let phase: CallPhase = 'setup';
  let recordingState: RecordingState = 'none';
  let stopReason: StopReason | null = null;
  let indicator: Indicator = 'off';
  let gate: MediaGate = { open: false };
  const closedSegments: { startMs: number; endMs: number; provisional: boolean }[] = [];
  let flowingSinceMs: number | null = null;

  const endFlow = (nowMs: number, provisional: boolean) => {
    if (flowingSinceMs === null) return;
    closedSegments.push({ startMs: flowingSinceMs, endMs: nowMs, provisional });
    flowingSinceMs = null;
  };

  /** Media gating from the machine's state: open / keep / pause / resume / close / discard (docs/media.md). */
  const updateMedia = (next: MediaGate) => {
    const atMs = clock.nowMs();
    const prev = gate;
    gate = next;
    if (!prev.open && !next.open) return;
    if (!prev.open && next.open) {
      append({ type: 'media', atMs, action: 'open', provisional: next.provisional });
      if (next.flowing) flowingSinceMs = atMs;
      else append({ type: 'media', atMs, action: 'pause' });
      return;
    }
    if (prev.open && !next.open) {
      endFlow(atMs, prev.provisional);
      if (prev.provisional) {
        // S21: an On Demand capture the user never started is dropped.
        for (let i = closedSegments.length - 1; i >= 0; i--) {
          if (closedSegments[i]?.provisional) closedSegments.splice(i, 1);
        }
        append({ type: 'media', atMs, action: 'discard' });
      } else {
        append({ type: 'media', atMs, action: 'close' });
      }
      return;
    }
    if (prev.open && next.open) {
      if (prev.provisional && !next.provisional) {
        for (const segment of closedSegments) segment.provisional = false;
        append({ type: 'media', atMs, action: 'keep' });
      }
      if (prev.flowing && !next.flowing) {
        endFlow(atMs, next.provisional);
        append({ type: 'media', atMs, action: 'pause' });
      } else if (!prev.flowing && next.flowing) {
        flowingSinceMs = atMs;
        append({ type: 'media', atMs, action: 'resume' });
      }
    }
  };

  const observe = (snapshot: Snapshot) => {
    const atMs = clock.nowMs();
    const ended = snapshot.value === 'ended';
    const nextRecording = recordingStateOfValue(snapshot.value, snapshot.context);
    const nextReason = nextRecording === 'stopped' ? snapshot.context.stopReason : null;
    if (nextRecording !== recordingState || nextReason !== stopReason) {
      recordingState = nextRecording;
      stopReason = nextReason;
      append(
        stopReason === null
          ? { type: 'recording', atMs, state: recordingState }
          : { type: 'recording', atMs, state: recordingState, reason: stopReason },
      );
    }
    updateMedia(mediaGateOfValue(snapshot.value, snapshot.context));
    const nextIndicator = indicatorOf(recordingState, ended);
    if (nextIndicator !== indicator) {
      indicator = nextIndicator;
      append({ type: 'indicator', atMs, indicator });
    }
    const nextPhase = phaseOf(snapshot);
    // Nothing is heard after the call ends: what the machine played on the way out (the failure
    // announcement of END_CALL_WITH_ANNOUNCEMENT) comes before "call ended".
    if (nextPhase === 'ended') flushEmitted();
    if (nextPhase !== phase) {
      phase = nextPhase;
      append({ type: 'call', atMs, phase });
    }
    flushEmitted();
  };

  const flushEmitted = () => {
    for (const event of emitted.splice(0)) append(event);
  };

  actor.on('*', (event) => emitted.push(event));
  actor.subscribe({ next: observe });
  actor.start();
  append({ type: 'call', atMs: clock.nowMs(), phase: 'setup' });
  observe(actor.getSnapshot());

  const currentRecordedMs = () => {
    let total = 0;
    for (const s of closedSegments) if (!s.provisional) total += s.endMs - s.startMs;
    if (flowingSinceMs !== null && gate.open && !gate.provisional) total += clock.nowMs() - flowingSinceMs;
    return total;
  };

  return {
    callId: input.callId,
    log,
    send(command) {
      const snapshot = actor.getSnapshot();
      if (snapshot.status !== 'active') {
        append({ type: 'rejected', atMs: clock.nowMs(), command, reason: 'the call has ended' });
        return;
      }
      if (command === 'answer' && snapshot.value !== 'setup') {
        append({ type: 'rejected', atMs: clock.nowMs(), command, reason: 'the call is already answered' });
        return;
      }
      actor.send({ type: COMMAND_EVENTS[command] });
      flushEmitted();
    },
    view() {
      const snapshot = actor.getSnapshot();
      return {
        callId: input.callId,
        phase,
        recordingState,
        stopReason,
        indicator,
        tones: snapshot.context.tones,
        recordedMs: currentRecordedMs(),
        ended: snapshot.value === 'ended',
        endedBy: snapshot.context.endedBy,
      };
    },
    segments() {
      const out: MediaSegment[] = closedSegments.map((s) => ({
        startMs: s.startMs,
        endMs: s.endMs,
        kept: !s.provisional,
      }));
      if (flowingSinceMs !== null && gate.open) {
        out.push({ startMs: flowingSinceMs, endMs: clock.nowMs(), kept: !gate.provisional });
      }
      return out;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
