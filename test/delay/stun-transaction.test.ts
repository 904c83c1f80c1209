import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attemptLossProbability,
  failedAttempts,
  RFC5389_RETRANSMISSION,
  sendOffsetMs,
  transactionTimeoutMs,
  transactionTiming,
} from '../../src/delay/stun-transaction.ts';

describe('STUN transaction timing (RFC 5389 §7.2.1)', () => {
  it('re-sends at RTO, 3·RTO, 7·RTO… and gives up after 39.5 s with the defaults', () => {
    expect([0, 1, 2, 3].map((k) => sendOffsetMs(k, 500))).toEqual([0, 500, 1500, 3500]);
    expect(transactionTimeoutMs(RFC5389_RETRANSMISSION)).toBe(39_500);
  });

  it('an answered first send takes one RTT; each lost send adds the doubling wait', () => {
    expect(transactionTiming(80, 0, RFC5389_RETRANSMISSION)).toEqual({
      ms: 80,
      ok: true,
      retransmissions: 0,
    });
    expect(transactionTiming(80, 1, RFC5389_RETRANSMISSION).ms).toBe(580);
    expect(transactionTiming(80, 2, RFC5389_RETRANSMISSION).ms).toBe(1580);
    expect(transactionTiming(80, 7, RFC5389_RETRANSMISSION)).toEqual({
      ms: 39_500,
      ok: false,
      retransmissions: 6,
    });
  });

  it('an attempt fails when the request or the response is lost', () => {
    expect(attemptLossProbability(0)).toBe(0);
    expect(attemptLossProbability(0.1)).toBeCloseTo(0.19, 12);
  });

  it('lost sends are geometric: P(≥ k lost) = p^k', () => {
    expect(failedAttempts(0.5, 0, 7)).toBe(0);
    expect(failedAttempts(1, 0.5, 7)).toBe(0);
    expect(failedAttempts(0.5, 0.5, 7)).toBe(1);
    expect(failedAttempts(0.2, 0.5, 7)).toBe(2);
    expect(failedAttempts(1e-9, 0.5, 7)).toBe(7);
  });

  it('more loss never makes the same draw luckier', () => {
    fc.assert(
      fc.property(
        fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (u, p1, p2) => {
          const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
          expect(failedAttempts(u, lo, 7)).toBeLessThanOrEqual(failedAttempts(u, hi, 7));
        },
      ),
      { seed: 8001, numRuns: 300 },
    );
  });
});
