/**
 * fast-check commands for the model-based tests: each applies one thing to the reference model and to the
 * real call (machine + driver on the virtual clock), then checks that both agree on what a user sees.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { CALL_COMMANDS } from '../../machines/call-commands.ts';
import type { CallCommand } from '../../machines/call-events.ts';
import type { CallRun } from '../../src/call/call-run.ts';
import type { VirtualClock } from '../../src/time/index.ts';
import type { ReferenceModel } from './reference-model.ts';

export interface RealCall {
  readonly clock: VirtualClock;
  readonly call: CallRun;
}

export function expectAgreement(model: ReferenceModel, real: RealCall): void {
  const view = real.call.view();
  expect({
    phase: view.phase,
    recordingState: view.recordingState,
    stopReason: view.stopReason,
    indicator: view.indicator,
    tones: view.tones,
    recordedMs: view.recordedMs,
  }).toEqual(model.view());
  const played = { start: 0, stop: 0, pause: 0, resume: 0, failure: 0 };
  for (const e of real.call.log) if (e.type === 'announcement') played[e.kind]++;
  expect(played).toEqual(model.announcements);
  expect(real.call.log.filter((e) => e.type === 'tone')).toHaveLength(view.tones);
}

export class SendCommand implements fc.Command<ReferenceModel, RealCall> {
  constructor(readonly command: CallCommand) {}
  check(): boolean {
    return true;
  }
  run(model: ReferenceModel, real: RealCall): void {
    const before = real.call.log.length;
    const accepted = model.apply(this.command);
    real.call.send(this.command);
    const rejections = real.call.log.slice(before).filter((e) => e.type === 'rejected');
    // Never silently ignored: a refused command leaves exactly one `rejected` entry with a reason.
    expect(rejections.length, `${this.command} accepted=${accepted}`).toBe(accepted ? 0 : 1);
    for (const r of rejections) expect(r.type === 'rejected' && r.reason.length > 0).toBe(true);
    expectAgreement(model, real);
  }
  toString(): string {
    return this.command;
  }
}

export class AdvanceClock implements fc.Command<ReferenceModel, RealCall> {
  constructor(readonly durationMs: number) {}
  check(): boolean {
    return true;
  }
  run(model: ReferenceModel, real: RealCall): void {
    model.advance(this.durationMs);
    real.clock.advanceBy(this.durationMs);
    expectAgreement(model, real);
  }
  toString(): string {
    return `advance(${this.durationMs})`;
  }
}

/** Every command the machine accepts (derived from its events, so a new one is exercised at once). */
const COMMANDS: readonly CallCommand[] = CALL_COMMANDS;

const USER_CONTROLS: readonly CallCommand[] = ['start', 'stop', 'pause', 'resume'];

/** Weighted so that calls get answered, recorded and controlled before they end. */
export const callCommandArbs = [
  fc.constantFrom(...COMMANDS.filter((c) => c !== 'hang-up')).map((c) => new SendCommand(c)),
  fc.constantFrom(...COMMANDS).map((c) => new SendCommand(c)),
  fc.constant(new SendCommand('answer')),
  fc.constantFrom(...USER_CONTROLS).map((c) => new SendCommand(c)),
  fc.constantFrom(...USER_CONTROLS).map((c) => new SendCommand(c)),
  fc.integer({ min: 0, max: 120_000 }).map((ms) => new AdvanceClock(ms)),
  fc.constantFrom(1, 999, 1000, 10_000, 20_000).map((ms) => new AdvanceClock(ms)),
  // Steps shorter than the recorder wait, so a recorder can come back between retransmissions.
  fc.constantFrom(200, 500, 1500).map((ms) => new AdvanceClock(ms)),
];
