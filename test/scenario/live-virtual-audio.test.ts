/**
 * The same scenario and seed stored by a sink in live mode (real time) and in virtual replay say the same
 * thing: per recording, stream and position, the payload bytes match. Real time may add or drop a packet
 * at the edges of a recording, so the common positions are compared and must cover nearly everything.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/dubber/index.ts';
import { startEmbeddedSink } from '../../src/scenario/embedded-sink.ts';
import { runScenariosLive } from '../../src/scenario/run-live.ts';
import { findScenarioFiles, loadAll, runScenariosWithSink } from '../../src/scenario/run-scenarios.ts';

const SCENARIO = `
name: live and virtual say the same
cites: [S21, S32]
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }]
steps:
  - { at: 500ms, advance: true }
  - enable: { user: alice, by: it@acme.example, acceptTerms: true, settings: { record: MODE } }
  - call:
      id: c1
      user: alice
      recorder: { answerMs: 100 }
      events: EVENTS
`;

const CASES = [
  {
    name: 'an Always call',
    mode: 'Always',
    events: '[{ at: 0s, do: answer }, { at: 1500ms, do: hang-up }]',
  },
  {
    // S21: the provisional capture before the first start is part of the first recording; a second start
    // after a stop opens a second recording.
    name: 'an On Demand call started, stopped and started again',
    mode: 'On Demand',
    events:
      '[{ at: 0s, do: answer }, { at: 500ms, do: start }, { at: 900ms, do: stop }, { at: 1s, do: start }, { at: 1500ms, do: hang-up }]',
  },
] as const;

/** Payload (hex) per "recording/stream label/position": recording ids without their run tag. */
function storedAudio(path: string): Map<string, string> {
  const store = createSqliteStore({ path });
  try {
    const out = new Map<string, string>();
    for (const recording of store.listRecordings({})) {
      const id = recording.recordingId.replace(/^[0-9a-f]+-/, '');
      const labels = new Map(store.getStreams(recording.recordingId).map((s) => [s.ssrc, s.label]));
      for (const p of store.readPackets(recording.recordingId))
        out.set(`${id}/${labels.get(p.ssrc)}/${p.positionSamples}`, Buffer.from(p.payload).toString('hex'));
    }
    return out;
  } finally {
    store.close();
  }
}

describe('live and virtual replay store the same audio', () => {
  it.each(CASES)(
    'S21, S32: $name — per recording, stream and position, the live payloads are the virtual ones',
    async ({ mode, events }) => {
      const dir = mkdtempSync(join(tmpdir(), 'callrec-live-virtual-'));
      writeFileSync(join(dir, 'call.yaml'), SCENARIO.replace('MODE', mode).replace('EVENTS', events));
      const loaded = loadAll(findScenarioFiles([dir]));

      const live = await startEmbeddedSink(join(dir, 'live.db'), { realTime: true });
      try {
        await runScenariosLive(loaded, { seed: 's', sink: live });
      } finally {
        await live.close();
      }
      const virtual = await startEmbeddedSink(join(dir, 'virtual.db'));
      try {
        await runScenariosWithSink(loaded, { seed: 's', sink: virtual });
      } finally {
        await virtual.close();
      }

      const a = storedAudio(join(dir, 'live.db'));
      const b = storedAudio(join(dir, 'virtual.db'));
      // About 1.3 s of recorded media, two streams, one packet per 20 ms.
      expect(b.size).toBeGreaterThan(100);
      const common = [...a.keys()].filter((k) => b.has(k));
      const differing = common.filter((k) => a.get(k) !== b.get(k));
      expect(differing).toEqual([]);
      expect(common.length).toBeGreaterThanOrEqual(0.9 * Math.max(a.size, b.size));
      rmSync(dir, { recursive: true, force: true });
    },
    20_000,
  );
});
