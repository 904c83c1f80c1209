import { describe, expect, it } from 'vitest';
import { nextTickMs, pacedStartTimes } from '../../src/delay/pacing.ts';

describe('Ta pacing of ordinary checks', () => {
  it('starts one check per Ta in priority order', () => {
    expect(pacedStartTimes([0, 0, 0, 0], 50)).toEqual([0, 50, 100, 150]);
  });

  it('starts the first check as soon as a pair is checkable', () => {
    expect(pacedStartTimes([30, 30], 50)).toEqual([30, 80]);
  });

  it('lets a late, higher-priority pair jump the queue at the next tick (trickle)', () => {
    // Pair 0 (highest priority) arrives at 120; pairs 1–3 are there from 0.
    expect(pacedStartTimes([120, 0, 0, 0], 50)).toEqual([150, 0, 50, 100]);
  });

  it('wakes an idle list when a pair arrives, and never starts unavailable pairs', () => {
    expect(pacedStartTimes([0, 500, Number.POSITIVE_INFINITY], 50)).toEqual([
      0,
      500,
      Number.POSITIVE_INFINITY,
    ]);
  });

  it('rounds a completion up to the check loop’s next tick', () => {
    expect(nextTickMs(0, 0.1, 20)).toBe(20);
    expect(nextTickMs(0, 60.1, 20)).toBe(80);
    expect(nextTickMs(10, 50, 20)).toBe(50);
    expect(nextTickMs(10, 5, 20)).toBe(10);
  });
});
