/**
 * Stereo 16-bit 8 kHz WAV of a recording: left = recorded user (label 1), right = remote party (label 2).
 * Each packet is decoded at its stored position, so pause gaps and lost packets are silence at their true
 * positions; no audio is fabricated (facts.md: record the gap, never invent sound).
 */
import { decodeG711 } from '../media/g711.ts';
import { MEDIA_RATE_HZ, type MediaFormat, STREAM_LABELS } from '../protocol/messages.ts';

export interface WavPacket {
  readonly label: number;
  readonly positionSamples: number;
  readonly payload: Uint8Array;
}

/** What bounds a recording's WAV: its claimed duration, and what the stored audio can really fill. */
export interface WavLengthInput {
  /** The duration the recording's positions claim (close, segment ends, RTP timestamps), in samples. */
  readonly declaredSamples: number;
  /** No WAV is longer than this (the sink's `maxWavDurationMs`). */
  readonly capSamples: number;
  /** Silence the timeline itself holds: before the first segment and in the pauses between segments. */
  readonly gapSamples: number;
  /** Per stream: stored packets span `packetSpan` sequence numbers of at most `samplesPerPacket` each. */
  readonly streams: readonly { readonly packetSpan: number; readonly samplesPerPacket: number }[];
}

/**
 * The WAV's length in samples: the claimed duration, but never more than the stored packets can fill
 * (their sequence span, lost packets included, plus the timeline's pauses) nor more than the cap. So a
 * hostile RTP timestamp or a `close` far in the future cannot make a huge file.
 */
export function trustedWavSamples(input: WavLengthInput): number {
  let audio = 0;
  for (const s of input.streams)
    audio = Math.max(audio, Math.max(0, s.packetSpan) * Math.max(0, s.samplesPerPacket));
  const bound = Math.min(input.declaredSamples, input.gapSamples + audio, input.capSamples);
  return Math.max(0, Math.floor(bound));
}

const HEADER_BYTES = 44;
const CHANNELS = 2;
const BYTES_PER_SAMPLE = 2;

export function buildStereoWav(
  format: MediaFormat,
  durationSamples: number,
  packets: Iterable<WavPacket>,
): Buffer {
  const frames = Math.max(0, Math.floor(durationSamples));
  const dataBytes = frames * CHANNELS * BYTES_PER_SAMPLE;
  const wav = Buffer.alloc(HEADER_BYTES + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(CHANNELS, 22);
  wav.writeUInt32LE(MEDIA_RATE_HZ, 24);
  wav.writeUInt32LE(MEDIA_RATE_HZ * CHANNELS * BYTES_PER_SAMPLE, 28);
  wav.writeUInt16LE(CHANNELS * BYTES_PER_SAMPLE, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  const law = format === 'PCMU' ? 'mulaw' : 'alaw';
  let decoded = new Int16Array(160);
  for (const packet of packets) {
    const channel = packet.label === STREAM_LABELS.user ? 0 : 1;
    if (decoded.length < packet.payload.length) decoded = new Int16Array(packet.payload.length);
    const samples = decodeG711(packet.payload, law, decoded);
    for (let i = 0; i < packet.payload.length; i++) {
      const frame = packet.positionSamples + i;
      if (frame < 0 || frame >= frames) continue;
      wav.writeInt16LE(samples[i] ?? 0, HEADER_BYTES + (frame * CHANNELS + channel) * BYTES_PER_SAMPLE);
    }
  }
  return wav;
}

/** Reads back a WAV written by `buildStereoWav` (tests and conformance checks). */
export function readStereoWav(wav: Uint8Array): { left: Int16Array; right: Int16Array; rateHz: number } {
  const view = Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength);
  const rateHz = view.readUInt32LE(24);
  const frames = view.readUInt32LE(40) / (CHANNELS * BYTES_PER_SAMPLE);
  const left = new Int16Array(frames);
  const right = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = view.readInt16LE(HEADER_BYTES + i * 4);
    right[i] = view.readInt16LE(HEADER_BYTES + i * 4 + 2);
  }
  return { left, right, rateHz };
}
