import { describe, expect, it } from 'vitest';
import { createBoundedQueue, pipeIntoQueue } from '../../src/media/bounded-queue.ts';
import { createCallMediaFromLog } from '../../src/media/call-media.ts';
import type { MediaPacket } from '../../src/media/media-packet.ts';
import { sequenceDistance } from '../../src/media/rtp-packet.ts';
import { createRng, createVirtualClock } from '../../src/time/index.ts';
import { alwaysCall } from './call-logs.ts';

describe('live back-pressure: a slow sink cannot make memory grow', () => {
  it('a consumer taking 40 packets/s of 100/s: the queue stays at capacity, the oldest are dropped and counted', () => {
    const clock = createVirtualClock();
    const media = createCallMediaFromLog(alwaysCall(60_000), {
      scheduler: clock.scheduler,
      rng: createRng('bp'),
    });
    const queue = createBoundedQueue<MediaPacket>(200);
    pipeIntoQueue(media.packets$, queue);
    const consumed: MediaPacket[] = [];
    let largestSeen = 0;
    // The slow consumer: one packet every 25 ms, on the same virtual clock.
    const consume = (): void => {
      largestSeen = Math.max(largestSeen, queue.size);
      const packet = queue.take();
      if (packet !== undefined) consumed.push(packet);
      if (clock.nowMs() < 70_000) clock.scheduler.schedule(consume, 25);
    };
    clock.scheduler.schedule(consume, 25);
    clock.advanceTo(70_000);

    const stats = queue.stats();
    expect(stats.offered).toBe(6000);
    expect(stats.maxSize).toBe(200);
    expect(largestSeen).toBeLessThanOrEqual(200);
    expect(stats.offered).toBe(stats.taken + stats.droppedOldest + queue.size);
    expect(stats.droppedOldest).toBeGreaterThan(3000);
    // Drop-oldest keeps what is newest: each stream's packets still come out in sequence order.
    for (const label of [1, 2]) {
      const seqs = consumed.filter((p) => p.label === label).map((p) => p.sequence);
      expect(seqs.slice(1).every((s, i) => sequenceDistance(seqs[i] as number, s) >= 1)).toBe(true);
    }
    // After the call the consumer drains the queue: the last packets taken are the call's last ones.
    expect(consumed.at(-1)?.mediaMs).toBe(59_980);
  });

  it('a consumer that keeps up loses nothing', () => {
    const queue = createBoundedQueue<number>(4);
    for (let i = 0; i < 100; i++) {
      queue.offer(i);
      expect(queue.take()).toBe(i);
    }
    expect(queue.stats()).toEqual({ offered: 100, taken: 100, droppedOldest: 0, maxSize: 1 });
  });

  it('drop-oldest returns the dropped item and keeps FIFO order of the rest', () => {
    const queue = createBoundedQueue<string>(3);
    expect(['a', 'b', 'c'].map((x) => queue.offer(x))).toEqual([undefined, undefined, undefined]);
    expect(queue.offer('d')).toBe('a');
    expect(queue.takeMany(10)).toEqual(['b', 'c', 'd']);
    expect(queue.take()).toBeUndefined();
  });

  it('refuses a capacity below 1', () => {
    expect(() => createBoundedQueue(0)).toThrow(/capacity/);
  });
});
