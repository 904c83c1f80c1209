import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createG711Encoder,
  decodeG711,
  encodeG711,
  type G711Law,
  linearToAlaw,
  linearToMulaw,
} from '../../src/media/g711.ts';

const LAWS: readonly G711Law[] = ['mulaw', 'alaw'];

describe('G.711 codec (the payload of both recorded streams)', () => {
  it.each(LAWS)(
    '%s: every code word decodes and re-encodes to itself (except µ-law negative zero)',
    (law) => {
      const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      const again = encodeG711(decodeG711(bytes, law), law);
      const changed = [...bytes].filter((b, i) => again[i] !== b);
      // µ-law has two zeros (0xFF and 0x7F); both decode to 0, which encodes as 0xFF.
      expect(changed).toEqual(law === 'mulaw' ? [0x7f] : []);
    },
  );

  it.each(LAWS)('%s: any 16-bit sample survives encode + decode within the G.711 step size', (law) => {
    fc.assert(
      fc.property(fc.integer({ min: -32768, max: 32767 }), (sample) => {
        const decoded = decodeG711(encodeG711([sample], law), law)[0] as number;
        // Logarithmic steps: the error grows with the magnitude, ≤ 1/16 of it plus the smallest step;
        // beyond µ-law's clip level (32,635) the error is the clipping itself.
        const bound = Math.abs(sample) / 16 + 16 + Math.max(0, Math.abs(sample) - 32635);
        return Math.abs(decoded - sample) <= bound && Math.sign(decoded) * Math.sign(sample) >= 0;
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it.each(LAWS)('%s: a 1 kHz tone keeps a signal-to-noise ratio above 30 dB', (law) => {
    const tone = Int16Array.from({ length: 800 }, (_, i) =>
      Math.round(10000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)),
    );
    const decoded = decodeG711(encodeG711(tone, law), law);
    let signal = 0;
    let noise = 0;
    tone.forEach((s, i) => {
      signal += s * s;
      noise += (s - (decoded[i] as number)) ** 2;
    });
    expect(10 * Math.log10(signal / noise)).toBeGreaterThan(30);
  });

  it.each(LAWS)('%s: the table encoder used by the packetiser is byte-identical to the reference', (law) => {
    const all = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    const fast = new Uint8Array(65536);
    createG711Encoder(law)(all, fast, 0);
    const reference = law === 'mulaw' ? linearToMulaw : linearToAlaw;
    expect(fast.every((b, i) => b === reference((all[i] as number) ?? 0))).toBe(true);
  });
});
