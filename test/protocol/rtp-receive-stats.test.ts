/**
 * RTP receive statistics (RFC 3550 A.1, A.3, A.8) on worked examples: what a recorder reports per stream
 * for a clean stream, a 16-bit sequence wrap with a gap, duplicates, reordering, a sender restart, and
 * jitter computed by hand from the A.8 recurrence. G.711 at 8 kHz: 160 timestamp units per 20 ms packet.
 */
import { describe, expect, it } from 'vitest';
import { createRtpReceiveStats } from '../../src/protocol/rtp/rtp-receive-stats.ts';

/** Packet i of a stream starting at sequence `seq0`: sequence, timestamp, on-time arrival. */
const packet = (seq0: number, i: number) => [(seq0 + i) & 0xffff, 160 * i, 20 * i] as const;

describe('RTP receive statistics', () => {
  it('a clean 20 ms stream: nothing lost, no jitter', () => {
    const s = createRtpReceiveStats();
    for (let i = 0; i < 500; i++) s.receive(...packet(1000, i));
    expect(s.snapshot()).toMatchObject({
      packets: 500,
      expected: 500,
      lost: 0,
      duplicated: 0,
      reordered: 0,
      jitterMs: 0,
      highestSequence: 1499,
    });
  });

  it('counts across the 16-bit wrap, and two packets missing at 65535 and 0 are 2 lost', () => {
    const s = createRtpReceiveStats();
    for (let i = 0; i < 20; i++) if (i !== 5 && i !== 6) s.receive(...packet(65_530, i));
    expect(s.snapshot()).toMatchObject({ packets: 18, expected: 20, lost: 2, highestSequence: 65_536 + 13 });
  });

  it('a duplicated packet is counted once as a duplicate and does not hide a loss', () => {
    const s = createRtpReceiveStats();
    for (const i of [0, 1, 2, 3, 3, 5, 6, 7]) s.receive(...packet(10, i));
    expect(s.snapshot()).toMatchObject({ packets: 8, expected: 8, lost: 1, duplicated: 1, reordered: 0 });
  });

  it('a late packet is reordered, not lost; one arriving before the first extends the expected range', () => {
    const s = createRtpReceiveStats();
    for (const i of [1, 2, 4, 3, 5, 0]) s.receive(...packet(65_534, i));
    expect(s.snapshot()).toMatchObject({ packets: 6, expected: 6, lost: 0, reordered: 2, duplicated: 0 });
  });

  it('a jump of ≥ 3000 is discarded unless the next packet confirms it; then it is a resync, not 60,000 losses', () => {
    const s = createRtpReceiveStats();
    for (let i = 0; i < 10; i++) s.receive(...packet(100, i));
    s.receive(40_000, 0, 200); // stray: ignored
    s.receive(110, 1600, 200);
    expect(s.snapshot()).toMatchObject({ discarded: 1, resyncs: 0, lost: 0, expected: 11 });
    s.receive(30_000, 0, 220);
    s.receive(30_001, 160, 240); // confirms the restart
    s.receive(30_003, 480, 280);
    // 30,000 set bad_seq and is dropped; the session restarts at 30,001, and 30,002 is missing.
    expect(s.snapshot()).toMatchObject({ resyncs: 1, discarded: 2, expected: 11 + 3, lost: 1 });
  });

  it('jitter follows A.8: one packet 10 ms late gives J = 5, 9.6875, 9.08203125 units (÷ 8 for ms)', () => {
    const s = createRtpReceiveStats();
    const js: number[] = [];
    for (let i = 0; i < 8; i++) {
      const [seq, ts, at] = packet(0, i);
      s.receive(seq, ts, i === 5 ? at + 10 : at);
      js.push(s.snapshot().jitterUnits);
    }
    expect(js.slice(4)).toEqual([0, 5, 9.6875, 9.08203125]);
    expect(s.snapshot().jitterMs).toBeCloseTo(9.08203125 / 8, 12);
  });

  it('a constant network delay is no jitter; alternating ±2 ms converges towards 32 units (4 ms)', () => {
    const delayed = createRtpReceiveStats();
    for (let i = 0; i < 100; i++) {
      const [seq, ts, at] = packet(7, i);
      delayed.receive(seq, ts, at + 73);
    }
    expect(delayed.snapshot().jitterUnits).toBe(0);
    const wobbly = createRtpReceiveStats();
    for (let i = 0; i < 2000; i++) {
      const [seq, ts, at] = packet(7, i);
      wobbly.receive(seq, ts, at + (i % 2 === 0 ? 2 : -2));
    }
    expect(wobbly.snapshot().jitterMs).toBeCloseTo(4, 6);
  });

  it('a timestamp wrap at 2^32 is not a jump in transit time', () => {
    const s = createRtpReceiveStats();
    for (let i = 0; i < 10; i++) s.receive(i, (2 ** 32 - 800 + 160 * i) >>> 0, 20 * i);
    expect(s.snapshot().jitterUnits).toBe(0);
  });

  it('reports the fraction lost of each interval (RFC 3550 A.3), as an RTCP receiver report would', () => {
    const s = createRtpReceiveStats();
    for (let i = 0; i < 100; i++) if (i % 10 !== 9) s.receive(...packet(0, i));
    expect(s.takeInterval()).toEqual({ expected: 99, lost: 9, fractionLost: 9 / 99 });
    for (let i = 100; i < 200; i++) s.receive(...packet(0, i));
    // 99 is known lost only once 100 arrives, so it counts in the second interval.
    expect(s.takeInterval()).toEqual({ expected: 101, lost: 1, fractionLost: 1 / 101 });
    expect(s.snapshot().lost).toBe(10);
  });
});
