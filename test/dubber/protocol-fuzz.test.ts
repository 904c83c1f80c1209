/**
 * fast-check fuzzing with a pinned seed: the parser never throws and classifies every input, valid
 * messages round-trip, and random message orders (including reconnects) never crash a session or break
 * the storage invariants. `bench/sink-fuzz.ts` runs the same properties with many more cases.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { startMediaWriter } from '../../src/dubber/store/sqlite/media-writer.ts';
import { createSqliteStore } from '../../src/dubber/store/sqlite/sqlite-store.ts';
import { encodeMessage, parseClientText } from '../../src/protocol/parse-message.ts';
import { SINK_ERROR_POLICIES } from '../../src/protocol/sink-errors.ts';
import {
  clientTextArbitrary,
  orderRunArbitrary,
  runOrder,
  validClientMessageArbitrary,
  writerOrderRunArbitrary,
} from './fuzz-model.ts';

/** Pinned so CI runs the same cases every time; bench/sink-fuzz.ts explores other seeds. */
const FUZZ_SEED = 20_240_611;

describe('parser fuzzing', () => {
  it('never throws on arbitrary text and always names a known code', () => {
    fc.assert(
      fc.property(clientTextArbitrary, (text) => {
        const result = parseClientText(text);
        if (!result.ok) expect(Object.hasOwn(SINK_ERROR_POLICIES, result.fault.code)).toBe(true);
      }),
      { seed: FUZZ_SEED, numRuns: 3000 },
    );
  });

  it('never throws on envelopes with random fields and parameters', () => {
    const envelope = fc.record(
      {
        version: fc.oneof(fc.constant('1'), fc.jsonValue()),
        id: fc.oneof(fc.constant('rec-1'), fc.string()),
        type: fc.oneof(
          fc.constantFrom(
            'open',
            'paused',
            'resumed',
            'announcement',
            'tone',
            'discarded',
            'ping',
            'close',
            'error',
            'update',
          ),
          fc.string(),
        ),
        seq: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string()),
        position: fc.oneof(fc.constant('PT1.5S'), fc.string()),
        parameters: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(envelope, (e) => {
        parseClientText(JSON.stringify(e));
      }),
      { seed: FUZZ_SEED, numRuns: 3000 },
    );
  });

  it('round-trips every valid client message', () => {
    fc.assert(
      fc.property(validClientMessageArbitrary, (message) => {
        const result = parseClientText(encodeMessage(message));
        expect(result.ok && result.message).toEqual(message);
      }),
      { seed: FUZZ_SEED, numRuns: 2000 },
    );
  });
});

describe('message-order fuzzing', () => {
  it('random orders of messages, frames, commits and reconnects keep the session and store consistent', () => {
    fc.assert(
      fc.property(orderRunArbitrary, (ops) => {
        runOrder(ops);
      }),
      { seed: FUZZ_SEED, numRuns: 600 },
    );
  });
});

describe('message-order fuzzing with the media writer thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callrec-fuzz-writer-'));
  const dbPath = join(dir, 'sink.db');
  const store = createSqliteStore({ path: dbPath });
  const mediaWriter = startMediaWriter({ path: dbPath, synchronous: 'NORMAL', autoCheckpoint: true });
  afterAll(async () => {
    await mediaWriter.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('random orders with audio commits in flight on the writer keep checkpoints honest and the store consistent', () => {
    let run = 0;
    let runsThroughWriter = 0;
    fc.assert(
      fc.property(writerOrderRunArbitrary, (ops) => {
        run += 1;
        const { writerCommits } = runOrder(ops, { store, mediaWriter, recordingId: `fuzz-${run}` });
        if (writerCommits > 0) runsThroughWriter += 1;
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
    // The property ran through the writer, not around it.
    expect(runsThroughWriter).toBeGreaterThan(100);
  });
});
