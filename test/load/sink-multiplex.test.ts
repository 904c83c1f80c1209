/**
 * Multiplexed sink connections (docs/sink-protocol.md, "Multiplexed connections"): several recordings on
 * one connection, packets routed by SSRC, per-recording refusals, closes and supersedes, gathered audio
 * committed in slices with checkpoints that never overstate what is stored, and dedupe of resent packets.
 */
import { describe, expect, it } from 'vitest';
import { interleave, rtpStream } from '../harness/helpers.ts';
import { createMuxHarness, type MuxRecording } from './mux-harness.ts';

const A: MuxRecording = { id: 'rec-a', userId: 'alice', ssrcs: [0xa1, 0xa2] };
const B: MuxRecording = { id: 'rec-b', userId: 'bob', ssrcs: [0xb1, 0xb2] };

/** Frame i holds packet i of both streams of each recording given. */
function frames(count: number, ...recs: MuxRecording[]): Uint8Array[][] {
  const streams = recs.flatMap((r) => [rtpStream(r.ssrcs[0], count), rtpStream(r.ssrcs[1], count)]);
  return Array.from({ length: count }, (_, i) => streams.map((s) => s[i] as Uint8Array));
}

describe('several recordings on one connection', () => {
  it('routes the packets of one frame to the recording that declared each SSRC', () => {
    const h = createMuxHarness();
    const c = h.connect();
    c.open(A);
    c.open(B);
    expect(c.of('opened').map((m) => [m.id, m.parameters.resumed])).toEqual([
      ['rec-a', false],
      ['rec-b', false],
    ]);
    for (const f of frames(10, A, B)) c.frame(f);
    c.frame(interleave(rtpStream(0xb1, 5, 110, 16_000 + 1600), rtpStream(0xb2, 5, 110, 16_000 + 1600)));
    c.send('ping', 'rec-b', 0);
    h.flush();
    expect(h.store.countPackets('rec-a')).toBe(20);
    expect(h.store.countPackets('rec-b')).toBe(30);
    expect(c.of('pong', 'rec-b')).toHaveLength(1);
    expect(c.of('checkpoint', 'rec-b').at(-1)?.parameters).toEqual({ frames: 11, packets: 30 });
    const streams = h.store.getStreams('rec-b');
    expect(streams.map((s) => [s.ssrc, s.label, s.received])).toEqual([
      [0xb1, 1, 15],
      [0xb2, 2, 15],
    ]);
    // The payload of each stored packet is the one sent with its sequence number (helpers: seq-derived bytes).
    for (const p of h.store.readPackets('rec-a')) expect(p.payload[0]).toBe((p.extSeq & 0x7f) | 0x80);
    expect(c.closed).toBeUndefined();
  });

  it('refuses packets of an SSRC no open declared, as documented, and keeps the rest', () => {
    const h = createMuxHarness();
    const c = h.connect();
    c.open(A);
    c.frame([...rtpStream(0xdead, 2), ...rtpStream(0xa1, 2)]);
    c.frame(rtpStream(0xdead, 1, 300));
    c.send('ping', 'rec-a', 0);
    h.flush();
    expect(c.errors()).toEqual(['SINK_ERR_UNKNOWN_SSRC']);
    expect(c.of('error')[0]?.parameters.fatal).toBe(false);
    expect(h.store.countPackets('rec-a')).toBe(2);
    expect(h.hub.packetsDropped).toBe(3);
    expect(c.closed).toBeUndefined();
  });

  it('a refused open ends only that recording; the connection and its other recordings carry on', () => {
    const h = createMuxHarness();
    const c = h.connect();
    c.open(A);
    c.open({ id: 'rec-x', userId: 'mallory', ssrcs: [0xc1, 0xc2] });
    c.open({ id: 'rec-y', userId: 'bob', ssrcs: [0xa1, 0xc3] }); // 0xa1 belongs to rec-a
    expect(c.of('error', 'rec-x')[0]?.parameters).toMatchObject({
      code: 'SINK_ERR_UNKNOWN_USER',
      fatal: true,
    });
    expect(c.of('error', 'rec-y')[0]?.parameters).toMatchObject({
      code: 'SINK_ERR_RECORDING_CONFLICT',
      fatal: true,
    });
    expect(c.closed).toBeUndefined();
    for (const f of frames(3, A)) c.frame(f);
    c.send('close', 'rec-a', 60);
    h.flush();
    expect(c.of('closed', 'rec-a')).toHaveLength(1);
    expect(h.store.countPackets('rec-a')).toBe(6);
    expect(h.store.getRecording('rec-x')).toBeUndefined();
  });

  it('every message must name a recording opened on the connection; an id opened twice is refused', () => {
    const h = createMuxHarness();
    const stray = h.connect();
    stray.open(A);
    stray.send('paused', 'rec-b', 0);
    expect(stray.errors()).toEqual(['SINK_ERR_ID_MISMATCH']);
    expect(stray.closed?.code).toBe(1002);
    const twice = h.connect();
    twice.open(B);
    twice.open(B);
    expect(twice.errors()).toEqual(['SINK_ERR_ALREADY_OPEN']);
    expect(twice.closed?.code).toBe(1002);
  });

  it('a connection opened without multiplex keeps the one-recording rule', () => {
    const h = createMuxHarness();
    const c = h.connect();
    c.open(A, false);
    c.open(B, true);
    expect(c.errors()).toEqual(['SINK_ERR_ID_MISMATCH']);
  });

  it('closing one recording leaves the others recording', () => {
    const h = createMuxHarness();
    const c = h.connect();
    c.open(A);
    c.open(B);
    const all = frames(6, A, B);
    for (const f of all.slice(0, 3)) c.frame(f);
    c.send('close', 'rec-a', 60);
    h.flush();
    expect(c.of('closed', 'rec-a')).toHaveLength(1);
    expect(c.of('checkpoint', 'rec-a').at(-1)?.parameters.packets).toBe(6);
    for (const f of all.slice(3)) c.frame(f);
    c.send('ping', 'rec-b', 0);
    h.flush();
    expect(h.store.countPackets('rec-b')).toBe(12);
    expect(h.store.countPackets('rec-a')).toBe(6); // its later packets were refused: it is closed
    expect(h.store.getStreams('rec-a').map((s) => s.rejected)).toEqual([3, 3]);
  });

  it('a newer connection resuming one recording takes just that one from the multiplexed connection', () => {
    const h = createMuxHarness({ mediaCommitFrames: 10 });
    const old = h.connect();
    old.open(A);
    old.open(B);
    for (const f of frames(4, A, B)) old.frame(f); // gathered, not yet committed
    const next = h.connect();
    next.open(A);
    expect(next.of('opened', 'rec-a')[0]?.parameters).toMatchObject({ resumed: true, packets: 8 });
    expect(old.of('disconnect', 'rec-a')[0]?.parameters.reason).toBe('SINK_ERR_SUPERSEDED');
    expect(old.closed).toBeUndefined();
    old.frame(rtpStream(0xa1, 1, 200));
    expect(old.errors()).toContain('SINK_ERR_UNKNOWN_SSRC');
    old.send('ping', 'rec-b', 0);
    h.flush();
    expect(h.store.countPackets('rec-b')).toBe(8);
  });
});

