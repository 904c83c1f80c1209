import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CallLogEvent } from '../../machines/call-events.ts';
import { decodeG711 } from '../../src/media/g711.ts';
import { PACKETS_PER_SECOND } from '../../src/media/media-format.ts';
import type { MediaPacket } from '../../src/media/media-packet.ts';
import { createRecordedStreams } from '../../src/media/recorded-streams.ts';
import { sequenceDistance } from '../../src/media/rtp-packet.ts';
import { createRng, createVirtualClock } from '../../src/time/index.ts';
import { parseRtpPacket } from '../harness/rtp-oracle.ts';
import { alwaysCall, call, media } from './call-logs.ts';
import { runMedia } from './run-media.ts';

function perSecond(packets: readonly MediaPacket[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of packets)
    counts.set(Math.floor(p.atMs / 1000), (counts.get(Math.floor(p.atMs / 1000)) ?? 0) + 1);
  return counts;
}

describe('S32: two streams per recorded call, 50 packets per second each', () => {
  const run = runMedia(alwaysCall(60_000));

  it('S22 Always: exactly 50 packets in every second of a one-minute call, on both streams', () => {
    for (const stream of [run.user, run.remote]) {
      const counts = perSecond(stream);
      expect([...counts.keys()]).toEqual(Array.from({ length: 60 }, (_, s) => s));
      expect([...counts.values()].every((n) => n === PACKETS_PER_SECOND)).toBe(true);
      expect(stream.length).toBe(3000);
    }
  });

  it('label 1 is the recorded user and label 2 the remote party, each with its own SSRC', () => {
    expect(new Set(run.user.map((p) => p.label))).toEqual(new Set([1]));
    expect(new Set(run.remote.map((p) => p.label))).toEqual(new Set([2]));
    expect(new Set(run.user.map((p) => p.ssrc)).size).toBe(1);
    expect(run.user[0]?.ssrc).not.toBe(run.remote[0]?.ssrc);
    expect(run.user[0]?.ssrc).toBe(run.media.identities.user.ssrc);
  });

  it('packets are 20 ms apart in virtual time, sequence +1 and timestamp +160 each', () => {
    for (const stream of [run.user, run.remote]) {
      const steps = new Set(
        stream.slice(1).map((p, i) => {
          const prev = stream[i] as MediaPacket;
          return `${p.atMs - prev.atMs} ms, seq +${sequenceDistance(prev.sequence, p.sequence)}, ts +${(p.timestamp - prev.timestamp + 2 ** 32) % 2 ** 32}`;
        }),
      );
      expect([...steps]).toEqual(['20 ms, seq +1, ts +160']);
    }
  });

  it('the header fields reported beside the bytes are the ones in the bytes; marker only on the first', () => {
    for (const p of [...run.user.slice(0, 100), ...run.remote.slice(0, 100)]) {
      const parsed = parseRtpPacket(p.bytes);
      expect(parsed).toMatchObject({
        sequence: p.sequence,
        timestamp: p.timestamp,
        ssrc: p.ssrc,
        marker: p.marker,
      });
      expect(parsed.payloadType).toBe(0);
    }
    expect(run.user.filter((p) => p.marker).map((p) => p.atMs)).toEqual([0]);
  });

  it('the close at hang-up ends both streams, then and there', () => {
    expect(run.completedAtMs).toMatchObject({ user: 60_000, remote: 60_000 });
    expect(run.user.at(-1)?.atMs).toBe(59_980);
    expect(run.markers.map((m) => m.type)).toEqual(['opened', 'closed']);
    expect(run.markers.at(-1)).toMatchObject({ type: 'closed', positionMs: 60_000, reason: 'close' });
  });

  it('the same seed gives the same bytes; another seed gives other SSRCs and audio', () => {
    const again = runMedia(alwaysCall(2_000));
    const same = runMedia(alwaysCall(2_000));
    const other = runMedia(alwaysCall(2_000), { rng: createRng('another seed') });
    expect(again.user.map((p) => [...p.bytes])).toEqual(same.user.map((p) => [...p.bytes]));
    expect(other.user[0]?.ssrc).not.toBe(again.user[0]?.ssrc);
  });

  it('A-law streams carry payload type 8', () => {
    const alaw = runMedia(alwaysCall(200), { law: 'alaw' });
    expect(alaw.user.map((p) => parseRtpPacket(p.bytes).payloadType)).toEqual(Array(10).fill(8));
  });

  it('the two streams carry different audio: each party speaks in its own voice', () => {
    const long = runMedia(alwaysCall(30_000));
    const differing = long.user.filter((p, i) => {
      const a = parseRtpPacket(p.bytes).payload;
      const b = parseRtpPacket((long.remote[i] as MediaPacket).bytes).payload;
      return a.some((v, j) => v !== b[j]);
    });
    expect(differing.length).toBe(long.user.length);
    // Some packets carry speech (loud), some the pauses between spurts (quiet).
    const peak = (p: MediaPacket) =>
      Math.max(...decodeG711(parseRtpPacket(p.bytes).payload, 'mulaw').map(Math.abs));
    expect(long.user.some((p) => peak(p) > 1000)).toBe(true);
    expect(long.user.some((p) => peak(p) < 100)).toBe(true);
  });
});

