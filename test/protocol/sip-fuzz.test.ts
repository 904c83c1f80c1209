/**
 * Fuzzing the SIP parser with a pinned seed (fast-check prints seed and path of any failure, which replay
 * it): it never throws on any bytes, only returns faults of its own codes; every message it can be given
 * round-trips (parse(serialise(m)) equals m); a TCP stream cut at any points yields the same messages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSipStreamReader, parseSipDatagram } from '../../src/protocol/sip/parse-sip.ts';
import { serialiseSip } from '../../src/protocol/sip/serialise-sip.ts';
import { isSipErrorCode } from '../../src/protocol/sip/sip-errors.ts';
import { type SipMessage, sipRequest, sipResponse } from '../../src/protocol/sip/sip-message.ts';

const FUZZ_SEED = 32_614_475;
const enc = new TextEncoder();

const token = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~]{1,12}$/);
const headerText = fc
  .string({ unit: 'grapheme', maxLength: 40 })
  .map((s) => s.replace(/[\r\n]/g, ' ').trim());

const coreHeaders = fc
  .record({
    branch: token,
    host: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}\.example\.com$/),
    port: fc.integer({ min: 1, max: 65_535 }),
    fromTag: token,
    toTag: fc.option(token, { nil: undefined }),
    callId: fc.stringMatching(/^[A-Za-z0-9.@-]{1,30}$/),
    seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    display: fc.option(headerText, { nil: undefined }),
  })
  .map((h) => ({
    via: `SIP/2.0/UDP ${h.host}:${h.port};branch=z9hG4bK${h.branch}`,
    from: `${h.display === undefined ? '' : `"${h.display.replace(/["\\]/g, (c) => `\\${c}`)}" `}<sip:alice@${h.host}>;tag=${h.fromTag}`,
    to: `<sip:bob@example.org>${h.toTag === undefined ? '' : `;tag=${h.toTag}`}`,
    callId: h.callId,
    seq: h.seq,
  }));

const extensionHeaders = fc.array(fc.record({ name: token.map((t) => `X-${t}`), value: headerText }), {
  maxLength: 6,
});
const body = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  headerText.map((s) => enc.encode(s)),
);

const validMessage: fc.Arbitrary<SipMessage> = fc
  .record({
    request: fc.boolean(),
    method: fc.oneof(fc.constantFrom('INVITE', 'ACK', 'BYE', 'OPTIONS', 'INFO'), token),
    status: fc.integer({ min: 100, max: 699 }),
    reason: headerText,
    core: coreHeaders,
    extra: extensionHeaders,
    body,
  })
  .map(({ request, method, status, reason, core, extra, body }) => {
    const headers = [
      { name: 'Via', value: core.via },
      { name: 'From', value: core.from },
      { name: 'To', value: core.to },
      { name: 'Call-ID', value: core.callId },
      { name: 'CSeq', value: `${core.seq} ${method}` },
      { name: 'Max-Forwards', value: '70' },
      ...extra,
    ];
    return request
      ? sipRequest({ method, uri: 'sip:bob@example.org;transport=udp', headers, body })
      : sipResponse({ status, reason, headers, body });
  });

function sample(): Uint8Array {
  return serialiseSip(
    sipRequest({
      method: 'INVITE',
      uri: 'sip:srs@127.0.0.1:5060',
      headers: [
        { name: 'Via', value: 'SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1' },
        { name: 'From', value: '<sip:src@127.0.0.1>;tag=a' },
        { name: 'To', value: '<sip:srs@127.0.0.1>' },
        { name: 'Call-ID', value: 'fuzz@127.0.0.1' },
        { name: 'CSeq', value: '1 INVITE' },
        { name: 'Contact', value: '<sip:src@127.0.0.1:5070>;+sip.src' },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      body: 'v=0\r\n',
    }),
  );
}

describe('SIP parser fuzzing (pinned seed)', () => {
  it('never throws on arbitrary bytes and names only its own fault codes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = parseSipDatagram(bytes);
        if (!r.ok) expect(isSipErrorCode(r.fault.code)).toBe(true);
      }),
      { seed: FUZZ_SEED, numRuns: 3000 },
    );
  });

  it('never throws on a valid INVITE with random bytes changed, inserted or cut', () => {
    const base = sample();
    const edit = fc.record({
      at: fc.nat({ max: base.length }),
      remove: fc.nat({ max: 8 }),
      insert: fc.uint8Array({ maxLength: 8 }),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        let bytes = base;
        for (const e of edits) {
          const at = Math.min(e.at, bytes.length);
          const next = new Uint8Array(bytes.length - Math.min(e.remove, bytes.length - at) + e.insert.length);
          next.set(bytes.subarray(0, at), 0);
          next.set(e.insert, at);
          next.set(bytes.subarray(at + e.remove), at + e.insert.length);
          bytes = next;
        }
        const r = parseSipDatagram(bytes);
        if (!r.ok) expect(isSipErrorCode(r.fault.code)).toBe(true);
        const stream = createSipStreamReader();
        for (const item of stream.push(bytes))
          if (!item.ok) expect(isSipErrorCode(item.fault.code)).toBe(true);
      }),
      { seed: FUZZ_SEED, numRuns: 3000 },
    );
  });

  it('round-trips: parse(serialise(m)) equals m, for requests and responses', () => {
    fc.assert(
      fc.property(validMessage, (m) => {
        const r = parseSipDatagram(serialiseSip(m));
        expect(r.ok ? r.message : r.fault).toEqual(m);
      }),
      { seed: FUZZ_SEED, numRuns: 2000 },
    );
  });

  it('a TCP stream cut anywhere yields the same messages in order', () => {
    fc.assert(
      fc.property(
        fc.array(validMessage, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        (messages, cuts, keepAlives) => {
          const parts = messages.map(serialiseSip);
          const all = new Uint8Array(parts.reduce((n, p) => n + p.length + (keepAlives ? 4 : 0), 0));
          let offset = 0;
          for (const p of parts) {
            if (keepAlives) {
              all.set(enc.encode('\r\n\r\n'), offset);
              offset += 4;
            }
            all.set(p, offset);
            offset += p.length;
          }
          const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
          const reader = createSipStreamReader();
          const got: unknown[] = [];
          let from = 0;
          for (const point of [...points, all.length]) {
            for (const item of reader.push(all.subarray(from, point)))
              got.push(item.ok ? item.message : item.fault);
            from = point;
          }
          expect(got).toEqual(messages);
          expect(reader.bufferedBytes()).toBe(0);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 500 },
    );
  });
});

describe('stream framing', () => {
  const head = (contentLength: string | undefined) =>
    enc.encode(
      [
        'OPTIONS sip:srs@127.0.0.1 SIP/2.0',
        'Via: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK2',
        'From: <sip:src@127.0.0.1>;tag=a',
        'To: <sip:srs@127.0.0.1>',
        'Call-ID: frame@127.0.0.1',
        'CSeq: 2 OPTIONS',
        ...(contentLength === undefined ? [] : [`Content-Length: ${contentLength}`]),
        '',
        '',
      ].join('\r\n'),
    );

  it('refuses a message without Content-Length and stops reading the stream (framing is lost)', () => {
    const reader = createSipStreamReader();
    const items = reader.push(head(undefined));
    expect(items).toHaveLength(1);
    expect(items[0]?.ok === false && [items[0].fault.code, items[0].fatal]).toEqual([
      'SIP_ERR_CONTENT_LENGTH',
      true,
    ]);
    expect(reader.broken).toBe(true);
    expect(reader.push(head('0'))).toEqual([]);
  });

  it('reports a bad header but keeps reading when Content-Length still frames the message', () => {
    const reader = createSipStreamReader();
    const bad = new TextDecoder().decode(head('0')).replace('CSeq: 2 OPTIONS', 'CSeq: 2 INVITE');
    const items = reader.push(new Uint8Array([...enc.encode(bad), ...head('0')]));
    expect(items.map((i) => (i.ok ? 'message' : `${i.fault.code} fatal=${i.fatal}`))).toEqual([
      'SIP_ERR_CSEQ_MISMATCH fatal=false',
      'message',
    ]);
  });

  it('refuses a message over the size limit with 513 without buffering it', () => {
    const reader = createSipStreamReader({ maxMessageBytes: 1000, maxHeaderBytes: 500, maxHeaderCount: 50 });
    const items = reader.push(head('5000'));
    expect(items[0]?.ok === false && [items[0].fault.code, items[0].fault.status]).toEqual([
      'SIP_ERR_TOO_LARGE',
      513,
    ]);
    const endless = createSipStreamReader({ maxMessageBytes: 1000, maxHeaderBytes: 500, maxHeaderCount: 50 });
    expect(endless.push(enc.encode(`OPTIONS sip:a@b SIP/2.0\r\nX-Long: ${'a'.repeat(600)}`))[0]?.ok).toBe(
      false,
    );
    expect(endless.bufferedBytes()).toBe(0);
  });

  it('refuses a bare LF inside the header section (it would smuggle a header past a CRLF-based reader)', () => {
    const text = new TextDecoder()
      .decode(head('0'))
      .replace('CSeq: 2 OPTIONS', 'CSeq: 2 OPTIONS\nX-Injected: 1');
    expect(parseSipDatagram(enc.encode(text))).toMatchObject({
      ok: false,
      fault: { code: 'SIP_ERR_HEADER_SYNTAX' },
    });
  });

  it('refuses an oversized datagram with 513 and too many header lines', () => {
    expect(parseSipDatagram(new Uint8Array(70_000))).toMatchObject({ ok: false, fault: { status: 513 } });
    const many = new TextDecoder().decode(head('0')).replace('CSeq', `${'X-A: 1\r\n'.repeat(300)}CSeq`);
    expect(parseSipDatagram(enc.encode(many))).toMatchObject({
      ok: false,
      fault: { code: 'SIP_ERR_TOO_LARGE' },
    });
  });

  it('waits for the body of a message split between header and body', () => {
    const reader = createSipStreamReader();
    expect(reader.push(head('4'))).toEqual([]);
    const items = reader.push(enc.encode('abcd'));
    expect(items[0]?.ok && new TextDecoder().decode(items[0].message.body)).toBe('abcd');
  });
});
