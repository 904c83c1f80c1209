/**
 * The Control Hub page in Chromium: the repeat tone refuses 5 s and 95 s with the domain's own message
 * and keeps what was stored (S29, S30), a valid change is saved, the first enable in an organisation without
 * a Dubber account needs the terms (S15), and "View call recording platform info" shows the dub.point
 * values (S19). No request leaves the sink.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySettingsPatch, defaultRecordingSettings } from '../../src/domain/settings.ts';
import { isSimError } from '../../src/errors.ts';
import { dubPointOf } from '../harness/helpers.ts';
import { launchChromium } from '../scenario-reports/chromium.ts';
import { type PortalWorld, startPortalWorld } from './portal-world.ts';

let world: PortalWorld;
let browser: Browser;
let context: BrowserContext;
const outside: string[] = [];

beforeAll(async () => {
  world = await startPortalWorld();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${world.server.url}/`)) return route.continue();
    outside.push(url);
    return route.abort();
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await world?.close();
});

function domainMessage(interval: number): string {
  try {
    applySettingsPatch(defaultRecordingSettings(dubPointOf('alice')), { repeat: { interval } });
  } catch (error) {
    if (isSimError(error)) return error.message;
    throw error;
  }
  throw new Error(`${interval} s was accepted`);
}

async function open(userId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${world.server.url}/control-hub/${userId}`);
  return page;
}

describe('the Control Hub page', () => {
  it.each([5, 95])(
    'refuses a %i s repeat tone with the domain message and keeps the stored value (S29, S30)',
    async (s) => {
      const page = await open('alice');
      await page.check('#repeat-enabled');
      await page.fill('#repeat-interval', String(s));
      await page.click('#save');
      expect(await page.textContent('#settings-error')).toBe(domainMessage(s));
      expect(await page.inputValue('#repeat-interval')).toBe('20');
    },
  );

  it('saves a valid interval by keyboard and shows it again', async () => {
    const page = await open('alice');
    await page.focus('#repeat-interval');
    await page.fill('#repeat-interval', '30');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[role=status]');
    await page.goto(`${world.server.url}/control-hub/alice`);
    expect(await page.inputValue('#repeat-interval')).toBe('30');
  });

  it('asks for the Dubber terms on the first enable in an organisation (S15)', async () => {
    const p = world.harness.provisioning;
    p.upsertOrg({ orgId: 'umbrella', customerName: 'Umbrella plc' });
    p.upsertUser({
      orgId: 'umbrella',
      userId: 'uma',
      profile: {
        timeZone: 'Europe/London',
        firstName: 'Uma',
        lastName: 'Test',
        email: 'uma@umbrella.example',
      },
      dubPoint: dubPointOf('uma', 'umbrella'),
      recordingEnabled: false,
    });
    const page = await open('uma');
    await page.check('#enabled');
    await page.click('#save');
    expect(await page.textContent('#settings-error')).toMatch(/accept the Dubber terms of service/);
    expect(world.server.store.getAccount('umbrella')).toBeUndefined();
    await page.check('#enabled');
    await page.check('#accept-terms');
    await page.fill('#admin-email', 'it@umbrella.example');
    await page.click('#save');
    expect(await page.textContent('[role=status]')).toBe('Saved.');
    expect(world.server.store.getAccount('umbrella')?.adminEmails).toEqual(['it@umbrella.example']);
    expect(await page.locator('#accept-terms').count()).toBe(0);
    await page.click('#platform-info summary');
    const values = await page.$$eval('#platform-info dd', (dd) => dd.map((d) => d.textContent));
    expect(values).toEqual(['Dubber Go', 'BroadWorks', 'sp-eu-1', 'umbrella', 'uma']);
  });

  it('made no request outside the sink', () => {
    expect(outside).toEqual([]);
  });
});
