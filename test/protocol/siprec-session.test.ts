/**
 * A whole recording session through the pure SIPREC layers, serialised and re-parsed at every hop as it
 * would be on the wire: the platform's INVITE (S32: two streams; S33: the dub.point in the metadata), the
 * recorder's 200 and its decoded offer, ACK, pause and resume re-INVITEs (a=inactive mirrored), BYE; and
 * every refusal the recorder answers with a status, a Warning and a Reason naming what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { parseSipDatagram } from '../../src/protocol/sip/parse-sip.ts';
import { serialiseSip } from '../../src/protocol/sip/serialise-sip.ts';
import {
  bodyText,
  headerValue,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  withHeader,
} from '../../src/protocol/sip/sip-message.ts';
import { parseRecordingSdp } from '../../src/protocol/siprec/recording-sdp.ts';
import {
  acceptRecordingAnswer,
  buildPauseReInvite,
  buildRecordingAck,
  buildRecordingBye,
  createRecordingInvite,
} from '../../src/protocol/siprec/src-session.ts';
import {
  answerRecordingInvite,
  answerRecordingReInvite,
  srcMarkerOf,
} from '../../src/protocol/siprec/srs-session.ts';
import { DUB_POINT, srcSpec, srsOptions } from './siprec-fixtures.ts';

/** Through the wire format and back, as the other side sees it. */
function wire<M extends SipMessage>(m: M): M {
  const r = parseSipDatagram(serialiseSip(m));
  if (!r.ok) throw new Error(`${r.fault.code}: ${r.fault.message}`);
  return r.message as M;
}

function directions(m: SipMessage): string[] {
  const sdp = parseRecordingSdp(bodyText(m));
  return sdp.ok ? sdp.value.streams.map((s) => `${s.label}:${s.direction}`) : [sdp.fault.message];
}

