import fc from 'fast-check';
import { RtpPacket as RtpJsPacket } from 'rtp.js/packets';
import { describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket as WeriftPacket } from 'werift-rtp';
import { PAYLOAD_TYPE } from '../../src/media/g711.ts';
import { PACKET_BYTES } from '../../src/media/media-format.ts';
import { createRtpPacketiser } from '../../src/media/rtp-packetiser.ts';
import { parseRtpHeader } from '../../src/protocol/rtp-header.ts';

/** The sink's RTP reader (src/protocol/rtp-header.ts, the one parser), in the fields these tests compare. */
function parseRtpPacket(bytes: Uint8Array) {
  const header = parseRtpHeader(bytes);
  if (!header.ok) throw new Error(`not RTP: ${header.reason}`);
  return {
    version: (bytes[0] as number) >> 6,
    payloadType: header.payloadType,
    marker: header.marker,
    sequence: header.sequenceNumber,
    timestamp: header.timestamp,
    ssrc: header.ssrc,
    payload: bytes.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength),
  };
}

const identityArb = fc.record({
  ssrc: fc.nat({ max: 0xffffffff }),
  initialSequence: fc.nat({ max: 0xffff }),
  initialTimestamp: fc.nat({ max: 0xffffffff }),
});
const frameArb = fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 160, maxLength: 160 });

describe('RTP packets we produce parse identically with werift-rtp (the independent reference)', () => {
  it('version, payload type, sequence, timestamp, SSRC, marker and payload all agree', () => {
    fc.assert(
      fc.property(
        identityArb,
        fc.constantFrom('mulaw' as const, 'alaw' as const),
        fc.array(
          fc.record({ slotStep: fc.integer({ min: 1, max: 3000 }), marker: fc.boolean(), frame: frameArb }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (identity, law, writes) => {
          const packetiser = createRtpPacketiser({ identity, law });
          let slot = 0;
          const written = writes.map((w) => {
            slot += w.slotStep;
            return packetiser.write(slot, Int16Array.from(w.frame), w.marker);
          });
          // Checked after all writes: a later write must not have touched an earlier packet.
          written.forEach((packet, i) => {
            expect(packet.bytes.length).toBe(PACKET_BYTES);
            const ref = WeriftPacket.deSerialize(Buffer.from(packet.bytes));
            const ours = parseRtpPacket(packet.bytes);
            expect(ref.header.version).toBe(2);
            expect(ours.version).toBe(2);
            expect(ref.header.payloadType).toBe(PAYLOAD_TYPE[law]);
            expect(ours.payloadType).toBe(PAYLOAD_TYPE[law]);
            expect(ref.header.sequenceNumber).toBe(packet.sequence);
            expect(ours.sequence).toBe(packet.sequence);
            expect(ref.header.timestamp).toBe(packet.timestamp);
            expect(ours.timestamp).toBe(packet.timestamp);
            expect(ref.header.ssrc).toBe(identity.ssrc);
            expect(ours.ssrc).toBe(identity.ssrc);
            expect(ref.header.marker).toBe(writes[i]?.marker);
            expect(ours.marker).toBe(writes[i]?.marker);
            expect(Buffer.compare(ref.payload, Buffer.from(ours.payload))).toBe(0);
            expect(ours.payload.length).toBe(160);
          });
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });
});

describe("the sink's RTP reader reads what werift-rtp and rtp.js write", () => {
  const headerArb = fc.record({
    payloadType: fc.nat({ max: 127 }),
    sequenceNumber: fc.nat({ max: 0xffff }),
    timestamp: fc.nat({ max: 0xffffffff }),
    ssrc: fc.nat({ max: 0xffffffff }),
    marker: fc.boolean(),
    csrc: fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 3 }),
    payload: fc.uint8Array({ maxLength: 320 }),
  });

  it('werift-rtp packets, CSRCs included', () => {
    fc.assert(
      fc.property(headerArb, (h) => {
        const header = new RtpHeader({
          payloadType: h.payloadType,
          sequenceNumber: h.sequenceNumber,
          timestamp: h.timestamp,
          ssrc: h.ssrc,
          marker: h.marker,
          csrc: h.csrc,
          csrcLength: h.csrc.length,
        });
        const bytes = new Uint8Array(new WeriftPacket(header, Buffer.from(h.payload)).serialize());
        const parsed = parseRtpPacket(bytes);
        expect(parsed).toMatchObject({
          version: 2,
          payloadType: h.payloadType,
          sequence: h.sequenceNumber,
          timestamp: h.timestamp,
          ssrc: h.ssrc,
          marker: h.marker,
        });
        expect([...parsed.payload]).toEqual([...h.payload]);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('rtp.js packets with padding and a header extension', () => {
    fc.assert(
      fc.property(headerArb, fc.boolean(), (h, pad) => {
        const packet = new RtpJsPacket();
        packet.setPayloadType(h.payloadType);
        packet.setSequenceNumber(h.sequenceNumber);
        packet.setTimestamp(h.timestamp);
        packet.setSsrc(h.ssrc);
        packet.setMarker(h.marker);
        packet.setPayload(new DataView(h.payload.buffer, h.payload.byteOffset, h.payload.byteLength));
        packet.enableOneByteExtensions();
        packet.setExtension(1, new DataView(new Uint8Array([1, 2, 3]).buffer));
        if (pad) packet.padTo4Bytes();
        packet.serialize();
        const view = packet.getView();
        const parsed = parseRtpPacket(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
        expect(parsed.sequence).toBe(h.sequenceNumber);
        expect(parsed.timestamp).toBe(h.timestamp);
        expect(parsed.ssrc).toBe(h.ssrc);
        expect(parsed.marker).toBe(h.marker);
        expect([...parsed.payload]).toEqual([...h.payload]);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it.each([
    ['too short for a header', new Uint8Array(11)],
    ['version 1', Uint8Array.from({ length: 172 }, (_, i) => (i === 0 ? 0x40 : 0))],
    ['CSRC count past the end', Uint8Array.from({ length: 12 }, (_, i) => (i === 0 ? 0x8f : 0))],
    [
      'padding longer than the packet',
      Uint8Array.from({ length: 14 }, (_, i) => (i === 0 ? 0xa0 : i === 13 ? 9 : 0)),
    ],
  ])('refuses %s', (_what, bytes) => {
    expect(parseRtpHeader(bytes).ok).toBe(false);
  });
});
