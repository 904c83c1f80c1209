/**
 * G.711 µ-law (RTP payload type 0) and A-law (payload type 8) codecs, ITU-T G.711, for 16-bit linear PCM.
 * Used to make recorded payloads from generated audio and to turn stored payloads back into WAV.
 */

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

export function linearToMulaw(sample: number): number {
  let pcm = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = pcm < 0 ? 0x80 : 0;
  if (sign) pcm = -pcm;
  if (pcm > MULAW_CLIP) pcm = MULAW_CLIP;
  pcm += MULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (pcm & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (pcm >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + MULAW_BIAS) << exponent) - MULAW_BIAS;
  return sign ? -magnitude : magnitude;
}

export function linearToAlaw(sample: number): number {
  let pcm = Math.max(-32768, Math.min(32767, Math.round(sample)));
  let mask: number;
  if (pcm >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  pcm >>= 3; // 13-bit magnitude
  let segment = 0;
  for (let limit = 0x1f; pcm > limit && segment < 8; limit = (limit << 1) | 1) segment++;
  let alaw: number;
  if (segment >= 8) alaw = 0x7f;
  else {
    alaw = segment << 4;
    alaw |= segment < 2 ? (pcm >> 1) & 0x0f : (pcm >> segment) & 0x0f;
  }
  return (alaw ^ mask) & 0xff;
}

export function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  switch (segment) {
    case 0:
      t += 8;
      break;
    case 1:
      t += 0x108;
      break;
    default:
      t += 0x108;
      t <<= segment - 1;
  }
  return a & 0x80 ? t : -t;
}

export type G711Law = 'mulaw' | 'alaw';
/** RTP static payload types (RFC 3551). */
export const PAYLOAD_TYPE: Readonly<Record<G711Law, number>> = { mulaw: 0, alaw: 8 };

const MULAW_DECODE = Int16Array.from({ length: 256 }, (_, i) => mulawToLinear(i));
const ALAW_DECODE = Int16Array.from({ length: 256 }, (_, i) => alawToLinear(i));

export function encodeG711(
  samples: ArrayLike<number>,
  law: G711Law,
  out = new Uint8Array(samples.length),
): Uint8Array {
  const encode = law === 'mulaw' ? linearToMulaw : linearToAlaw;
  for (let i = 0; i < samples.length; i++) out[i] = encode(samples[i] ?? 0);
  return out;
}

export function decodeG711(bytes: Uint8Array, law: G711Law, out = new Int16Array(bytes.length)): Int16Array {
  const table = law === 'mulaw' ? MULAW_DECODE : ALAW_DECODE;
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i] ?? 0] ?? 0;
  return out;
}

// 64 K-entry tables (one per law, built on first use): encoding a 20 ms frame becomes 160 lookups, which
// is what lets a one-hour call replay in well under a second.
const encodeTables: Partial<Record<G711Law, Uint8Array>> = {};

function encodeTable(law: G711Law): Uint8Array {
  let table = encodeTables[law];
  if (table === undefined) {
    const encode = law === 'mulaw' ? linearToMulaw : linearToAlaw;
    table = new Uint8Array(65536);
    for (let i = 0; i < 65536; i++) table[i] = encode(i - 32768);
    encodeTables[law] = table;
  }
  return table;
}

/** Encodes 16-bit samples into `out` at `outOffset`, byte-identical to `encodeG711` for integer input. */
export type G711FrameEncoder = (samples: Int16Array, out: Uint8Array, outOffset: number) => void;

export function createG711Encoder(law: G711Law): G711FrameEncoder {
  const table = encodeTable(law);
  return (samples, out, outOffset) => {
    for (let i = 0; i < samples.length; i++)
      out[outOffset + i] = table[(samples[i] as number) + 32768] as number;
  };
}
