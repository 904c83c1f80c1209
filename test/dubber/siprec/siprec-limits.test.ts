/**
 * Bad input and limits at the SIPREC adapter, each with its documented answer (docs/siprec.md, "What the
 * recorder answers") and nothing stored or left open: oversized messages, unknown methods, missing
 * headers, a flood of INVITEs, RTP nobody asked for, malformed bodies, a dub.point that does not match
 * (S33), CANCEL, and the 200 that is resent until its ACK.
 */
import { describe, expect, it } from 'vitest';
import { createSipStreamReader } from '../../../src/protocol/sip/parse-sip.ts';
import { serialiseSip, serialiseSipText } from '../../../src/protocol/sip/serialise-sip.ts';
import {
  bodyText,
  headerValue,
  type SipRequest,
  sipRequest,
  textBody,
  withHeader,
} from '../../../src/protocol/sip/sip-message.ts';
import { parseRecordingSdp } from '../../../src/protocol/siprec/recording-sdp.ts';
import { createRecordingInvite } from '../../../src/protocol/siprec/src-session.ts';
import { rtpStream } from '../../harness/helpers.ts';
import { aliceSpec, createSrsWorld, SRC_PEER } from './srs-harness.ts';

let branches = 0;
/** Alice's recording INVITE, each with its own branch (one transaction each). */
const invite = (overrides: Parameters<typeof aliceSpec>[0] = {}) =>
  createRecordingInvite(aliceSpec(overrides), `z9hG4bK-lim${++branches}`).request;

const withBody = (request: SipRequest, body: string): SipRequest =>
  sipRequest({ method: request.method, uri: request.uri, headers: request.headers, body });

/** Nothing was stored and no RTP port is left open. */
function expectNothingKept(world: ReturnType<typeof createSrsWorld>) {
  expect(world.store.listRecordings({ includeDeleted: true })).toEqual([]);
  expect(world.openPorts()).toBe(0);
  expect(world.adapter.sessionCount).toBe(0);
}

