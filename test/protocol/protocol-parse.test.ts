/** Pure protocol functions, no sockets: positions, control-message parsing, seq rule, media frames, RTP. */
import { describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket } from 'werift-rtp';
import { decodeMediaFrame, encodeMediaFrame } from '../../src/protocol/media-frame.ts';
import { checkMediaOffer } from '../../src/protocol/media-offer.ts';
import {
  checkSeq,
  clientMessage,
  encodeMessage,
  parseClientText,
  parseServerText,
  serverMessage,
} from '../../src/protocol/parse-message.ts';
import { formatPosition, parsePositionMs } from '../../src/protocol/position.ts';
import { buildRtpPacket, parseRtpHeader } from '../../src/protocol/rtp-header.ts';
import { extendSequence, timestampDelta } from '../../src/protocol/rtp-sequence.ts';
import { openMessageText, openParameters } from '../harness/open-message.ts';

const openText = (envelope: Record<string, unknown> = {}) =>
  openMessageText(
    'rec-1',
    openParameters({ remote: { type: 'pstn', address: '+420123456789' }, ssrcs: [1, 2] }),
    envelope,
  );

describe('positions ("PT12.34S", AudioHook)', () => {
  it.each([
    ['PT0S', 0],
    ['PT12.34S', 12_340],
    ['PT1.5S', 1_500],
    ['PT0.0005S', 1],
    ['PT3600S', 3_600_000],
  ])('%s is %i ms', (text, ms) => expect(parsePositionMs(text)).toBe(ms));

  it.each(['12.3', 'PT-1S', 'PT1M', 'P1S', 'PTS', 'PT1.S', ''])('rejects %j', (text) =>
    expect(parsePositionMs(text)).toBeUndefined(),
  );

  it('formats whole milliseconds and round-trips', () => {
    expect(formatPosition(12_340)).toBe('PT12.34S');
    expect(formatPosition(0)).toBe('PT0S');
    expect(formatPosition(7)).toBe('PT0.007S');
    for (const ms of [0, 1, 20, 999, 1000, 123_456_789]) expect(parsePositionMs(formatPosition(ms))).toBe(ms);
  });
});

describe('parseClientText', () => {
  it('accepts an open with a media offer of two streams (S32) and the dub.point (S33)', () => {
    const result = parseClientText(openText());
    expect(result.ok).toBe(true);
    if (result.ok && result.message.type === 'open') {
      expect(result.message.parameters.media.streams).toHaveLength(2);
      expect(result.message.parameters.dubPoint.externalType).toBe('BroadWorks');
      expect(result.positionMs).toBe(0);
    }
  });

  it('fills defaults (announcement sound, close reason, empty parameters)', () => {
    const a = parseClientText(
      JSON.stringify({
        version: '1',
        id: 'r',
        type: 'announcement',
        seq: 2,
        position: 'PT1S',
        parameters: { kind: 'pause' },
      }),
    );
    expect(a.ok && a.message.type === 'announcement' && a.message.parameters.sound).toBe('announcement');
    const c = parseClientText(
      JSON.stringify({ version: '1', id: 'r', type: 'close', seq: 3, position: 'PT2S' }),
    );
    expect(c.ok && c.message.type === 'close' && c.message.parameters.reason).toBe('end');
  });

  it.each([
    ['not JSON', '{nope', 'SINK_ERR_MALFORMED_JSON'],
    ['a JSON array', '[1,2]', 'SINK_ERR_MALFORMED_JSON'],
    ['wrong version', openText({ version: '2' }), 'SINK_ERR_UNSUPPORTED_VERSION'],
    [
      'missing version',
      JSON.stringify({ id: 'r', type: 'ping', seq: 1, position: 'PT0S' }),
      'SINK_ERR_UNSUPPORTED_VERSION',
    ],
    ['seq 0', openText({ seq: 0 }), 'SINK_ERR_INVALID_MESSAGE'],
    ['seq as text', openText({ seq: '1' }), 'SINK_ERR_INVALID_MESSAGE'],
    ['bad id', openText({ id: '../etc' }), 'SINK_ERR_INVALID_MESSAGE'],
    ['bad position', openText({ position: '12' }), 'SINK_ERR_INVALID_MESSAGE'],
    ['unknown type', openText({ type: 'update' }), 'SINK_ERR_UNKNOWN_TYPE'],
    ['open without dub.point', openText({ parameters: { orgId: 'acme' } }), 'SINK_ERR_INVALID_MESSAGE'],
    [
      'announcement of kind failure (not reported to Dubber, S26)',
      JSON.stringify({
        version: '1',
        id: 'r',
        type: 'announcement',
        seq: 2,
        position: 'PT0S',
        parameters: { kind: 'failure' },
      }),
      'SINK_ERR_INVALID_MESSAGE',
    ],
  ])('%s → %s', (_label, text, code) => {
    const result = parseClientText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fault.code).toBe(code);
  });

  it('reports the seq of an unknown type so the session can still count it', () => {
    const result = parseClientText(openText({ type: 'update', seq: 7 }));
    expect(result).toMatchObject({ ok: false, seq: 7, fault: { code: 'SINK_ERR_UNKNOWN_TYPE' } });
  });

  it('round-trips every message the client encoder builds', () => {
    const msg = clientMessage('tone', { id: 'rec-9', seq: 4, positionMs: 20_000, parameters: { index: 1 } });
    const parsed = parseClientText(encodeMessage(msg));
    expect(parsed).toMatchObject({ ok: true, positionMs: 20_000, message: msg });
  });
});

