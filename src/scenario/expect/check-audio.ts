/**
 * Audio expectations, checked on what the sink stored (never on what the simulator meant to send):
 * - `announcementAbsent` (S25): the Goertzel filter finds no announcement, beep or tone frequency in any
 *   20 ms window of either stored stream;
 * - `silentDuring`: nothing at all was stored in those call-time windows (paused, held, not recording);
 * - `distinctFrom`: no stored stream of this call correlates with one of the other call's over the time
 *   both were recorded, and no SSRC is shared (two concurrent calls are never mixed);
 * - `streams.rtp`: SSRCs and RFC 3550 statistics the transport reports.
 * Without stored audio (`--no-sink`) each of these fails as "not checked" rather than passing silently.
 */
import { goertzelAmplitude, PROMPT_SOUNDS } from '../../media/index.ts';
import { formatDurationMs } from '../duration.ts';
import type { RecordingDelivery } from '../recording-delivery.ts';
import type { CallReport, ExpectationFailure } from '../report-types.ts';
import type { Scenario } from '../schema.ts';
import { fractionLost, type StoredAudio } from './stored-audio.ts';

/** A stored 20 ms window louder than this at a prompt frequency holds a prompt (prompts peak at 6,000). */
export const PROMPT_DETECT_LEVEL = 100;
/** Samples within ±8 are the codec's zero: nothing was stored there. */
const SILENCE_LEVEL = 8;
/** Two independent voices correlate far below this; a stream mixed into another correlates near 1. */
export const MIXED_CORRELATION = 0.5;
const WINDOW_SAMPLES = 160;

const PROMPT_HZ = [...new Set(Object.values(PROMPT_SOUNDS).map((p) => p.toneHz))];

type Lookup = (recordingId: string) => RecordingDelivery | undefined;

const NOT_CHECKED =
  'not checked: no stored audio (run with the sink, not --no-sink; --live and an external sink do not read audio back)';

export function checkAudioExpectations(
  scenario: Scenario,
  calls: readonly CallReport[],
  lookup: Lookup,
): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  for (const [callId, wanted] of Object.entries(scenario.expect.calls ?? {})) {
    const call = calls.find((c) => c.id === callId);
    if (call === undefined) continue;
    const where = `expect.calls.${callId}`;
    const audio = wanted.audio;
    if (audio !== undefined) failures.push(...checkCallAudio(where, audio, call, calls, lookup));
    const rtp = wanted.streams?.rtp;
    if (rtp !== undefined) failures.push(...checkRtp(`${where}.streams.rtp`, rtp, call, calls, lookup));
  }
  return failures;
}

function storedOf(call: CallReport, lookup: Lookup): StoredAudio[] | undefined {
  const stored = call.recordings.map((r) => lookup(r.id)?.audio);
  return stored.every((a) => a !== undefined) ? (stored as StoredAudio[]) : undefined;
}

