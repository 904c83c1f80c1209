/**
 * The RTP side of one recording session: each packet of the media pipeline goes to the port the recorder
 * answered for its stream (label 1 = the user's SSRC, label 2 = the remote party's), one SSRC per stream
 * as the pipeline made it. Nothing is sent while the session is paused or after it ended (the packet is
 * counted as held). When the recorder chose the other G.711 law than the pipeline encodes, each payload is
 * transcoded (µ-law ↔ A-law through 16-bit linear) and the payload type rewritten, so what arrives always
 * matches the answered SDP.
 */
import { alawToLinear, linearToAlaw, linearToMulaw, mulawToLinear } from '../../media/g711.ts';
import { CODEC_PAYLOAD_TYPE, type RecordingCodec } from '../../protocol/siprec/recording-sdp.ts';
import type { SrcAddress, SrcMediaPorts, SrcRtpCounters } from './src-types.ts';

const RTP_HEADER_BYTES = 12;

function table(decode: (b: number) => number, encode: (s: number) => number): Uint8Array {
  const out = new Uint8Array(256);
  for (let b = 0; b < 256; b++) out[b] = encode(decode(b));
  return out;
}

let tables: { readonly mulawToAlaw: Uint8Array; readonly alawToMulaw: Uint8Array } | undefined;
function transcodeTables() {
  tables ??= {
    mulawToAlaw: table(mulawToLinear, linearToAlaw),
    alawToMulaw: table(alawToLinear, linearToMulaw),
  };
  return tables;
}

/** Offset of the payload after the fixed header, CSRCs and a header extension; -1 when malformed. */
function payloadOffset(bytes: Uint8Array): number {
  if (bytes.length < RTP_HEADER_BYTES || (bytes[0] ?? 0) >> 6 !== 2) return -1;
  let offset = RTP_HEADER_BYTES + 4 * ((bytes[0] ?? 0) & 0x0f);
  if (((bytes[0] ?? 0) & 0x10) !== 0) {
    if (bytes.length < offset + 4) return -1;
    offset += 4 + 4 * (((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0));
  }
  return offset <= bytes.length ? offset : -1;
}

export interface RtpSender {
  readonly counters: SrcRtpCounters;
  /** Gating: nothing is sent unless open. */
  setOpen(open: boolean): void;
  send(bytes: Uint8Array): void;
}

interface MutableCounters {
  sent: number;
  held: number;
}

export function createRtpSender(options: {
  readonly media: SrcMediaPorts;
  readonly ssrcs: { readonly user: number; readonly remote: number };
  readonly format: RecordingCodec;
  readonly answered: RecordingCodec;
  readonly destinations: { readonly user: SrcAddress; readonly remote: SrcAddress };
}): RtpSender {
  const { media, ssrcs, destinations } = options;
  const user: MutableCounters = { sent: 0, held: 0 };
  const remote: MutableCounters = { sent: 0, held: 0 };
  const counters = {
    user,
    remote,
    rejected: 0,
  };
  const recode =
    options.format === options.answered
      ? undefined
      : options.answered === 'PCMA'
        ? transcodeTables().mulawToAlaw
        : transcodeTables().alawToMulaw;
  const answeredPt = CODEC_PAYLOAD_TYPE[options.answered];
  let open = false;

  return {
    counters,
    setOpen(value) {
      open = value;
    },
    send(bytes) {
      const ssrc =
        bytes.length >= RTP_HEADER_BYTES
          ? (((bytes[8] ?? 0) << 24) |
              ((bytes[9] ?? 0) << 16) |
              ((bytes[10] ?? 0) << 8) |
              (bytes[11] ?? 0)) >>>
            0
          : -1;
      const label = ssrc === ssrcs.user ? '1' : ssrc === ssrcs.remote ? '2' : undefined;
      const stream = label === '1' ? user : label === '2' ? remote : undefined;
      if (label === undefined || stream === undefined) {
        counters.rejected++;
        return;
      }
      if (!open) {
        stream.held++;
        return;
      }
      let out = bytes;
      if (recode !== undefined) {
        const offset = payloadOffset(bytes);
        if (offset < 0) {
          counters.rejected++;
          return;
        }
        out = bytes.slice();
        out[1] = ((bytes[1] ?? 0) & 0x80) | answeredPt;
        for (let i = offset; i < out.length; i++) out[i] = recode[out[i] ?? 0] ?? 0;
      }
      stream.sent++;
      media.send(label, out, label === '1' ? destinations.user : destinations.remote);
    },
  };
}
