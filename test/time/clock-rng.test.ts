import { timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createRng, createVirtualClock } from '../../src/time/index.ts';

describe('virtual clock', () => {
  it('runs timers in time order and reads exactly the time it was moved to', () => {
    const clock = createVirtualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.nowMs()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.nowMs()}`), 100);
    clock.advanceTo(150);
    expect(fired).toEqual(['a@100']);
    expect(clock.nowMs()).toBe(150);
    clock.advanceBy(1000);
    expect(fired).toEqual(['a@100', 'b@200']);
    expect(clock.nowMs()).toBe(1150);
  });

  it('things due at the same instant run in the order they were scheduled', () => {
    const clock = createVirtualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('hang-up'), 3_600_000);
    clock.setTimeout(() => fired.push('tone'), 3_600_000);
    clock.advanceTo(3_600_000);
    expect(fired).toEqual(['hang-up', 'tone']);
  });

  it('runNext runs one action at a time, in the same order as advanceTo, and skips cleared ones', () => {
    const clock = createVirtualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`a@${clock.nowMs()}`), 100);
    const cleared = clock.setTimeout(() => fired.push('never'), 100);
    clock.setTimeout(() => {
      fired.push(`b@${clock.nowMs()}`);
      clock.setTimeout(() => fired.push(`c@${clock.nowMs()}`), 0);
    }, 100);
    clock.clearTimeout(cleared);
    expect(clock.runNext()).toBe(true);
    expect(fired).toEqual(['a@100']);
    expect(clock.runNext()).toBe(true);
    expect(fired).toEqual(['a@100', 'b@100']);
    expect(clock.runNext()).toBe(true);
    expect(fired).toEqual(['a@100', 'b@100', 'c@100']);
    expect(clock.runNext()).toBe(false);
    expect(clock.nowMs()).toBe(100);
  });

  it('a cleared timer never fires, and RxJS timers share the same timeline', () => {
    const clock = createVirtualClock();
    const fired: string[] = [];
    const id = clock.setTimeout(() => fired.push('cleared'), 50);
    clock.clearTimeout(id);
    timer(75, clock.scheduler).subscribe(() => fired.push(`rx@${clock.nowMs()}`));
    clock.advanceTo(100);
    expect(fired).toEqual(['rx@75']);
  });

  it('a timer set while running lands at its own due time within the same advance', () => {
    const clock = createVirtualClock();
    const times: number[] = [];
    const tick = () => {
      times.push(clock.nowMs());
      if (times.length < 180) clock.setTimeout(tick, 20_000);
    };
    clock.setTimeout(tick, 20_000);
    clock.advanceTo(3_600_000);
    expect(times).toHaveLength(180);
    expect(times.at(-1)).toBe(3_600_000);
  });

  it('refuses to go backwards, and says so', () => {
    const clock = createVirtualClock();
    clock.advanceTo(10);
    expect(() => clock.advanceTo(5)).toThrow(/only moves forward/);
  });
});

describe('seeded RNG', () => {
  it('the same seed gives the same numbers; another seed does not', () => {
    const a = createRng('seed-1');
    const b = createRng('seed-1');
    const c = createRng('seed-2');
    const draw = (r: ReturnType<typeof createRng>) => Array.from({ length: 8 }, () => r.nextUint32());
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
  });

  it('forks are independent of how much the parent drew', () => {
    const a = createRng(7);
    const b = createRng(7);
    b.nextFloat();
    b.nextFloat();
    expect(a.fork('call-1').nextUint32()).toBe(b.fork('call-1').nextUint32());
    expect(a.fork('call-1').nextUint32()).not.toBe(a.fork('call-2').nextUint32());
  });

  it('draws stay in range and are roughly uniform', () => {
    const rng = createRng('uniform');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const v = rng.nextInt(0, 3);
      counts[v] = (counts[v] ?? 0) + 1;
    }
    for (const n of counts) expect(n).toBeGreaterThan(9_500);
    for (const n of counts) expect(n).toBeLessThan(10_500);
  });
});
