/**
 * The platform's SIPREC client (SRC) in virtual time against a scripted recorder: the INVITE's
 * retransmission inside the recorder wait (RFC 3261 Timer A/B), answers, refusals and timeouts as the
 * caller sees them, the in-dialog rules (CSeq, branches, tags, ACK of a 2xx as its own transaction), pause
 * and resume re-INVITEs, announcements as INFO, and RTP that stops when paused and after BYE.
 */
import { describe, expect, it } from 'vitest';
import { SimError } from '../../../src/errors.ts';
import type { SiprecRecording, SrcOpenOutcome } from '../../../src/platform/siprec/src-types.ts';
import type { SipRequest } from '../../../src/protocol/sip/sip-message.ts';
import { parseAnnouncementInfo } from '../../../src/protocol/siprec/announcement-info.ts';
import { recordingParts } from '../../../src/protocol/siprec/multipart.ts';
import { parseRecordingMetadata } from '../../../src/protocol/siprec/recording-metadata.ts';
import { parseRecordingSdp } from '../../../src/protocol/siprec/recording-sdp.ts';
import {
  bodyText,
  createHarness,
  headerValue,
  ONE_WAY_MS,
  recorderBye,
  recordingParams,
  rtpPacket,
} from './src-harness.ts';

const branchOf = (m: SipRequest) => /branch=([^;\s]+)/.exec(headerValue(m, 'Via') ?? '')?.[1];
const toTagOf = (m: SipRequest) => /;tag=([^;\s>]+)/.exec(headerValue(m, 'To') ?? '')?.[1];
const fromTagOf = (m: SipRequest) => /;tag=([^;\s>]+)/.exec(headerValue(m, 'From') ?? '')?.[1];

async function answered(outcome: Promise<SrcOpenOutcome>): Promise<SiprecRecording> {
  const o = await outcome;
  if (o.kind !== 'answered') throw new Error(`expected an answer, got ${JSON.stringify(o)}`);
  return o.recording;
}