describe('S23/S21: pause and resume leave a gap, never fabricated audio', () => {
  const events = [
    call(0, 'connected'),
    media(0, 'open'),
    media(10_000, 'pause'),
    media(25_010, 'resume'),
    media(40_000, 'close'),
    call(40_000, 'ended'),
  ];
  const run = runMedia(events);

  it('no packet carries audio from the paused interval; 50 packets/s on each side of it', () => {
    for (const stream of [run.user, run.remote]) {
      expect(stream.filter((p) => p.mediaMs >= 10_000 && p.mediaMs < 25_010)).toEqual([]);
      // [0, 10 s) = 500 packets; [25,010, 40,000) on the 20 ms grid from 0: slots 25,020 … 39,980 = 749.
      expect(stream.length).toBe(500 + 749);
    }
  });

  it('sequence numbers stay continuous across the pause; the timestamp jumps by the gap', () => {
    for (const stream of [run.user, run.remote]) {
      const before = stream[499] as MediaPacket;
      const after = stream[500] as MediaPacket;
      expect(before.mediaMs).toBe(9_980);
      expect(after.mediaMs).toBe(25_020);
      expect(sequenceDistance(before.sequence, after.sequence)).toBe(1);
      expect((after.timestamp - before.timestamp + 2 ** 32) % 2 ** 32).toBe(((25_020 - 9_980) / 20) * 160);
    }
  });

  it('the first packet after the gap has the marker bit, and only it (besides the very first)', () => {
    for (const stream of [run.user, run.remote]) {
      expect(stream.filter((p) => p.marker).map((p) => p.mediaMs)).toEqual([0, 25_020]);
    }
  });

  it('pause and resume markers carry the recording position', () => {
    expect(run.markers.map((m) => [m.type, m.atMs, m.positionMs])).toEqual([
      ['opened', 0, 0],
      ['paused', 10_000, 10_000],
      ['resumed', 25_010, 10_000],
      ['closed', 40_000, 24_980],
    ]);
    expect(run.markers[2]).toMatchObject({ pausedAtMs: 10_000 });
  });

  it('the sequence number wraps at 65,535 without a break, across a pause too', () => {
    const identities = {
      user: { ssrc: 1, initialSequence: 65_000, initialTimestamp: 0 },
      remote: { ssrc: 2, initialSequence: 65_535, initialTimestamp: 4_294_967_200 },
    };
    const wrapped = runMedia(events, { identities });
    for (const stream of [wrapped.user, wrapped.remote]) {
      expect(
        new Set(
          stream.slice(1).map((p, i) => sequenceDistance((stream[i] as MediaPacket).sequence, p.sequence)),
        ),
      ).toEqual(new Set([1]));
    }
    expect(wrapped.remote.slice(0, 3).map((p) => p.sequence)).toEqual([65_535, 0, 1]);
    expect(wrapped.remote.slice(0, 3).map((p) => p.timestamp)).toEqual([4_294_967_200, 64, 224]);
    expect(wrapped.user.some((p) => p.sequence === 0)).toBe(true);
  });
});

