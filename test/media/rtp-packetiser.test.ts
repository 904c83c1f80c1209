import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PACKET_BYTES } from '../../src/media/media-format.ts';
import { sequenceDistance } from '../../src/media/rtp-packet.ts';
import { createRtpPacketiser } from '../../src/media/rtp-packetiser.ts';
import { parseRtpPacket } from '../harness/rtp-oracle.ts';

const SILENCE = new Int16Array(160);

describe('packetiser: sequence and timestamp arithmetic', () => {
  it('the sequence number wraps from 65,535 to 0 and keeps counting', () => {
    const packetiser = createRtpPacketiser({
      identity: { ssrc: 7, initialSequence: 65533, initialTimestamp: 0 },
      law: 'mulaw',
    });
    const sequences = Array.from({ length: 5 }, (_, slot) => packetiser.write(slot, SILENCE, false).sequence);
    expect(sequences).toEqual([65533, 65534, 65535, 0, 1]);
  });

  it('the timestamp wraps modulo 2^32 and stays 160 per 20 ms slot', () => {
    const packetiser = createRtpPacketiser({
      identity: { ssrc: 7, initialSequence: 0, initialTimestamp: 0xffffffff - 200 },
      law: 'mulaw',
    });
    const timestamps = [0, 1, 2].map((slot) => packetiser.write(slot, SILENCE, false).timestamp);
    expect(timestamps).toEqual([0xffffffff - 200, 0xffffffff - 40, 119]);
  });

  it('property: sequence +1 per packet sent, timestamp = initial + 160 × slot, whatever the slots skipped', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffff }),
        fc.nat({ max: 0xffffffff }),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 60 }),
        (initialSequence, initialTimestamp, slotSteps) => {
          const packetiser = createRtpPacketiser({
            identity: { ssrc: 1, initialSequence, initialTimestamp },
            law: 'alaw',
          });
          let slot = 0;
          let previous: { sequence: number; timestamp: number; slot: number } | undefined;
          for (const step of slotSteps) {
            const p = packetiser.write(slot, SILENCE, false);
            expect(p.timestamp).toBe((initialTimestamp + slot * 160) % 2 ** 32);
            if (previous !== undefined) {
              expect(sequenceDistance(previous.sequence, p.sequence)).toBe(1);
              const skipped = slot - previous.slot;
              expect((p.timestamp - previous.timestamp + 2 ** 32) % 2 ** 32).toBe((skipped * 160) % 2 ** 32);
            }
            previous = { ...p, slot };
            slot += step;
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('packets handed out are never rewritten (1,000 packets across several slabs)', () => {
    const packetiser = createRtpPacketiser({
      identity: { ssrc: 99, initialSequence: 10, initialTimestamp: 5 },
      law: 'mulaw',
    });
    const kept = Array.from({ length: 1000 }, (_, slot) =>
      packetiser.write(
        slot,
        Int16Array.from({ length: 160 }, () => slot * 17),
        slot % 7 === 0,
      ),
    );
    kept.forEach((p, slot) => {
      const parsed = parseRtpPacket(p.bytes);
      expect(p.bytes.length).toBe(PACKET_BYTES);
      expect(parsed.sequence).toBe(10 + slot);
      expect(parsed.timestamp).toBe(5 + slot * 160);
      expect(parsed.marker).toBe(slot % 7 === 0);
      expect(new Set(parsed.payload).size).toBe(1);
    });
  });

  it('refuses a frame that is not 160 samples', () => {
    const packetiser = createRtpPacketiser({
      identity: { ssrc: 1, initialSequence: 0, initialTimestamp: 0 },
      law: 'mulaw',
    });
    expect(() => packetiser.write(0, new Int16Array(80), false)).toThrow(/160 samples/);
  });
});
