import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSimError } from '../../src/errors.ts';
import { startEmbeddedSink } from '../../src/scenario/embedded-sink.ts';
import { runScenariosLive } from '../../src/scenario/run-live.ts';
import { findScenarioFiles, loadAll } from '../../src/scenario/run-scenarios.ts';

/** Temporary folders made by these tests, removed when they end. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const SCENARIO = `
name: live on demand call
cites: [S21, S32]
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }]
steps:
  - enable: { user: alice, by: it@acme.example, acceptTerms: true, settings: { record: On Demand, startStopAnnouncementEnabled: true } }
  - call:
      id: c1
      user: alice
      recorder: { answerMs: 100 }
      events: [{ at: 0s, do: answer }, { at: 500ms, do: start }, { at: 900ms, do: stop }, { at: 1s, do: start }, { at: HANGUP, do: hang-up }]
expect:
  calls:
    c1: { recordingStates: [started, stopped (User Requested), pending, started], recordings: 2 }
`;

function load(hangUp: string) {
  const dir = tempDir('callrec-live-');
  writeFileSync(join(dir, 'live.yaml'), SCENARIO.replace('HANGUP', hangUp));
  return loadAll(findScenarioFiles([dir]));
}

describe('callrec run --live (real time, real WebSockets)', () => {
  it('S21, S32: streams each kept recording to the sink while the call happens, and the sink stores it', async () => {
    const sink = await startEmbeddedSink(':memory:', { realTime: true });
    try {
      const report = await runScenariosLive(load('1.5s'), { seed: 's', sink });
      expect(report.mode).toBe('live');
      const scenario = report.scenarios[0];
      expect(scenario?.failures).toEqual([]);
      // Two recordings (start, stop, start again), both stored; the provisional capture before the first
      // start is part of the first recording (S21).
      expect(scenario?.calls[0]?.recordings.map((r) => [r.id, r.stored])).toEqual([
        ['c1', true],
        ['c1#2', true],
      ]);
    } finally {
      await sink.close();
    }
  });

  it('refuses a scenario longer than the live limit, before running anything', async () => {
    const sink = await startEmbeddedSink(':memory:', { realTime: true });
    try {
      await runScenariosLive(load('2h'), { seed: 's', sink });
      expect.unreachable('a two-hour scenario should be refused');
    } catch (error) {
      expect(isSimError(error, 'SIM_ERR_USAGE')).toBe(true);
      expect((error as Error).message).toContain('live limit');
    } finally {
      await sink.close();
    }
  });
});
