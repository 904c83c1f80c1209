/**
 * Runs a scenario's steps on one virtual clock: Control Hub changes (enable, update, disable, tier
 * switches, dub.point checks) and calls, each call one machine driven by its timed events. Instant and
 * deterministic: the same scenario and seed always give the same outcome.
 */
import type { CallCommand } from '../../machines/call-events.ts';
import { startCall } from '../call/call-run.ts';
import { scheduleCommands } from '../call/schedule-commands.ts';
import {
  type ControlHubState,
  changeSubscription,
  type DubPoint,
  disableRecording,
  enableRecording,
  findDubPointMismatches,
  getSettings,
  getUser,
  platformInfo,
  updateRecordingSettings,
} from '../domain/index.ts';
import { isSimError, SimError } from '../errors.ts';
import { createVirtualClock, type SimClock } from '../time/index.ts';
import type { ControlSurface } from './control-surface.ts';
import type { ExecutedCall } from './executed-call.ts';
import { describeExpectedError, expectedErrorMatches } from './expect/expected-error.ts';
import type { StepOutcome } from './report-types.ts';
import { buildWorld } from './scenario-world.ts';
import type { Scenario, ScenarioCall, ScenarioStep } from './schema.ts';

export type { ExecutedCall } from './executed-call.ts';

export interface ScenarioExecution {
  readonly clock: SimClock;
  readonly hub: ControlHubState;
  readonly steps: readonly StepOutcome[];
  readonly calls: readonly ExecutedCall[];
  readonly endMs: number;
}

function stepKind(step: ScenarioStep): string {
  for (const kind of [
    'enable',
    'update',
    'disable',
    'switchTier',
    'call',
    'checkDubPoint',
    'advance',
  ] as const) {
    if (kind in step) return kind;
  }
  return 'unknown';
}

function stepSummary(step: ScenarioStep): string {
  if ('enable' in step) return `enable recording for ${step.enable.user} by ${step.enable.by}`;
  if ('update' in step) return `update ${step.update.user}: ${JSON.stringify(step.update.settings)}`;
  if ('disable' in step) return `turn recording off for ${step.disable.user}`;
  if ('switchTier' in step) return `move ${step.switchTier.user} to ${step.switchTier.tier}`;
  if ('call' in step)
    return `call ${step.call.id} (${step.call.user}, ${step.call.direction}, ${step.call.remote})`;
  if ('checkDubPoint' in step) return `check the dub.point of ${step.checkDubPoint.user}`;
  return 'advance time';
}

/** When each step happens: its `at`, or the time of the step before it. */
export function stepTimesMs(steps: readonly ScenarioStep[]): number[] {
  let previous = 0;
  return steps.map((step) => {
    previous = step.at ?? previous;
    return previous;
  });
}

/** Runs the scenario on a virtual clock: instant and deterministic. */
export function executeScenario(scenario: Scenario): ScenarioExecution {
  const clock = createVirtualClock();
  const started = scheduleScenario(scenario, clock);
  clock.advanceTo(started.endMs);
  return started.finish();
}

export interface ScheduledScenario {
  /** Scenario time at which the last step or call event is due. */
  readonly endMs: number;
  /** Hangs up calls still up and returns what happened; call once the clock has reached `endMs`. */
  finish(): ScenarioExecution;
  /** The calls started so far. */
  readonly calls: readonly ExecutedCall[];
}

/**
 * Puts every step of the scenario on `clock` (virtual or real). `onCallStarted` sees each call as it
 * starts, so a live run can stream its media while it happens.
 */
export function scheduleScenario(
  scenario: Scenario,
  clock: SimClock,
  onCallStarted?: (call: ExecutedCall, hub: ControlHubState) => void,
  via?: { readonly surface: ControlSurface; readonly track: (work: Promise<void>) => void },
): ScheduledScenario {
  const world = buildWorld(scenario);
  let hub = world.hub;
  const outcomes: StepOutcome[] = [];
  const calls: ExecutedCall[] = [];
  const times = stepTimesMs(scenario.steps);

  const adminFor = (email: string) => {
    const admin = world.admins.get(email.toLowerCase());
    if (admin === undefined) {
      throw new SimError('SIM_ERR_INVALID_SCENARIO', `Admin ${email} is not declared under admins.`, {
        details: { email },
      });
    }
    return admin;
  };

  const perform = (step: ScenarioStep): void | Promise<void> => {
    const nowMs = clock.nowMs();
    if (via !== undefined) return performVia(via, step, calls, clock);
    if ('enable' in step) {
      const e = step.enable;
      hub = enableRecording(hub, {
        userId: e.user,
        admin: adminFor(e.by),
        acceptTerms: e.acceptTerms,
        ...(e.tier === undefined ? {} : { tier: e.tier }),
        ...(e.settings === undefined ? {} : { settings: e.settings }),
        nowMs,
      }).state;
    } else if ('update' in step) {
      hub = updateRecordingSettings(hub, step.update.user, step.update.settings);
    } else if ('disable' in step) {
      hub = disableRecording(hub, step.disable.user);
    } else if ('switchTier' in step) {
      hub = changeSubscription(hub, step.switchTier.user, step.switchTier.tier, nowMs);
    } else if ('checkDubPoint' in step) {
      checkDubPoint(step.checkDubPoint, platformInfo(hub, step.checkDubPoint.user, nowMs));
    } else if ('call' in step) {
      const call = startScenarioCall(clock, hub, scenario, step.call);
      calls.push(call);
      onCallStarted?.(call, hub);
    }
  };

  scenario.steps.forEach((step, index) => {
    const atMs = times[index] ?? 0;
    clock.setTimeout(() => {
      const base = { index, atMs, kind: stepKind(step), summary: stepSummary(step) };
      const succeeded = (): void => {
        outcomes.push(
          'expectError' in step && step.expectError !== undefined
            ? {
                ...base,
                error: {
                  code: 'none',
                  message: `expected ${describeExpectedError(step.expectError)}, but the step succeeded`,
                  expected: false,
                },
              }
            : base,
        );
      };
      const failed = (error: unknown) => {
        if (!isSimError(error)) throw error;
        const expected = 'expectError' in step && expectedErrorMatches(step.expectError, error);
        outcomes.push({ ...base, error: { code: error.code, message: error.message, expected } });
      };
      try {
        const work = perform(step);
        if (work === undefined) succeeded();
        else via?.track(work.then(succeeded, failed));
      } catch (error) {
        failed(error);
      }
    }, atMs);
  });

  const lastStepMs = Math.max(0, ...times);
  const callEndMs = scenario.steps.map((step, i) =>
    'call' in step ? (times[i] ?? 0) + Math.max(...step.call.events.map((e) => e.at)) : 0,
  );
  const endMs = Math.max(lastStepMs, ...callEndMs);
  return {
    endMs,
    calls,
    finish: () => {
      // A call still up after its last event is hung up then, so every recording is closed.
      for (const call of calls) if (!call.run.view().ended) call.run.send('hang-up');
      return { clock, hub: via?.surface.hub() ?? hub, steps: outcomes, calls, endMs };
    },
  };
}

