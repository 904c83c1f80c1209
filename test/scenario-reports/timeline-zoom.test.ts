/**
 * Zooming a timeline in real Chromium: the one-hour Always call's 179 repeat tones (S22, S29) merge at
 * full width and come apart when zoomed, the axis ticks follow the zoom, the keyboard alone can zoom,
 * and a multi-call scenario gets a lane per call on a shared axis of scenario time.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/scenario/reports/html-report.ts';
import { loadAll, runScenarios } from '../../src/scenario/run-scenarios.ts';
import { launchChromium } from './chromium.ts';

const ONE_HOUR = 'scenarios/tones/one-hour-always.yaml';
/** Three calls, minutes apart. */
const THREE_CALLS = 'scenarios/tones/default-20s.yaml';

interface Box {
  readonly x: number;
  readonly width: number;
}

/** The smallest gap in pixels between two neighbouring tone circles (negative when they overlap). */
async function smallestToneGapPx(timeline: Locator): Promise<number> {
  const boxes: Box[] = await timeline
    .locator('.marker-tone circle')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, width: r.width })));
  const sorted = [...boxes].sort((a, b) => a.x - b.x);
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as Box;
    const b = sorted[i] as Box;
    smallest = Math.min(smallest, b.x - (a.x + a.width));
  }
  return smallest;
}

const tickLabels = (timeline: Locator) => timeline.locator('.ticks .tick').allTextContents();

