import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSinkServer } from '../../src/dubber/index.ts';
import { connectExternalSink, type SinkTarget } from '../../src/platform/sink-target.ts';
import { PLATFORM_ORG } from '../../src/protocol/index.ts';
import { startEmbeddedSink } from '../../src/scenario/embedded-sink.ts';
import { findScenarioFiles, loadAll, runScenariosWithSink } from '../../src/scenario/run-scenarios.ts';
import { createEpochClock } from '../../src/time/index.ts';

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
name: go recording seen by its owner only
cites: [S6, S32]
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }, { id: bob, firstName: Bob, lastName: Svoboda }]
steps:
  - enable:
      user: alice
      by: it@acme.example
      acceptTerms: true
      settings: { record: Always with Pause/Resume, startStopAnnouncementEnabled: true, repeat: { enabled: true } }
  - call:
      id: c1
      user: alice
      impairment: { lossRate: 0.02 }
      events:
        - { at: 0s, do: answer }
        - { at: 20s, do: pause }
        - { at: 30s, do: resume }
        - { at: 60s, do: hang-up }
expect:
  calls:
    c1:
      streams: { packetsPerStream: { value: 2485, tolerance: 200 }, lost: { min: 1 } }
  access:
    - { recording: c1, actor: { user: alice }, allowed: true }
    - { recording: c1, actor: { admin: it@acme.example }, allowed: ACCESS }
  retention:
    - { recording: c1, at: 29d, state: retained }
    - { recording: c1, at: 31d, state: deleted }
`;

let sink: SinkTarget;
beforeAll(async () => {
  sink = await startEmbeddedSink();
});
afterAll(async () => {
  await sink.close();
});

async function run(text: string, target: SinkTarget = sink) {
  const dir = tempDir('callrec-sink-');
  writeFileSync(join(dir, 'go.yaml'), text);
  return runScenariosWithSink(loadAll(findScenarioFiles([dir])), { seed: 's', sink: target, baseDir: dir });
}

describe('scenarios against the embedded sink (real loopback WebSockets)', () => {
  it('S6, S32: the sink stores both streams (counting what the network lost) and answers access and retention', async () => {
    const report = await run(SCENARIO.replace('ACCESS', 'false'));
    const scenario = report.scenarios[0];
    expect(scenario?.failures).toEqual([]);
    const recording = scenario?.calls[0]?.recordings[0];
    expect(recording?.stored).toBe(true);
    expect(recording?.streams.map((s) => s.party)).toEqual(['user', 'remote']);
    // The sink counted the gaps the 2 % loss left in each stream's sequence numbers.
    expect((recording?.streams[0]?.lost ?? 0) + (recording?.streams[1]?.lost ?? 0)).toBeGreaterThan(0);
    expect(report.sink).toBe('embedded');
  });

  it('S6: a wrong access expectation fails, and the sink’s own portal is asked as well as the rules', async () => {
    const report = await run(SCENARIO.replace('ACCESS', 'true'));
    const failures = report.scenarios[0]?.failures.map((f) => f.expectation);
    expect(failures).toEqual(['expect.access[1]', 'expect.access[1] (sink portal)']);
  });

  it('--sink <url>: recordings go over signed HTTP provisioning and ws to a sink running on real time', async () => {
    const clock = createEpochClock();
    const key = { keyId: 'ext', secret: 'external-secret-0123456789', orgId: PLATFORM_ORG };
    const server = await createSinkServer({ port: 0, clock, keys: [key], scheduleSweep: false });
    try {
      const report = await run(
        SCENARIO.replace('ACCESS', 'true'),
        connectExternalSink(server.url, 'ext:external-secret-0123456789'),
      );
      // The external sink's clock cannot jump 31 days, so access and retention come from the rules alone;
      // delivery and storage are checked against the sink.
      expect(report.sink).toBe('external');
      expect(report.scenarios[0]?.failures.map((f) => f.expectation)).toEqual(['expect.access[1]']);
      expect(report.scenarios[0]?.calls[0]?.recordings[0]?.stored).toBe(true);
    } finally {
      await server.close();
    }
  });
});