describe('INVITE retransmission inside the recorder wait (RFC 3261 §17.1.1)', () => {
  it('resends at Timer A (T1 = 500 ms, doubling each time) and gives up at Timer B = 64·T1 = 32 s', async () => {
    const h = createHarness({ silent: true }, { recorderWaitMs: 40_000 });
    const outcome = h.core.open(recordingParams());
    await h.run(40_000);
    const o = await outcome;
    expect(h.sent('INVITE').length).toBe(7);
    expect(h.wire.filter((w) => w.to === 'srs').map((w) => w.atMs)).toEqual([
      0, 500, 1_500, 3_500, 7_500, 15_500, 31_500,
    ]);
    expect(o).toMatchObject({ kind: 'timed-out', timer: 'B', afterMs: 32_000, retransmissions: 6 });
    expect(h.mediaClosed()).toBe(1);
  });

  it('ends at the platform’s recorder wait (default 5 s) and then sends nothing more', async () => {
    const h = createHarness({ silent: true });
    const outcome = h.core.open(recordingParams());
    await h.run(60_000);
    const o = await outcome;
    expect(h.wire.map((w) => w.atMs)).toEqual([0, 500, 1_500, 3_500]);
    expect(o).toEqual({
      kind: 'timed-out',
      timer: 'recorder-wait',
      afterMs: 5_000,
      retransmissions: 3,
      cancelled: false,
    });
    expect(h.clock.pendingCount()).toBe(0);
  });

  it('a recorder that misses two INVITEs answers the third (at 1.5 s): ACKed, answered', async () => {
    const h = createHarness({ dropInvites: 2 });
    const outcome = h.core.open(recordingParams());
    await h.run(3_000);
    const o = await outcome;
    expect(
      h.wire
        .filter((w) => w.to === 'srs')
        .map((w) => [w.atMs, w.message.kind === 'request' && w.message.method, w.lost]),
    ).toEqual([
      [0, 'INVITE', true],
      [500, 'INVITE', true],
      [1_500, 'INVITE', false],
      [1_500 + 2 * ONE_WAY_MS, 'ACK', false],
    ]);
    expect(o).toMatchObject({ kind: 'answered', answeredAfterMs: 1_500 + 2 * ONE_WAY_MS });
  });

  it('over TCP the INVITE is sent once (no Timer A) and Timer B still ends it', async () => {
    const h = createHarness({ silent: true }, { tcp: true, recorderWaitMs: 40_000 });
    const outcome = h.core.open(recordingParams());
    await h.run(40_000);
    expect(h.sent('INVITE').length).toBe(1);
    expect(await outcome).toMatchObject({ kind: 'timed-out', timer: 'B', retransmissions: 0 });
  });

  it('after a provisional answer the wait ends with CANCEL; the 487 is ACKed by the transaction', async () => {
    const h = createHarness({ trying: true, answerDelayMs: 20_000, answerCancel: true });
    const outcome = h.core.open(recordingParams());
    await h.run(10_000);
    expect(await outcome).toMatchObject({
      kind: 'timed-out',
      timer: 'recorder-wait',
      cancelled: true,
      retransmissions: 0,
    });
    const [invite] = h.sent('INVITE');
    const [cancel] = h.sent('CANCEL');
    expect(cancel).toBeDefined();
    expect(branchOf(cancel as SipRequest)).toBe(branchOf(invite as SipRequest));
    expect(headerValue(cancel as SipRequest, 'CSeq')).toBe('1 CANCEL');
    const acks = h.sent('ACK');
    expect(acks.map((a) => headerValue(a, 'CSeq'))).toEqual(['1 ACK']);
    expect(branchOf(acks[0] as SipRequest)).toBe(branchOf(invite as SipRequest));
  });

  it('a 200 arriving after the platform gave up is ACKed and ended with BYE', async () => {
    const h = createHarness({ answerDelayMs: 6_000 });
    const outcome = h.core.open(recordingParams());
    await h.run(20_000);
    expect((await outcome).kind).toBe('timed-out');
    // Every copy of the late 200 is ACKed (the recorder resends it until an ACK), the session ended once.
    const okToInvite = h.received(200).filter((r) => headerValue(r, 'CSeq') === '1 INVITE');
    expect(okToInvite.length).toBe(4);
    expect(h.sent('ACK').length).toBe(4);
    expect(h.sent('BYE').length).toBe(1);
    expect(toTagOf(h.sent('BYE')[0] as SipRequest)).toBe('srs-9e2f');
    expect(h.events.some((e) => e.type === 'late-answer-ended')).toBe(true);
  });
});

