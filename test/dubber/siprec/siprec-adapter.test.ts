/**
 * The SIPREC adapter of the fake Dubber without sockets: an SRC built from the pure SIPREC builders sends
 * a recording session (INVITE, ACK, RTP on both streams, pause and resume re-INVITEs, BYE) and the
 * recording must be stored, listed and described by the portal like one that arrived over ws (S32: two
 * streams; S26: the pause is a gap), with the RTP receive statistics on each stream.
 */
import { describe, expect, it } from 'vitest';
import { recordingIdOf } from '../../../src/dubber/siprec/recording-open.ts';
import { bodyText, headerValue } from '../../../src/protocol/sip/sip-message.ts';
import { parseRecordingSdp } from '../../../src/protocol/siprec/recording-sdp.ts';
import { rtpStream } from '../../harness/helpers.ts';
import { createSrsWorld } from './srs-harness.ts';

const USER = 0x0a0a_0001;
const REMOTE = 0x0b0b_0002;

describe('SIPREC adapter: a whole recording session in virtual time', () => {
  it('stores both streams, the pause as a gap, and the RTP statistics; answers per RFC 7866', async () => {
    const world = createSrsWorld();
    const session = await world.call();
    const statuses = world.responses().map((r) => r.status);
    expect(statuses).toEqual([100, 200]);
    const answer = parseRecordingSdp(bodyText(session.answer));
    expect(answer.ok && answer.value.streams.map((s) => [s.label, s.direction])).toEqual([
      ['1', 'recvonly'],
      ['2', 'recvonly'],
    ]);
    expect(headerValue(session.answer, 'Contact')).toBe('<sip:srs@127.0.0.1:5060>');
    await session.ack();
    const [userPort, remotePort] = session.ports as [number, number];
    expect(userPort).not.toBe(remotePort);

    // 1 s of audio on each stream, then pause 2 s (RTP sent meanwhile is not recorded), resume, 1 s more.
    const user = rtpStream(USER, 100, 1000);
    const remote = rtpStream(REMOTE, 100, 5000);
    for (let i = 0; i < 50; i++) {
      world.rtp(userPort, user[i] as Uint8Array);
      world.rtp(remotePort, remote[i] as Uint8Array);
      world.clock.advanceBy(20);
    }
    const paused = await session.pause(true);
    const pausedSdp = parseRecordingSdp(bodyText(paused));
    expect(paused.status).toBe(200);
    expect(pausedSdp.ok && pausedSdp.value.streams.map((s) => s.direction)).toEqual(['inactive', 'inactive']);
    await session.ack();
    world.clock.advanceBy(2000);
    const resumed = await session.pause(false);
    const resumedSdp = parseRecordingSdp(bodyText(resumed));
    expect(resumedSdp.ok && resumedSdp.value.streams.map((s) => s.direction)).toEqual([
      'recvonly',
      'recvonly',
    ]);
    await session.ack();
    for (let i = 50; i < 100; i++) {
      world.rtp(userPort, user[i] as Uint8Array);
      world.rtp(remotePort, remote[i] as Uint8Array);
      world.clock.advanceBy(20);
    }
    const bye = await session.bye();
    expect(bye.status).toBe(200);
    expect(world.adapter.sessionCount).toBe(0);

    const list = world.portal.list(world.token);
    // The Call-ID's '@' may not be in a recording id: replaced, and a digest keeps ids apart.
    expect(list.map((r) => r.recordingId)).toEqual([recordingIdOf('rec-7f3a9c01@127.0.0.1')]);
    expect(list[0]?.recordingId).toMatch(/^siprec-rec-7f3a9c01\.127\.0\.0\.1-[0-9a-f]{8}$/);
    const meta = world.portal.get(world.token, list[0]?.recordingId ?? '');
    expect(meta.state).toBe('closed');
    expect(meta.direction).toBe('inbound'); // termCall
    expect(meta.remote).toEqual({ type: 'pstn', address: 'tel:+420602000002' });
    expect(meta.streams.map((s) => [s.label, s.packets, s.lost])).toEqual([
      [1, 100, 0],
      [2, 100, 0],
    ]);
    expect(meta.pauses).toEqual([{ startMs: 1000, endMs: 3000 }]);
    expect(meta.clientErrors).toEqual([]);
    const receive = meta.streams.map((s) => s.receive?.at(-1));
    expect(receive.map((r) => [r?.ssrc, r?.packets, r?.lost, r?.duplicated, r?.reordered])).toEqual([
      [USER, 100, 0, 0, 0],
      [REMOTE, 100, 0, 0, 0],
    ]);
    // The WAV holds 1 s, 2 s of pause silence, 1 s.
    const { wav } = world.portal.download(world.token, meta.recordingId);
    expect(wav.length).toBeGreaterThan(44 + 4 * 8000 * 3.9);
    // Ports linger for late packets, then close.
    world.rtp(userPort, user[0] as Uint8Array);
    expect(world.adapter.stats().rtpNoSession).toBe(1);
    world.clock.advanceBy(5000);
    expect(world.openPorts()).toBe(0);
  });
});
