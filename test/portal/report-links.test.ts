/**
 * A run on a persistent sink links each stored recording in the HTML report to its portal page, and
 * that page, served later from the run's database (as `callrec sink --db … --at last-recording` does),
 * shows the recording to its owner, pause included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSinkServer } from '../../src/dubber/server.ts';
import { startEmbeddedSink } from '../../src/scenario/embedded-sink.ts';
import { renderHtmlReport } from '../../src/scenario/reports/html-report.ts';
import { loadAll, runScenariosWithSink } from '../../src/scenario/run-scenarios.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';
import { PLATFORM_KEY } from '../harness/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'callrec-report-links-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report links to the portal', () => {
  it('links every stored recording, and the linked page shows it to its owner', async () => {
    const db = join(dir, 'run.db');
    const sink = await startEmbeddedSink(db);
    const report = await (async () => {
      try {
        return await runScenariosWithSink(loadAll(['scenarios/announcements/pause-resume-beep.yaml']), {
          portalUrl: 'http://127.0.0.1:8787',
          seed: 'portal-links',
          sink,
        });
      } finally {
        await sink.close();
      }
    })();
    expect(report.summary.failed).toBe(0);
    const stored = report.scenarios
      .flatMap((s) => s.calls.flatMap((c) => c.recordings))
      .filter((r) => r.stored);
    expect(stored.length).toBeGreaterThan(0);
    const portalUrl = 'http://127.0.0.1:8787';
    expect(report.portalUrl).toBe(portalUrl);
    const html = renderHtmlReport(report);
    const hrefs = [...html.matchAll(/<a class="portal-link" href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(stored.map((r) => `${portalUrl}/portal/recordings/${r.sinkRecordingId}`));
    // Without a portal address there is nothing to link to.
    const { portalUrl: _none, ...unlinked } = report;
    expect(renderHtmlReport(unlinked)).not.toMatch(/class="portal-link"/);

    const clock = createVirtualClock();
    const server = await createSinkServer({ dbPath: db, clock, keys: [PLATFORM_KEY], scheduleSweep: false });
    try {
      clock.advanceTo(Math.max(...server.store.listRecordings({}).map((r) => r.createdAtMs)));
      for (const href of hrefs) {
        const id = decodeURIComponent(href?.split('/').at(-1) ?? '');
        const row = server.store.getRecording(id);
        expect(row, id).toBeDefined();
        const token = server.provisioning.issueToken({ orgId: row?.orgId ?? '', userId: row?.userId ?? '' });
        const page = await fetch(`${server.url}${href?.slice(portalUrl.length)}`, {
          headers: { cookie: `callrec_portal=${token}` },
        });
        expect(page.status).toBe(200);
        expect(await page.text()).toMatch(/<button type="button" class="marker marker-pause"/);
      }
    } finally {
      await server.close();
    }
  });
});