describe('a recording session, platform (SRC) to recorder (SRS)', () => {
  it('INVITE → 200 → ACK → pause → resume → BYE, with the decoded offer on the recorder side', () => {
    const { request: invite, dialog: d0 } = createRecordingInvite(srcSpec(), 'z9hG4bK-inv-1');
    const received = wire(invite);
    expect(headerValue(received, 'Content-Type')).toBe('multipart/mixed;boundary=UniqueBroadWorksBoundary');
    expect(headerValue(received, 'Contact')).toBe('<sip:webex-src@127.0.0.1:5070;transport=udp>;+sip.src');
    expect(headerValue(received, 'X-BroadWorks-Correlation-Info')).toBe(
      '5d8e1c2a-9f0b-4c3d-8e7f-1a2b3c4d5e6f',
    );
    expect(headerValue(received, 'Session-ID')).toBe('ab30317f1a784dc48ff824d0d3715d86');

    const decision = answerRecordingInvite(received, srsOptions());
    if (!decision.ok) throw new Error(decision.fault.message);
    const { offer } = decision;
    expect(offer.shape).toBe('two-streams');
    expect(offer.paused).toBe(false);
    expect(offer.dubPoint).toEqual(DUB_POINT);
    expect(offer.metadata.namespace).toBe('siprec');
    expect(offer.metadata.broadWorks).toMatchObject({
      version: '3.0',
      callType: 'termCall',
      recordingType: 'on',
    });
    expect(
      offer.streams.map((s) => [
        s.label,
        s.role,
        s.port,
        s.codecs.map((c) => c.name).join('/'),
        s.participant?.aor,
      ]),
    ).toEqual([
      ['1', 'user', 40_000, 'PCMU/PCMA', 'sip:+420221000001@acme.example'],
      ['2', 'remote', 40_002, 'PCMU/PCMA', 'tel:+420602000002'],
    ]);
    expect(offer.streams[0]?.participant?.name).toBe('Alice Novák');

    const ok = wire(decision.response);
    expect(ok.status).toBe(200);
    expect(headerValue(ok, 'To')).toBe('<sip:srs@127.0.0.1:5060>;tag=srs-9e2f');
    expect(directions(ok)).toEqual(['1:recvonly', '2:recvonly']);
    expect(decision.answer.streams.map((s) => s.codec)).toEqual(['PCMU', 'PCMU']);

    const accepted = acceptRecordingAnswer(d0, ok, bodyText(ok));
    if (!accepted.ok) throw new Error(accepted.fault.message);
    const d1 = accepted.value.dialog;
    expect(d1.remoteTag).toBe('srs-9e2f');
    const ack = wire(buildRecordingAck(d1, 'z9hG4bK-ack-1'));
    expect([ack.uri, headerValue(ack, 'CSeq'), headerValue(ack, 'To')]).toEqual([
      'sip:srs@127.0.0.1:5060',
      '1 ACK',
      '<sip:srs@127.0.0.1:5060>;tag=srs-9e2f',
    ]);

    const pause = buildPauseReInvite(d1, true, 'z9hG4bK-inv-2');
    const pauseReceived = wire(pause.request);
    expect([headerValue(pauseReceived, 'CSeq'), headerValue(pauseReceived, 'Call-ID')]).toEqual([
      '2 INVITE',
      'rec-7f3a9c01@127.0.0.1',
    ]);
    expect(directions(pauseReceived)).toEqual(['1:inactive', '2:inactive']);
    const pauseAnswer = answerRecordingReInvite(pauseReceived, offer, srsOptions({ sdpVersion: 2 }));
    if (!pauseAnswer.ok) throw new Error(pauseAnswer.fault.message);
    expect(pauseAnswer.offer.paused).toBe(true);
    expect(directions(wire(pauseAnswer.response))).toEqual(['1:inactive', '2:inactive']);
    const d2 = acceptRecordingAnswer(pause.dialog, pauseAnswer.response, bodyText(pauseAnswer.response));
    expect(d2.ok).toBe(true);

    const resume = buildPauseReInvite(pause.dialog, false, 'z9hG4bK-inv-3');
    const resumeReceived = wire(resume.request);
    expect(directions(resumeReceived)).toEqual(['1:sendonly', '2:sendonly']);
    const sdp = parseRecordingSdp(bodyText(resumeReceived));
    expect(sdp.ok && sdp.value.origin.version).toBe(3);
    const resumeAnswer = answerRecordingReInvite(
      resumeReceived,
      pauseAnswer.offer,
      srsOptions({ sdpVersion: 3 }),
    );
    expect(resumeAnswer.ok && [resumeAnswer.offer.paused, directions(resumeAnswer.response)]).toEqual([
      false,
      ['1:recvonly', '2:recvonly'],
    ]);

    const bye = wire(buildRecordingBye(resume.dialog, 'z9hG4bK-bye-1').request);
    expect([bye.method, headerValue(bye, 'CSeq'), headerValue(bye, 'To')]).toEqual([
      'BYE',
      '4 BYE',
      '<sip:srs@127.0.0.1:5060>;tag=srs-9e2f',
    ]);
  });

  it('offers the codecs in the user order, and the recorder takes the first it supports (PCMA first → PCMA)', () => {
    const { request } = createRecordingInvite(srcSpec({ codecs: ['PCMA', 'PCMU'] }), 'z9hG4bK-c');
    const d = answerRecordingInvite(wire(request), srsOptions());
    expect(d.ok && d.offer.streams[0]?.codecs.map((c) => c.payloadType)).toEqual([8, 0]);
    expect(d.ok && d.answer.streams.map((s) => s.codec)).toEqual(['PCMA', 'PCMA']);
    const pcmuOnly = answerRecordingInvite(wire(request), srsOptions({ supported: ['PCMU'] }));
    expect(pcmuOnly.ok && pcmuOnly.answer.streams.map((s) => s.codec)).toEqual(['PCMU', 'PCMU']);
  });

  it('accepts the parts in either order, the RFC 7865 namespace and the bare ;src Contact form', () => {
    const { request } = createRecordingInvite(
      srcSpec({ partOrder: 'metadata-first', metadataNamespace: 'rfc7865', contactForm: 'src-param' }),
      'z9hG4bK-v',
    );
    const received = wire(request);
    expect(bodyText(received).indexOf('application/rs-metadata+xml')).toBeLessThan(
      bodyText(received).indexOf('application/sdp'),
    );
    expect(srcMarkerOf(received)).toBe('src');
    const d = answerRecordingInvite(received, srsOptions());
    if (!d.ok) throw new Error(d.fault.message);
    expect(d.offer.metadata.namespace).toBe('rfc7865');
    expect(d.offer.dubPoint).toEqual(DUB_POINT);
    expect(d.offer.streams.map((s) => s.participant?.aor)).toEqual([
      'sip:+420221000001@acme.example',
      'tel:+420602000002',
    ]);
  });
});

