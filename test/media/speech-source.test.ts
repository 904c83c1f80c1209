import { describe, expect, it } from 'vitest';
import { decodeG711 } from '../../src/media/g711.ts';
import { goertzelAmplitude } from '../../src/media/goertzel.ts';
import { PROMPT_SOUNDS } from '../../src/media/prompt-sounds.ts';
import { createConversation } from '../../src/media/speech-source.ts';
import { createRng } from '../../src/time/index.ts';

const TEN_MINUTES_MS = 600_000;

function talkMs(spurts: readonly { startMs: number; endMs: number }[]): number {
  return spurts.reduce((sum, s) => sum + Math.min(s.endMs, TEN_MINUTES_MS) - s.startMs, 0);
}

describe('seeded conversation: talk spurts and silences, the two parties alternating', () => {
  const conversation = createConversation(createRng('conversation-test'));

  it('each party talks for a plausible share of a ten-minute call', () => {
    for (const party of ['user', 'remote'] as const) {
      const share = talkMs(conversation.spurts(party, TEN_MINUTES_MS)) / TEN_MINUTES_MS;
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.7);
    }
  });

  it('they take turns: little double talk, and many changes of speaker', () => {
    let both = 0;
    let changes = 0;
    let lastSpeaker: string | undefined;
    for (let t = 0; t < TEN_MINUTES_MS; t += 20) {
      const user = conversation.isTalking('user', t);
      const remote = conversation.isTalking('remote', t);
      if (user && remote) both++;
      const speaker = user && !remote ? 'user' : remote && !user ? 'remote' : undefined;
      if (speaker !== undefined && lastSpeaker !== undefined && speaker !== lastSpeaker) changes++;
      if (speaker !== undefined) lastSpeaker = speaker;
    }
    expect(both / (TEN_MINUTES_MS / 20)).toBeLessThan(0.05);
    expect(changes).toBeGreaterThan(50);
  });

  it('the same seed gives the same conversation; another seed another one', () => {
    const again = createConversation(createRng('conversation-test'));
    const other = createConversation(createRng('other'));
    expect(again.spurts('user', 60_000)).toEqual(conversation.spurts('user', 60_000));
    expect(other.spurts('user', 60_000)).not.toEqual(conversation.spurts('user', 60_000));
  });

  it('speech frames are loud, silence frames quiet, and none has energy at the prompt frequencies', () => {
    const peaks = { talking: 0, silent: 0 };
    let promptEnergy = 0;
    for (let t = 0; t < 60_000; t += 20) {
      const frame = conversation.user.frameAt(t);
      const peak = Math.max(...frame.map(Math.abs));
      const key = conversation.isTalking('user', t) ? 'talking' : 'silent';
      peaks[key] = Math.max(peaks[key], peak);
      for (const sound of Object.values(PROMPT_SOUNDS)) {
        promptEnergy = Math.max(promptEnergy, goertzelAmplitude(frame, sound.toneHz));
      }
    }
    expect(peaks.talking).toBeGreaterThan(3000);
    expect(peaks.silent).toBeLessThan(50);
    expect(promptEnergy).toBeLessThan(20);
  });

  it('the pre-encoded fast path carries exactly the encoding of the linear frames', () => {
    for (let t = 0; t < 10_000; t += 20) {
      const encoded = conversation.remote.encodedFrameAt?.(t, 'alaw') as Uint8Array;
      const reference = decodeG711(encoded, 'alaw');
      const linear = conversation.remote.frameAt(t);
      const worst = reference.reduce((w, s, i) => Math.max(w, Math.abs(s - (linear[i] as number))), 0);
      expect(worst).toBeLessThanOrEqual(600);
    }
  });
});
