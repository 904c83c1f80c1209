/**
 * SDP offer/answer for recording sessions (RFC 7866 §8.1, RFC 3264), written and read with sdp-transform.
 * The SRC offers one `sendonly` audio m-line per recorded stream — BroadWorks: `a=label:1` the recorded
 * user, `a=label:2` the other party — with PCMU/PCMA at `a=ptime:20` in the user's configured order; a
 * pause is the same offer with `a=inactive` and a higher `o=` version. The SRS answers `recvonly` (or
 * `inactive`, mirrored) per label with the first offered codec it records. The one-m-line mixed shape is
 * accepted and reported as such.
 */
import * as sdpTransform from 'sdp-transform';
import { SimError } from '../../errors.ts';
import { faultResult, okResult, type SiprecResult } from './siprec-errors.ts';

export type RecordingCodec = 'PCMU' | 'PCMA';
export const RECORDING_CODECS: readonly RecordingCodec[] = ['PCMU', 'PCMA'];
/** RFC 3551 static payload types. */
export const CODEC_PAYLOAD_TYPE: Readonly<Record<RecordingCodec, number>> = { PCMU: 0, PCMA: 8 };
const STATIC_NAMES: Readonly<Record<number, string>> = { 0: 'PCMU', 8: 'PCMA', 9: 'G722', 18: 'G729' };
export const PTIME_MS = 20;

export type StreamDirection = 'sendonly' | 'recvonly' | 'sendrecv' | 'inactive';

export interface SdpCodec {
  readonly payloadType: number;
  /** Upper-cased encoding name (from a=rtpmap, or the static table). */
  readonly name: string;
  readonly rateHz: number;
}

export interface SdpStream {
  readonly label: string;
  readonly address: string;
  readonly port: number;
  readonly direction: StreamDirection;
  /** In the order offered. */
  readonly codecs: readonly SdpCodec[];
  readonly ptimeMs?: number;
}

export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly version: number;
  readonly address: string;
}

export interface RecordingSdp {
  readonly origin: SdpOrigin;
  readonly streams: readonly SdpStream[];
  /** `two-streams`: one m-line per party (S32); `mixed`: one m-line carrying both. */
  readonly shape: 'two-streams' | 'mixed';
}

export interface OfferStreamSpec {
  readonly label: string;
  readonly port: number;
}

export interface RecordingOfferSpec {
  readonly origin: SdpOrigin;
  readonly streams: readonly OfferStreamSpec[];
  /** The user's configured order; the SRS takes the first it supports. */
  readonly codecs: readonly RecordingCodec[];
  /** `inactive` while paused. */
  readonly direction: 'sendonly' | 'inactive';
}

type Media = sdpTransform.MediaDescription;

function ipVersion(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4;
}

function session(origin: SdpOrigin, media: Media[]): sdpTransform.SessionDescription {
  return {
    version: 0,
    origin: {
      username: origin.username,
      sessionId: origin.sessionId,
      sessionVersion: origin.version,
      netType: 'IN',
      ipVer: ipVersion(origin.address),
      address: origin.address,
    },
    name: '-',
    connection: { version: ipVersion(origin.address), ip: origin.address },
    timing: { start: 0, stop: 0 },
    media,
  };
}

function audio(
  port: number,
  codecs: readonly RecordingCodec[],
  label: string,
  direction: StreamDirection,
): Media {
  return {
    type: 'audio',
    port,
    protocol: 'RTP/AVP',
    payloads: codecs.map((c) => CODEC_PAYLOAD_TYPE[c]).join(' '),
    rtp: codecs.map((c) => ({ payload: CODEC_PAYLOAD_TYPE[c], codec: c, rate: 8000 })),
    fmtp: [],
    ptime: PTIME_MS,
    direction,
    label,
  };
}

export function buildRecordingOffer(spec: RecordingOfferSpec): string {
  if (spec.codecs.length === 0) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      'A recording offer needs at least one codec (PCMU or PCMA).',
    );
  }
  return sdpTransform.write(
    session(
      spec.origin,
      spec.streams.map((s) => audio(s.port, spec.codecs, s.label, spec.direction)),
    ),
  );
}

const ORIGIN_RE = /^o=(\S+) (\S+) (\d+) IN IP[46] (\S+)\s*$/m;

