/** The HTML report's toolbar is in view when it opens, and each call's event list can be filtered. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/scenario/reports/html-report.ts';
import { launchChromium } from './chromium.ts';
import { runReport } from './fixtures.ts';

describe('report toolbar and event filter in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
    await page.setContent(renderHtmlReport(runReport()), { waitUntil: 'load' });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the toolbar above the fold, before the summary table', async () => {
    const box = await page.locator('.toolbar').boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? 9999) + (box?.height ?? 0)).toBeLessThan(700);
    const order = await page.$$eval('.toolbar, table.summary', (els) => els.map((e) => e.className));
    expect(order[0]).toBe('toolbar');
  });

  it("filters a call's events by their text", async () => {
    const details = page.locator('details.more:has(ol.events)').first();
    await page.$$eval('details', (all) => {
      for (const d of all) (d as unknown as { open: boolean }).open = true;
    });
    const visible = () =>
      details
        .locator('ol.events li')
        .evaluateAll((items) =>
          items.filter((i) => !(i as unknown as { hidden: boolean }).hidden).map((i) => i.textContent ?? ''),
        );
    const all = await visible();
    expect(all.length).toBeGreaterThan(2);
    await details.locator('input[data-filter-events]').fill('RECORDING');
    const some = await visible();
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(all.length);
    expect(some.every((t) => t.toLowerCase().includes('recording'))).toBe(true);
    await details.locator('input[data-filter-events]').fill('');
    expect(await visible()).toEqual(all);
  });
});
