/**
 * The WAV export's length comes from what was stored, not from what a client claimed: hostile RTP timestamps
 * or a `close` far in the future give a WAV about as long as the stored audio (and never past
 * maxWavDurationMs), and the recording stays exportable.
 */
import { describe, expect, it } from 'vitest';
import { readStereoWav } from '../../src/dubber/wav-export.ts';
import { buildRtpPacket } from '../../src/protocol/rtp-header.ts';
import { interleave, REMOTE_SSRC, rtpStream, USER_SSRC } from '../harness/helpers.ts';
import { createHarness } from './session-harness.ts';

const WAV_HEADER_BYTES = 44;
const BYTES_PER_FRAME = 4; // stereo, 16-bit

function record(h: ReturnType<typeof createHarness>, id: string, extra: Uint8Array[], closeAtMs: number) {
  const c = h.connect();
  c.open({ id });
  c.frame(interleave(rtpStream(USER_SSRC, 50), rtpStream(REMOTE_SSRC, 50)));
  if (extra.length > 0) c.frame(extra);
  c.send('close', closeAtMs);
  h.flush();
  expect(c.last()?.type).toBe('closed');
  return h.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
}

describe('WAV export from trusted lengths', () => {
  it('ignores a close position centuries away: the WAV is as long as the stored audio', () => {
    const h = createHarness();
    const token = record(h, 'far-close', [], 9_999_999_999_000);
    const { wav } = h.portal.download(token, 'far-close');
    const frames = (wav.length - WAV_HEADER_BYTES) / BYTES_PER_FRAME;
    expect(frames).toBe(50 * 160);
    const { left } = readStereoWav(wav);
    expect(left.some((s) => s !== 0)).toBe(true);
  });

  it('ignores a packet whose RTP timestamp jumps by 2^31: bounded, and the rest of the audio is intact', () => {
    const h = createHarness();
    const hostile = buildRtpPacket({
      payloadType: 0,
      sequenceNumber: 150,
      timestamp: (16_000 + 50 * 160 + 0x7fff_0000) >>> 0,
      ssrc: USER_SSRC,
      payload: new Uint8Array(160).fill(0x85),
    });
    const token = record(h, 'far-timestamp', [hostile], 1_000);
    const { wav, metadata } = h.portal.download(token, 'far-timestamp');
    const frames = (wav.length - WAV_HEADER_BYTES) / BYTES_PER_FRAME;
    // At most the stored audio of the longer stream (51 packets), not 2^31 samples.
    expect(frames).toBeLessThanOrEqual(51 * 160);
    expect(frames).toBeGreaterThanOrEqual(50 * 160);
    expect(metadata.streams[0]?.packets).toBe(51);
  });

  it('never goes past maxWavDurationMs', () => {
    const h = createHarness({ maxWavDurationMs: 500 });
    const token = record(h, 'capped', [], 1_000);
    const { wav } = h.portal.download(token, 'capped');
    expect((wav.length - WAV_HEADER_BYTES) / BYTES_PER_FRAME).toBe(500 * 8);
  });
});