describe('zoomable timelines in headless Chromium', () => {
  const report = runScenarios(loadAll([ONE_HOUR, THREE_CALLS]), { seed: 'zoom', baseDir: '.' });
  const html = renderHtmlReport(report);
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    context.on('request', (r) => requests.push(r.url()));
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.setContent(html, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Expand all' }).click();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('merges the 179 tones of a one-hour call at full width, and the axis counts in minutes', async () => {
    expect(report.scenarios.map((s) => s.passed)).toEqual([true, true]);
    const hour = page.locator('svg.timeline[data-call="hour"]');
    expect(await hour.locator('.marker-tone').count()).toBe(179);
    expect(await smallestToneGapPx(hour)).toBeLessThan(0);
    expect(await tickLabels(hour)).toEqual(['00:00', '10:00', '20:00', '30:00', '40:00', '50:00', '60:00']);
    expect(await page.getByRole('group', { name: 'Zoom the timeline of call hour' }).textContent()).toContain(
      '1×',
    );
  });

  it('separates every tone once zoomed in with the + button, with finer ticks, and fits back', async () => {
    const hour = page.locator('svg.timeline[data-call="hour"]');
    const heightAtFit = (await hour.boundingBox())?.height ?? Number.NaN;
    const zoomIn = page.getByRole('button', { name: 'Zoom in on the timeline of call hour' });
    for (let i = 0; i < 3; i++) await zoomIn.click();
    expect(
      await page.getByRole('status', { name: 'Zoom level of the timeline of call hour' }).textContent(),
    ).toBe('8×');
    // 20 s between tones at 8× is some 40 px; "a few pixels apart" is the least a reader needs.
    expect(await smallestToneGapPx(hour)).toBeGreaterThan(4);
    const labels = await tickLabels(hour);
    expect(labels.slice(0, 3)).toEqual(['00:00', '01:00', '02:00']);
    expect(labels.at(-1)).toBe('60:00');
    // The drawing got wider than its box, so it scrolls sideways, and the box keeps its height.
    const box = page.locator('.timeline-box', { has: hour });
    const { scrollWidth, clientWidth } = await box.evaluate((el) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
    }));
    // 8× stretches the 798-unit plot, not the 132-unit lane labels: about 6.8 times the width.
    expect(scrollWidth).toBeGreaterThan(6 * clientWidth);
    expect((await hour.boundingBox())?.height).toBeCloseTo(heightAtFit, 0);
    // A bar's label keeps to the start of its bar.
    const bar = await hour.locator('.phase-connected rect').boundingBox();
    const barLabel = await hour.locator('.phase-connected .bar-label').boundingBox();
    expect((barLabel?.x ?? 0) - (bar?.x ?? 0)).toBeLessThan(8);
    // Panning keeps the lane labels in view over the scrolled shapes.
    await box.evaluate((el) => {
      el.scrollLeft = 3000;
    });
    const label = hour.locator('.lane-label', { hasText: 'tones' });
    const [labelBox, viewBox] = [await label.boundingBox(), await box.boundingBox()];
    expect(labelBox?.x).toBeGreaterThanOrEqual(viewBox?.x ?? Number.NaN);
    expect(labelBox?.x).toBeLessThan((viewBox?.x ?? 0) + 40);
    await page.getByRole('button', { name: 'Fit the whole timeline of call hour' }).click();
    expect(await smallestToneGapPx(hour)).toBeLessThan(0);
    expect(await tickLabels(hour)).toHaveLength(7);
  });

  it('zooms with the keyboard alone: Tab to the timeline, then + and −', async () => {
    const hour = page.locator('svg.timeline[data-call="hour"]');
    const box = page.locator('.timeline-box', { has: hour });
    await page.getByRole('button', { name: 'Fit the whole timeline of call hour' }).click();
    // Tab from the zoom group's last button lands on the timeline itself.
    await page.getByRole('button', { name: 'Fit the whole timeline of call hour' }).focus();
    await page.keyboard.press('Tab');
    expect(await box.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    for (let i = 0; i < 4; i++) await page.keyboard.press('+');
    const level = page.getByRole('status', { name: 'Zoom level of the timeline of call hour' });
    expect(await level.textContent()).toBe('16×');
    expect(await smallestToneGapPx(hour)).toBeGreaterThan(4);
    await page.keyboard.press('-');
    expect(await level.textContent()).toBe('8×');
    // The buttons answer Enter and Space like any button.
    await page.getByRole('button', { name: 'Zoom out of the timeline of call hour' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    expect(await level.textContent()).toBe('2×');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await level.textContent()).toBe('2×');
    await box.focus();
    await page.keyboard.press('0');
    expect(await level.textContent()).toBe('1×');
  });

  it('zooms with Ctrl + wheel around the pointer, and leaves the plain wheel to the page', async () => {
    const hour = page.locator('svg.timeline[data-call="hour"]');
    const box = page.locator('.timeline-box', { has: hour });
    await page.getByRole('button', { name: 'Fit the whole timeline of call hour' }).click();
    await box.scrollIntoViewIfNeeded();
    const level = page.getByRole('status', { name: 'Zoom level of the timeline of call hour' });
    const area = await box.boundingBox();
    if (area === null) throw new Error('the one-hour timeline is not on screen');
    // Point at three quarters of the way along the axis, about minute 45.
    const pointerX = area.x + area.width * 0.75;
    await page.mouse.move(pointerX, area.y + area.height / 2);
    await page.mouse.wheel(0, -100);
    expect(await level.textContent()).toBe('1×');
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -100);
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    await expect.poll(() => level.textContent()).toBe('4×');
    // The time under the pointer stayed under it: the tick nearest the pointer is still minute 45 or so.
    const ticks = await hour.locator('.ticks .tick').evaluateAll((els) =>
      els.map((e) => ({
        x: e.getBoundingClientRect().x + e.getBoundingClientRect().width / 2,
        text: e.textContent,
      })),
    );
    const nearest = ticks.reduce((a, b) => (Math.abs(b.x - pointerX) < Math.abs(a.x - pointerX) ? b : a));
    const minute = Number(nearest.text?.split(':')[0]);
    expect(minute).toBeGreaterThanOrEqual(40);
    expect(minute).toBeLessThanOrEqual(50);
  });

  it('draws one lane per call of a multi-call scenario on a shared axis of scenario time', async () => {
    const scenario = report.scenarios[1];
    const calls = scenario?.calls ?? [];
    expect(calls.length).toBeGreaterThanOrEqual(2);
    const section = page.locator('details.scenario').nth(1);
    const overview = section.locator('svg.scenario-timeline');
    expect(await overview.count()).toBe(1);
    expect(
      await overview.locator('.call-lane').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-call'))),
    ).toEqual(calls.map((c) => c.id));
    expect(await overview.locator('.lane-label').allTextContents()).toEqual(calls.map((c) => `call ${c.id}`));
    // Calls that start later start further right: the lanes share one axis.
    const starts = await overview
      .locator('.call-lane')
      .evaluateAll((ls) => ls.map((l) => l.querySelector('rect')?.getBoundingClientRect().x ?? Number.NaN));
    expect(calls.map((c) => c.startedAtMs)).toEqual([0, 120_000, 300_000]);
    for (let i = 1; i < calls.length; i++) expect(starts[i]).toBeGreaterThan((starts[i - 1] ?? 0) + 50);
    // The axis is scenario time, to the last call's end at 06:05.
    expect((await overview.locator('.ticks .tick').allTextContents()).at(-1)).toBe('06:00');
    // It sits above the per-call details, and a one-call scenario has none.
    const above = await section.evaluate((el) => {
      const overviewSvg = el.querySelector('svg.scenario-timeline');
      const firstCall = el.querySelector('section.call');
      return (
        overviewSvg !== null && firstCall !== null && overviewSvg.compareDocumentPosition(firstCall) === 4
      );
    });
    expect(above).toBe(true);
    expect(await page.locator('details.scenario').first().locator('svg.scenario-timeline').count()).toBe(0);
  });

  it('asks for nothing over the network and logs no error while zooming', async () => {
    await page.getByRole('button', { name: 'Zoom in on the scenario timeline' }).click();
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('takes a screenshot of the zoomed one-hour call', async () => {
    const hour = page.locator('section.call[data-call="hour"]');
    await page.getByRole('button', { name: 'Fit the whole timeline of call hour' }).click();
    const zoomIn = page.getByRole('button', { name: 'Zoom in on the timeline of call hour' });
    for (let i = 0; i < 3; i++) await zoomIn.click();
    const out = process.env.CALLREC_SCREENSHOT_DIR;
    if (out === undefined) {
      expect((await hour.screenshot()).subarray(1, 4).toString()).toBe('PNG');
      return;
    }
    mkdirSync(out, { recursive: true });
    await hour.locator('.zoomable').screenshot({ path: `${out}/report-zoom.png` });
    await page.getByRole('button', { name: 'Fit the whole scenario timeline' }).click();
    await page
      .locator('details.scenario')
      .nth(1)
      .locator('.zoomable')
      .first()
      .screenshot({
        path: `${out}/report-scenario-timeline.png`,
      });
  });
});