describe('S21 On Demand: provisional capture is held back until the user starts', () => {
  it('keep: the held-back capture arrives at once when the user starts, then the stream goes live', () => {
    const run = runMedia([
      call(0, 'connected'),
      media(0, 'open', true),
      media(5_000, 'keep'),
      media(8_000, 'close'),
      call(8_000, 'ended'),
    ]);
    for (const stream of [run.user, run.remote]) {
      expect(stream.length).toBe(400);
      const burst = stream.filter((p) => p.atMs === 5_000);
      // 250 slots captured in [0, 5 s) released at 5 s, plus the live slot at 5,000 ms itself.
      expect(burst.length).toBe(251);
      expect(burst.slice(0, 250).map((p) => p.mediaMs)).toEqual(
        Array.from({ length: 250 }, (_, k) => k * 20),
      );
      expect(stream.slice(251).every((p) => p.atMs === p.mediaMs)).toBe(true);
      expect(
        new Set(
          stream.slice(1).map((p, i) => sequenceDistance((stream[i] as MediaPacket).sequence, p.sequence)),
        ),
      ).toEqual(new Set([1]));
    }
    expect(run.markers.map((m) => m.type)).toEqual(['opened', 'kept', 'closed']);
    expect(run.markers[0]).toMatchObject({ provisional: true });
    expect(run.markers[1]).toMatchObject({ atMs: 5_000, releasedPackets: 250, positionMs: 5_000 });
    // The kept marker comes before the packets it releases.
    const keptIndex = run.items.findIndex((i) => i.kind === 'marker' && i.type === 'kept');
    expect(run.items.slice(0, keptIndex).some((i) => i.kind === 'packet')).toBe(false);
  });

  it('discard: nothing reaches the recorder, and the streams end', () => {
    const run = runMedia([
      call(0, 'connected'),
      media(0, 'open', true),
      media(30_000, 'discard'),
      call(30_000, 'ended'),
    ]);
    expect(run.user).toEqual([]);
    expect(run.remote).toEqual([]);
    expect(run.completedAtMs).toMatchObject({ user: 30_000, remote: 30_000 });
    expect(run.markers.at(-1)).toMatchObject({ type: 'discarded', reason: 'discard', droppedPackets: 1500 });
  });

  it('a close that was never confirmed by keep drops the capture too', () => {
    const run = runMedia([
      call(0, 'connected'),
      media(0, 'open', true),
      media(1_000, 'close'),
      call(1_000, 'ended'),
    ]);
    expect(run.user).toEqual([]);
    expect(run.markers.at(-1)).toMatchObject({ type: 'discarded', reason: 'close', droppedPackets: 50 });
  });

  it('User Initiated Start: nothing before the start, then 50 packets/s from the start', () => {
    const run = runMedia([
      call(0, 'connected'),
      media(7_310, 'open'),
      media(9_310, 'close'),
      call(9_310, 'ended'),
    ]);
    expect(run.user.length).toBe(100);
    expect(run.user[0]).toMatchObject({ mediaMs: 7_310, atMs: 7_310, marker: true });
  });

  it('a call that ends while recording closes the recording then (kept)', () => {
    const run = runMedia([call(0, 'connected'), media(0, 'open'), call(1_000, 'ended')]);
    expect(run.user.length).toBe(50);
    expect(run.markers.at(-1)).toMatchObject({ type: 'closed', reason: 'end-of-call', atMs: 1_000 });
    expect(run.completedAtMs.user).toBe(1_000);
  });

  it('start after stop: a second recording with its own SSRCs, sequence start and marker bit', () => {
    const run = runMedia([
      call(0, 'connected'),
      media(0, 'open', true),
      media(2_000, 'keep'),
      media(4_000, 'close'),
      media(10_000, 'open'),
      media(11_000, 'close'),
      call(20_000, 'ended'),
    ]);
    const first = run.user.filter((p) => p.recording === 0);
    const second = run.user.filter((p) => p.recording === 1);
    expect([first.length, second.length]).toEqual([200, 50]);
    expect(second[0]).toMatchObject({ mediaMs: 10_000, marker: true });
    expect(second[0]?.ssrc).not.toBe(first[0]?.ssrc);
    const opened = run.markers.filter((m) => m.type === 'opened');
    expect(opened.map((m) => [m.recording, m.atMs])).toEqual([
      [0, 0],
      [1, 10_000],
    ]);
    expect(opened[1]?.type === 'opened' && opened[1].identities.user.ssrc).toBe(second[0]?.ssrc);
    expect(opened[1]?.type === 'opened' && opened[1].identities.user.initialSequence).toBe(
      second[0]?.sequence,
    );
    // Each recording ends with its own closed marker; the streams themselves end with the call.
    expect(run.markers.filter((m) => m.type === 'closed').map((m) => [m.recording, m.atMs])).toEqual([
      [0, 4_000],
      [1, 11_000],
    ]);
    expect(run.completedAtMs.user).toBe(20_000);
  });
});

describe('same-instant rule: a gating event beats the packet due at the same virtual instant', () => {
  it('a pause decided by a timer armed only 10 ms before it is due still suppresses that instant’s packet', () => {
    const clock = createVirtualClock();
    const events$ = new Subject<CallLogEvent>();
    const streams = createRecordedStreams({
      scheduler: clock.scheduler,
      events$,
      rng: createRng('same-instant'),
    });
    const user: MediaPacket[] = [];
    streams.user$.subscribe((p) => user.push(p));
    events$.next(media(0, 'open'));
    // Armed at 990 ms, after the tick for the 1,000 ms slot (armed at 980 ms): like a machine timer.
    clock.scheduler.schedule(
      () => clock.scheduler.schedule(() => events$.next(media(1_000, 'pause')), 10),
      990,
    );
    clock.advanceTo(2_000);
    expect(user.length).toBe(50);
    expect(user.at(-1)?.mediaMs).toBe(980);
  });
});
