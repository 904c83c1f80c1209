/** Builds a call with given settings on a virtual clock and plays timed commands against it. */
import type { CallCommand, CallLogEvent } from '../../machines/call-events.ts';
import { type CallRun, type CallRunInput, startCall } from '../../src/call/call-run.ts';
import { scheduleCommands } from '../../src/call/schedule-commands.ts';
import {
  applySettingsPatch,
  defaultRecordingSettings,
  type RecordingSettingsPatch,
} from '../../src/domain/index.ts';
import { createVirtualClock, type VirtualClock } from '../../src/time/index.ts';

export interface CallSetup {
  readonly settings?: RecordingSettingsPatch;
  readonly enabled?: boolean;
  readonly input?: Partial<Omit<CallRunInput, 'settings'>>;
}

export function newCall(setup: CallSetup = {}): { clock: VirtualClock; call: CallRun } {
  const clock = createVirtualClock();
  const base = {
    ...defaultRecordingSettings({ serviceProvider: 'sp', externalGroup: 'org', externalIdentifier: 'u' }),
  };
  const settings = applySettingsPatch({ ...base, enabled: setup.enabled ?? true }, setup.settings ?? {});
  const call = startCall(clock, {
    callId: 'call-1',
    settings,
    direction: 'incoming',
    remote: 'pstn',
    voicemail: false,
    recorder: { failureBehaviour: 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT', waitMs: 2000 },
    recorderAnswerMs: 200,
    recorderUp: true,
    ...setup.input,
  });
  return { clock, call };
}

/**
 * Plays `[atMs, command]` steps as a scenario does: all scheduled up front, so a command wins over a
 * timer due at the same instant; then lets the clock run to `untilMs`.
 */
export function play(setup: CallSetup, steps: readonly (readonly [number, CallCommand])[], untilMs?: number) {
  const { clock, call } = newCall(setup);
  scheduleCommands(clock, call, steps);
  clock.advanceTo(Math.max(untilMs ?? 0, ...steps.map(([atMs]) => atMs)));
  return { clock, call, log: call.log, view: call.view() };
}

export function ofType<T extends CallLogEvent['type']>(log: readonly CallLogEvent[], type: T) {
  return log.filter((e): e is Extract<CallLogEvent, { type: T }> => e.type === type);
}

export function recordingStates(log: readonly CallLogEvent[]): string[] {
  return ofType(log, 'recording').map((e) => (e.reason ? `${e.state}(${e.reason})` : e.state));
}
