/**
 * Work per request stays bounded: opening N recordings on one multiplexed connection costs O(N), counted
 * as iteration steps over the sink's maps, sets and arrays (never wall-clock time), and a connection
 * cannot open more recordings than `maxRecordingsPerConnection`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dubPointOf } from '../harness/helpers.ts';
import { createHarness } from './session-harness.ts';

type Harness = ReturnType<typeof createHarness>;

/** Counts `next()` calls of every Map, Set and Array iterator while `fn` runs (synchronously). */
function countIterationSteps(fn: () => void): number {
  const prototypes = [new Map().values(), new Set().values(), [][Symbol.iterator]()].map(
    (it) => Object.getPrototypeOf(it) as { next: (...args: unknown[]) => unknown },
  );
  const originals = prototypes.map((p) => p.next);
  let steps = 0;
  prototypes.forEach((p, i) => {
    const original = originals[i] as (...args: unknown[]) => unknown;
    p.next = function (this: unknown, ...args: unknown[]) {
      steps += 1;
      return original.apply(this, args);
    };
  });
  try {
    fn();
  } finally {
    prototypes.forEach((p, i) => {
      p.next = originals[i] as (...args: unknown[]) => unknown;
    });
  }
  return steps;
}

function openParameters(i: number) {
  return {
    orgId: 'acme',
    userId: 'alice',
    dubPoint: dubPointOf('alice'),
    direction: 'outbound',
    remote: { type: 'internal' },
    multiplex: true,
    media: {
      format: 'PCMU',
      rate: 8000,
      streams: [
        { ssrc: 2 * i + 1, label: 1 },
        { ssrc: 2 * i + 2, label: 2 },
      ],
    },
  };
}

/** Opens `n` recordings on one multiplexed connection, flushing as the event loop would after each. */
function openMany(h: Harness, n: number, prefix: string) {
  const c = h.connect();
  for (let i = 0; i < n; i++) {
    c.send('open', 0, openParameters(i), { id: `${prefix}-${i}` });
    h.flushSoon();
  }
  h.flush();
  return c;
}

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.store.close();
});

describe('opening many recordings on one connection', () => {
  it('costs O(N): four times the opens take at most about four times the iteration steps', () => {
    const N = 250;
    const measure = (n: number) => {
      const h = createHarness({ maxRecordingsPerConnection: 10 * N });
      harnesses.push(h);
      let c: ReturnType<typeof openMany> | undefined;
      const steps = countIterationSteps(() => {
        c = openMany(h, n, `n${n}`);
      });
      expect(c?.ofType('opened')).toHaveLength(n);
      return steps;
    };
    const small = measure(N);
    const large = measure(4 * N);
    const ratio = large / small;
    // Quadratic work would give ≈ 16; linear ≈ 4.
    expect(ratio, `steps: ${small} for ${N} opens, ${large} for ${4 * N}`).toBeLessThan(6);
  });

  it('refuses an open past maxRecordingsPerConnection, and the others carry on', () => {
    const h = createHarness({ maxRecordingsPerConnection: 3 });
    harnesses.push(h);
    const c = openMany(h, 4, 'cap');
    expect(c.ofType('opened').map((m) => m.id)).toEqual(['cap-0', 'cap-1', 'cap-2']);
    const refusal = c.ofType('error').at(-1);
    expect(refusal).toMatchObject({ id: 'cap-3', parameters: { code: 'SINK_ERR_TOO_MANY_RECORDINGS' } });
    expect(c.closed).toBeUndefined();
    expect(h.store.getRecording('cap-3')).toBeUndefined();
    // Closing one makes room for another.
    c.send('close', 100, {}, { id: 'cap-0' });
    h.flush();
    c.send('open', 0, openParameters(9), { id: 'cap-9' });
    h.flush();
    expect(c.ofType('opened').at(-1)?.id).toBe('cap-9');
  });
});
