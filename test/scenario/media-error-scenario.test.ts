/**
 * An error while a call's media is generated fails that call's capture with a message naming the call
 * and the moment, and every other capture still completes (S21, S32: the streams sent to Dubber).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AudioSource } from '../../src/media/audio-source.ts';
import { captureCallMedia } from '../../src/scenario/capture-call-media.ts';
import { executeScenario } from '../../src/scenario/execute-scenario.ts';
import { findScenarioFiles, loadAll } from '../../src/scenario/run-scenarios.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const [always] = loadAll(findScenarioFiles([join(ROOT, 'scenarios', 'modes', 'always.yaml')]));

const silence = new Int16Array(160);
const brokenAfter = (ms: number): AudioSource => ({
  frameAt(startMs) {
    if (startMs >= ms) throw new Error(`audio source failed at ${startMs} ms`);
    return silence;
  },
});

describe('S21, S32: a failure while a call’s media is generated', () => {
  it('ends that capture with a message naming the call and the time, and the next capture is whole', () => {
    if (always === undefined) throw new Error('scenarios/modes/always.yaml is missing');
    const [call] = executeScenario(always.scenario).calls;
    if (call === undefined) throw new Error('the scenario places no call');
    const seed = 'media-error';

    const broken = captureCallMedia(call.spec, call.run.log, seed, {
      user: brokenAfter(5_000),
      remote: brokenAfter(5_000),
    });
    expect(broken.error).toMatch(
      new RegExp(
        `^generating the media of call ${call.spec.id} failed at \\d+ ms of the call: audio source failed`,
      ),
    );

    const whole = captureCallMedia(call.spec, call.run.log, seed);
    expect(whole.error).toBeUndefined();
    const packets = (c: typeof whole) => c.recordings.reduce((n, r) => n + r.packets.length, 0);
    expect(packets(whole)).toBeGreaterThan(packets(broken));
    expect(packets(broken)).toBeGreaterThan(0);
  });
});