describe('SIPREC adapter: limits and bad input', () => {
  it('oversized: a UDP datagram over maxMessageBytes is dropped and counted; on TCP it is 513, then the stream ends', async () => {
    const world = createSrsWorld({ limits: { maxMessageBytes: 2048 } });
    const big = serialiseSip(invite());
    expect(big.length).toBeGreaterThan(2048);
    world.adapter.receiveDatagram(big, SRC_PEER);
    await world.settle();
    expect(world.sent).toEqual([]);
    expect(world.adapter.stats().sipDropped).toBe(1);

    const reader = createSipStreamReader({ maxMessageBytes: 2048, maxHeaderBytes: 1024, maxHeaderCount: 64 });
    for (const item of reader.push(big))
      world.adapter.receiveStreamItem(item, { ...SRC_PEER, transport: 'tcp' });
    await world.settle();
    expect(reader.broken).toBe(true);
    const answer = world.lastResponse();
    expect(answer.status).toBe(513);
    expect(headerValue(answer, 'Warning')).toMatch(/^399 callrec-srs ".*over 2048"$/);
    expectNothingKept(world);
  });

  it('unknown methods get 501, known ones a recorder does not use 405, both with Allow', async () => {
    const world = createSrsWorld();
    const base = invite();
    for (const [method, status] of [
      ['FOO', 501],
      ['REGISTER', 405],
    ] as const) {
      const request = sipRequest({
        method,
        uri: base.uri,
        headers: base.headers
          .filter((h) => !['Content-Type', 'MIME-Version'].includes(h.name))
          .map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: `1 ${method}` } : h)),
      });
      await world.deliver(request);
      const answer = world.lastResponse();
      expect(answer.status).toBe(status);
      expect(headerValue(answer, 'Allow')).toBe('INVITE, ACK, BYE, CANCEL, OPTIONS, INFO');
    }
    await world.deliver(
      sipRequest({
        method: 'OPTIONS',
        uri: base.uri,
        headers: base.headers
          .filter((h) => !['Content-Type', 'MIME-Version'].includes(h.name))
          .map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: '1 OPTIONS' } : h)),
      }),
    );
    expect(world.lastResponse().status).toBe(200);
    expectNothingKept(world);
  });

  it('missing mandatory headers: 400 naming the header while a Via says where to answer; without Via dropped', async () => {
    const world = createSrsWorld();
    const text = serialiseSipText(invite());
    world.adapter.receiveDatagram(textBody(text.replace(/^Call-ID: .*\r\n/m, '')), SRC_PEER);
    await world.settle();
    // The answer lacks the Call-ID too (it copies what the request had), so it is read here as text.
    const answer = new TextDecoder().decode(world.unparsable[0]);
    expect(answer).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
    expect(answer).toContain('Warning: 399 callrec-srs "Missing Call-ID"');
    expect(answer).toContain('Via: SIP/2.0/UDP 127.0.0.1:5070;branch=');
    world.adapter.receiveDatagram(textBody(text.replace(/^Via: .*\r\n/m, '')), SRC_PEER);
    await world.settle();
    expect(world.unparsable).toHaveLength(1);
    expect(world.responses()).toHaveLength(0);
    expect(world.adapter.stats().sipDropped).toBe(1);
    expectNothingKept(world);
  });

  it('a flood of INVITEs: 503 with Retry-After past maxPendingInvitesPerSource and past maxSessions', async () => {
    // A directory that never answers keeps INVITEs pending, as a slow recorder would.
    const world = createSrsWorld({
      limits: { maxPendingInvitesPerSource: 2, maxSessions: 3 },
      directory: { findUser: () => new Promise(() => {}) },
    });
    for (let i = 1; i <= 3; i++) {
      world.adapter.receiveDatagram(serialiseSip(invite({ callId: `flood-${i}` })), SRC_PEER);
    }
    const busy = world.responses().filter((r) => r.status === 503);
    expect(busy).toHaveLength(1);
    expect(headerValue(busy[0] as never, 'Retry-After')).toBe('5');
    expect(headerValue(busy[0] as never, 'Warning')).toContain('maxPendingInvitesPerSource');
    world.adapter.receiveDatagram(serialiseSip(invite({ callId: 'flood-4' })), {
      ...SRC_PEER,
      address: '127.0.0.2',
    });
    world.adapter.receiveDatagram(serialiseSip(invite({ callId: 'flood-5' })), {
      ...SRC_PEER,
      address: '127.0.0.3',
    });
    const all = world.responses().filter((r) => r.status === 503);
    expect(all).toHaveLength(2);
    expect(headerValue(all[1] as never, 'Warning')).toContain('maxSessions');
    expect(world.store.listRecordings({})).toEqual([]);
  });

  it('RTP nobody asked for is dropped and counted: late after BYE, a third SSRC, and datagrams that are not RTP', async () => {
    const world = createSrsWorld();
    const session = await world.call();
    await session.ack();
    const [userPort, remotePort] = session.ports as [number, number];
    world.rtp(userPort, rtpStream(1, 1)[0] as Uint8Array);
    world.rtp(remotePort, rtpStream(2, 1)[0] as Uint8Array);
    world.rtp(remotePort, rtpStream(3, 1)[0] as Uint8Array); // a third sender
    world.rtp(userPort, new Uint8Array([1, 2, 3]));
    world.rtp(userPort, new Uint8Array(40)); // version 0
    await session.bye();
    world.rtp(userPort, rtpStream(1, 2)[1] as Uint8Array);
    const stats = world.adapter.stats();
    expect([stats.rtpUnrouted, stats.rtpMalformed, stats.rtpNoSession]).toEqual([1, 2, 1]);
    const [rec] = world.portal.list(world.token);
    const meta = world.portal.get(world.token, rec?.recordingId ?? '');
    expect(meta.streams.map((s) => s.packets)).toEqual([1, 1]);
    expect(meta.streams[0]?.rejected).toBe(0);
  });

  it('malformed multipart, SDP and XML, a wrong Content-Type, a missing +sip.src: 4xx with Warning and Reason', async () => {
    const world = createSrsWorld();
    const good = invite();
    const body = new TextDecoder().decode(good.body);
    const cases: [string, SipRequest, number, RegExp][] = [
      [
        'no closing delimiter',
        withBody(good, body.replace('--UniqueBroadWorksBoundary--', '')),
        400,
        /closing/i,
      ],
      ['SDP without o=', withBody(good, body.replace(/^o=.*\r?\n/m, '')), 400, /o= line/],
      [
        'XML not well-formed',
        withBody(good, body.replace('</recording_metadata>', '</recording>')),
        400,
        /line \d+/,
      ],
      [
        'no metadata part',
        withBody(good, body.replace(/application\/rs-metadata\+xml/, 'text/plain')),
        400,
        /metadata/i,
      ],
      ['Content-Type', withHeader(good, 'Content-Type', 'application/sdp'), 415, /multipart/i],
      [
        'no codec',
        withBody(good, body.replaceAll('RTP/AVP 0 8', 'RTP/AVP 9').replaceAll(/a=rtpmap:[08] .*\r?\n/g, '')),
        488,
        /PCMU or PCMA/,
      ],
      ['no +sip.src', withHeader(good, 'Contact', '<sip:src@127.0.0.1:5070>'), 400, /\+sip\.src/],
    ];
    for (const [index, [name, request, status, warning]] of cases.entries()) {
      const via = headerValue(request, 'Via')?.replace(/branch=[^;]+/, `branch=z9hG4bK-bad${index}`) ?? '';
      await world.deliver(withHeader(withHeader(request, 'Via', via), 'Call-ID', `bad-${index}`));
      const answer = world.lastResponse();
      expect([name, answer.status]).toEqual([name, status]);
      expect(headerValue(answer, 'Warning')).toMatch(warning);
      expect(headerValue(answer, 'Reason')).toMatch(new RegExp(`^SIP;cause=${status};text="`));
    }
    expectNothingKept(world);
  });

  it('S33: a dub.point mismatch is 403 naming the field; an unknown user 404; a disabled user 403 (S14)', async () => {
    const world = createSrsWorld();
    const refused = async (spec: Parameters<typeof aliceSpec>[0]) => {
      await world.deliver(invite(spec));
      return world.lastResponse();
    };
    const mismatch = await refused({
      callId: 'mm-1',
      dubPoint: { serviceProvider: 'sp-wrong', externalGroup: 'acme', externalIdentifier: 'alice' },
    });
    expect(mismatch.status).toBe(403);
    expect(headerValue(mismatch, 'Warning')).toContain(
      "dub.point serviceProvider is 'sp-eu-1' but the metadata says 'sp-wrong'",
    );
    expect(
      world.events.filter((e) => e.type === 'refused').map((e) => e.type === 'refused' && e.code),
    ).toEqual(['SIPREC_ERR_DUBPOINT_MISMATCH']);
    const unknown = await refused({
      callId: 'mm-2',
      dubPoint: { serviceProvider: 'sp-eu-1', externalGroup: 'acme', externalIdentifier: 'nobody' },
    });
    expect(unknown.status).toBe(404);
    expect(headerValue(unknown, 'Warning')).toContain("userID 'nobody'");
    world.provisioning.setRecordingEnabled({ userId: 'alice', enabled: false });
    const disabled = await refused({ callId: 'mm-3' });
    expect(disabled.status).toBe(403);
    expect(headerValue(disabled, 'Warning')).toContain('SINK_ERR_USER_DISABLED');
    expectNothingKept(world);
  });

  it('CANCEL before the answer: 200 to the CANCEL, 487 to the INVITE, nothing kept', async () => {
    let release: (() => void) | undefined;
    // The directory answers only after the CANCEL, as a slow lookup would.
    const slow = createSrsWorld({
      directory: { findUser: () => new Promise((resolve) => (release = () => resolve(undefined))) },
    });
    const request = invite();
    slow.adapter.receiveDatagram(serialiseSip(request), SRC_PEER);
    const cancel = sipRequest({
      method: 'CANCEL',
      uri: request.uri,
      headers: request.headers
        .filter((h) => ['Via', 'From', 'To', 'Call-ID', 'Max-Forwards'].includes(h.name))
        .concat([{ name: 'CSeq', value: '1 CANCEL' }]),
    });
    slow.adapter.receiveDatagram(serialiseSip(cancel), SRC_PEER);
    release?.();
    await slow.settle();
    expect(slow.responses().map((r) => r.status)).toEqual([100, 200, 487]);
    expectNothingKept(slow);
  });

  it('the 200 is resent until the ACK; without any ACK the recording ends as failed after Timer H', async () => {
    const world = createSrsWorld();
    const session = await world.call();
    expect(session.answer.status).toBe(200);
    world.clock.advanceBy(500);
    world.clock.advanceBy(1000);
    expect(world.responses().filter((r) => r.status === 200)).toHaveLength(3);
    // A retransmitted INVITE makes no second recording.
    await world.deliver(session.invite);
    world.clock.advanceBy(32_000);
    await world.settle();
    expect(world.adapter.sessionCount).toBe(0);
    const recordings = world.store.listRecordings({});
    expect(recordings.map((r) => [r.state, r.closeReason])).toEqual([['closed', 'failure']]);
  });

  it('SSRCs the offer declares (a=ssrc) go to their m-line, whichever port and order they arrive in', async () => {
    const world = createSrsWorld();
    const spec = aliceSpec({ callId: 'declared-ssrc' });
    const plain = createRecordingInvite(spec, 'z9hG4bK-ssrc1').request;
    const body = new TextDecoder()
      .decode(plain.body)
      .replace('a=label:1', 'a=label:1\r\na=ssrc:43981 cname:user')
      .replace('a=label:2', 'a=label:2\r\na=ssrc:48879 cname:remote');
    await world.deliver(withBody(plain, body));
    const answer = world.lastResponse();
    expect(answer.status).toBe(200);
    const sdp = parseRecordingSdp(bodyText(answer));
    const [userPort] = sdp.ok ? sdp.value.streams.map((s) => s.port) : [];
    // The remote party's SSRC first, on the user's port: still label 2.
    world.rtp(userPort as number, rtpStream(48_879, 1, 500)[0] as Uint8Array);
    world.rtp(userPort as number, rtpStream(43_981, 1, 100)[0] as Uint8Array);
    world.adapter.close();
    await world.settle();
    world.hub.flush();
    const [rec] = world.portal.list(world.token);
    const meta = world.portal.get(world.token, rec?.recordingId ?? '');
    // Told apart by their sequence numbers: the user's stream starts at 100, the remote party's at 500.
    expect(meta.streams.map((s) => [s.label, s.packets, s.firstExtSeq])).toEqual([
      [1, 1, 100],
      [2, 1, 500],
    ]);
  });

  it('both SSRCs on one port (as SIPp plays one pcap) are recorded as the two streams, in order of arrival', async () => {
    const world = createSrsWorld();
    const session = await world.call();
    await session.ack();
    const [userPort] = session.ports as [number, number];
    const user = rtpStream(0xaaaa, 10);
    const remote = rtpStream(0xbbbb, 10, 7000);
    for (let i = 0; i < 10; i++) {
      world.rtp(userPort, user[i] as Uint8Array);
      world.rtp(userPort, remote[i] as Uint8Array);
    }
    await session.bye();
    const [rec] = world.portal.list(world.token);
    const meta = world.portal.get(world.token, rec?.recordingId ?? '');
    expect(meta.streams.map((s) => [s.label, s.packets, s.receive?.[0]?.ssrc])).toEqual([
      [1, 10, 0xaaaa],
      [2, 10, 0xbbbb],
    ]);
  });
});
