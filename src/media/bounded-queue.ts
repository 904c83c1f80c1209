/**
 * Back-pressure for live mode. The media clock cannot wait for a slow sink (the call goes on), so packets
 * go through a bounded ring buffer: when it is full the oldest packet is dropped and counted. Memory stays
 * at `capacity` packets whatever the consumer does, and stale audio, which is useless to a live recorder,
 * is what goes first. The sink reports `droppedOldest` as loss.
 */
import type { Observable, Subscription } from 'rxjs';
import { SimError } from '../errors.ts';

export interface BoundedQueueStats {
  /** Items offered by the producer. */
  readonly offered: number;
  /** Items the consumer took. */
  readonly taken: number;
  /** Items dropped because the queue was full when a newer one arrived. */
  readonly droppedOldest: number;
  /** The largest size the queue reached (never above capacity). */
  readonly maxSize: number;
}

export interface BoundedQueue<T> {
  readonly capacity: number;
  readonly size: number;
  /** Adds an item; when full, first drops the oldest. Returns the dropped item, if any. */
  offer(item: T): T | undefined;
  /** Removes and returns the oldest item. */
  take(): T | undefined;
  /** Removes and returns up to `max` of the oldest items, oldest first. */
  takeMany(max: number): T[];
  stats(): BoundedQueueStats;
}

export function createBoundedQueue<T>(capacity: number): BoundedQueue<T> {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `Queue capacity must be a whole number ≥ 1, not ${capacity}.`,
      {
        details: { capacity },
      },
    );
  }
  const ring: (T | undefined)[] = new Array<T | undefined>(capacity).fill(undefined);
  let head = 0; // index of the oldest item
  let size = 0;
  let offered = 0;
  let taken = 0;
  let droppedOldest = 0;
  let maxSize = 0;

  const take = (): T | undefined => {
    if (size === 0) return undefined;
    const item = ring[head];
    ring[head] = undefined; // let the consumer's packet be collected
    head = (head + 1) % capacity;
    size--;
    taken++;
    return item;
  };

  return {
    capacity,
    get size() {
      return size;
    },
    offer(item) {
      offered++;
      let dropped: T | undefined;
      if (size === capacity) {
        dropped = ring[head];
        head = (head + 1) % capacity;
        size--;
        droppedOldest++;
      }
      ring[(head + size) % capacity] = item;
      size++;
      if (size > maxSize) maxSize = size;
      return dropped;
    },
    take,
    takeMany(max) {
      const out: T[] = [];
      while (out.length < max && size > 0) out.push(take() as T);
      return out;
    },
    stats: () => ({ offered, taken, droppedOldest, maxSize }),
  };
}

/** Feeds every item of `source$` into `queue`; the consumer pulls at its own pace with `take`. */
export function pipeIntoQueue<T>(source$: Observable<T>, queue: BoundedQueue<T>): Subscription {
  return source$.subscribe((item) => {
    queue.offer(item);
  });
}
