/**
 * Turns 20 ms frames of audio into serialized RTP packets for one stream: G.711 payload, sequence +1 per
 * packet sent (wrapping at 65,535), timestamp = initial + 160 × slot, so a pause shows as a timestamp jump
 * while the sequence stays gap-free (a pause is not loss).
 */
import { RtpPacket } from 'rtp.js/packets';
import { SimError } from '../errors.ts';
import { createG711Encoder, type G711Law, PAYLOAD_TYPE } from './g711.ts';
import {
  PACKET_BYTES,
  PAYLOAD_BYTES,
  RTP_HEADER_BYTES,
  SAMPLES_PER_PACKET,
  TIMESTAMP_STEP,
} from './media-format.ts';
import type { StreamIdentity } from './stream-identity.ts';

export interface RtpPacketiserOptions {
  readonly identity: StreamIdentity;
  readonly law: G711Law;
}

export interface WrittenPacket {
  readonly sequence: number;
  readonly timestamp: number;
  /** The whole serialized packet (172 bytes). */
  readonly bytes: Uint8Array;
}

export interface RtpPacketiser {
  readonly ssrc: number;
  readonly payloadType: number;
  /** Packets written so far. */
  readonly packetCount: number;
  /** Serializes the packet for `slot` (20 ms slots since the stream's origin, ≥ 0), encoding `samples`. */
  write(slot: number, samples: Int16Array, marker: boolean): WrittenPacket;
  /** The same with a payload already encoded in this packetiser's law (160 bytes). */
  writeEncoded(slot: number, payload: Uint8Array, marker: boolean): WrittenPacket;
}

// Packets are cut from shared slabs rather than one ArrayBuffer each: allocation was the largest cost of
// a one-hour replay. A packet a consumer keeps keeps its slab alive (32 KiB, 190 packets).
const SLAB_BYTES = 32 * 1024;

export function createRtpPacketiser(options: RtpPacketiserOptions): RtpPacketiser {
  const { identity, law } = options;
  const payloadType = PAYLOAD_TYPE[law];
  const encode = createG711Encoder(law);
  // One rtp.js packet, reused. `serialize(slab, offset)` lays the fixed header down in the new slot and
  // re-points the packet at it; only then are the per-packet fields set, so packets already handed out
  // are never written again.
  const packet = new RtpPacket();
  packet.setPayloadType(payloadType);
  packet.setSsrc(identity.ssrc);
  packet.setPayload(new DataView(new ArrayBuffer(PAYLOAD_BYTES)));
  let slab = new ArrayBuffer(SLAB_BYTES);
  let slabBytes = new Uint8Array(slab);
  let slabOffset = 0;
  let packetCount = 0;

  // Lays down the header for `slot` in the next free slot of the slab; returns the packet's offset.
  const writeHeader = (slot: number, marker: boolean): number => {
    if (slabOffset + PACKET_BYTES > SLAB_BYTES) {
      slab = new ArrayBuffer(SLAB_BYTES);
      slabBytes = new Uint8Array(slab);
      slabOffset = 0;
    }
    const at = slabOffset;
    packet.serialize(slab, at);
    packet.setSequenceNumber((identity.initialSequence + packetCount) & 0xffff);
    packet.setTimestamp((identity.initialTimestamp + slot * TIMESTAMP_STEP) >>> 0);
    packet.setMarker(marker);
    slabOffset += PACKET_BYTES;
    return at;
  };
  const finish = (slot: number, at: number): WrittenPacket => {
    const sequence = (identity.initialSequence + packetCount) & 0xffff;
    packetCount++;
    return {
      sequence,
      timestamp: (identity.initialTimestamp + slot * TIMESTAMP_STEP) >>> 0,
      bytes: slabBytes.subarray(at, at + PACKET_BYTES),
    };
  };
  const checkLength = (length: number, what: string): void => {
    if (length !== SAMPLES_PER_PACKET) {
      throw new SimError(
        'SIM_ERR_INVALID_MEDIA',
        `An audio frame must hold ${SAMPLES_PER_PACKET} ${what} (20 ms at 8 kHz), not ${length}.`,
        { details: { length } },
      );
    }
  };

  return {
    ssrc: identity.ssrc,
    payloadType,
    get packetCount() {
      return packetCount;
    },
    write(slot, samples, marker) {
      checkLength(samples.length, 'samples');
      const at = writeHeader(slot, marker);
      encode(samples, slabBytes, at + RTP_HEADER_BYTES);
      return finish(slot, at);
    },
    writeEncoded(slot, payload, marker) {
      checkLength(payload.length, 'payload bytes');
      const at = writeHeader(slot, marker);
      slabBytes.set(payload, at + RTP_HEADER_BYTES);
      return finish(slot, at);
    },
  };
}
