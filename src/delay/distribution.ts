/**
 * Delay distributions the model draws from (per-call RTT, recorder answer latency). `samples` replays
 * measured values, so a real sink's open→opened times can replace an assumed shape.
 */
import { SimError } from '../errors.ts';
import type { Rng } from '../time/index.ts';

export type Distribution =
  | { readonly kind: 'fixed'; readonly valueMs: number }
  /** Normal, truncated below at `minMs` (default 0) because a delay cannot be negative. */
  | { readonly kind: 'normal'; readonly meanMs: number; readonly sdMs: number; readonly minMs?: number }
  /** Log-normal: the usual shape of network and service latencies (long right tail). */
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number }
  | { readonly kind: 'exponential'; readonly meanMs: number; readonly offsetMs?: number }
  /** Empirical: each draw picks one measured value uniformly (bootstrap). */
  | { readonly kind: 'samples'; readonly valuesMs: readonly number[] };

export type Sampler = (rng: Rng) => number;

function bad(what: string, value: unknown, hint: string): SimError {
  return new SimError('SIM_ERR_INVALID_ARGUMENT', `Invalid ${what}: ${JSON.stringify(value)}; ${hint}.`, {
    details: { what, value },
  });
}

const isDelay = (v: number): boolean => Number.isFinite(v) && v >= 0;

/** Throws SIM_ERR_INVALID_ARGUMENT naming the field when `dist` cannot be sampled. */
export function validateDistribution(dist: Distribution, what: string): void {
  switch (dist.kind) {
    case 'fixed':
      if (!isDelay(dist.valueMs)) throw bad(`${what}.valueMs`, dist.valueMs, 'give a finite delay ≥ 0 ms');
      return;
    case 'normal':
      if (!isDelay(dist.meanMs)) throw bad(`${what}.meanMs`, dist.meanMs, 'give a finite mean ≥ 0 ms');
      if (!isDelay(dist.sdMs))
        throw bad(`${what}.sdMs`, dist.sdMs, 'give a finite standard deviation ≥ 0 ms');
      if (dist.minMs !== undefined && !isDelay(dist.minMs))
        throw bad(`${what}.minMs`, dist.minMs, 'give a finite floor ≥ 0 ms');
      return;
    case 'lognormal':
      if (!isDelay(dist.medianMs) || dist.medianMs === 0)
        throw bad(`${what}.medianMs`, dist.medianMs, 'give a finite median > 0 ms');
      if (!isDelay(dist.sigma) || dist.sigma > 3)
        throw bad(`${what}.sigma`, dist.sigma, 'give a log-space spread from 0 (fixed) to 3');
      return;
    case 'exponential':
      if (!isDelay(dist.meanMs)) throw bad(`${what}.meanMs`, dist.meanMs, 'give a finite mean ≥ 0 ms');
      if (dist.offsetMs !== undefined && !isDelay(dist.offsetMs))
        throw bad(`${what}.offsetMs`, dist.offsetMs, 'give a finite offset ≥ 0 ms');
      return;
    case 'samples':
      if (dist.valuesMs.length === 0) throw bad(`${what}.valuesMs`, [], 'give at least one measured value');
      for (const v of dist.valuesMs)
        if (!isDelay(v))
          throw bad(`${what}.valuesMs`, v, 'every measured value must be a finite delay ≥ 0 ms');
      return;
    default:
      throw bad(
        `${what}.kind`,
        (dist as { kind: unknown }).kind,
        'use fixed, normal, lognormal, exponential or samples',
      );
  }
}

/** A sampler for `dist`; every draw comes from the rng it is given (one draw pattern per kind). */
export function createSampler(dist: Distribution, what = 'distribution'): Sampler {
  validateDistribution(dist, what);
  switch (dist.kind) {
    case 'fixed': {
      const v = dist.valueMs;
      return () => v;
    }
    case 'normal': {
      const { meanMs, sdMs } = dist;
      const minMs = dist.minMs ?? 0;
      return (rng) => Math.max(minMs, rng.normal(meanMs, sdMs));
    }
    case 'lognormal': {
      const mu = Math.log(dist.medianMs);
      const { sigma } = dist;
      return (rng) => Math.exp(rng.normal(mu, sigma));
    }
    case 'exponential': {
      const { meanMs } = dist;
      const offsetMs = dist.offsetMs ?? 0;
      return (rng) => offsetMs + rng.exponential(meanMs);
    }
    case 'samples': {
      const values = [...dist.valuesMs];
      return (rng) => values[Math.floor(rng.nextFloat() * values.length)] as number;
    }
  }
}

/** A recorder-answer distribution built from measured sink times (open→opened, ms); see docs/delay-model.md. */
export function distributionFromSamples(valuesMs: readonly number[]): Distribution {
  const dist: Distribution = { kind: 'samples', valuesMs: [...valuesMs] };
  validateDistribution(dist, 'measured samples');
  return dist;
}

/** A one-line description for tables and help text, e.g. `lognormal(median 60 ms, σ 0.5)`. */
export function describeDistribution(dist: Distribution): string {
  switch (dist.kind) {
    case 'fixed':
      return `${dist.valueMs} ms`;
    case 'normal':
      return `normal(mean ${dist.meanMs} ms, sd ${dist.sdMs} ms)`;
    case 'lognormal':
      return `lognormal(median ${dist.medianMs} ms, σ ${dist.sigma})`;
    case 'exponential':
      return `${dist.offsetMs ?? 0} ms + exponential(mean ${dist.meanMs} ms)`;
    case 'samples':
      return `${dist.valuesMs.length} measured samples`;
  }
}