function checkCallAudio(
  where: string,
  audio: NonNullable<NonNullable<Scenario['expect']['calls']>[string]['audio']>,
  call: CallReport,
  calls: readonly CallReport[],
  lookup: Lookup,
): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  const fail = (key: string, expected: unknown, actual: unknown, message: string) =>
    failures.push({ expectation: `${where}.audio.${key}`, expected, actual, message });
  const stored = storedOf(call, lookup);
  const keys = Object.entries(audio).filter(([, v]) => v !== undefined);
  if (stored === undefined) {
    for (const [key, value] of keys)
      fail(key, value, NOT_CHECKED, 'Audio expectations read the stored audio');
    return failures;
  }
  if (call.recordings.length === 0) {
    for (const [key, value] of keys)
      fail(key, value, 'no recording stored', 'The call left no recording whose audio could be read');
    return failures;
  }

  if (audio.announcementAbsent !== undefined) {
    let loudest = { level: 0, atMs: 0, hz: 0 };
    for (const a of stored) {
      for (const [samples] of [[a.user], [a.remote]] as const) {
        for (let i = 0; i + WINDOW_SAMPLES <= samples.length; i += WINDOW_SAMPLES / 2) {
          const window = samples.subarray(i, i + WINDOW_SAMPLES);
          for (const hz of PROMPT_HZ) {
            const level = goertzelAmplitude(window, hz, a.rateHz);
            if (level > loudest.level)
              loudest = { level, atMs: a.openedAtMs + (i * 1000) / a.rateHz - call.startedAtMs, hz };
          }
        }
      }
    }
    const present = loudest.level >= PROMPT_DETECT_LEVEL;
    if (present === audio.announcementAbsent) {
      fail(
        'announcementAbsent',
        audio.announcementAbsent ? 'no prompt frequency in the stored audio' : 'a prompt in the stored audio',
        `loudest prompt frequency ${Math.round(loudest.level)} (${loudest.hz} Hz at ${formatDurationMs(Math.round(loudest.atMs))}; a prompt is ≥ ${PROMPT_DETECT_LEVEL})`,
        'S25: announcements and tones are heard by all parties but are not part of the recording',
      );
    }
  }

  (audio.silentDuring ?? []).forEach(([fromMs, toMs], i) => {
    const found = loudestIn(stored, call.startedAtMs + fromMs, call.startedAtMs + toMs);
    if (found !== undefined && found.level > SILENCE_LEVEL) {
      fail(
        `silentDuring[${i}]`,
        `nothing stored ${formatDurationMs(fromMs)} … ${formatDurationMs(toMs)}`,
        `audio of level ${found.level} at ${formatDurationMs(Math.round(found.atMs - call.startedAtMs))} (${found.party})`,
        'What Dubber stored in this call-time window',
      );
    }
  });

  if (audio.distinctFrom !== undefined) {
    const others = Array.isArray(audio.distinctFrom) ? audio.distinctFrom : [audio.distinctFrom];
    for (const otherId of others) {
      const other = calls.find((c) => c.id === otherId);
      const otherStored = other === undefined ? undefined : storedOf(other, lookup);
      if (other === undefined || otherStored === undefined || other.recordings.length === 0) {
        fail(
          'distinctFrom',
          `distinct from ${otherId}`,
          other === undefined ? 'no such call' : 'that call has no stored audio',
          'Streams of two calls compared',
        );
        continue;
      }
      const worst = worstCorrelation(stored, otherStored);
      const sharedSsrcs = call.recordings
        .flatMap((r) => r.streams.map((s) => s.ssrc))
        .filter((ssrc) => other.recordings.some((r) => r.streams.some((s) => s.ssrc === ssrc)));
      if (worst.value >= MIXED_CORRELATION || sharedSsrcs.length > 0) {
        fail(
          'distinctFrom',
          `no stream shared with ${otherId} (correlation < ${MIXED_CORRELATION}, no common SSRC)`,
          `correlation ${worst.value.toFixed(3)} (${worst.pair}) over ${formatDurationMs(worst.overlapMs)}${sharedSsrcs.length > 0 ? `, shared SSRCs ${sharedSsrcs.join(', ')}` : ''}`,
          `The stored streams of ${call.id} and ${otherId} are independent`,
        );
      }
    }
  }
  return failures;
}

function loudestIn(
  stored: readonly StoredAudio[],
  fromMs: number,
  toMs: number,
): { level: number; atMs: number; party: string } | undefined {
  let best: { level: number; atMs: number; party: string } | undefined;
  for (const a of stored) {
    const first = Math.max(0, Math.ceil(((fromMs - a.openedAtMs) * a.rateHz) / 1000));
    const end = Math.min(a.user.length, Math.floor(((toMs - a.openedAtMs) * a.rateHz) / 1000));
    for (const [party, samples] of [
      ['user', a.user],
      ['remote', a.remote],
    ] as const) {
      for (let i = first; i < end; i++) {
        const level = Math.abs(samples[i] as number);
        if (best === undefined || level > best.level)
          best = { level, atMs: a.openedAtMs + (i * 1000) / a.rateHz, party };
      }
    }
  }
  return best;
}

