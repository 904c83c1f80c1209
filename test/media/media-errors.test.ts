/**
 * An error thrown while a recording's media is generated travels through the stream (`error`) to whoever
 * subscribed, and the shared virtual clock keeps running everything else scheduled on it.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CallLogEvent } from '../../machines/call-events.ts';
import type { AudioSource } from '../../src/media/audio-source.ts';
import { createRecordedStreams } from '../../src/media/recorded-streams.ts';
import { createRng, createVirtualClock } from '../../src/time/index.ts';
import { media } from './call-logs.ts';

const silence = new Int16Array(160);
const brokenAfter = (ms: number): AudioSource => ({
  frameAt(startMs) {
    if (startMs >= ms) throw new Error(`audio source failed at ${startMs} ms`);
    return silence;
  },
});

describe('errors while media is generated', () => {
  it('reach the subscriber as an error, and every other timer on the clock still runs', () => {
    const clock = createVirtualClock();
    const events$ = new Subject<CallLogEvent>();
    const streams = createRecordedStreams({
      scheduler: clock.scheduler,
      events$,
      rng: createRng('media-error'),
      audio: { user: brokenAfter(1_000), remote: brokenAfter(1_000) },
    });
    let packets = 0;
    const errors: string[] = [];
    streams.packets$.subscribe({
      next: () => {
        packets++;
      },
      error: (error: unknown) => errors.push((error as Error).message),
    });
    const otherTimers: number[] = [];
    for (const at of [500, 1_500, 5_000]) clock.scheduler.schedule(() => otherTimers.push(clock.nowMs()), at);
    events$.next(media(0, 'open'));
    expect(() => clock.advanceTo(10_000)).not.toThrow();
    expect(errors).toEqual(['audio source failed at 1000 ms']);
    expect(packets).toBe(100);
    expect(otherTimers).toEqual([500, 1_500, 5_000]);
    expect(clock.nowMs()).toBe(10_000);
  });
});
