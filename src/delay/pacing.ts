/**
 * Ta pacing of ordinary connectivity checks (RFC 8445 §6.1.4.2): one new check per Ta tick, always the
 * highest-priority pair that can be checked at that moment; with trickle (RFC 8838) pairs join later.
 */

/**
 * Start time of each pair's check, pairs given in priority order with the time each becomes checkable
 * (Infinity: never). A pair that arrives while the list is idle is checked at once (RFC 8838 lets a new
 * pair wake the list; waiting for the next tick would add up to Ta).
 */
export function pacedStartTimes(availableMs: readonly number[], taMs: number): number[] {
  const n = availableMs.length;
  const starts = new Array<number>(n).fill(Number.POSITIVE_INFINITY);
  // Pairs become checkable at only a few distinct times (one per candidate type), so keep one queue per
  // time: picking the next check then costs O(queues), not O(pairs).
  const keys: number[] = [];
  const queues: number[][] = [];
  let remaining = 0;
  for (let i = 0; i < n; i++) {
    const a = availableMs[i] as number;
    if (!(a < Number.POSITIVE_INFINITY)) continue;
    let q = keys.indexOf(a);
    if (q < 0) {
      q = keys.length;
      keys.push(a);
      queues.push([]);
    }
    (queues[q] as number[]).push(i);
    remaining++;
  }
  const heads = queues.map(() => 0);
  let lastMs = Number.NEGATIVE_INFINITY;
  while (remaining > 0) {
    let tickMs = lastMs + taMs;
    let pick = pickReady(keys, queues, heads, tickMs);
    if (pick < 0) {
      // Nothing checkable at this tick: the next check goes out when the next pair arrives.
      tickMs = Number.POSITIVE_INFINITY;
      for (let q = 0; q < keys.length; q++)
        if ((heads[q] as number) < (queues[q] as number[]).length)
          tickMs = Math.min(tickMs, keys[q] as number);
      pick = pickReady(keys, queues, heads, tickMs);
    }
    const queue = queues[pick] as number[];
    const index = queue[heads[pick] as number] as number;
    heads[pick] = (heads[pick] as number) + 1;
    starts[index] = tickMs;
    lastMs = tickMs;
    remaining--;
  }
  return starts;
}

/** The queue whose head pair is checkable at `tickMs` and has the highest priority (lowest index). */
function pickReady(keys: number[], queues: number[][], heads: number[], tickMs: number): number {
  let pick = -1;
  let bestIndex = Number.POSITIVE_INFINITY;
  for (let q = 0; q < keys.length; q++) {
    const queue = queues[q] as number[];
    const head = heads[q] as number;
    if (head >= queue.length || (keys[q] as number) > tickMs) continue;
    const index = queue[head] as number;
    if (index < bestIndex) {
      bestIndex = index;
      pick = q;
    }
  }
  return pick;
}

/** The first tick of a check loop started at `loopStartMs` that falls at or after `ms`. */
export function nextTickMs(loopStartMs: number, ms: number, taMs: number): number {
  if (ms <= loopStartMs) return loopStartMs;
  return loopStartMs + Math.ceil((ms - loopStartMs) / taMs - 1e-9) * taMs;
}