describe('server messages', () => {
  it('round-trip and validate on the client side', () => {
    const msg = serverMessage('checkpoint', {
      id: 'r',
      seq: 3,
      clientseq: 9,
      positionMs: 1500,
      parameters: { frames: 4, packets: 8 },
    });
    expect(parseServerText(encodeMessage(msg))).toMatchObject({ ok: true, message: msg });
    expect(parseServerText('{"type":"checkpoint"}').ok).toBe(false);
  });
});

describe('checkSeq: monotonic from 1, each side checks the other', () => {
  it('accepts only last + 1', () => {
    expect(checkSeq(0, 1)).toBeUndefined();
    expect(checkSeq(4, 5)).toBeUndefined();
    expect(checkSeq(4, 4)?.message).toContain('duplicate');
    expect(checkSeq(4, 2)?.message).toContain('regression');
    expect(checkSeq(4, 9)?.message).toContain('gap');
    expect(checkSeq(4, 4)?.code).toBe('SINK_ERR_SEQ');
  });
});

describe('media offer', () => {
  const offer = (
    format: string,
    rate: number,
    streams = [
      { ssrc: 1, label: 1 },
      { ssrc: 2, label: 2 },
    ],
  ) => ({ format, rate, streams });
  it('accepts PCMU and PCMA at 8000 Hz with labels 1 and 2', () => {
    expect(checkMediaOffer(offer('PCMU', 8000))).toBeUndefined();
    expect(checkMediaOffer(offer('PCMA', 8000))).toBeUndefined();
  });
  it.each([
    ['opus', offer('opus', 8000)],
    ['16 kHz', offer('PCMU', 16000)],
    ['one stream', offer('PCMU', 8000, [{ ssrc: 1, label: 1 }])],
    [
      'same SSRC twice',
      offer('PCMU', 8000, [
        { ssrc: 1, label: 1 },
        { ssrc: 1, label: 2 },
      ]),
    ],
    [
      'labels 1 and 1',
      offer('PCMU', 8000, [
        { ssrc: 1, label: 1 },
        { ssrc: 2, label: 1 },
      ]),
    ],
  ])('refuses %s', (_label, media) =>
    expect(checkMediaOffer(media)?.code).toBe('SINK_ERR_UNSUPPORTED_MEDIA'),
  );
});

describe('binary media frames (length-prefixed RTP packets)', () => {
  it('encodes and decodes a batch without copying', () => {
    const packets = [new Uint8Array([1, 2, 3]), new Uint8Array(172).fill(9)];
    const decoded = decodeMediaFrame(encodeMediaFrame(packets));
    expect(decoded.ok && decoded.packets.map((p) => [...p])).toEqual(packets.map((p) => [...p]));
  });
  it.each([
    ['empty', new Uint8Array(0)],
    ['half a length prefix', new Uint8Array([0])],
    ['length beyond the end', new Uint8Array([0, 5, 1, 2])],
    ['zero-length packet', new Uint8Array([0, 0])],
  ])('refuses %s', (_label, frame) => {
    const decoded = decodeMediaFrame(frame);
    expect(!decoded.ok && decoded.fault.code).toBe('SINK_ERR_BAD_FRAME');
  });
});

describe('RTP header', () => {
  it('parses our packets exactly as werift-rtp does (independent cross-check)', () => {
    const packet = buildRtpPacket({
      payloadType: 8,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      marker: true,
      payload: new Uint8Array(160).fill(0xd5),
    });
    const ours = parseRtpHeader(packet);
    const theirs = RtpPacket.deSerialize(Buffer.from(packet));
    expect(ours).toMatchObject({
      ok: true,
      payloadType: theirs.header.payloadType,
      sequenceNumber: theirs.header.sequenceNumber,
      timestamp: theirs.header.timestamp,
      ssrc: theirs.header.ssrc,
      marker: theirs.header.marker,
      payloadLength: theirs.payload.length,
    });
  });

  it('skips CSRCs and a header extension written by werift-rtp', () => {
    const header = new RtpHeader({
      payloadType: 0,
      sequenceNumber: 7,
      timestamp: 1234,
      ssrc: 42,
      csrc: [1, 2],
      csrcLength: 2,
      extension: true,
      extensionProfile: 0xbede,
      extensions: [{ id: 1, payload: Buffer.from([9, 9]) }],
    });
    const packet = new RtpPacket(header, Buffer.alloc(160, 0x7f)).serialize();
    const parsed = parseRtpHeader(packet);
    expect(parsed.ok && parsed.payloadLength).toBe(160);
    expect(parsed.ok && packet[parsed.payloadOffset]).toBe(0x7f);
  });

  it.each([
    ['too short', new Uint8Array(11)],
    ['version 1', new Uint8Array(12).fill(0x40, 0, 1)],
    ['truncated extension', Uint8Array.from([0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1])],
    ['padding longer than the packet', Uint8Array.from([0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 200])],
  ])('refuses %s', (_label, packet) => expect(parseRtpHeader(packet).ok).toBe(false));
});

describe('extended sequence numbers', () => {
  it('counts wraps and places reordered packets just before the highest', () => {
    expect(extendSequence(undefined, 65535)).toBe(65535);
    expect(extendSequence(65535, 0)).toBe(65536);
    expect(extendSequence(65536, 65534)).toBe(65534);
    expect(extendSequence(3 * 65536 + 10, 20)).toBe(3 * 65536 + 20);
    let highest: number | undefined;
    for (let i = 0; i < 200_000; i += 1)
      highest = Math.max(highest ?? 0, extendSequence(highest, i & 0xffff));
    expect(highest).toBe(199_999);
  });
  it('gives signed timestamp deltas across the 32-bit wrap', () => {
    expect(timestampDelta(100, 0xffffff00)).toBe(356);
    expect(timestampDelta(0, 160)).toBe(-160);
  });
});
