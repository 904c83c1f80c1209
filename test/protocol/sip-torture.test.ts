/**
 * The parser against the RFC 4475 torture tests: each case below is written for this project from the
 * RFC's description of the test (what makes it tortuous or invalid), not copied from it. Valid messages
 * must parse and expose the values the RFC says a careful parser reads; invalid ones must be refused
 * with the fault a server turns into its answer (400 with a Warning, 505, 513). Section numbers are RFC 4475's.
 */
import { describe, expect, it } from 'vitest';
import { parseSipDatagram } from '../../src/protocol/sip/parse-sip.ts';
import type { SipErrorCode } from '../../src/protocol/sip/sip-errors.ts';
import { parseCSeq, parseNameAddr, parseVia } from '../../src/protocol/sip/sip-grammar.ts';
import { bodyText, headerValue, headerValues, type SipMessage } from '../../src/protocol/sip/sip-message.ts';
import { answerToUnparsable } from '../../src/protocol/sip/sip-responses.ts';

const enc = new TextEncoder();

/** Lines joined by CRLF, the blank line, then the body; Content-Length is whatever the lines say. */
function wire(lines: readonly string[], body = ''): Uint8Array {
  return enc.encode(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

const SDP = [
  'v=0',
  'o=mhandley 29739 7272939 IN IP4 192.0.2.3',
  's=-',
  'c=IN IP4 192.0.2.4',
  't=0 0',
  'm=audio 49217 RTP/AVP 0 12',
  'm=video 3227 RTP/AVP 31',
  'a=rtpmap:31 LPC',
  '',
].join('\r\n');
const len = (s: string) => enc.encode(s).length;

interface ValidCase {
  readonly id: string;
  readonly section: string;
  readonly what: string;
  readonly bytes: Uint8Array;
  readonly check: (m: SipMessage, trailingBytes: number) => void;
}

const VALID: ValidCase[] = [
  {
    id: 'wsinv',
    section: '3.1.1.1',
    what: 'a short tortuous INVITE: odd case, compact names, folding, whitespace around separators, unknown headers',
    bytes: wire(
      [
        'INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0',
        'TO :',
        ' sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
        'from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>',
        '  ;',
        '  tag = 98asjd8',
        'MaX-fOrWaRdS: 0068',
        'Call-ID: wsinv.ndaksdj@192.0.2.1',
        `Content-Length   : ${len(SDP)}`,
        'cseq: 0009',
        '  INVITE',
        'Via  : SIP  /   2.0',
        ' /UDP',
        '    192.0.2.2;branch=390skdjuw',
        's :',
        'NewFangledHeader:   newfangled value',
        ' continued newfangled value',
        'UnknownHeaderWithUnusualValue: ;;,,;;,;',
        'Content-Type: application/sdp',
        'Route:',
        ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
        'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
        '  branch  =   z9hG4bK9ikj8  ,',
        ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
        ' z9hG4bK30239',
        'm:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =',
        '      newvalue ;',
        '  secondparam ; q = 0.33',
      ],
      SDP,
    ),
    check: (m) => {
      expect(m.kind === 'request' && m.method).toBe('INVITE');
      expect(headerValue(m, 'Max-Forwards')).toBe('0068');
      expect(parseCSeq(headerValue(m, 'CSeq') ?? '')).toEqual({
        ok: true,
        value: { seq: 9, method: 'INVITE' },
      });
      expect(headerValue(m, 'Subject')).toBe('');
      expect(headerValue(m, 'NewFangledHeader')).toBe('newfangled value continued newfangled value');
      const vias = headerValues(m, 'v');
      expect(vias).toHaveLength(3);
      const second = parseVia(vias[1] as string);
      expect(second.ok && second.value.transport).toBe('TCP');
      expect(second.ok && second.value.params).toEqual([{ name: 'branch', value: 'z9hG4bK9ikj8' }]);
      const from = parseNameAddr(headerValue(m, 'f') ?? '', 'From');
      expect(from.ok && from.value.displayName).toBe('J Rosenberg \\"');
      expect(from.ok && from.value.params).toEqual([{ name: 'tag', value: '98asjd8' }]);
      const contact = parseNameAddr(headerValue(m, 'Contact') ?? '', 'Contact');
      expect(contact.ok && contact.value.params.map((p) => p.name)).toEqual(['newparam', 'secondparam', 'q']);
      expect(bodyText(m)).toBe(SDP);
    },
  },
  {
    id: 'intmeth',
    section: '3.1.1.2',
    what: 'every token character in the method and header names, control characters escaped in quoted strings, UTF-8 values',
    bytes: wire([
      "!interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0",
      "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
      'To: "BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f" <sip:1_unusual.URI~(to-be!sure)&isn\'t+it$/crazy?,/;;*@example.com>',
      "From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"работающий\";tag=_token~1'+`*%!-.",
      'Call-ID: intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
      "CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~",
      'Max-Forwards: 255',
      "extensionHeader-!.%*+_`'~:大停電",
      'Content-Length: 0',
    ]),
    check: (m) => {
      expect(m.kind === 'request' && m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
      const to = parseNameAddr(headerValue(m, 'To') ?? '', 'To');
      expect(to.ok && to.value.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
      const from = parseNameAddr(headerValue(m, 'From') ?? '', 'From');
      expect(from.ok && from.value.displayName).toBe("token1~` token2'+_ token3*%!.-");
      expect(headerValue(m, "extensionHeader-!.%*+_`'~")).toBe('大停電');
    },
  },
  {
    id: 'esc01',
    section: '3.1.1.3',
    what: 'valid % escapes in the Request-URI, To, From and Contact',
    bytes: wire([
      'INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0',
      'To: sip:%75se%72@example.com',
      'From: <sip:I%20have%20spaces@example.net>;tag=938',
      'Max-Forwards: 87',
      'i: esc01.239409asdfakjkn23onasd0-3234',
      'CSeq: 234234 INVITE',
      'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw',
      'C: application/sdp',
      'Contact:',
      '  <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>',
      'Content-Length: 0',
    ]),
    check: (m) => {
      expect(m.kind === 'request' && m.uri).toBe('sip:sips%3Auser%40example.com@example.net');
      expect(headerValue(m, 'Content-Type')).toBe('application/sdp');
      expect(headerValue(m, 'Call-ID')).toBe('esc01.239409asdfakjkn23onasd0-3234');
    },
  },
  {
    id: 'escnull',
    section: '3.1.1.4',
    what: 'escaped NULs (%00) in URIs and two Contact lines',
    bytes: wire([
      'REGISTER sip:example.com SIP/2.0',
      'To: sip:null-%00-null@example.com',
      'From: sip:null-%00-null@example.com;tag=839923423',
      'Max-Forwards: 70',
      'Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
      'CSeq: 14398234 REGISTER',
      'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
      'Contact: <sip:%00@host5.example.com>',
      'Contact: <sip:%00%00@host5.example.com>',
      'L:0',
    ]),
    check: (m) =>
      expect(headerValues(m, 'Contact')).toEqual([
        '<sip:%00@host5.example.com>',
        '<sip:%00%00@host5.example.com>',
      ]),
  },
  {
    id: 'esc02',
    section: '3.1.1.5',
    what: '% that is not an escape: a method spelled with %, a display name holding %Z',
    bytes: wire([
      'RE%47IST%45R sip:registrar.example.com SIP/2.0',
      'To: "%Z%45" <sip:resource@example.com>',
      'From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23',
      'Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf',
      'Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209345',
      'CSeq: 29344 RE%47IST%45R',
      'Max-Forwards: 70',
      'Contact: <sip:alias1@host1.example.com>',
      'C%6Fntact: <sip:alias2@host2.example.com>',
      'Contact: <sip:alias3@host3.example.com>',
      'l: 0',
    ]),
    check: (m) => {
      expect(m.kind === 'request' && m.method).toBe('RE%47IST%45R');
      expect(headerValues(m, 'Contact')).toHaveLength(2);
      expect(headerValue(m, 'C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    },
  },
  {
    id: 'lwsdisp',
    section: '3.1.1.6',
    what: 'no whitespace between a display name and <',
    bytes: wire([
      'OPTIONS sip:user@example.com SIP/2.0',
      'To: sip:user@example.com',
      'From: caller<sip:caller@example.com>;tag=323',
      'Max-Forwards: 70',
      'Call-ID: lwsdisp.1234abcd@funky.example.com',
      'CSeq: 60 OPTIONS',
      'Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw',
      'l: 0',
    ]),
    check: (m) => {
      const from = parseNameAddr(headerValue(m, 'From') ?? '', 'From');
      expect(from.ok && from.value).toEqual({
        displayName: 'caller',
        uri: 'sip:caller@example.com',
        params: [{ name: 'tag', value: '323' }],
      });
    },
  },
  {
    id: 'longreq',
    section: '3.1.1.7',
    what: 'very long header values and many Via lines, within the size limits',
    bytes: wire(
      [
        'INVITE sip:user@example.com SIP/2.0',
        `To: "I have a user name of ${'extreme'.repeat(10)} proportion"<sip:user@example.com:6000;unknownparam1=very${'long'.repeat(20)}value;longparam${'name'.repeat(25)}=shortvalue;very${'long'.repeat(25)}ParameterNameWithNoValue>`,
        `F: sip:${'amazinglylongcallername'.repeat(5)}@example.net;tag=12${'982'.repeat(50)}424;unknownheaderparam${'name'.repeat(20)}=unknowheaderparam${'value'.repeat(15)};unknownValueless${'paramname'.repeat(10)}`,
        `Call-ID: longreq.one${'really'.repeat(30)}longcallid`,
        'CSeq: 3882340 INVITE',
        `Unknown-${'Long'.repeat(20)}-Name: unknown-${'long'.repeat(20)}-value; unknown-${'long'.repeat(20)}-parameter-name = unknown-${'long'.repeat(20)}-parameter-value`,
        ...Array.from(
          { length: 30 },
          (_, i) => `Via: SIP/2.0/TCP sip${i}.example.com:5060;branch=z9hG4bK${'longbranch'.repeat(8)}${i}`,
        ),
        'Max-Forwards: 70',
        `Contact: <sip:${'amazinglylongcallername'.repeat(5)}@host5.example.net>`,
        'Content-Type: application/sdp',
        `l: ${len(SDP)}`,
      ],
      SDP,
    ),
    check: (m) => {
      expect(headerValues(m, 'Via')).toHaveLength(30);
      expect(headerValue(m, 'Call-ID')?.length).toBeGreaterThan(180);
    },
  },
  {
    id: 'dblreq',
    section: '3.1.1.8',
    what: 'extra octets after the body in a UDP datagram (a second request) are ignored, by Content-Length',
    bytes: enc.encode(
      `${['REGISTER sip:example.com SIP/2.0', 'To: sip:j.user@example.com', 'From: sip:j.user@example.com;tag=43251j3j324', 'Max-Forwards: 8', 'I: dblreq.0ha0isndaksdj99sdfafnl3lk233412', 'Contact: sip:j.user@host.example.com', 'CSeq: 8 REGISTER', 'Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492', 'Content-Length: 0'].join('\r\n')}\r\n\r\nINVITE sip:joe@example.com SIP/2.0\r\nt: sip:joe@example.com\r\n\r\n`,
    ),
    check: (m, trailing) => {
      expect(m.kind === 'request' && m.method).toBe('REGISTER');
      expect(m.body.length).toBe(0);
      expect(trailing).toBe(len('INVITE sip:joe@example.com SIP/2.0\r\nt: sip:joe@example.com\r\n\r\n'));
    },
  },
  {
    id: 'semiuri',
    section: '3.1.1.9',
    what: 'a semicolon-separated parameter inside the URI user part',
    bytes: wire([
      'OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0',
      'To: sip:j_user@example.com',
      'From: sip:caller@example.org;tag=33242',
      'Max-Forwards: 3',
      'Call-ID: semiuri.0ha0isndaksdj',
      'CSeq: 8 OPTIONS',
      'Accept: application/sdp, application/pkcs7-mime,',
      '        multipart/mixed, multipart/signed,',
      '        message/sip, message/sipfrag',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw',
      'l: 0',
    ]),
    check: (m) => {
      expect(m.kind === 'request' && m.uri).toBe('sip:user;par=u%40example.net@example.com');
      expect(headerValues(m, 'Accept')).toHaveLength(6);
    },
  },
  {
    id: 'transports',
    section: '3.1.1.10',
    what: 'Via with UDP, SCTP, TLS, an unknown transport and TCP',
    bytes: wire([
      'OPTIONS sip:user@example.com SIP/2.0',
      'To: sip:user@example.com',
      'From: <sip:caller@example.com>;tag=323',
      'Max-Forwards: 70',
      'Call-ID:  transports.kijh4akdnaqjkwendsasfdj',
      'Accept: application/sdp',
      'CSeq: 60 OPTIONS',
      'Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw',
      'Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf',
      'Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj',
      'Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en',
      'Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee',
      'l: 0',
    ]),
    check: (m) =>
      expect(
        headerValues(m, 'Via').map((v) => {
          const r = parseVia(v);
          return r.ok ? r.value.transport : r.reason;
        }),
      ).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']),
  },
  {
    id: 'mpart01',
    section: '3.1.1.11',
    what: 'a multipart/mixed body is carried as opaque bytes of exactly Content-Length',
    bytes: (() => {
      const body = [
        '--7a9cbec02ceef655',
        'Content-Type: text/plain',
        'Content-Transfer-Encoding: binary',
        '',
        'C.H.Y.',
        '--7a9cbec02ceef655',
        'Content-Type: application/sdp',
        '',
        'v=0',
        'o=- 1 1 IN IP4 192.0.2.4',
        's=-',
        'c=IN IP4 192.0.2.4',
        't=0 0',
        'm=audio 5000 RTP/AVP 0',
        '--7a9cbec02ceef655--',
        '',
      ].join('\r\n');
      return wire(
        [
          'MESSAGE sip:kumiko@example.org SIP/2.0',
          'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK33',
          'Max-Forwards: 70',
          'From: "Chilon" <sip:chilon@example.com>;tag=mp1',
          'To: <sip:kumiko@example.org>',
          'Call-ID: mpart01.jnasd9h3fja@192.0.2.1',
          'CSeq: 1 MESSAGE',
          'Content-Type: multipart/mixed;boundary=7a9cbec02ceef655',
          `Content-Length: ${len(body)}`,
        ],
        body,
      );
    })(),
    check: (m) => {
      expect(bodyText(m).startsWith('--7a9cbec02ceef655\r\n')).toBe(true);
      expect(bodyText(m).endsWith('--7a9cbec02ceef655--\r\n')).toBe(true);
    },
  },
  {
    id: 'unreason',
    section: '3.1.1.12',
    what: 'an unusual reason phrase: symbols and UTF-8',
    bytes: wire([
      'SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое',
      'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
      'Call-ID: unreason.1234ksdfak3j2erwedfsASdf',
      'CSeq: 35 INVITE',
      'From: sip:user@example.com;tag=11141343',
      'To: sip:user@example.edu;tag=2229',
      'Content-Length: 0',
      'Contact: <sip:user@host198.example.com>',
    ]),
    check: (m) =>
      expect(m.kind === 'response' && [m.status, m.reason]).toEqual([
        200,
        '= 2**3 * 5**2 но сто девяносто девять - простое',
      ]),
  },
  {
    id: 'noreason',
    section: '3.1.1.13',
    what: 'an empty reason phrase (status code followed by a single space)',
    bytes: wire([
      'SIP/2.0 100 ',
      'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
      'Call-ID: noreason.asndj203insdf99223ndf',
      'CSeq: 35 INVITE',
      'From: <sip:user@example.com>;tag=39ansfi3',
      'To: <sip:user@example.edu>;tag=902jndnke3',
      'Content-Length: 0',
    ]),
    check: (m) => expect(m.kind === 'response' && [m.status, m.reason]).toEqual([100, '']),
  },
];

/** RFC 4475 §3.2–3.4: syntactically valid requests that a UAS must parse and then answer on their merits. */
const BASE = (method: string, extra: readonly string[], callId: string) => [
  `${method} sip:j.user@example.com SIP/2.0`,
  `Via: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK${callId}`,
  'Max-Forwards: 70',
  'From: <sip:caller@example.net>;tag=x1',
  'To: <sip:j.user@example.com>',
  `Call-ID: ${callId}@192.0.2.2`,
  `CSeq: 1 ${method}`,
  ...extra,
  'Content-Length: 0',
];

const SEMANTIC_VALID: { id: string; section: string; what: string; bytes: Uint8Array }[] = [
  {
    id: 'badbranch',
    section: '3.2.1',
    what: 'a branch without the z9hG4bK magic cookie',
    bytes: wire(BASE('OPTIONS', [], 'badbranch').map((l) => l.replace('z9hG4bKbadbranch', 'kjshdyff'))),
  },
  {
    id: 'unkscm',
    section: '3.3.2',
    what: 'a Request-URI with an unknown scheme (answered 416 by the application)',
    bytes: wire(
      BASE('OPTIONS', [], 'unkscm').map((l, i) =>
        i === 0 ? 'OPTIONS nobodyknowsthisscheme:totallyopaquecontent SIP/2.0' : l,
      ),
    ),
  },
  {
    id: 'novelsc',
    section: '3.3.3',
    what: 'a known but atypical Request-URI scheme',
    bytes: wire(
      BASE('OPTIONS', [], 'novelsc').map((l, i) =>
        i === 0 ? 'OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0' : l,
      ),
    ),
  },
  {
    id: 'unksm2',
    section: '3.3.4',
    what: 'unknown URI schemes in To and Contact',
    bytes: wire([
      'REGISTER sip:example.com SIP/2.0',
      'To: isbn:2983792873',
      'From: <http://www.example.com>;tag=3234233',
      'Call-ID: unksm2.daksdj@hyphenated-host.example.com',
      'CSeq: 234902 REGISTER',
      'Max-Forwards: 70',
      'Via: SIP/2.0/UDP 192.0.2.21:5060;branch=z9hG4bKkdjuw',
      'Contact: <name:John_Smith>',
      'l: 0',
    ]),
  },
  {
    id: 'bext01',
    section: '3.3.5',
    what: 'Require and Proxy-Require with unknown option tags (answered 420)',
    bytes: wire(
      BASE(
        'OPTIONS',
        [
          'Require: nothingSupportsThis, nothingSupportsThisEither',
          'Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis',
        ],
        'bext01',
      ),
    ),
  },
  {
    id: 'invut',
    section: '3.3.6',
    what: 'an unknown Content-Type (answered 415)',
    bytes: wire(
      BASE(
        'INVITE',
        ['Contact: <sip:caller@host5.example.net>', 'Content-Type: application/unknownformat'],
        'invut',
      ),
    ),
  },
  {
    id: 'regaut01',
    section: '3.3.7',
    what: 'an unknown authorization scheme',
    bytes: wire(BASE('REGISTER', ['Authorization: NoOneKnowsThisScheme opaque-data=here'], 'regaut01')),
  },
  {
    id: 'zeromf',
    section: '3.3.11',
    what: 'Max-Forwards of zero (answered 483 by a proxy, 200 by a UAS for OPTIONS)',
    bytes: wire(BASE('OPTIONS', [], 'zeromf').map((l) => l.replace('Max-Forwards: 70', 'Max-Forwards: 0'))),
  },
  {
    id: 'bcast',
    section: '3.3.10',
    what: 'a 200 whose Via carries a broadcast received address',
    bytes: wire([
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923;received=255.255.255.255',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
      'Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf',
      'CSeq: 35 INVITE',
      'From: sip:user@example.com;tag=11141343',
      'To: sip:user@example.edu;tag=2229',
      'Content-Length: 0',
    ]),
  },
  {
    id: 'cparam01',
    section: '3.3.12',
    what: 'a Contact header parameter with an unquoted URI-like value',
    bytes: wire(BASE('REGISTER', ['Contact: sip:+19725552222@gw1.example.net;unknownparam'], 'cparam01')),
  },
  {
    id: 'regescrt',
    section: '3.3.14',
    what: 'an escaped header inside a Contact URI in <>',
    bytes: wire(
      BASE('REGISTER', ['Contact: <sip:user2@host.example.com?Route=%3Csip:sip.example.com%3E>'], 'regescrt'),
    ),
  },
  {
    id: 'sdp01',
    section: '3.3.15',
    what: 'an Accept nobody offers (answered 406)',
    bytes: wire(
      BASE('INVITE', ['Contact: <sip:caller@host5.example.net>', 'Accept: text/nobodyKnowsThis'], 'sdp01'),
    ),
  },
  {
    id: 'inv2543',
    section: '3.4.1',
    what: 'RFC 2543 syntax: no Max-Forwards, no branch, unbracketed addresses',
    bytes: wire([
      'INVITE sip:UserB@example.com SIP/2.0',
      'Via: SIP/2.0/UDP iftgw.example.com',
      'From: <sip:+13035551111@ift.client.example.net;user=phone>',
      'Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>',
      'To: sip:+16505552222@ss1.example.net;user=phone',
      'Call-ID: inv2543.1717@ift.client.example.com',
      'CSeq: 56 INVITE',
      'Content-Type: application/sdp',
      'Content-Length: 0',
    ]),
  },
];

interface InvalidCase {
  readonly id: string;
  readonly section: string;
  readonly what: string;
  readonly bytes: Uint8Array;
  readonly code: SipErrorCode;
  readonly status: number;
  /** Words the fault's message must contain, so the Warning tells the sender what to fix. */
  readonly says: RegExp;
}

const REQ = (lines: readonly string[]) => wire(lines);

const INVALID: InvalidCase[] = [
  {
    id: 'badinv01',
    section: '3.1.2.1',
    what: 'empty list elements and empty parameters in Via',
    code: 'SIP_ERR_HEADER_SYNTAX',
    status: 400,
    says: /Via/,
    bytes: REQ(
      BASE('INVITE', [], 'badinv01').map((l) =>
        l.startsWith('Via') ? 'Via: SIP/2.0/UDP 192.0.2.15;;,;,,' : l,
      ),
    ),
  },
  {
    id: 'clerr',
    section: '3.1.2.2',
    what: 'Content-Length larger than the datagram',
    code: 'SIP_ERR_CONTENT_LENGTH',
    status: 400,
    says: /Content-Length 9999/,
    bytes: wire(
      BASE('INVITE', [], 'clerr').map((l) => (l.startsWith('Content-Length') ? 'Content-Length: 9999' : l)),
      'v=0\r\n',
    ),
  },
  {
    id: 'ncl',
    section: '3.1.2.3',
    what: 'a negative Content-Length',
    code: 'SIP_ERR_HEADER_SYNTAX',
    status: 400,
    says: /Content-Length/,
    bytes: REQ(
      BASE('INVITE', [], 'ncl').map((l) => (l.startsWith('Content-Length') ? 'Content-Length: -999' : l)),
    ),
  },
  {
    id: 'scalar02',
    section: '3.1.2.4',
    what: 'request scalars too large: CSeq, Max-Forwards, Expires',
    code: 'SIP_ERR_HEADER_SYNTAX',
    status: 400,
    says: /CSeq|Max-Forwards|Expires/,
    bytes: REQ([
      'REGISTER sip:example.com SIP/2.0',
      'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3',
      'To: <sip:user@example.com>',
      'From: <sip:user@example.com>;tag=239232jh3',
      'CSeq: 36893488147419103232 REGISTER',
      'Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32',
      'Max-Forwards: 300',
      'Expires: 1000000000000000000000000000000000000000',
      'Contact: <sip:user@host129.example.com>;expires=280297596632815',
      'Content-Length: 0',
    ]),
  },
  {
    id: 'scalarlg',
    section: '3.1.2.5',
    what: 'response scalars too large: Retry-After, a 4-digit Warning code',
    code: 'SIP_ERR_HEADER_SYNTAX',
    status: 400,
    says: /CSeq|Retry-After|Warning/,
    bytes: REQ([
      'SIP/2.0 503 Service Unavailable',
      'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129',
      'To: <sip:user@example.com>',
      'From: <sip:other@example.net>;tag=2easdjfejw',
      'CSeq: 9292394834772304023312 OPTIONS',
      'Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r',
      'Retry-After: 949302838503028349304023988',
      'Warning: 1812 overture "In Progress"',
      'Content-Length: 0',
    ]),
  },
  {
    id: 'quotbal',
    section: '3.1.2.6',
    what: 'an unterminated quoted display name',
    code: 'SIP_ERR_HEADER_SYNTAX',
    status: 400,
    says: /unterminated/,
    bytes: REQ(
      BASE('INVITE', [], 'quotbal').map((l) =>
        l.startsWith('From') ? 'From: "Bell, Alexander <sip:a.g.bell@example.com>;tag=43' : l,
      ),
    ),
  },
  {
    id: 'ltgtruri',
    section: '3.1.2.7',
    what: 'the Request-URI enclosed in <>',
    code: 'SIP_ERR_START_LINE',
    status: 400,
    says: /<>/,
    bytes: REQ(
      BASE('INVITE', [], 'ltgtruri').map((l, i) => (i === 0 ? 'INVITE <sip:user@example.com> SIP/2.0' : l)),
    ),
  },
  {
    id: 'lwsruri',
    section: '3.1.2.8',
    what: 'whitespace inside the Request-URI',
    code: 'SIP_ERR_START_LINE',
    status: 400,
    says: /single spaces/,
    bytes: REQ(
      BASE('INVITE', [], 'lwsruri').map((l, i) => (i === 0 ? 'INVITE sip:user@example.com; lr SIP/2.0' : l)),
    ),
  },
  {
    id: 'lwsstart',
    section: '3.1.2.9',
    what: 'several spaces between the request-line elements',
    code: 'SIP_ERR_START_LINE',
    status: 400,
    says: /single spaces/,
    bytes: REQ(
      BASE('INVITE', [], 'lwsstart').map((l, i) => (i === 0 ? 'INVITE  sip:user@example.com  SIP/2.0' : l)),
    ),
  },
  {
    id: 'trws',
    section: '3.1.2.10',
    what: 'spaces after SIP/2.0 at the end of the request line',
    code: 'SIP_ERR_START_LINE',
    status: 400,
    says: /nothing after/,
    bytes: REQ(
      BASE('OPTIONS', [], 'trws').map((l, i) =>
        i === 0 ? 'OPTIONS sip:remote-target@example.com SIP/2.0  ' : l,
      ),
    ),
  },
  {
    id: 'escruri',
    section: '3.1.2.11',
    what: 'escaped headers in a SIP Request-URI',
    code: 'SIP_ERR_START_LINE',
    status: 400,
    says: /headers/,
    bytes: REQ(
      BASE('INVITE', [], 'escruri').map((l, i) =>
        i === 0 ? 'INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0' : l,
      ),
    ),
  },
  {
    id: 'baddate',
    section: '3.1.2.12',
    what: 'a Date in a time zone other than GMT',
    code: 'SIP_ERR_HEADER_SYNTAX',
    status: 400,
    says: /GMT/,
    bytes: REQ(BASE('INVITE', ['Date: Fri, 01 Jan 2010 16:00:00 EST'], 'baddate')),
  },
  {
    id: 'regbadct',
    section: '3.1.2.13',
    what: 'a Contact URI with ? not enclosed in <>',
    code: 'SIP_ERR_HEADER_SYNTAX',
    status: 400,
    says: /enclosed in <>/,
    bytes: REQ(
      BASE('REGISTER', ['Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E'], 'regbadct'),
    ),
  },
  {
    id: 'badaspec',
    section: '3.1.2.14',
    what: 'whitespace inside the addr-spec in <>',
    code: 'SIP_ERR_HEADER_SYNTAX',
    status: 400,
    says: /whitespace/,
    bytes: REQ(
      BASE('OPTIONS', [], 'badaspec').map((l) =>
        l.startsWith('To') ? 'To: "Watson, Thomas" < sip:t.watson@example.org >' : l,
      ),
    ),
  },
  {
    id: 'baddn',
    section: '3.1.2.15',
    what: 'an unquoted display name with a comma',
    code: 'SIP_ERR_HEADER_SYNTAX',
    status: 400,
    says: /quote it/,
    bytes: REQ(
      BASE('OPTIONS', [], 'baddn').map((l) =>
        l.startsWith('From') ? 'From: Bell, Alexander <sip:a.g.bell@example.com>;tag=43' : l,
      ),
    ),
  },
  {
    id: 'badvers',
    section: '3.1.2.16',
    what: 'SIP/7.0 (answered 505)',
    code: 'SIP_ERR_VERSION',
    status: 505,
    says: /SIP\/7\.0/,
    bytes: REQ(
      BASE('OPTIONS', [], 'badvers').map((l, i) =>
        i === 0 ? 'OPTIONS sip:t.watson@example.org SIP/7.0' : l,
      ),
    ),
  },
  {
    id: 'mismatch01',
    section: '3.1.2.17',
    what: 'OPTIONS with CSeq method INVITE',
    code: 'SIP_ERR_CSEQ_MISMATCH',
    status: 400,
    says: /INVITE.*OPTIONS/,
    bytes: REQ(BASE('OPTIONS', [], 'mismatch01').map((l) => (l.startsWith('CSeq') ? 'CSeq: 8 INVITE' : l))),
  },
  {
    id: 'mismatch02',
    section: '3.1.2.18',
    what: 'an unknown method with CSeq method INVITE',
    code: 'SIP_ERR_CSEQ_MISMATCH',
    status: 400,
    says: /NEWMETHOD/,
    bytes: REQ(BASE('NEWMETHOD', [], 'mismatch02').map((l) => (l.startsWith('CSeq') ? 'CSeq: 8 INVITE' : l))),
  },
  {
    id: 'bigcode',
    section: '3.1.2.19',
    what: 'a status code of 4294967301',
    code: 'SIP_ERR_START_LINE',
    status: 400,
    says: /3-digit/,
    bytes: REQ([
      'SIP/2.0 4294967301 better not break the receiver',
      'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
      'Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i',
      'CSeq: 353494 INVITE',
      'From: <sip:user@example.com>;tag=39ansfi3',
      'To: <sip:user@example.edu>;tag=902jndnke3',
      'Content-Length: 0',
    ]),
  },
  {
    id: 'insuf',
    section: '3.3.1',
    what: 'Call-ID, From and To missing',
    code: 'SIP_ERR_MISSING_HEADER',
    status: 400,
    says: /From, To, Call-ID/,
    bytes: REQ([
      'INVITE sip:user@example.com SIP/2.0',
      'CSeq: 193942 INVITE',
      'Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf',
      'Content-Type: application/sdp',
      'l: 0',
    ]),
  },
  {
    id: 'multi01',
    section: '3.3.8',
    what: 'a second To header',
    code: 'SIP_ERR_DUPLICATE_HEADER',
    status: 400,
    says: /From|To/,
    bytes: REQ([...BASE('INVITE', ['To: sip:user@example.com'], 'multi01')]),
  },
  {
    id: 'mcl01',
    section: '3.3.9',
    what: 'two Content-Length values',
    code: 'SIP_ERR_DUPLICATE_HEADER',
    status: 400,
    says: /Content-Length/,
    bytes: REQ(BASE('OPTIONS', ['l: 11'], 'mcl01')),
  },
];

describe('RFC 4475 valid messages parse, and expose what the RFC says a parser must read', () => {
  it.each(VALID)('$section $id: $what', ({ bytes, check }) => {
    const result = parseSipDatagram(bytes);
    if (!result.ok) throw new Error(`refused: ${result.fault.code} ${result.fault.message}`);
    check(result.message, result.trailingBytes);
  });

  it.each(SEMANTIC_VALID)('$section $id: $what', ({ bytes }) => {
    const result = parseSipDatagram(bytes);
    expect(result.ok ? 'parsed' : `${result.fault.code}: ${result.fault.message}`).toBe('parsed');
  });
});

describe('RFC 4475 invalid messages are refused with a fault naming the defect', () => {
  it.each(INVALID)('$section $id: $what → $code', ({ bytes, code, status, says }) => {
    const result = parseSipDatagram(bytes);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fault.code).toBe(code);
    expect(result.fault.status).toBe(status);
    expect(result.fault.message).toMatch(says);
    expect(result.fault.message).not.toMatch(/["\r\n]/);
  });

  it('keeps the readable headers of a refused request, so the 400 can copy Via, From, To, Call-ID, CSeq', () => {
    const result = parseSipDatagram(INVALID.find((c) => c.id === 'baddate')?.bytes ?? new Uint8Array());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.partial.method).toBe('INVITE');
    expect(result.partial.headers?.map((h) => h.name)).toEqual(
      expect.arrayContaining(['Via', 'From', 'To', 'Call-ID', 'CSeq']),
    );
  });

  it('counts: every torture case of the table ran', () => {
    expect(VALID.length + SEMANTIC_VALID.length + INVALID.length).toBe(13 + 13 + 22);
  });
});

describe('answering what the parser refused', () => {
  it('a refused request gets its status, a To tag and a Warning naming the defect; a response or an ACK gets nothing', () => {
    const bad = INVALID.find((c) => c.id === 'badvers')?.bytes ?? new Uint8Array();
    const answer = answerToUnparsable(parseSipDatagram(bad), 'callrec-srs', 'srs-1');
    expect(answer && [answer.status, answer.reason]).toEqual([505, 'Version Not Supported']);
    expect(answer && headerValue(answer, 'Warning')).toBe(
      '399 callrec-srs "SIP/7.0 is not supported; use SIP/2.0"',
    );
    expect(answer && headerValue(answer, 'To')).toBe('<sip:j.user@example.com>;tag=srs-1');
    expect(answer && headerValue(answer, 'Call-ID')).toBe('badvers@192.0.2.2');
    const response = INVALID.find((c) => c.id === 'bigcode')?.bytes ?? new Uint8Array();
    expect(answerToUnparsable(parseSipDatagram(response), 'callrec-srs')).toBeUndefined();
    const insuf = INVALID.find((c) => c.id === 'insuf')?.bytes ?? new Uint8Array();
    expect(answerToUnparsable(parseSipDatagram(insuf), 'callrec-srs')).toBeUndefined();
  });
});

describe('a SIPp-style message (as SIPp writes its default UAC INVITE and a SIPREC scenario would)', () => {
  it('parses the padded Content-Length of [len], a token display name and an unbracketed Contact with ;src', () => {
    const sdp =
      'v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
    const bytes = wire(
      [
        'INVITE sip:service@127.0.0.1:5060 SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4180-1-0',
        'From: sipp <sip:sipp@127.0.0.1:5061>;tag=4180SIPpTag001',
        'To: service <sip:service@127.0.0.1:5060>',
        'Call-ID: 1-4180@127.0.0.1',
        'CSeq: 1 INVITE',
        'Contact: sip:sipp@127.0.0.1:5061;src',
        'Max-Forwards: 70',
        'Subject: Performance Test',
        'Content-Type: application/sdp',
        `Content-Length:   ${len(sdp)}`,
      ],
      sdp,
    );
    const r = parseSipDatagram(bytes);
    if (!r.ok) throw new Error(r.fault.message);
    expect(headerValue(r.message, 'Content-Length')).toBe(String(len(sdp)));
    const contact = parseNameAddr(headerValue(r.message, 'Contact') ?? '', 'Contact');
    expect(contact.ok && contact.value).toEqual({
      uri: 'sip:sipp@127.0.0.1:5061',
      params: [{ name: 'src' }],
    });
    expect(bodyText(r.message)).toBe(sdp);
  });
});
