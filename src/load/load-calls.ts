/**
 * The calls of a live load and how they are spread over the connections: call i goes to connection
 * i mod K, so connections differ by at most one call. Each call gets a recording id, a provisioned user
 * and the RTP identities of its two streams from the seeded RNG; SSRCs are kept unique across the run
 * because a multiplexed connection routes packets by SSRC.
 *
 * Calls start spread evenly over the first `rampTicks` ticks (real calls do not all start within the same
 * 20 ms, and a cold sink given 4,000 new streams at once falls behind for seconds); the first K calls start
 * at tick 0, so every connection has a packet to send from the first tick on.
 */
import { createStreamIdentities, type StreamIdentities } from '../media/stream-identity.ts';
import type { Rng } from '../time/rng.ts';

export interface LoadCall {
  readonly index: number;
  readonly recordingId: string;
  readonly userId: string;
  /** 0-based connection that carries the call. */
  readonly connection: number;
  readonly identities: StreamIdentities;
  /** Where the call starts reading the payload bank, so calls do not all say the same thing at once. */
  readonly bankOffset: number;
  /** The tick of the call's first packets (its RTP slot 0). */
  readonly startTick: number;
}

export interface CallPlanOptions {
  readonly calls: number;
  readonly connections: number;
  readonly rng: Rng;
  /** Makes recording ids unique per run, so a kept database never resumes an older run's recordings. */
  readonly runId: string;
  readonly bankFrames: number;
  /** Calls start spread over ticks 0 … rampTicks − 1 (0 or 1: all at tick 0). */
  readonly rampTicks?: number;
}

export const LOAD_ORG_ID = 'load-org';
export const loadUserId = (index: number): string => `load-user-${index}`;

/** Calls grouped by connection (index = connection). */
export function planCalls(options: CallPlanOptions): LoadCall[][] {
  const byConnection: LoadCall[][] = Array.from({ length: options.connections }, () => []);
  const used = new Set<number>();
  const unique = (ssrc: number): number => {
    let s = ssrc >>> 0;
    while (used.has(s)) s = (s + 1) >>> 0;
    used.add(s);
    return s;
  };
  for (let index = 0; index < options.calls; index++) {
    const rng = options.rng.fork(`load/call/${index}`);
    const drawn = createStreamIdentities(rng);
    const identities: StreamIdentities = {
      user: { ...drawn.user, ssrc: unique(drawn.user.ssrc) },
      remote: { ...drawn.remote, ssrc: unique(drawn.remote.ssrc) },
    };
    const connection = index % options.connections;
    (byConnection[connection] as LoadCall[]).push({
      index,
      recordingId: `load-${options.runId}-${index}`,
      userId: loadUserId(index),
      connection,
      identities,
      bankOffset: rng.nextInt(0, options.bankFrames - 1),
      startTick:
        index < options.connections
          ? 0
          : Math.floor((index * Math.max(1, options.rampTicks ?? 0)) / options.calls),
    });
  }
  return byConnection;
}