describe('what the recorder refuses, and how it says so', () => {
  const invite = () => wire(createRecordingInvite(srcSpec(), 'z9hG4bK-r').request);
  const replaceBody = (m: SipRequest, from: string | RegExp, to: string): SipRequest => ({
    ...m,
    body: new TextEncoder().encode(bodyText(m).replace(from, to)),
  });
  const refusal = (request: SipRequest, options = srsOptions()) => {
    const d = answerRecordingInvite(wire(request), options);
    if (d.ok) throw new Error('accepted');
    const response: SipResponse = wire(d.response);
    return {
      code: d.fault.code,
      status: response.status,
      warning: headerValue(response, 'Warning') ?? '',
      reason: headerValue(response, 'Reason') ?? '',
      response,
    };
  };

  it.each([
    [
      'no +sip.src on Contact',
      (m: SipRequest) => withHeader(m, 'Contact', '<sip:x@127.0.0.1>'),
      'SIPREC_ERR_NOT_RECORDING',
      400,
      /\+sip\.src/,
    ],
    [
      'an SDP-only body',
      (m: SipRequest) => withHeader(m, 'Content-Type', 'application/sdp'),
      'SIPREC_ERR_CONTENT_TYPE',
      415,
      /multipart\/mixed/,
    ],
    [
      'no boundary',
      (m: SipRequest) => withHeader(m, 'Content-Type', 'multipart/mixed'),
      'SIPREC_ERR_MULTIPART',
      400,
      /boundary/,
    ],
    [
      'a wrong boundary',
      (m: SipRequest) => withHeader(m, 'Content-Type', 'multipart/mixed;boundary=Other'),
      'SIPREC_ERR_MULTIPART',
      400,
      /--Other/,
    ],
    [
      'no closing delimiter',
      (m: SipRequest) => replaceBody(m, '--UniqueBroadWorksBoundary--', ''),
      'SIPREC_ERR_MULTIPART',
      400,
      /closing/,
    ],
    [
      'no metadata part',
      (m: SipRequest) => replaceBody(m, 'application/rs-metadata+xml', 'text/plain'),
      'SIPREC_ERR_MISSING_PART',
      400,
      /rs-metadata/,
    ],
    [
      'an m-line without a=label',
      (m: SipRequest) => replaceBody(m, 'a=label:2\r\n', ''),
      'SIPREC_ERR_SDP',
      400,
      /m-line 2 has no a=label/,
    ],
    [
      'only G.729 offered',
      (m: SipRequest) =>
        replaceBody(replaceBody(m, /RTP\/AVP 0 8/g, 'RTP/AVP 18'), /a=rtpmap:[08] PCM[UA]\/8000\r\n/g, ''),
      'SIPREC_ERR_NO_CODEC',
      488,
      /G729/,
    ],
    [
      'malformed XML',
      (m: SipRequest) => replaceBody(m, '</participant>', '</particip>'),
      'SIPREC_ERR_METADATA',
      400,
      /well-formed.*line/,
    ],
    [
      'an unknown root namespace',
      (m: SipRequest) => replaceBody(m, 'urn:ietf:params:xml:ns:siprec', 'urn:example:other'),
      'SIPREC_ERR_METADATA',
      400,
      /Root element/,
    ],
    [
      'a participant sending an undeclared stream',
      (m: SipRequest) =>
        replaceBody(m, /<send>urn:uuid:0b8b2a7e-0000-4000-8000-000000000005/, '<send>urn:uuid:nope'),
      'SIPREC_ERR_METADATA',
      400,
      /urn:uuid:nope, which is not declared/,
    ],
    [
      'an SDP label missing from the metadata',
      (m: SipRequest) => replaceBody(m, '<label>2</label>', '<label>7</label>'),
      'SIPREC_ERR_LABELS',
      400,
      /label 2 has no stream/,
    ],
    [
      'no BroadWorks identifiers',
      (m: SipRequest) => replaceBody(m, /<extensiondata[\s\S]*<\/extensiondata>/, ''),
      'SIPREC_ERR_NO_IDENTIFIERS',
      403,
      /serviceProviderID, groupID and userID/,
    ],
    [
      'a BroadWorks block without userID',
      (m: SipRequest) => replaceBody(m, /<bwrec:userID>[^<]*<\/bwrec:userID>/, ''),
      'SIPREC_ERR_METADATA',
      400,
      /no userID/,
    ],
    [
      'a DOCTYPE (entity expansion)',
      (m: SipRequest) =>
        replaceBody(m, '<recording_metadata', '<!DOCTYPE x [<!ENTITY a "aaaa">]><recording_metadata'),
      'SIPREC_ERR_METADATA',
      400,
      /DOCTYPE/,
    ],
  ] as const)('%s → %s %i', (_what, mutate, code, status, says) => {
    const r = refusal(mutate(invite()));
    expect([r.code, r.status]).toEqual([code, status]);
    expect(r.warning).toMatch(/^399 callrec-srs "/);
    expect(r.warning).toMatch(says);
    expect(r.reason).toMatch(new RegExp(`^SIP;cause=${status};text="`));
    expect(headerValue(r.response, 'To')).toBe('<sip:srs@127.0.0.1:5060>;tag=srs-9e2f');
  });

  it('a dub.point mismatch is refused with 403 naming the field (S33)', () => {
    const r = refusal(
      invite(),
      srsOptions({
        checkDubPoint: (ids) =>
          ids.externalGroup === 'grp-acme-brno'
            ? undefined
            : { field: 'externalGroup', expected: 'grp-acme-brno', got: ids.externalGroup },
      }),
    );
    expect([r.code, r.status]).toEqual(['SIPREC_ERR_DUBPOINT_MISMATCH', 403]);
    expect(r.warning).toContain(
      "dub.point externalGroup is 'grp-acme-brno' but the metadata says 'grp-acme-prague'",
    );
  });

  it('a re-INVITE must keep the labels and raise the o= version', () => {
    const first = answerRecordingInvite(invite(), srsOptions());
    if (!first.ok) throw new Error(first.fault.message);
    const { dialog } = createRecordingInvite(srcSpec(), 'z9hG4bK-x');
    const pause = wire(buildPauseReInvite({ ...dialog, remoteTag: 'srs-9e2f' }, true, 'z9hG4bK-y').request);
    const stale = {
      ...pause,
      body: new TextEncoder().encode(bodyText(pause).replace(/^o=(\S+) (\S+) 2 /m, 'o=$1 $2 1 ')),
    };
    const d = answerRecordingReInvite(stale, first.offer, srsOptions());
    expect(d.ok ? 'accepted' : d.fault.message).toMatch(/o= version 1 is not above 1/);
    const relabelled = {
      ...pause,
      body: new TextEncoder().encode(bodyText(pause).replace('a=label:2', 'a=label:1')),
    };
    const e = answerRecordingReInvite(relabelled, first.offer, srsOptions());
    expect(e.ok ? 'accepted' : e.fault.code).toBe('SIPREC_ERR_SDP');
  });
});
