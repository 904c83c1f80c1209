import { describe, expect, it } from 'vitest';
import type { CallLogEvent } from '../../machines/call-events.ts';
import { decodeG711 } from '../../src/media/g711.ts';
import { goertzelAmplitude } from '../../src/media/goertzel.ts';
import { PROMPT_SOUNDS, promptSampleAt } from '../../src/media/prompt-sounds.ts';
import { parseRtpPacket } from '../harness/rtp-oracle.ts';
import { call, media } from './call-logs.ts';
import { runMedia } from './run-media.ts';

const ANNOUNCEMENT_HZ = PROMPT_SOUNDS.announcement.toneHz;
const TONE_HZ = PROMPT_SOUNDS.tone.toneHz;

// S24 start announcement, S27 pause/resume beeps, S29 repeat tone every 20 s, S24 stop announcement.
const events: CallLogEvent[] = [
  call(0, 'connected'),
  { atMs: 0, type: 'announcement', kind: 'start', sound: 'announcement', reportedToDubber: true },
  media(0, 'open'),
  { atMs: 20_000, type: 'tone', index: 1 },
  media(30_000, 'pause'),
  { atMs: 30_000, type: 'announcement', kind: 'pause', sound: 'beep', reportedToDubber: true },
  media(35_000, 'resume'),
  { atMs: 35_000, type: 'announcement', kind: 'resume', sound: 'announcement', reportedToDubber: true },
  { atMs: 40_000, type: 'tone', index: 2 },
  { atMs: 58_000, type: 'announcement', kind: 'stop', sound: 'announcement', reportedToDubber: true },
  media(60_000, 'close'),
  call(60_000, 'ended'),
];

const run = runMedia(events, { heard: true });
const promptWindows = events.flatMap((e) =>
  e.type === 'announcement'
    ? [
        {
          startMs: e.atMs,
          endMs: e.atMs + PROMPT_SOUNDS[e.sound].durationMs,
          hz: PROMPT_SOUNDS[e.sound].toneHz,
        },
      ]
    : e.type === 'tone'
      ? [{ startMs: e.atMs, endMs: e.atMs + PROMPT_SOUNDS.tone.durationMs, hz: TONE_HZ }]
      : [],
);
const inWindow = (atMs: number) => promptWindows.find((w) => atMs >= w.startMs && atMs + 20 <= w.endMs);

describe('S25: prompts are heard by every party and are never part of the recording', () => {
  it('the heard mix covers the call, 20 ms frames from connect to hang-up', () => {
    expect(run.heard.length).toBe(3000);
    expect(run.completedAtMs.heard).toBe(60_000);
  });

  it('every prompt window of the heard mix carries its tone at full strength (Goertzel)', () => {
    const framesInWindows = run.heard.filter((f) => inWindow(f.atMs) !== undefined);
    // 3 announcements of 2 s, one of them during the pause, plus 2 tones and a beep of 200 ms each.
    expect(framesInWindows.length).toBe(3 * 100 + 3 * 10);
    for (const frame of framesInWindows) {
      const hz = inWindow(frame.atMs)?.hz as number;
      expect(goertzelAmplitude(frame.samples, hz)).toBeGreaterThan(0.8 * PROMPT_SOUNDS.announcement.peak);
    }
  });

  it('outside prompts the heard mix has no prompt tone — the detector does not fire on speech', () => {
    const quiet = run.heard.filter(
      (f) => !promptWindows.some((w) => f.atMs + 20 > w.startMs && f.atMs < w.endMs),
    );
    expect(quiet.length).toBeGreaterThan(2000);
    const loudest = Math.max(
      ...quiet.map((f) =>
        Math.max(goertzelAmplitude(f.samples, ANNOUNCEMENT_HZ), goertzelAmplitude(f.samples, TONE_HZ)),
      ),
    );
    expect(loudest).toBeLessThan(100);
  });

  it('neither recorded stream contains the announcement or tone frequency in any packet', () => {
    expect(run.user.length).toBe(2750);
    for (const stream of [run.user, run.remote]) {
      const loudest = Math.max(
        ...stream.map((p) => {
          const samples = decodeG711(parseRtpPacket(p.bytes).payload, 'mulaw');
          return Math.max(goertzelAmplitude(samples, ANNOUNCEMENT_HZ), goertzelAmplitude(samples, TONE_HZ));
        }),
      );
      expect(loudest).toBeLessThan(100);
    }
  });

  it('heard = recorded user + recorded remote + prompt: the recording is the speech under the prompt', () => {
    const heardAt = new Map(run.heard.map((f) => [f.atMs, f]));
    let checked = 0;
    let worstExcess = Number.NEGATIVE_INFINITY;
    run.user.forEach((userPacket, i) => {
      const window = inWindow(userPacket.mediaMs);
      const remotePacket = run.remote[i];
      const frame = heardAt.get(userPacket.mediaMs);
      if (window === undefined || remotePacket === undefined || frame === undefined) return;
      const prompt = events.find(
        (e) => e.atMs === window.startMs && (e.type === 'announcement' || e.type === 'tone'),
      );
      const playback = {
        sound: prompt?.type === 'announcement' ? prompt.sound : ('tone' as const),
        startMs: window.startMs,
      };
      const u = decodeG711(parseRtpPacket(userPacket.bytes).payload, 'mulaw');
      const r = decodeG711(parseRtpPacket(remotePacket.bytes).payload, 'mulaw');
      for (let k = 0; k < 160; k++) {
        const expected =
          (u[k] as number) + (r[k] as number) + promptSampleAt(playback, userPacket.mediaMs + k / 8);
        // Only G.711 quantisation separates the two (≤ 1/16 of each voice's magnitude plus a step).
        const bound = (Math.abs(u[k] as number) + Math.abs(r[k] as number)) / 16 + 40;
        worstExcess = Math.max(worstExcess, Math.abs((frame.samples[k] as number) - expected) - bound);
      }
      checked++;
    });
    expect(checked).toBeGreaterThan(200);
    expect(worstExcess).toBeLessThanOrEqual(0);
  });
});
