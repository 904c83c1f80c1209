/**
 * Everything random about one simulated call, drawn once and shared by all four configurations (common
 * random numbers): the same call meets the same RTT, recorder and packet luck with ICE/recording on or off.
 */
import type { Rng } from '../time/index.ts';
import { createSampler, type Sampler } from './distribution.ts';
import type { DelayModelParams } from './model-params.ts';

/** Fixed loss slots; connectivity checks use `checkSlot(pairIndex, kind)` after them. */
export const LOSS_SLOT = { srflxGather: 0, relayAllocate: 1, relayAllocateAuth: 2, nomination: 3 } as const;

/** Per pair: the checking agent's own check, the peer's request towards it, and the triggered re-check. */
export const CHECK_KIND = { own: 0, peerRequest: 1, triggered: 2 } as const;

export function checkSlot(pairIndex: number, kind: number): number {
  return 4 + 3 * pairIndex + kind;
}

export interface CallWorld {
  readonly index: number;
  /** Direct endpoint-to-endpoint round trip of this call. */
  readonly rttMs: number;
  /** The recorder's own answer time for this call (before the SIPREC round trip is added). */
  readonly recorderAnswerMs: number;
  /** Uniform in [0, 1): the recorder is up when it is below the availability. */
  readonly recorderUpU: number;
  /** Uniform in (0, 1] for loss slot `slot`: the same value whichever configuration asks, and when. */
  lossU(slot: number): number;
  /**
   * Uniform in (0, 1] for the controlled agent's own checks (`controlledCompletion: 'own-check'`), from a
   * stream of its own so that models without that mechanism draw exactly what they drew before.
   */
  controlledU(slot: number): number;
  /** Uniform in (0, 1] for audio packet loss (slot 0 caller, 1 callee), from a stream of its own. */
  audioU(slot: number): number;
  /** How many uniforms this call has drawn so far (for the benchmark's bare-loop baseline). */
  readonly uniformsDrawn: number;
}

export interface WorldSamplers {
  readonly rttMs: Sampler;
  readonly recorderAnswerMs: Sampler;
}

export function createWorldSamplers(params: DelayModelParams): WorldSamplers {
  return {
    rttMs: createSampler(params.network.rttMs, 'network.rttMs'),
    recorderAnswerMs: createSampler(params.recording.recorderAnswerMs, 'recording.recorderAnswerMs'),
  };
}

/**
 * Uniforms drawn for every call from the run's stream, whatever the configuration needs: enough for every
 * slot of a check list of up to 20 pairs (4 + 3·20). A fixed count keeps call i's draws the same across
 * configurations and sweep points; rarer, larger lists draw the rest from a per-call fork.
 */
export const PREFIX_LOSS_SLOTS = 64;

/**
 * The world of call `index`, drawn from `runRng`, the run's stream. Calls must be drawn in index order
 * (call i's values depend on the draws before it); the per-call fork depends on (seed, index) only.
 */
export function drawCallWorld(runRng: Rng, index: number, samplers: WorldSamplers): CallWorld {
  const rttMs = samplers.rttMs(runRng);
  const recorderAnswerMs = samplers.recorderAnswerMs(runRng);
  const recorderUpU = runRng.nextFloat();
  const prefix = new Float64Array(PREFIX_LOSS_SLOTS);
  // 1 − u maps [0, 1) onto (0, 1]: a loss uniform must never be 0 (its logarithm is taken).
  for (let i = 0; i < PREFIX_LOSS_SLOTS; i++) prefix[i] = 1 - runRng.nextFloat();
  let extra: number[] | undefined;
  let extraRng: Rng | undefined;
  let controlled: number[] | undefined;
  let controlledRng: Rng | undefined;
  let audio: number[] | undefined;
  return {
    index,
    rttMs,
    recorderAnswerMs,
    recorderUpU,
    lossU(slot) {
      if (slot < PREFIX_LOSS_SLOTS) return prefix[slot] as number;
      extraRng ??= runRng.fork(`call/${index}/loss`);
      extra ??= [];
      while (extra.length <= slot - PREFIX_LOSS_SLOTS) extra.push(1 - extraRng.nextFloat());
      return extra[slot - PREFIX_LOSS_SLOTS] as number;
    },
    controlledU(slot) {
      controlledRng ??= runRng.fork(`call/${index}/controlled`);
      controlled ??= [];
      while (controlled.length <= slot) controlled.push(1 - controlledRng.nextFloat());
      return controlled[slot] as number;
    },
    audioU(slot) {
      if (audio === undefined) {
        const r = runRng.fork(`call/${index}/audio`);
        audio = [1 - r.nextFloat(), 1 - r.nextFloat()];
      }
      return audio[slot] as number;
    },
    get uniformsDrawn() {
      return 3 + PREFIX_LOSS_SLOTS + (extra?.length ?? 0) + (controlled?.length ?? 0) + (audio?.length ?? 0);
    },
  };
}
