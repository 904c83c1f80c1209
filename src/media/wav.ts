/**
 * RIFF/WAVE for 16-bit PCM: reading the 8 kHz mono files users feed in as call audio, and writing WAV
 * (mono here; the sink's 8 kHz stereo export, left = user, right = remote, uses the same writer).
 */
import { SimError } from '../errors.ts';
import { SAMPLE_RATE_HZ } from './media-format.ts';

export interface WavAudio {
  readonly sampleRateHz: number;
  readonly channels: number;
  /** Interleaved when `channels` > 1. */
  readonly samples: Int16Array;
}

const WAVE_FORMAT_PCM = 1;

function unsupported(message: string, details: Record<string, unknown>): SimError {
  return new SimError('SIM_ERR_INVALID_MEDIA', `${message} Convert it to 8 kHz mono 16-bit PCM WAV.`, {
    details,
  });
}

function fourCc(view: DataView, at: number): string {
  return String.fromCharCode(
    view.getUint8(at),
    view.getUint8(at + 1),
    view.getUint8(at + 2),
    view.getUint8(at + 3),
  );
}

/**
 * Parses a WAV file and insists on what the simulator plays: PCM, 8,000 Hz, mono, 16-bit. Anything else
 * is refused with `SIM_ERR_INVALID_MEDIA` naming what was found, rather than resampled silently.
 */
export function parseWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || fourCc(view, 0) !== 'RIFF' || fourCc(view, 8) !== 'WAVE') {
    throw unsupported('The file is not a RIFF/WAVE file.', { byteLength: bytes.length });
  }
  let format:
    | { formatTag: number; channels: number; sampleRateHz: number; bitsPerSample: number }
    | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = fourCc(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length)
        throw unsupported('The WAV fmt chunk is truncated.', { size });
      format = {
        formatTag: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRateHz: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (format === undefined) throw unsupported('The WAV data chunk comes before its fmt chunk.', {});
      const { formatTag, channels, sampleRateHz, bitsPerSample } = format;
      if (
        formatTag !== WAVE_FORMAT_PCM ||
        bitsPerSample !== 16 ||
        channels !== 1 ||
        sampleRateHz !== SAMPLE_RATE_HZ
      ) {
        throw unsupported(
          `Unsupported WAV format: tag ${formatTag}, ${sampleRateHz} Hz, ${channels} channel(s), ${bitsPerSample}-bit.`,
          { formatTag, sampleRateHz, channels, bitsPerSample },
        );
      }
      // A data size past the end (streamed writers leave 0 or 0xFFFFFFFF) reads what is there.
      const dataBytes = Math.min(size, bytes.length - body) & ~1;
      const samples = new Int16Array(dataBytes / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + i * 2, true);
      return { sampleRateHz, channels, samples };
    }
    offset = body + size + (size & 1); // chunks are padded to even length
  }
  throw unsupported(
    format === undefined ? 'The WAV file has no fmt chunk.' : 'The WAV file has no data chunk.',
    {},
  );
}

/** Writes 16-bit PCM WAV (`samples` interleaved when `channels` > 1). */
export function encodeWav(
  samples: Int16Array,
  options: { sampleRateHz: number; channels: number },
): Uint8Array {
  const { sampleRateHz, channels } = options;
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) view.setUint8(at + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRateHz, true);
  view.setUint32(28, sampleRateHz * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i] as number, true);
  return out;
}