describe('refusals reach the caller with status and reason', () => {
  it('403 for a dub.point mismatch, with the recorder’s Reason naming the field', async () => {
    const h = createHarness({
      srs: {
        checkDubPoint: (ids) =>
          ids.externalGroup === 'grp-acme-prague'
            ? { field: 'externalGroup', expected: 'grp-acme-brno', got: ids.externalGroup }
            : undefined,
      },
    });
    const outcome = h.core.open(recordingParams());
    await h.run(1_000);
    const o = await outcome;
    expect(o).toMatchObject({ kind: 'refused', status: 403, retransmissions: 0 });
    if (o.kind !== 'refused') throw new Error('unreachable');
    expect(o.reasonHeader).toMatch(/^SIP;cause=403;text=".*externalGroup/);
    expect(o.warning).toMatch(/^399 callrec-srs/);
    // The ACK of a failure is part of the INVITE transaction: same branch, CSeq 1 ACK, the To tag of the 403.
    const [ack] = h.sent('ACK');
    expect(branchOf(ack as SipRequest)).toBe(branchOf(h.sent('INVITE')[0] as SipRequest));
    expect(toTagOf(ack as SipRequest)).toBe('srs-9e2f');
    expect(h.rtp).toEqual([]);
  });

  it('503 with a Reason of its own', async () => {
    const h = createHarness({
      refuse: { status: 503, reason: 'Service Unavailable', reasonHeader: 'SIP;cause=503;text="overloaded"' },
    });
    const outcome = h.core.open(recordingParams());
    await h.run(1_000);
    expect(await outcome).toMatchObject({
      kind: 'refused',
      status: 503,
      reason: 'Service Unavailable',
      reasonHeader: 'SIP;cause=503;text="overloaded"',
    });
  });

  it('bad parameters are a clear error before anything is sent', async () => {
    const h = createHarness();
    const bad = recordingParams({
      dubPoint: { serviceProvider: 'sp', externalGroup: ' ', externalIdentifier: 'x' },
    });
    await expect(h.core.open(bad)).rejects.toThrow(SimError);
    await expect(h.core.open(bad)).rejects.toThrow(/dubPoint.externalGroup/);
    await expect(h.core.open(recordingParams({ ssrcs: { user: 7, remote: 7 } }))).rejects.toThrow(/ssrcs/);
    expect(h.wire).toEqual([]);
  });
});

describe('the INVITE as the platform sends it', () => {
  it('multipart SDP + metadata, +sip.src, two sendonly m-lines labelled 1 and 2 at 20 ms, BroadWorks ids', async () => {
    const h = createHarness();
    h.core.open(recordingParams({ codecs: ['PCMA', 'PCMU'], format: 'PCMA' }));
    await h.run(100);
    const invite = h.sent('INVITE')[0] as SipRequest;
    expect(headerValue(invite, 'Content-Type')).toBe('multipart/mixed;boundary=UniqueBroadWorksBoundary');
    expect(headerValue(invite, 'Contact')).toMatch(
      /^<sip:webex-src@127\.0\.0\.1:5070;transport=udp>;\+sip\.src$/,
    );
    const parts = recordingParts(headerValue(invite, 'Content-Type'), bodyText(invite));
    if (!parts.ok) throw new Error(parts.fault.message);
    const sdp = parseRecordingSdp(parts.value.sdp);
    if (!sdp.ok) throw new Error(sdp.fault.message);
    expect(
      sdp.value.streams.map((s) => [s.label, s.direction, s.ptimeMs, s.codecs.map((c) => c.name), s.port]),
    ).toEqual([
      ['1', 'sendonly', 20, ['PCMA', 'PCMU'], 40_000],
      ['2', 'sendonly', 20, ['PCMA', 'PCMU'], 40_002],
    ]);
    const metadata = parseRecordingMetadata(parts.value.metadata);
    if (!metadata.ok) throw new Error(metadata.fault.message);
    expect(metadata.value.broadWorks).toMatchObject({
      serviceProviderId: 'sp-acme-eu',
      groupId: 'grp-acme-prague',
      userId: 'alice.novak@acme.example',
      callType: 'termCall',
      callingPartyNumber: '+420602000002',
      calledPartyNumber: '+420221000001',
    });
    expect(metadata.value.startTime).toBe('2026-03-02T09:15:00Z');
    expect(metadata.value.participants.map((p) => [p.aor, p.name])).toEqual([
      ['sip:+420221000001@acme.example', 'Alice Novák'],
      ['tel:+420602000002', 'Bob Remote'],
    ]);
  });

  it('the older ;src Contact form and RFC 7865 metadata on request; the same seed sends the same bytes', async () => {
    const run = async () => {
      const h = createHarness({}, { contactForm: 'src-param', metadataNamespace: 'rfc7865' });
      h.core.open(recordingParams());
      await h.run(100);
      return h.sent('INVITE')[0] as SipRequest;
    };
    const a = await run();
    const b = await run();
    expect(headerValue(a, 'Contact')).toMatch(/>;src$/);
    expect(bodyText(a)).toContain('urn:ietf:params:xml:ns:recording:1');
    expect(bodyText(a)).toBe(bodyText(b));
    expect(headerValue(a, 'Call-ID')).toBe(headerValue(b, 'Call-ID'));
  });
});

describe('in the dialog: pause, resume, announcements, BYE', () => {
  it('pause and resume are re-INVITEs (a=inactive, then a=sendonly); CSeq rises, branches are new, Call-ID and tags stay', async () => {
    const h = createHarness();
    const outcome = h.core.open(recordingParams());
    await h.run(100);
    const rec = await answered(outcome);
    const paused = rec.paused(1_000);
    await h.run(100);
    expect(await paused).toMatchObject({ method: 'INVITE', cseq: 2, status: 200 });
    const resumed = rec.resumed(2_000);
    await h.run(100);
    expect(await resumed).toMatchObject({ method: 'INVITE', cseq: 3, status: 200 });
    const bye = rec.close(3_000);
    await h.run(100);
    expect(await bye).toMatchObject({ method: 'BYE', cseq: 4, status: 200 });

    const out = h.wire.filter((w) => w.to === 'srs').map((w) => w.message as SipRequest);
    expect(out.map((m) => `${m.method} ${headerValue(m, 'CSeq')}`)).toEqual([
      'INVITE 1 INVITE',
      'ACK 1 ACK',
      'INVITE 2 INVITE',
      'ACK 2 ACK',
      'INVITE 3 INVITE',
      'ACK 3 ACK',
      'BYE 4 BYE',
    ]);
    const branches = out.map(branchOf);
    expect(new Set(branches).size).toBe(out.length);
    expect(branches.every((b) => b?.startsWith('z9hG4bK'))).toBe(true);
    expect(new Set(out.map((m) => headerValue(m, 'Call-ID'))).size).toBe(1);
    expect(new Set(out.map(fromTagOf)).size).toBe(1);
    expect(out.slice(1).map(toTagOf)).toEqual(Array(6).fill('srs-9e2f'));
    expect(toTagOf(out[0] as SipRequest)).toBeUndefined();

    const sdpOf = (m: SipRequest) => {
      const sdp = parseRecordingSdp(bodyText(m));
      if (!sdp.ok) throw new Error(sdp.fault.message);
      return sdp.value;
    };
    const pause = sdpOf(out[2] as SipRequest);
    const resume = sdpOf(out[4] as SipRequest);
    expect(headerValue(out[2] as SipRequest, 'Content-Type')).toBe('application/sdp');
    expect(pause.streams.map((s) => [s.label, s.direction])).toEqual([
      ['1', 'inactive'],
      ['2', 'inactive'],
    ]);
    expect(resume.streams.map((s) => [s.label, s.direction])).toEqual([
      ['1', 'sendonly'],
      ['2', 'sendonly'],
    ]);
    expect([pause.origin.version, resume.origin.version]).toEqual([2, 3]);
    expect(h.offer()?.paused).toBe(false);
    expect(h.mediaClosed()).toBe(1);

    // The re-INVITE's 200 again (its ACK was lost): the same ACK again, no new branch.
    const pauseOk = h.received(200).find((r) => headerValue(r, 'CSeq') === '2 INVITE');
    h.recorderSends(pauseOk as never);
    await h.run(10);
    const pauseAcks = h.sent('ACK').filter((a) => headerValue(a, 'CSeq') === '2 ACK');
    expect(pauseAcks.length).toBe(2);
    expect(branchOf(pauseAcks[1] as SipRequest)).toBe(branchOf(pauseAcks[0] as SipRequest));

    // Transactions linger after their answers (Timer M, K); closing the client ends every timer.
    expect(h.clock.pendingCount()).toBeGreaterThan(0);
    h.core.dispose();
    expect(h.clock.pendingCount()).toBe(0);
    await expect(h.core.open(recordingParams())).rejects.toThrow(/closed/);
  });

  it('RTP goes to the answered ports per SSRC, nothing while paused, nothing after BYE', async () => {
    const h = createHarness();
    const outcome = h.core.open(recordingParams());
    await h.run(100);
    const rec = await answered(outcome);
    const { user, remote } = recordingParams().ssrcs;
    const both = (seq: number) => {
      rec.sendPacket(rtpPacket(user, seq));
      rec.sendPacket(rtpPacket(remote, seq));
    };
    both(1);
    both(2);
    rec.paused(40);
    both(3);
    both(4);
    await h.run(100);
    rec.resumed(80);
    both(5);
    const closed = rec.close(100);
    both(6);
    await h.run(100);
    await closed;
    both(7);
    expect(h.rtp.map((p) => [p.label, p.to.port, (p.bytes[2] ?? 0) * 256 + (p.bytes[3] ?? 0)])).toEqual([
      ['1', 50_000, 1],
      ['2', 50_002, 1],
      ['1', 50_000, 2],
      ['2', 50_002, 2],
      ['1', 50_000, 5],
      ['2', 50_002, 5],
    ]);
    expect(rec.counters).toEqual({ user: { sent: 3, held: 4 }, remote: { sent: 3, held: 4 }, rejected: 0 });
    rec.sendPacket(rtpPacket(0xdead, 1));
    expect(rec.counters.rejected).toBe(1);
  });

  it('the recorder chose the other G.711 law: payloads transcoded, payload type rewritten', async () => {
    const h = createHarness({ srs: { supported: ['PCMA'] } });
    const outcome = h.core.open(recordingParams({ format: 'PCMU' }));
    await h.run(100);
    const rec = await answered(outcome);
    expect(rec.codec).toBe('PCMA');
    rec.sendPacket(rtpPacket(recordingParams().ssrcs.user, 1, 0, 0xff)); // µ-law 0xff = silence
    const sent = h.rtp[0]?.bytes as Uint8Array;
    expect(sent[1]).toBe(8);
    expect(sent[20]).toBe(0xd5); // A-law silence
  });

  it('announcements go as INFO with a partial metadata body the recorder can read', async () => {
    const h = createHarness();
    const outcome = h.core.open(recordingParams());
    await h.run(100);
    const rec = await answered(outcome);
    const start = rec.announcement('start', 0, 'announcement');
    const pause = rec.paused(5_000);
    const beep = rec.announcement('pause', 5_000, 'beep');
    await h.run(200);
    expect(await start).toMatchObject({ method: 'INFO', cseq: 2, status: 200 });
    expect(await pause).toMatchObject({ method: 'INVITE', cseq: 3, status: 200 });
    expect(await beep).toMatchObject({ method: 'INFO', cseq: 4, status: 200 });
    const infos = h.sent('INFO');
    expect(infos.map((m) => headerValue(m, 'Content-Type'))).toEqual([
      'application/rs-metadata+xml',
      'application/rs-metadata+xml',
    ]);
    expect(headerValue(infos[0] as SipRequest, 'Content-Disposition')).toBe('recording-session');
    const reports = infos.map((m) => parseAnnouncementInfo(bodyText(m)));
    expect(
      reports.map((r) => (r.ok ? [r.value.kind, r.value.sound, r.value.positionMs] : r.fault.message)),
    ).toEqual([
      ['start', 'announcement', 0],
      ['pause', 'beep', 5_000],
    ]);
    // One request at a time: the pause re-INVITE left only after the first INFO was answered.
    const order = h.wire.filter((w) => w.to === 'srs').map((w) => (w.message as SipRequest).method);
    expect(order).toEqual(['INVITE', 'ACK', 'INFO', 'INVITE', 'ACK', 'INFO']);
  });

  it('a recorder refusing INFO is reported on that request; the session goes on', async () => {
    const h = createHarness({ infoStatus: 415 });
    const outcome = h.core.open(recordingParams());
    await h.run(100);
    const rec = await answered(outcome);
    const result = rec.announcement('start', 0);
    await h.run(100);
    expect(await result).toMatchObject({ method: 'INFO', status: 415 });
    expect(rec.isEnded).toBe(false);
  });

  it('a retransmitted 200 after the ACK is ACKed again (the recorder did not get the first ACK)', async () => {
    const h = createHarness();
    const outcome = h.core.open(recordingParams());
    await h.run(100);
    await answered(outcome);
    const [ok] = h.received(200);
    h.recorderSends(ok as never);
    await h.run(10);
    const acks = h.sent('ACK');
    expect(acks.length).toBe(2);
    expect(branchOf(acks[0] as SipRequest)).toBe(branchOf(acks[1] as SipRequest));
    expect(branchOf(acks[0] as SipRequest)).not.toBe(branchOf(h.sent('INVITE')[0] as SipRequest));
  });

  it('a BYE from the recorder is answered 200 and ends the session: RTP stops, close sends nothing', async () => {
    const h = createHarness();
    const outcome = h.core.open(recordingParams());
    await h.run(100);
    const rec = await answered(outcome);
    h.recorderSends(recorderBye(h.sent('INVITE')[0] as SipRequest));
    await h.run(10);
    expect(
      h.wire.some((w) => w.to === 'srs' && w.message.kind === 'response' && w.message.status === 200),
    ).toBe(true);
    expect(rec.isEnded).toBe(true);
    rec.sendPacket(rtpPacket(recordingParams().ssrcs.user, 1));
    expect(h.rtp).toEqual([]);
    expect(await rec.close(0)).toMatchObject({ status: 0 });
    expect(h.sent('BYE')).toEqual([]);
    expect(h.mediaClosed()).toBe(1);
  });

  it('a BYE nobody answers is resent at Timer E (capped at T2 = 4 s) and times out at Timer F', async () => {
    const h = createHarness({ ignoreBye: true });
    const outcome = h.core.open(recordingParams());
    await h.run(100);
    const rec = await answered(outcome);
    const closeAt = h.clock.nowMs();
    const closed = rec.close(0);
    await h.run(40_000);
    expect(await closed).toMatchObject({ method: 'BYE', status: 0 });
    const times = h.wire
      .filter((w) => w.to === 'srs' && (w.message as SipRequest).method === 'BYE')
      .map((w) => w.atMs - closeAt);
    expect(times).toEqual([0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
  });
});

describe('a recorded call paced on the clock', () => {
  it('RTP leaves at the packets’ own times (20 ms), the pause holds it, BYE ends it', async () => {
    const { playTimeline } = await import('../../../src/platform/siprec/paced-timeline.ts');
    const h = createHarness();
    const outcome = h.core.open(recordingParams());
    await h.run(20);
    const rec = await answered(outcome);
    const origin = h.clock.nowMs();
    const { user, remote } = recordingParams().ssrcs;
    // Controls first: at the same time they act before the packets (as the ws delivery does).
    const items: { atMs: number; run(): void }[] = [
      { atMs: 400, run: () => void rec.paused(400) },
      { atMs: 600, run: () => void rec.resumed(600) },
      { atMs: 990, run: () => void rec.close(990) },
    ];
    for (let i = 0; i < 50; i++) {
      items.push({ atMs: 20 * i, run: () => rec.sendPacket(rtpPacket(user, i)) });
      items.push({ atMs: 20 * i, run: () => rec.sendPacket(rtpPacket(remote, i)) });
    }
    const timeline = playTimeline(h.clock, items);
    await h.run(2_000);
    await timeline.done;
    const userTimes = h.rtp.filter((p) => p.label === '1').map((p) => p.atMs - origin);
    const expected = Array.from({ length: 50 }, (_, i) => 20 * i).filter(
      (t) => t < 400 || (t >= 600 && t < 990),
    );
    expect(userTimes).toEqual(expected);
    expect(rec.counters.user).toEqual({ sent: expected.length, held: 50 - expected.length });
    expect(h.sent('BYE').length).toBe(1);
  });
});

describe('requests from the recorder', () => {
  it('OPTIONS 200 with Allow; INFO 200 in the session; a re-INVITE 488; anything for no session 481', async () => {
    const { sipRequest } = await import('../../../src/protocol/sip/sip-message.ts');
    const h = createHarness();
    const outcome = h.core.open(recordingParams());
    await h.run(20);
    const rec = await answered(outcome);
    const invite = h.sent('INVITE')[0] as SipRequest;
    const bye = recorderBye(invite);
    const as = (method: string, callId?: string) =>
      sipRequest({
        method,
        uri: bye.uri,
        headers: bye.headers.map((x) =>
          x.name === 'CSeq'
            ? { name: 'CSeq', value: `9 ${method}` }
            : x.name === 'Call-ID' && callId !== undefined
              ? { name: 'Call-ID', value: callId }
              : x,
        ),
      });
    for (const request of [
      as('OPTIONS'),
      as('INFO'),
      as('INVITE'),
      as('INFO', 'unknown@elsewhere'),
      as('BYE', 'unknown@elsewhere'),
    ])
      h.recorderSends(request);
    await h.run(10);
    const answers = h.wire
      .filter((w) => w.to === 'srs' && w.message.kind === 'response')
      .map((w) =>
        w.message.kind === 'response' ? `${w.message.status} ${headerValue(w.message, 'CSeq')}` : '',
      );
    expect(answers).toEqual(['200 9 OPTIONS', '200 9 INFO', '488 9 INVITE', '481 9 INFO', '481 9 BYE']);
    expect(rec.isEnded).toBe(false);
  });
});
