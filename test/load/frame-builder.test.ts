/**
 * The frame builder copies each stream's header from the media packetiser and advances it per tick; its
 * packets must be byte-identical to what the packetiser itself writes, across sequence and timestamp wraps.
 */
import { describe, expect, it } from 'vitest';
import { createConnectionFrames, FRAME_BYTES_PER_CALL } from '../../src/load/frame-builder.ts';
import type { LoadCall } from '../../src/load/load-calls.ts';
import { createPayloadBank } from '../../src/load/payload-bank.ts';
import { createRtpPacketiser } from '../../src/media/rtp-packetiser.ts';
import { decodeMediaFrame } from '../../src/protocol/media-frame.ts';
import { createRng } from '../../src/time/rng.ts';

describe('createConnectionFrames', () => {
  it('writes the same bytes as the packetiser, tick after tick, across the 16-bit and 32-bit wraps', () => {
    const bank = createPayloadBank(createRng('bytes'), 'alaw', 7);
    const call: LoadCall = {
      index: 0,
      recordingId: 'r',
      userId: 'u',
      connection: 0,
      identities: {
        user: { ssrc: 0xfeedbeef, initialSequence: 65_530, initialTimestamp: 0xffff_ff00 },
        remote: { ssrc: 7, initialSequence: 0, initialTimestamp: 1 },
      },
      bankOffset: 3,
      startTick: 0,
    };
    const frames = createConnectionFrames([call], bank, 'alaw');
    const user = createRtpPacketiser({ identity: call.identities.user, law: 'alaw' });
    const remote = createRtpPacketiser({ identity: call.identities.remote, law: 'alaw' });
    for (let tick = 0; tick < 70_000; tick += tick < 40 ? 1 : 997) {
      // The packetiser numbers packets by how many it wrote; write the skipped ticks too.
      while (user.packetCount < tick) {
        const slot = (user.packetCount + call.bankOffset) % bank.frames;
        user.writeEncoded(user.packetCount, bank.user[slot] as Uint8Array, false);
        remote.writeEncoded(remote.packetCount, bank.remote[slot] as Uint8Array, false);
      }
      const slot = (tick + call.bankOffset) % bank.frames;
      const expected = [
        user.writeEncoded(tick, bank.user[slot] as Uint8Array, tick === 0).bytes,
        remote.writeEncoded(tick, bank.remote[slot] as Uint8Array, tick === 0).bytes,
      ];
      const frame = frames.buildFrame(tick);
      expect(frame).toHaveLength(FRAME_BYTES_PER_CALL);
      const decoded = decodeMediaFrame(frame);
      expect(decoded.ok && decoded.packets.map((p) => Buffer.from(p).toString('hex'))).toEqual(
        expected.map((p) => Buffer.from(p).toString('hex')),
      );
    }
  });

  it('leaves a call out of the frames before its start tick, then numbers its packets from there', () => {
    const bank = createPayloadBank(createRng('ramp'), 'mulaw', 5);
    const identity = (ssrc: number) => ({ ssrc, initialSequence: 10, initialTimestamp: 1000 });
    const call = (index: number, startTick: number): LoadCall => ({
      index,
      recordingId: `r${index}`,
      userId: `u${index}`,
      connection: 0,
      identities: { user: identity(2 * index + 1), remote: identity(2 * index + 2) },
      bankOffset: 0,
      startTick,
    });
    const frames = createConnectionFrames([call(0, 0), call(1, 4)], bank, 'mulaw');
    expect([0, 3, 4, 9].map((t) => frames.packetsAt(t))).toEqual([2, 2, 4, 4]);
    const seqs = (tick: number) => {
      const decoded = decodeMediaFrame(frames.buildFrame(tick));
      return decoded.ok
        ? decoded.packets.map((p) => [p[11], (p[2] as number) * 256 + (p[3] as number), p[1]])
        : [];
    };
    expect(seqs(3)).toEqual([
      [1, 13, 0],
      [2, 13, 0],
    ]);
    // Call 1's first packet (slot 0, marker set) goes out at tick 4.
    expect(seqs(4)).toEqual([
      [1, 14, 0],
      [2, 14, 0],
      [3, 10, 0x80],
      [4, 10, 0x80],
    ]);
  });
});
