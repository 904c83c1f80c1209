/** Test helpers for the delay model: hand-made call worlds and small parameter sets. */
import type { CallWorld } from '../../src/delay/call-world.ts';
import {
  createDelayParams,
  type DelayModelParams,
  type DelayParamsInput,
} from '../../src/delay/model-params.ts';

/** A call world with chosen values; loss uniforms default to 1 (every send gets through). */
export function fixedWorld(
  over: {
    rttMs?: number;
    recorderAnswerMs?: number;
    recorderUpU?: number;
    lossU?: (slot: number) => number;
    controlledU?: (slot: number) => number;
  } = {},
): CallWorld {
  return {
    index: 0,
    rttMs: over.rttMs ?? 60,
    recorderAnswerMs: over.recorderAnswerMs ?? 150,
    recorderUpU: over.recorderUpU ?? 0,
    lossU: over.lossU ?? (() => 1),
    controlledU: over.controlledU ?? (() => 1),
    audioU: () => 1,
    uniformsDrawn: 0,
  };
}

/** Parameters with a fixed RTT and no loss unless overridden: every formula is exact. */
export function exactParams(input: DelayParamsInput = {}, rttMs = 60): DelayModelParams {
  const base = createDelayParams({ network: { rttMs: { kind: 'fixed', valueMs: rttMs }, lossRate: 0 } });
  return createDelayParams(input, base);
}
