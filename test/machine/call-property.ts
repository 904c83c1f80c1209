/** One model-based run: a random call input and command sequence, applied to the model and the real call. */
import fc from 'fast-check';
import type { InspectionEvent } from 'xstate';
import { startCall } from '../../src/call/call-run.ts';
import { createVirtualClock } from '../../src/time/index.ts';
import { callInputArb } from './arbitraries.ts';
import { callCommandArbs, expectAgreement, type RealCall } from './commands.ts';
import { ReferenceModel } from './reference-model.ts';

/** A call's input and up to 40 commands (`size: 'max'`, or fast-check keeps most sequences short). */
export const callRunArb = fc.tuple(
  callInputArb,
  fc.commands(callCommandArbs, { maxCommands: 40, size: 'max' }),
);

export type CallRun = typeof callRunArb extends fc.Arbitrary<infer T> ? T : never;

export function runAgainstModel(
  [input, commands]: CallRun,
  inspect?: (event: InspectionEvent) => void,
): { model: ReferenceModel; real: RealCall } {
  const clock = createVirtualClock();
  const real: RealCall = { clock, call: startCall(clock, input, inspect === undefined ? {} : { inspect }) };
  const model = new ReferenceModel(input);
  expectAgreement(model, real);
  fc.modelRun(() => ({ model, real }), commands);
  return { model, real };
}