/** The largest |Pearson correlation| between any stream of `a` and any of `b` where both were stored. */
function worstCorrelation(
  a: readonly StoredAudio[],
  b: readonly StoredAudio[],
): { value: number; pair: string; overlapMs: number } {
  let worst = { value: 0, pair: 'no overlap', overlapMs: 0 };
  for (const x of a) {
    for (const y of b) {
      const startMs = Math.max(x.openedAtMs, y.openedAtMs);
      const endMs = Math.min(
        x.openedAtMs + (x.user.length * 1000) / x.rateHz,
        y.openedAtMs + (y.user.length * 1000) / y.rateHz,
      );
      if (endMs <= startMs) continue;
      const xi = Math.round(((startMs - x.openedAtMs) * x.rateHz) / 1000);
      const yi = Math.round(((startMs - y.openedAtMs) * y.rateHz) / 1000);
      const n = Math.floor(((endMs - startMs) * x.rateHz) / 1000);
      for (const [xp, xs] of [
        ['user', x.user],
        ['remote', x.remote],
      ] as const) {
        for (const [yp, ys] of [
          ['user', y.user],
          ['remote', y.remote],
        ] as const) {
          const r = Math.abs(correlation(xs.subarray(xi, xi + n), ys.subarray(yi, yi + n)));
          if (r > worst.value || worst.pair === 'no overlap')
            worst = { value: r, pair: `${xp} ~ ${yp}`, overlapMs: endMs - startMs };
        }
      }
    }
  }
  return worst;
}

function correlation(x: Int16Array, y: Int16Array): number {
  const n = Math.min(x.length, y.length);
  if (n === 0) return 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i] as number;
    sy += y[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

function checkRtp(
  where: string,
  rtp: NonNullable<NonNullable<NonNullable<Scenario['expect']['calls']>[string]['streams']>['rtp']>,
  call: CallReport,
  calls: readonly CallReport[],
  lookup: Lookup,
): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  const fail = (key: string, expected: unknown, actual: unknown, message: string) =>
    failures.push({ expectation: `${where}.${key}`, expected, actual, message });
  const stats = call.recordings.map((r) => lookup(r.id)?.rtp);
  const keys = Object.entries(rtp).filter(([, v]) => v !== undefined);
  if (stats.some((s) => s === undefined)) {
    for (const [key, value] of keys)
      fail(
        key,
        value,
        'not checked: the transport reported no stream statistics (--no-sink)',
        'RTP stream statistics',
      );
    return failures;
  }
  const streams = stats.flatMap((s) => s ?? []);
  if (rtp.distinctSsrcs !== undefined) {
    const mine = streams.map((s) => s.ssrc);
    const elsewhere = calls
      .filter((c) => c.id !== call.id)
      .flatMap((c) => c.recordings.flatMap((r) => lookup(r.id)?.rtp ?? []).map((s) => s.ssrc));
    const distinct = new Set(mine).size === mine.length && mine.every((ssrc) => !elsewhere.includes(ssrc));
    if (distinct !== rtp.distinctSsrcs)
      fail('distinctSsrcs', rtp.distinctSsrcs, mine, 'SSRCs of the stored streams (S32: one per party)');
  }
  if (rtp.duplicates !== undefined) {
    const worst = Math.max(0, ...streams.map((s) => s.duplicates));
    if (worst > rtp.duplicates.max)
      fail('duplicates', rtp.duplicates, worst, 'Duplicate packets the sink received on one stream');
  }
  if (rtp.fractionLost !== undefined) {
    const worst = Math.max(0, ...streams.map(fractionLost));
    if (worst > rtp.fractionLost.max)
      fail('fractionLost', rtp.fractionLost, Number(worst.toFixed(4)), 'RFC 3550 fraction lost of a stream');
  }
  if (rtp.jitterMs !== undefined) {
    const jitters = streams.map((s) => s.jitterMs);
    if (jitters.some((j) => j === undefined)) {
      fail(
        'jitterMs',
        rtp.jitterMs,
        'not checked: this transport does not measure interarrival jitter',
        'RFC 3550 interarrival jitter',
      );
    } else {
      const worst = Math.max(0, ...(jitters as number[]));
      if (worst > rtp.jitterMs.max) fail('jitterMs', rtp.jitterMs, worst, 'RFC 3550 interarrival jitter');
    }
  }
  return failures;
}
