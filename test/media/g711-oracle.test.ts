/**
 * G.711 checked against an implementation it shares no code with, the `alawmulaw` package:
 * - decoding: all 256 code words of each law give the same sample (the G.711 reconstruction table);
 * - µ-law encoding: all 65,536 samples give the same code word;
 * - A-law encoding: every sample gets a code whose reconstruction level (alawmulaw's table) is a nearest
 *   one — G.711's decision intervals are centred on those levels. (alawmulaw rounds negative A-law inputs by
 *   magnitude and clips at µ-law's 32,635, where the ITU-T G.191 reference takes the one's complement, so
 *   code-for-code equality is not the right check for A-law.)
 */
import { alaw, mulaw } from 'alawmulaw';
import { describe, expect, it } from 'vitest';
import { alawToLinear, linearToAlaw, linearToMulaw, mulawToLinear } from '../../src/media/g711.ts';

const CODES = Array.from({ length: 256 }, (_, byte) => byte);

describe('G.711 against alawmulaw', () => {
  it.each([
    ['mulaw', mulawToLinear, mulaw.decodeSample],
    ['alaw', alawToLinear, alaw.decodeSample],
  ] as const)('%s: all 256 code words decode to the same sample', (_law, ours, theirs) => {
    expect(CODES.filter((byte) => ours(byte) !== theirs(byte))).toEqual([]);
  });

  it('µ-law: all 65,536 samples encode to the same code word', () => {
    const differ: string[] = [];
    for (let sample = -32768; sample <= 32767; sample++) {
      const mine = linearToMulaw(sample);
      const theirs = mulaw.encodeSample(sample) & 0xff;
      if (mine !== theirs && differ.length < 5) differ.push(`${sample}: ${mine} vs ${theirs}`);
    }
    expect(differ).toEqual([]);
  });

  it('A-law: every sample is encoded into the decision interval of its code in the external table', () => {
    // A code's interval is its reconstruction level ± half its segment's step; the step is read from the
    // external table (the distance to a neighbour in the same segment, 16 codes a segment). Negative
    // samples use the one's complement magnitude (-x - 1), as the ITU-T G.191 reference does.
    const segmentOf = (byte: number) => ((byte ^ 0x55) & 0x70) >> 4;
    const positive = CODES.filter((byte) => alaw.decodeSample(byte) > 0);
    const halfStep = new Map<number, number>();
    for (const byte of positive) {
      const level = alaw.decodeSample(byte);
      const sameSegment = positive
        .filter((other) => other !== byte && segmentOf(other) === segmentOf(byte))
        .map((other) => Math.abs(alaw.decodeSample(other) - level));
      halfStep.set(byte & 0x7f, Math.min(...sameSegment) / 2);
    }
    const top = Math.max(...positive.map((byte) => alaw.decodeSample(byte)));
    const differ: string[] = [];
    for (let sample = -32768; sample <= 32767; sample++) {
      const code = linearToAlaw(sample);
      const level = alaw.decodeSample(code);
      const magnitude = sample >= 0 ? sample : -sample - 1;
      const h = halfStep.get(code & 0x7f) ?? 0;
      const inside =
        Math.sign(level) === (sample >= 0 ? 1 : -1) &&
        Math.abs(level) - h <= magnitude &&
        (magnitude < Math.abs(level) + h || Math.abs(level) === top);
      if (!inside && differ.length < 5) differ.push(`${sample} → code ${code} (level ${level} ± ${h})`);
    }
    expect(differ).toEqual([]);
  });
});
