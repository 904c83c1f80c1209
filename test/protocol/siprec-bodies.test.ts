/**
 * The SIPREC body readers on documents written by hand in the shapes other senders use: prefixes other
 * than ours, the BroadWorks block declared on the root, RFC 7865's association elements, vendor extension
 * elements, the one-m-line mixed SDP, a telephone-event and opus-first offer; plus fuzzing (pinned seed)
 * that no body, however broken, makes a reader throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildMultipart,
  parseContentType,
  parseMultipart,
  recordingParts,
} from '../../src/protocol/siprec/multipart.ts';
import {
  buildRecordingMetadata,
  parseRecordingMetadata,
} from '../../src/protocol/siprec/recording-metadata.ts';
import { decodeRecordingOffer } from '../../src/protocol/siprec/recording-offer.ts';
import {
  buildRecordingAnswer,
  buildRecordingOffer,
  parseRecordingSdp,
} from '../../src/protocol/siprec/recording-sdp.ts';
import { SIPREC_ERROR_CODES } from '../../src/protocol/siprec/siprec-errors.ts';
import { recordingMetadataXml } from '../../src/protocol/siprec/src-session.ts';
import { srcSpec } from './siprec-fixtures.ts';

const BROADWORKS_STYLE = `<?xml version="1.0" encoding="UTF-8"?>
<rm:recording_metadata xmlns:rm="urn:ietf:params:xml:ns:siprec" xmlns:bw="http://schema.broadsoft.com/broadworksCallRecording">
  <rm:dataMode>complete</rm:dataMode>
  <rm:session id="c2Vzc2lvbi0x">
    <rm:start-time>2026-03-02T09:15:00.000Z</rm:start-time>
    <rm:extensiondata>
      <bw:broadWorksRecordingMetadata version="3.0">
        <bw:extTrackingID>11111111-2222-4333-8444-555555555555</bw:extTrackingID>
        <bw:serviceProviderID>SP_One</bw:serviceProviderID>
        <bw:groupID>Group_A</bw:groupID>
        <bw:userID>2223334444@as.example.net</bw:userID>
        <bw:callID>callhalf-98765:0</bw:callID>
        <bw:callType><bw:origCall><bw:callingPartyNumber>2223334444</bw:callingPartyNumber><bw:calledPartyNumber>+15550001111</bw:calledPartyNumber></bw:origCall></bw:callType>
        <bw:recordingType>on</bw:recordingType>
        <bw:futureField>ignored &amp; tolerated</bw:futureField>
      </bw:broadWorksRecordingMetadata>
    </rm:extensiondata>
  </rm:session>
  <rm:participant id="cGFydC0x" session="c2Vzc2lvbi0x">
    <rm:nameID aor="sip:2223334444@as.example.net"><rm:name xml:lang="en">Recorded User</rm:name></rm:nameID>
    <rm:send>c3RyZWFtLTE=</rm:send>
  </rm:participant>
  <rm:participant id="cGFydC0y" session="c2Vzc2lvbi0x">
    <rm:nameID aor="sip:+15550001111@pstn.example.net"/>
    <rm:send>c3RyZWFtLTI=</rm:send>
  </rm:participant>
  <rm:stream id="c3RyZWFtLTE=" session="c2Vzc2lvbi0x"><rm:label>1</rm:label><rm:mode>separate</rm:mode></rm:stream>
  <rm:stream id="c3RyZWFtLTI=" session="c2Vzc2lvbi0x"><rm:label>2</rm:label><rm:mode>separate</rm:mode></rm:stream>
  <vendor:callQuality xmlns:vendor="urn:example:vendor"><vendor:mos>4.2</vendor:mos></vendor:callQuality>
</rm:recording_metadata>`;

const RFC7865_STYLE = `<?xml version="1.0" encoding="UTF-8"?>
<recording xmlns="urn:ietf:params:xml:ns:recording:1">
  <datamode>complete</datamode>
  <session session_id="hVpd7YQgRW2nD22h7q60JQ=="><sipSessionID>ab30317f1a784dc48ff824d0d3715d86;remote=00000000000000000000000000000000</sipSessionID></session>
  <participant participant_id="srfBElmCRp2QB23b7Mpk0w=="><nameID aor="sip:alice@example.com"><name xml:lang="it">Alice</name></nameID></participant>
  <participant participant_id="zSfPoSvdSDCmU3A3TRDxAw=="><nameID aor="sip:bob@example.com"/></participant>
  <stream stream_id="UAAMm5GRQKSCMVvLyl4rFw==" session_id="hVpd7YQgRW2nD22h7q60JQ=="><label>96</label></stream>
  <stream stream_id="i1Pz3to5hGk8fuXl+PbwCw==" session_id="hVpd7YQgRW2nD22h7q60JQ=="><label>97</label></stream>
  <participantstreamassoc participant_id="srfBElmCRp2QB23b7Mpk0w=="><send>UAAMm5GRQKSCMVvLyl4rFw==</send><recv>i1Pz3to5hGk8fuXl+PbwCw==</recv></participantstreamassoc>
  <participantstreamassoc participant_id="zSfPoSvdSDCmU3A3TRDxAw=="><send>i1Pz3to5hGk8fuXl+PbwCw==</send></participantstreamassoc>
  <extensiondata xmlns:x="urn:example:unknown"><x:anything/></extensiondata>
</recording>`;

describe('recording metadata', () => {
  it('reads a BroadWorks-shaped document with its own prefixes, and tolerates unknown elements', () => {
    const r = parseRecordingMetadata(BROADWORKS_STYLE);
    if (!r.ok) throw new Error(r.fault.message);
    expect(r.value.namespace).toBe('siprec');
    expect(r.value.broadWorks).toEqual({
      version: '3.0',
      extTrackingId: '11111111-2222-4333-8444-555555555555',
      serviceProviderId: 'SP_One',
      groupId: 'Group_A',
      userId: '2223334444@as.example.net',
      callId: 'callhalf-98765:0',
      callType: 'origCall',
      callingPartyNumber: '2223334444',
      calledPartyNumber: '+15550001111',
      recordingType: 'on',
    });
    expect(r.value.participants.map((p) => [p.aor, p.name, p.sends])).toEqual([
      ['sip:2223334444@as.example.net', 'Recorded User', ['c3RyZWFtLTE=']],
      ['sip:+15550001111@pstn.example.net', undefined, ['c3RyZWFtLTI=']],
    ]);
    expect(r.value.unknownElements).toEqual(['{urn:example:vendor}callQuality']);
  });

  it('reads RFC 7865 ids and participantstreamassoc, without BroadWorks identifiers', () => {
    const r = parseRecordingMetadata(RFC7865_STYLE);
    if (!r.ok) throw new Error(r.fault.message);
    expect(r.value.namespace).toBe('rfc7865');
    expect(r.value.sessionId).toBe('hVpd7YQgRW2nD22h7q60JQ==');
    expect(r.value.streams.map((s) => s.label)).toEqual(['96', '97']);
    expect(r.value.participants[0]).toMatchObject({
      name: 'Alice',
      sends: ['UAAMm5GRQKSCMVvLyl4rFw=='],
      receives: ['i1Pz3to5hGk8fuXl+PbwCw=='],
    });
    expect(r.value.broadWorks).toBeUndefined();
  });

  it('round-trips what it builds, in both namespaces, with characters that need escaping', () => {
    for (const namespace of ['siprec', 'rfc7865'] as const) {
      const spec = srcSpec({
        metadataNamespace: namespace,
        user: { aor: 'sip:a&b@example.com', name: 'O\'Brien <"Ops">' },
      });
      const r = parseRecordingMetadata(recordingMetadataXml(spec));
      if (!r.ok) throw new Error(r.fault.message);
      expect(r.value.participants[0]).toMatchObject({ aor: 'sip:a&b@example.com', name: 'O\'Brien <"Ops">' });
      expect(r.value.broadWorks?.userId).toBe('alice.novak@acme.example');
      const again = parseRecordingMetadata(buildRecordingMetadata(r.value));
      expect(again.ok && again.value).toEqual(r.value);
    }
  });

  it.each([
    ['no session', (x: string) => x.replace(/<rm:session[\s\S]*<\/rm:session>/, ''), /no session/],
    [
      'a participant without aor',
      (x: string) => x.replace('aor="sip:+15550001111@pstn.example.net"', ''),
      /cGFydC0y has no nameID aor/,
    ],
    [
      'a stream without label',
      (x: string) => x.replace('<rm:label>2</rm:label>', ''),
      /Stream c3RyZWFtLTI= has no label/,
    ],
    [
      'an undeclared prefix',
      (x: string) => x.replace('<rm:dataMode>complete</rm:dataMode>', '<zz:dataMode>complete</zz:dataMode>'),
      /prefix 'zz' of <zz:dataMode> is not declared/,
    ],
    [
      'a callType that is neither origCall nor termCall',
      (x: string) => x.replace(/origCall/g, 'otherCall'),
      /origCall or termCall/,
    ],
    ['text that is not XML', () => 'recording please', /well-formed/],
  ])('refuses %s', (_what, mutate, says) => {
    const r = parseRecordingMetadata(mutate(BROADWORKS_STYLE));
    expect(r.ok ? 'accepted' : `${r.fault.code}: ${r.fault.message}`).toMatch(says);
  });
});

const MIXED_OPUS_FIRST = [
  'v=0',
  'o=BroadWorks 2041 1 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 16384 RTP/AVP 111 0 8 9 101',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:20',
  'a=sendonly',
  'a=label:1',
  '',
].join('\r\n');

describe('recording SDP', () => {
  it('accepts the one-m-line mixed shape, skips opus, answers the first G.711 offered', () => {
    const sdp = parseRecordingSdp(MIXED_OPUS_FIRST);
    if (!sdp.ok) throw new Error(sdp.fault.message);
    expect(sdp.value.shape).toBe('mixed');
    expect(sdp.value.streams[0]?.codecs.map((c) => c.name)).toEqual([
      'OPUS',
      'PCMU',
      'PCMA',
      'G722',
      'TELEPHONE-EVENT',
    ]);
    const answer = buildRecordingAnswer(sdp.value, {
      origin: { username: 'callrec', sessionId: '1', version: 1, address: '127.0.0.1' },
      ports: { '1': 50_000 },
      supported: ['PCMA', 'PCMU'],
    });
    expect(answer.ok && answer.value.streams).toEqual([{ label: '1', codec: 'PCMU', direction: 'recvonly' }]);
    expect(answer.ok && answer.value.sdp).toMatch(/m=audio 50000 RTP\/AVP 0\r\n/);
  });

  it('a mixed stream maps to the metadata with role "mixed"', () => {
    const metadata = BROADWORKS_STYLE.replace(/<rm:stream id="c3RyZWFtLTI=[\s\S]*?<\/rm:stream>/, '').replace(
      '<rm:send>c3RyZWFtLTI=</rm:send>',
      '<rm:send>c3RyZWFtLTE=</rm:send>',
    );
    const offer = decodeRecordingOffer(MIXED_OPUS_FIRST, metadata);
    expect(offer.ok ? offer.value.streams.map((s) => [s.label, s.role]) : offer.fault.message).toEqual([
      ['1', 'mixed'],
    ]);
    expect(offer.ok && offer.value.dubPoint).toEqual({
      serviceProvider: 'SP_One',
      externalGroup: 'Group_A',
      externalIdentifier: '2223334444@as.example.net',
    });
  });

  it('builds an offer with the o= version given (a re-INVITE bumps it) and inactive while paused', () => {
    const text = buildRecordingOffer({
      origin: { username: 'BroadWorks', sessionId: '77', version: 5, address: '::1' },
      streams: [
        { label: '1', port: 4000 },
        { label: '2', port: 4002 },
      ],
      codecs: ['PCMA'],
      direction: 'inactive',
    });
    expect(text).toMatch(/^o=BroadWorks 77 5 IN IP6 ::1\r\n/m);
    const sdp = parseRecordingSdp(text);
    expect(
      sdp.ok && sdp.value.streams.map((s) => [s.direction, s.ptimeMs, s.codecs[0]?.payloadType]),
    ).toEqual([
      ['inactive', 20, 8],
      ['inactive', 20, 8],
    ]);
  });

  it.each([
    ['no o= line', (s: string) => s.replace(/^o=.*\r\n/m, ''), /o= line/],
    ['a video m-line', (s: string) => `${s}m=video 5000 RTP/AVP 31\r\n`, /audio m-lines only/],
    [
      'three audio m-lines',
      (s: string) => `${s}m=audio 1 RTP/AVP 0\r\na=label:2\r\nm=audio 2 RTP/AVP 0\r\na=label:3\r\n`,
      /3 audio m-lines/,
    ],
    ['no connection address', (s: string) => s.replace(/^c=.*\r\n/m, ''), /c= connection/],
    ['a payload type over 127', (s: string) => s.replace('RTP/AVP 111 0', 'RTP/AVP 300 0'), /payload type/],
  ])('refuses %s', (_what, mutate, says) => {
    const r = parseRecordingSdp(mutate(MIXED_OPUS_FIRST));
    expect(r.ok ? 'accepted' : r.fault.message).toMatch(says);
  });
});

describe('multipart/mixed', () => {
  it('reads a quoted boundary, a preamble, bare LF line ends and folded part headers', () => {
    const body =
      'preamble to ignore\n--b 1\nContent-Type:\n  application/sdp\n\nv=0\n--b 1\nContent-Type: application/rs-metadata+xml\n\n<x/>\n--b 1--\nepilogue';
    const ct = parseContentType('multipart/mixed; boundary="b 1"');
    expect(ct?.params.boundary).toBe('b 1');
    const parts = recordingParts('multipart/mixed; boundary="b 1"', body);
    expect(parts.ok && parts.value).toEqual({ sdp: 'v=0', metadata: '<x/>', order: 'sdp-first' });
  });

  it('round-trips the parts it builds', () => {
    const parts = [
      { headers: { 'content-type': 'application/sdp' }, body: 'v=0\r\n' },
      {
        headers: {
          'content-type': 'application/rs-metadata+xml',
          'content-disposition': 'recording-session',
        },
        body: '<a/>',
      },
    ];
    const r = parseMultipart(buildMultipart(parts, 'UniqueBroadWorksBoundary'), 'UniqueBroadWorksBoundary');
    expect(r.ok && r.value).toEqual(parts);
  });
});

describe('SIPREC body fuzzing (pinned seed)', () => {
  const SEED = 78_667_865;
  const known = new Set<string>(SIPREC_ERROR_CODES);
  const inviteBody = () => {
    const spec = srcSpec();
    return {
      sdp: buildRecordingOffer({
        origin: { username: 'BroadWorks', sessionId: '1', version: 1, address: '127.0.0.1' },
        streams: [
          { label: '1', port: 4000 },
          { label: '2', port: 4002 },
        ],
        codecs: ['PCMU'],
        direction: 'sendonly',
      }),
      xml: recordingMetadataXml(spec),
    };
  };
  const mutated = (text: string) =>
    fc
      .array(
        fc.record({
          at: fc.nat({ max: text.length }),
          cut: fc.nat({ max: 12 }),
          insert: fc.string({ unit: 'binary-ascii', maxLength: 10 }),
        }),
        { minLength: 1, maxLength: 4 },
      )
      .map((edits) => edits.reduce((t, e) => t.slice(0, e.at) + e.insert + t.slice(e.at + e.cut), text));

  it('edited SDP and metadata never throw and fail only with SIPREC codes', () => {
    const { sdp, xml } = inviteBody();
    fc.assert(
      fc.property(mutated(sdp), mutated(xml), (s, x) => {
        const r = decodeRecordingOffer(s, x);
        if (!r.ok) expect(known.has(r.fault.code)).toBe(true);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('arbitrary multipart bodies and content types never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 400 }), (ct, body) => {
        const r = recordingParts(`multipart/mixed;boundary=${ct}`, body);
        if (!r.ok) expect(known.has(r.fault.code)).toBe(true);
        recordingParts(ct, body);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });
});