describe('gathered audio committed in slices (mediaCommitFrames)', () => {
  it('stores each stream as runs, and a checkpoint covers only frames whose packets are all stored', () => {
    const recs = Array.from({ length: 10 }, (_, i) => ({
      id: `rec-${i}`,
      userId: i % 2 === 0 ? 'alice' : 'bob',
      ssrcs: [0x1000 + 2 * i, 0x1001 + 2 * i] as const,
    }));
    const h = createMuxHarness({ mediaCommitFrames: 10, checkpointEveryFrames: 1 });
    const c = h.connect();
    for (const r of recs) c.open(r);
    h.flush();
    const all = frames(20, ...recs);
    for (const f of all) {
      c.frame(f);
      h.flush();
      const checkpoint = c.of('checkpoint', '').at(-1);
      if (checkpoint === undefined) continue;
      // Every packet of every frame the checkpoint covers is stored.
      const stored = recs.reduce((n, r) => n + h.store.countPackets(r.id), 0);
      expect(stored).toBeGreaterThanOrEqual(checkpoint.parameters.frames * 2 * recs.length);
    }
    // Slices of recordings committed at different frames: after 20 frames not all is stored yet…
    const stored = recs.map((r) => h.store.countPackets(r.id));
    expect(new Set(stored).size).toBeGreaterThan(1);
    // …until a ping, which commits everything.
    c.send('ping', 'rec-0', 0);
    h.flush();
    expect(recs.map((r) => h.store.countPackets(r.id))).toEqual(recs.map(() => 40));
    expect(c.of('checkpoint', 'rec-0').at(-1)?.parameters.frames).toBe(20);
  });

  it('drops resent packets that are already stored (dedupe by SSRC and extended seq)', () => {
    const h = createMuxHarness({ mediaCommitFrames: 5 });
    const c = h.connect();
    c.open(A);
    const all = frames(12, A);
    for (const f of all) c.frame(f);
    for (const f of all.slice(4)) c.frame(f); // a resend of the last 8 frames
    c.send('ping', 'rec-a', 0);
    h.flush();
    expect(h.store.countPackets('rec-a')).toBe(24);
    expect(h.store.getStreams('rec-a').map((s) => [s.received, s.duplicates])).toEqual([
      [12, 8],
      [12, 8],
    ]);
    const seqs = [...h.store.readPackets('rec-a')].filter((p) => p.ssrc === 0xa1).map((p) => p.extSeq);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => 100 + i));
  });
});