function checkDubPoint(
  check: { user: string; dubber: Record<string, string | undefined> },
  expected: DubPoint,
): void {
  const given = Object.entries(check.dubber).filter(([, v]) => v !== undefined);
  const mismatches = findDubPointMismatches(expected, { ...expected, ...Object.fromEntries(given) });
  if (mismatches.length > 0) {
    throw new SimError(
      'SIM_ERR_DUBPOINT_MISMATCH',
      `The Dubber dub.point of ${check.user} differs from Control Hub (S33): ${mismatches
        .map((m) => `${m.field} is "${m.actual}", Control Hub shows "${m.expected}"`)
        .join('; ')}. Copy the Control Hub values into Dubber.`,
      { details: { mismatches } },
    );
  }
}

/** A step through a control surface: the same outcome, asynchronously, at the same virtual time. */
async function performVia(
  via: { readonly surface: ControlSurface; readonly track: (work: Promise<void>) => void },
  step: ScenarioStep,
  calls: ExecutedCall[],
  clock: SimClock,
): Promise<void> {
  const { surface } = via;
  if ('checkDubPoint' in step) {
    checkDubPoint(step.checkDubPoint, await surface.platformInfo(step.checkDubPoint.user));
  } else if ('call' in step) {
    const call = await surface.startCall(step.call);
    calls.push(call);
    const send = (command: CallCommand) => via.track(surface.command(call, command));
    scheduleCommands(
      clock,
      { send },
      step.call.events.map((e) => [call.startedAtMs + e.at, e.do as CallCommand] as const),
    );
  } else if (!('advance' in step)) {
    await surface.controlHub(step);
  }
}

/**
 * Runs the scenario through a control surface: one clock action at a time, waiting for the surface's work
 * before the next, so things due at the same instant keep the order the direct run gives them.
 */
export async function executeScenarioVia(
  scenario: Scenario,
  surface: ControlSurface,
): Promise<ScenarioExecution> {
  const { clock } = surface;
  const pending: Promise<void>[] = [];
  const started = scheduleScenario(scenario, clock, undefined, { surface, track: (w) => pending.push(w) });
  const drain = async () => {
    while (pending.length > 0) await pending.shift();
  };
  for (let next = clock.nextDueMs(); next !== undefined && next <= started.endMs; next = clock.nextDueMs()) {
    clock.runNext();
    await drain();
  }
  clock.advanceTo(started.endMs);
  // A call still up after its last event is hung up then, through the surface like every command.
  for (const call of started.calls) if (!call.run.view().ended) await surface.command(call, 'hang-up');
  return started.finish();
}

function startScenarioCall(
  clock: SimClock,
  hub: ControlHubState,
  scenario: Scenario,
  spec: ScenarioCall,
): ExecutedCall {
  const user = getUser(hub, spec.user);
  const org = scenario.orgs.find((o) => o.id === user.orgId);
  const settings = getSettings(hub, spec.user);
  const run = startCall(clock, {
    callId: spec.id,
    settings,
    direction: spec.direction,
    remote: spec.remote,
    voicemail: spec.voicemail,
    recorder: {
      failureBehaviour: org?.recorder.failureBehaviour ?? 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT',
      waitMs: org?.recorder.waitMs ?? 5000,
      transport: org?.recorder.transport ?? 'udp',
    },
    recorderAnswerMs: spec.recorder.answerMs,
    recorderUp: spec.recorder.up,
  });
  const startedAtMs = clock.nowMs();
  scheduleCommands(
    clock,
    run,
    spec.events.map((e) => [startedAtMs + e.at, e.do as CallCommand] as const),
  );
  return { spec, run, startedAtMs, mode: settings.enabled ? settings.record : 'Never (recording off)' };
}
