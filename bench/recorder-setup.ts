/**
 * The delay model's recorder component from the real sink. Recordings are opened one after
 * another over loopback ws against the sink (SQLite file, real clock), and for each one the bench measures
 * open → opened (what the platform waits for when it sets up the recorder: the SIPREC INVITE's answer)
 * and first frame → its checkpoint (the first audio durably stored). The open→opened samples then replace
 * the model's recorder answer distribution (`distributionFromSamples`), and the model's medians with the
 * default recorder and with the measured one are compared in the same run. The samples are saved for
 * `callrec delay --recorder-samples bench/results/recorder-open-opened.json`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDelayParams, distributionFromSamples, runMonteCarlo } from '../src/delay/index.ts';
import { createSinkServer } from '../src/dubber/server.ts';
import { createEpochClock } from '../src/time/index.ts';
import {
  aliceRecordingRequest,
  interleave,
  PLATFORM_KEY,
  platformClient,
  provisionWorld,
  REMOTE_SSRC,
  rtpStream,
  USER_SSRC,
} from '../test/harness/helpers.ts';
import { type BenchResult, runIfMain } from './bench-result.ts';

const SESSIONS = 300;
/** Sessions before measuring (JIT, SQLite page cache). */
const WARMUP_SESSIONS = 20;
const MODEL_CALLS = 50_000;

function percentile(sortedMs: readonly number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] as number;
}

const round = (v: number) => Number(v.toFixed(2));

export default async function recorderSetup(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'callrec-recorder-setup-'));
  const clock = createEpochClock();
  const server = await createSinkServer({ clock, dbPath: join(dir, 'sink.db'), keys: [PLATFORM_KEY] });
  provisionWorld(server.provisioning);
  const client = platformClient(server.streamUrl, clock, 2);
  const firstFrame = interleave(rtpStream(USER_SSRC, 1), rtpStream(REMOTE_SSRC, 1));
  const openedMs: number[] = [];
  const firstStoredMs: number[] = [];
  try {
    for (let i = 0; i < WARMUP_SESSIONS + SESSIONS; i++) {
      const openAt = performance.now();
      const rec = await client.openRecording(aliceRecordingRequest(`setup-${i}`));
      const openedAt = performance.now();
      for (const p of firstFrame) rec.sendPacket(p);
      await rec.drain();
      const storedAt = performance.now();
      await rec.close(20);
      if (i < WARMUP_SESSIONS) continue;
      openedMs.push(openedAt - openAt);
      firstStoredMs.push(storedAt - openedAt);
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(
    join(import.meta.dirname, 'results', 'recorder-open-opened.json'),
    `${JSON.stringify(openedMs.map(round))}\n`,
  );

  const byDefault = runMonteCarlo({ calls: MODEL_CALLS, seed: 'bench', params: createDelayParams() });
  const measured = runMonteCarlo({
    calls: MODEL_CALLS,
    seed: 'bench',
    params: createDelayParams({ recording: { recorderAnswerMs: distributionFromSamples(openedMs) } }),
  });
  const opened = [...openedMs].sort((a, b) => a - b);
  const stored = [...firstStoredMs].sort((a, b) => a - b);
  const defaultRecordingP50 = byDefault.s12.p50Ms.recording;
  const measuredRecordingP50 = measured.s12.p50Ms.recording;
  return {
    name: 'recorder-setup',
    figures: {
      sessions: SESSIONS,
      openToOpenedP50Ms: round(percentile(opened, 50)),
      openToOpenedP95Ms: round(percentile(opened, 95)),
      openToOpenedP99Ms: round(percentile(opened, 99)),
      firstFrameToStoredP50Ms: round(percentile(stored, 50)),
      firstFrameToStoredP95Ms: round(percentile(stored, 95)),
      firstFrameToStoredP99Ms: round(percentile(stored, 99)),
      modelRecordingP50DefaultRecorderMs: round(defaultRecordingP50),
      modelRecordingP50MeasuredRecorderMs: round(measuredRecordingP50),
      modelCombinedP50DefaultRecorderMs: round(byDefault.s12.p50Ms.combined),
      modelCombinedP50MeasuredRecorderMs: round(measured.s12.p50Ms.combined),
    },
    ratios: {
      // How much of the model's recording-on delay the default recorder answer stands for, against a
      // recorder as fast as this sink on loopback.
      measuredVsDefaultRecordingP50: round(measuredRecordingP50 / defaultRecordingP50),
    },
    notes: [
      `${SESSIONS} recordings opened one after another over loopback ws (after ${WARMUP_SESSIONS} warm-up ones), SQLite file, real clock`,
      'open → opened is the recorder answer the model draws (recording.recorderAnswerMs); loopback has no network leg, which the model keeps in recorderRttMs',
      'first frame → stored: from the first frame after opened to the checkpoint that says it is durable (a ping forces the commit)',
      `model: ${MODEL_CALLS.toLocaleString('en-GB')} calls per configuration, same seed, default conditions but the recorder answer; S12 ${measured.s12.holds ? 'holds' : 'does not hold'} with the measured recorder`,
      'samples saved to bench/results/recorder-open-opened.json for callrec delay --recorder-samples',
    ],
  };
}

await runIfMain(import.meta, recorderSetup);
