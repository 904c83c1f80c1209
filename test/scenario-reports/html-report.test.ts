import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/scenario/reports/html-report.ts';
import { renderJunitReport } from '../../src/scenario/reports/junit-report.ts';
import { replaceUnsafeChars } from '../../src/text/safe-text.ts';
import { CHROMIUM_PATH, launchChromium } from './chromium.ts';
import { NASTY_NAME, runReport } from './fixtures.ts';

/** The bit of the DOM the page-side callback uses; the project compiles without the DOM lib. */
interface BrowserGlobals {
  readonly DOMParser: new () => {
    parseFromString(
      source: string,
      type: string,
    ): {
      querySelector(selector: string): { readonly textContent: string | null } | null;
      querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }>;
    };
  };
}

describe('renderHtmlReport in headless Chromium', () => {
  const report = runReport();
  const html = renderHtmlReport(report);
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    // Listen before anything loads: the page must not ask the network (or anything else) for a single byte.
    context.on('request', (r) => requests.push(r.url()));
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setContent(html, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads without errors, dialogs or any request', () => {
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(html).not.toMatch(/\b(?:src|href)="(?!#)/);
  });

  it('summarises the run and marks the failing scenarios', async () => {
    expect(await page.locator('.totals').textContent()).toBe('1 passed 2 failed of 3 scenarios');
    const statuses = await page
      .locator('details.scenario')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses).toEqual(['passed', 'failed', 'failed']);
    const failed = page.locator('details.scenario').nth(1);
    expect(await failed.getAttribute('open')).not.toBeNull();
    expect(await page.locator('details.scenario > summary').nth(1).textContent()).toContain('✗ failed');
    expect(await failed.locator('.failure .path').allInnerTexts()).toEqual([
      'expect.calls.c2.tones',
      'expect.calls.c2.recordingStates',
      'expect.account.admins',
    ]);
    expect(await failed.locator('.failure').first().textContent()).toMatch(/expected\s*3\s*actual\s*2/);
    expect(await page.locator('tbody tr[data-status="failed"]').count()).toBe(2);
  });

  it('draws one timeline per call with a marker per announcement and tone', async () => {
    const calls = report.scenarios.flatMap((s) => s.calls);
    const drawn = await page.locator('svg.timeline').evaluateAll((svgs) =>
      svgs.map((svg) => ({
        call: svg.getAttribute('data-call'),
        announcement: svg.querySelectorAll('.marker-announcement').length,
        tone: svg.querySelectorAll('.marker-tone').length,
        rejected: svg.querySelectorAll('.marker-rejected').length,
      })),
    );
    expect(drawn).toEqual(
      calls.map((call) => {
        const count = (type: string) => call.timeline.filter((e) => e.type === type).length;
        return {
          call: call.id,
          announcement: count('announcement'),
          tone: count('tone'),
          rejected: count('rejected'),
        };
      }),
    );
    expect(drawn.map((d) => [d.announcement, d.tone])).toEqual([
      [1, 5],
      [5, 2],
      [0, 0],
    ]);
    const c2 = page.locator('svg[data-call="c2"]');
    expect(await c2.locator('.marker-announcement.sound-beep').count()).toBe(2);
    expect(await c2.locator('.stream-user').count()).toBe(3);
    expect(await c2.locator('.pause-gap').count()).toBe(2);
    expect(await c2.locator('.phase-held').count()).toBe(1);
    const box = await c2.boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    expect(await c2.locator('.marker-tone title').first().textContent()).toBe('00:30.200 tone #1');
  });

  it('shows an injected <script> name as text and embeds the data intact', async () => {
    const name = page.locator('details.scenario').nth(2).locator('summary .name');
    expect(await name.textContent()).toBe(replaceUnsafeChars(NASTY_NAME, '\t\n\r'));
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('img, i, td td').count()).toBe(0);
    const embedded = await page.locator('script#callrec-report').textContent();
    expect(JSON.parse(embedded ?? 'null')).toEqual(JSON.parse(JSON.stringify(report)));
  });

  // The JUnit test uses a small strict reader; the browser's XML parser is a second, independent opinion.
  it("produces JUnit XML that Chromium's XML parser accepts", async () => {
    const result = await page.evaluate((xml) => {
      const doc = new (globalThis as unknown as BrowserGlobals).DOMParser().parseFromString(
        xml,
        'application/xml',
      );
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        names: [...doc.querySelectorAll('testcase')].map((c) => c.getAttribute('name')),
      };
    }, renderJunitReport(report));
    expect(result.error).toBeNull();
    expect(result.names[2]).toBe(replaceUnsafeChars(NASTY_NAME));
  });

  it('expands, collapses and filters with its inline script', async () => {
    await page.getByRole('button', { name: 'Expand all' }).click();
    expect(await page.locator('details.scenario[open]').count()).toBe(3);
    await page.getByRole('button', { name: 'Collapse all' }).click();
    expect(await page.locator('details.scenario[open]').count()).toBe(0);
    await page.locator('#failed-only').check();
    expect(await page.locator('details.scenario[data-status="passed"]').isVisible()).toBe(false);
    expect(problems).toEqual([]);
  });

  it('fails, never skips, when Chromium is missing, and says how to install it', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(/run \.ci\/install-chromium\.sh/);
    expect(CHROMIUM_PATH).toBe('/usr/bin/chromium');
  });
});
