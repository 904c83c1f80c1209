/**
 * Timing of one STUN transaction over UDP (RFC 5389 §7.2.1, RFC 8445 §14.3): the request is re-sent
 * after RTO, 3·RTO, 7·RTO… (the interval doubles) up to Rc sends; the last send waits Rm·RTO.
 */

export interface StunRetransmission {
  /** Initial retransmission timeout; RFC 5389 recommends 500 ms. */
  readonly rtoMs: number;
  /** Rc: total sends of one request (RFC 5389 default 7). */
  readonly maxAttempts: number;
  /** Rm: the last send waits Rm × RTO for its answer (RFC 5389 default 16). */
  readonly finalWaitFactor: number;
}

export const RFC5389_RETRANSMISSION: StunRetransmission = { rtoMs: 500, maxAttempts: 7, finalWaitFactor: 16 };

/** Time after the first send at which send number `attempt` (0-based) goes out. */
export function sendOffsetMs(attempt: number, rtoMs: number): number {
  return rtoMs * (2 ** attempt - 1);
}

/** When a transaction gives up: 39.5 s with the RFC defaults (500 ms × 63 + 16 × 500 ms). */
export function transactionTimeoutMs(r: StunRetransmission, rtoMs = r.rtoMs): number {
  return sendOffsetMs(r.maxAttempts - 1, rtoMs) + r.finalWaitFactor * rtoMs;
}

/** Probability that one attempt gets no answer: the request or the response is lost. */
export function attemptLossProbability(lossRate: number): number {
  return 1 - (1 - lossRate) * (1 - lossRate);
}

/**
 * How many sends fail before one gets through, from one uniform u in (0, 1]: the count is geometric, so
 * one number decides the whole transaction and a higher loss rate never makes the same u luckier.
 * Returns `maxAttempts` when every send fails.
 */
export function failedAttempts(u: number, attemptLoss: number, maxAttempts: number): number {
  if (attemptLoss <= 0) return 0;
  if (attemptLoss >= 1) return maxAttempts;
  // max(0, …) also turns the -0 of u = 1 into 0.
  const n = Math.max(0, Math.floor(Math.log(u) / Math.log(attemptLoss)));
  return Math.min(n, maxAttempts);
}

export interface TransactionTiming {
  /** From the first send until the answer arrives, or until the transaction gives up. */
  readonly ms: number;
  readonly ok: boolean;
  readonly retransmissions: number;
}

/** A transaction whose first `failed` sends get no answer; each answered send takes one RTT. */
export function transactionTiming(
  rttMs: number,
  failed: number,
  r: StunRetransmission,
  rtoMs = r.rtoMs,
): TransactionTiming {
  if (failed >= r.maxAttempts) {
    return { ms: transactionTimeoutMs(r, rtoMs), ok: false, retransmissions: r.maxAttempts - 1 };
  }
  return { ms: sendOffsetMs(failed, rtoMs) + rttMs, ok: true, retransmissions: failed };
}
