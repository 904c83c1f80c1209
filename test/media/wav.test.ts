import { describe, expect, it } from 'vitest';
import { isSimError } from '../../src/errors.ts';
import { createSilenceSource } from '../../src/media/audio-source.ts';
import { decodeG711 } from '../../src/media/g711.ts';
import { encodeWav, parseWav } from '../../src/media/wav.ts';
import { createWavSource } from '../../src/media/wav-source.ts';
import { parseRtpPacket } from '../harness/rtp-oracle.ts';
import { alwaysCall } from './call-logs.ts';
import { runMedia } from './run-media.ts';

const ramp = Int16Array.from({ length: 8000 }, (_, i) => Math.round(8000 * Math.sin(i / 7)));

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** A WAV header with any format fields, followed by `dataBytes` of zeros. */
function wavWith(
  fields: { formatTag?: number; channels?: number; rateHz?: number; bits?: number },
  dataBytes = 320,
) {
  const bytes = encodeWav(new Int16Array(dataBytes / 2), {
    sampleRateHz: fields.rateHz ?? 8000,
    channels: fields.channels ?? 1,
  });
  const view = new DataView(bytes.buffer);
  view.setUint16(20, fields.formatTag ?? 1, true);
  view.setUint16(34, fields.bits ?? 16, true);
  return bytes;
}

describe('WAV input: 8 kHz mono 16-bit PCM, anything else refused clearly', () => {
  it('reads back what it wrote', () => {
    const parsed = parseWav(encodeWav(ramp, { sampleRateHz: 8000, channels: 1 }));
    expect(parsed.sampleRateHz).toBe(8000);
    expect(parsed.channels).toBe(1);
    expect([...parsed.samples]).toEqual([...ramp]);
  });

  it('skips chunks it does not need, odd-sized ones included (padding byte)', () => {
    const plain = encodeWav(ramp.subarray(0, 160), { sampleRateHz: 8000, channels: 1 });
    const list = new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
    const bytes = new Uint8Array(plain.length + list.length);
    bytes.set(plain.subarray(0, 36));
    bytes.set(list, 36);
    bytes.set(plain.subarray(36), 36 + list.length);
    expect([...parseWav(bytes).samples]).toEqual([...ramp.subarray(0, 160)]);
  });

  it.each([
    ['stereo', wavWith({ channels: 2 }), /2 channel/],
    ['16 kHz', wavWith({ rateHz: 16000 }), /16000 Hz/],
    ['8-bit', wavWith({ bits: 8 }), /8-bit/],
    ['IEEE float', wavWith({ formatTag: 3, bits: 32 }), /tag 3/],
    ['not RIFF at all', new TextEncoder().encode('ID3 this is an mp3 file, honest'), /not a RIFF\/WAVE/],
    [
      'no data chunk',
      encodeWav(new Int16Array(0), { sampleRateHz: 8000, channels: 1 }).subarray(0, 36),
      /no data chunk/,
    ],
  ])('refuses %s with SIM_ERR_INVALID_MEDIA and says what to do', (_what, bytes, message) => {
    const error = caught(() => parseWav(bytes));
    expect(isSimError(error, 'SIM_ERR_INVALID_MEDIA')).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/Convert it to 8 kHz mono 16-bit PCM WAV/);
  });

  it('a WAV file as the user’s audio is what the user stream carries (within µ-law precision)', () => {
    const wav = encodeWav(ramp, { sampleRateHz: 8000, channels: 1 });
    const run = runMedia(alwaysCall(2_000), {
      audio: { user: createWavSource(wav), remote: createSilenceSource() },
    });
    const recorded = run.user.flatMap((p) => [...decodeG711(parseRtpPacket(p.bytes).payload, 'mulaw')]);
    expect(recorded.length).toBe(16000);
    const worst = recorded
      .slice(0, 8000)
      .reduce((w, s, i) => Math.max(w, Math.abs(s - (ramp[i] as number))), 0);
    expect(worst).toBeLessThanOrEqual(8000 / 16 + 16);
    // After the file ends: silence (µ-law 0xFF), not a repeat.
    expect(recorded.slice(8000).every((s) => s === 0)).toBe(true);
    expect(run.remote.every((p) => parseRtpPacket(p.bytes).payload.every((b) => b === 0xff))).toBe(true);
  });

  it('looping and a late start', () => {
    const wav = encodeWav(
      Int16Array.from({ length: 240 }, (_, i) => i + 1),
      { sampleRateHz: 8000, channels: 1 },
    );
    const source = createWavSource(wav, { startAtMs: 20, loop: true });
    expect(source.frameAt(0).every((s) => s === 0)).toBe(true);
    expect(source.frameAt(20)[0]).toBe(1);
    expect([...source.frameAt(40).subarray(78, 82)]).toEqual([239, 240, 1, 2]);
  });
});
