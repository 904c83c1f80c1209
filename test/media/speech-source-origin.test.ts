/**
 * A conversation created with an origin says, at `origin + t`, exactly what one created at 0 says at `t`
 * (same seed): output depends on time since the origin only (cost too: docs in speech-source.ts).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PACKET_INTERVAL_MS, type Party } from '../../src/media/media-format.ts';
import { type Conversation, createConversation } from '../../src/media/speech-source.ts';
import { createRng } from '../../src/time/index.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const TWO_MINUTES_MS = 120_000;
const ORIGINS_MS = [HOUR_MS, 30 * DAY_MS, 120 * DAY_MS + 1_234, 1_700_000_000_000];

/** Digests of everything `party` says from `fromMs` for two minutes: samples, both encodings, who talks. */
function recordFrom(conversation: Conversation, party: Party, fromMs: number) {
  const source = conversation[party];
  const samples = createHash('sha256');
  const bytes = { mulaw: createHash('sha256'), alaw: createHash('sha256') };
  let talking = '';
  for (let t = fromMs; t < fromMs + TWO_MINUTES_MS; t += PACKET_INTERVAL_MS) {
    const frame = source.frameAt(t);
    samples.update(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
    for (const law of ['mulaw', 'alaw'] as const) bytes[law].update(source.encodedFrameAt?.(t, law) ?? '');
    talking += conversation.isTalking(party, t) ? '1' : '0';
  }
  return {
    samples: samples.digest('hex'),
    mulaw: bytes.mulaw.digest('hex'),
    alaw: bytes.alaw.digest('hex'),
    talking,
  };
}

const record = (conversation: Conversation, fromMs: number) => ({
  user: recordFrom(conversation, 'user', fromMs),
  remote: recordFrom(conversation, 'remote', fromMs),
});

describe('conversation origin', () => {
  const fromZero = record(createConversation(createRng('origin-test')), 0);

  it.each(ORIGINS_MS)('from origin %i ms: the same samples, bytes and talk as from 0', (originMs) => {
    const fromOrigin = record(createConversation(createRng('origin-test'), { originMs }), originMs);
    expect(fromOrigin).toEqual(fromZero);
    // Not trivially equal: both parties talk and pause in these two minutes.
    for (const party of ['user', 'remote'] as const)
      expect(fromZero[party].talking).toMatch(/^(?=.*1)(?=.*0)/);
  });

  it('spurts are in virtual time, shifted by the origin', () => {
    const originMs = 30 * DAY_MS;
    const atZero = createConversation(createRng('origin-test'));
    const atOrigin = createConversation(createRng('origin-test'), { originMs });
    const shifted = atZero
      .spurts('user', TWO_MINUTES_MS)
      .map((s) => ({ startMs: originMs + s.startMs, endMs: originMs + s.endMs }));
    expect(atOrigin.spurts('user', originMs + TWO_MINUTES_MS)).toEqual(shifted);
  });

  it('before its origin a conversation is background noise only', () => {
    const conversation = createConversation(createRng('origin-test'), { originMs: HOUR_MS });
    for (let t = 0; t < 10_000; t += PACKET_INTERVAL_MS) {
      expect(conversation.isTalking('user', t)).toBe(false);
      expect(Math.max(...conversation.user.frameAt(t).map(Math.abs))).toBeLessThan(50);
    }
  });
});