/** Reads an SRC's offer (or an SRS's answer): every audio m-line needs a port, a connection and a label. */
export function parseRecordingSdp(text: string): SiprecResult<RecordingSdp> {
  if (!/^v=0\s*$/m.test(text)) return faultResult('SIPREC_ERR_SDP', 'The SDP has no v=0 line');
  const o = ORIGIN_RE.exec(text);
  if (o === null) return faultResult('SIPREC_ERR_SDP', 'The SDP has no valid o= line');
  let parsed: sdpTransform.SessionDescription;
  try {
    parsed = sdpTransform.parse(text);
  } catch {
    return faultResult('SIPREC_ERR_SDP', 'The SDP cannot be parsed');
  }
  const audioMedia = (parsed.media ?? []).filter((m) => m.type === 'audio');
  if (audioMedia.length === 0) return faultResult('SIPREC_ERR_SDP', 'The SDP has no audio m-line');
  if (audioMedia.length !== (parsed.media ?? []).length) {
    return faultResult('SIPREC_ERR_SDP', 'A recording session carries audio m-lines only');
  }
  if (audioMedia.length > 2) {
    return faultResult(
      'SIPREC_ERR_SDP',
      `${audioMedia.length} audio m-lines; a call is recorded as one mixed or two separate streams`,
    );
  }
  const streams: SdpStream[] = [];
  for (const [index, m] of audioMedia.entries()) {
    const n = index + 1;
    const label = m.label === undefined ? undefined : String(m.label).trim();
    if (label === undefined || label.length === 0) {
      return faultResult(
        'SIPREC_ERR_SDP',
        `Audio m-line ${n} has no a=label (RFC 7866 needs one per stream)`,
      );
    }
    if (streams.some((s) => s.label === label))
      return faultResult('SIPREC_ERR_SDP', `Label ${label} is used twice`);
    const address = m.connection?.ip ?? parsed.connection?.ip;
    if (address === undefined)
      return faultResult('SIPREC_ERR_SDP', `Audio m-line ${n} has no c= connection address`);
    if (!Number.isInteger(m.port) || m.port < 0 || m.port > 65_535) {
      return faultResult('SIPREC_ERR_SDP', `Audio m-line ${n} has no valid port`);
    }
    if (!/^RTP\/S?AVPF?$/.test(m.protocol ?? '')) {
      return faultResult('SIPREC_ERR_SDP', `Audio m-line ${n} uses ${m.protocol}; expected RTP/AVP`);
    }
    const direction = (m.direction ?? parsed.direction ?? 'sendrecv') as StreamDirection;
    const payloads = String(m.payloads ?? '')
      .trim()
      .split(/\s+/)
      .filter((p) => p.length > 0);
    if (payloads.length === 0 || payloads.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 127)) {
      return faultResult('SIPREC_ERR_SDP', `Audio m-line ${n} has no valid payload type list`);
    }
    const codecs = payloads.map((p): SdpCodec => {
      const payloadType = Number(p);
      const map = (m.rtp ?? []).find((r) => r.payload === payloadType);
      return {
        payloadType,
        name: String(map?.codec ?? STATIC_NAMES[payloadType] ?? `PT${payloadType}`).toUpperCase(),
        rateHz: Number(map?.rate ?? 8000),
      };
    });
    const stream = { label, address, port: m.port, direction, codecs };
    streams.push(m.ptime === undefined ? stream : { ...stream, ptimeMs: Number(m.ptime) });
  }
  return okResult({
    origin: {
      username: o[1] as string,
      sessionId: o[2] as string,
      version: Number(o[3]),
      address: o[4] as string,
    },
    streams,
    shape: streams.length === 2 ? 'two-streams' : 'mixed',
  });
}

/** The first offered codec the SRS records (the offerer's order wins, RFC 3264 §6.1). */
export function chooseCodec(
  stream: SdpStream,
  supported: readonly RecordingCodec[],
): RecordingCodec | undefined {
  for (const codec of stream.codecs) {
    const name = codec.name as RecordingCodec;
    if (supported.includes(name) && codec.rateHz === 8000) return name;
  }
  return undefined;
}

export interface RecordingAnswerSpec {
  readonly origin: SdpOrigin;
  /** The SRS's receive port for each label. */
  readonly ports: Readonly<Record<string, number>>;
  readonly supported: readonly RecordingCodec[];
}

export interface RecordingAnswer {
  readonly sdp: string;
  readonly streams: readonly {
    readonly label: string;
    readonly codec: RecordingCodec;
    readonly direction: StreamDirection;
  }[];
}

/** `recvonly` per offered label (`inactive` mirrored), with the codec chosen for each. */
export function buildRecordingAnswer(
  offer: RecordingSdp,
  spec: RecordingAnswerSpec,
): SiprecResult<RecordingAnswer> {
  const chosen: { label: string; codec: RecordingCodec; direction: StreamDirection }[] = [];
  const media: Media[] = [];
  for (const stream of offer.streams) {
    const codec = chooseCodec(stream, spec.supported);
    if (codec === undefined) {
      return faultResult(
        'SIPREC_ERR_NO_CODEC',
        `Stream ${stream.label} offers ${stream.codecs.map((c) => c.name).join(', ')}; this recorder takes ${spec.supported.join(' or ')} at 8000 Hz`,
      );
    }
    if (stream.direction === 'recvonly') {
      return faultResult(
        'SIPREC_ERR_SDP',
        `Stream ${stream.label} is recvonly; a recording client sends (sendonly)`,
      );
    }
    const port = spec.ports[stream.label];
    if (port === undefined) return faultResult('SIPREC_ERR_SDP', `No receive port for label ${stream.label}`);
    const direction: StreamDirection = stream.direction === 'inactive' ? 'inactive' : 'recvonly';
    chosen.push({ label: stream.label, codec, direction });
    media.push(audio(port, [codec], stream.label, direction));
  }
  return okResult({ sdp: sdpTransform.write(session(spec.origin, media)), streams: chosen });
}
