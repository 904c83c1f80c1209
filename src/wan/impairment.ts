/**
 * What one direction of an emulated WAN path does to each datagram: delays it by the one-way delay ± a
 * uniform jitter and drops it with the loss probability. Seeded: every datagram costs exactly two draws
 * from the direction's own stream, so the same seed gives the same drop pattern and the same delays.
 */
import { SimError } from '../errors.ts';
import type { Rng } from '../time/index.ts';

export interface PathImpairment {
  /** Requested one-way delay. */
  readonly oneWayMs: number;
  /** Each datagram's delay is drawn uniformly from oneWayMs ± jitterMs (never below 0). */
  readonly jitterMs: number;
  /** Probability that a datagram is dropped, independently of the others. */
  readonly lossRate: number;
}

export const NO_IMPAIRMENT: PathImpairment = { oneWayMs: 0, jitterMs: 0, lossRate: 0 };

export function validateImpairment(imp: PathImpairment, what = 'path'): void {
  const bad = (field: string, value: number, allowed: string): never => {
    throw new SimError('SIM_ERR_INVALID_ARGUMENT', `Invalid ${what}.${field} = ${value}; give ${allowed}.`, {
      details: { field: `${what}.${field}`, value },
    });
  };
  if (!(Number.isFinite(imp.oneWayMs) && imp.oneWayMs >= 0 && imp.oneWayMs <= 10_000))
    bad('oneWayMs', imp.oneWayMs, 'a delay from 0 to 10,000 ms');
  if (!(Number.isFinite(imp.jitterMs) && imp.jitterMs >= 0 && imp.jitterMs <= imp.oneWayMs))
    bad('jitterMs', imp.jitterMs, 'a jitter from 0 ms up to the one-way delay');
  if (!(imp.lossRate >= 0 && imp.lossRate < 1)) bad('lossRate', imp.lossRate, 'a probability in [0, 1)');
}

/** The fate of one datagram: `undefined` when it is dropped, else its delay in ms. */
export type DatagramFate = number | undefined;

/** A seeded decider for one direction of a path. */
export function createImpairment(imp: PathImpairment, rng: Rng): () => DatagramFate {
  validateImpairment(imp);
  const { oneWayMs, jitterMs, lossRate } = imp;
  return () => {
    // Two draws per datagram whatever the outcome, so datagram i always meets the same luck.
    const lossU = rng.nextFloat();
    const jitterU = rng.nextFloat();
    if (lossU < lossRate) return undefined;
    return Math.max(0, oneWayMs + (2 * jitterU - 1) * jitterMs);
  };
}
