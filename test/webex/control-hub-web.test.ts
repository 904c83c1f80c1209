/**
 * The Control Hub page of `callrec serve` in Chromium: it signs in as an admin the server issued a token
 * to, asks for the Dubber terms on the first enable (S15), shows the dub.point values (S19), refuses a
 * 5 s or 95 s repeat tone with Control Hub's form message and stores nothing (S29), and saves 30 s where
 * `GET /v1/people/{id}/features/callRecording` sees it. No request leaves the server, and the page sends
 * a strict Content-Security-Policy.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applySettingsPatch, defaultRecordingSettings } from '../../src/domain/settings.ts';
import { isSimError } from '../../src/errors.ts';
import { DUBBER_VENDOR } from '../../src/webex/vendor.ts';
import { launchChromium } from '../scenario-reports/chromium.ts';
import { type Served, serve } from './harness.ts';

let served: Served;
let browser: Browser;
let context: BrowserContext;
const outside: string[] = [];
const ADMIN = 'admin@acme.example';
/** Set PORTAL_SCREENSHOTS=<dir> to also save a screenshot of the saved page there. */
const SHOTS = process.env.PORTAL_SCREENSHOTS;

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${served.server.url}/`)) return route.continue();
    outside.push(url);
    return route.abort();
  });
}, 60_000);

// A fresh served world per test (the harness closes it and checks every exchange against the contract).
beforeEach(async () => {
  served = await serve();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

/** What Control Hub's form says about an interval (S29), from the domain itself. */
function formMessage(interval: number): string {
  const dubPoint = { serviceProvider: 'sp', externalGroup: 'g', externalIdentifier: 'x' };
  try {
    applySettingsPatch(defaultRecordingSettings(dubPoint), { repeat: { interval } }, 'control-hub');
  } catch (error) {
    if (isSimError(error)) return error.message;
    throw error;
  }
  throw new Error(`${interval} s was accepted`);
}

async function apiSettings(personId: string) {
  const answer = await served.call('GET', `/v1/people/${personId}/features/callRecording`, {
    token: served.server.tokenOf(ADMIN),
  });
  expect(answer.status).toBe(200);
  return answer.body as { enabled: boolean; repeat: { interval: number; enabled: boolean } };
}

/** Recording on for a person through the API alone (terms accepted first, S15). */
async function enableViaApi(personId: string): Promise<void> {
  const token = served.server.tokenOf(ADMIN);
  const terms = await served.call(
    'PUT',
    `/v1/telephony/config/callRecording/vendors/${DUBBER_VENDOR.id}/termsOfService`,
    { token, body: { termsOfServiceEnabled: true } },
  );
  expect(terms.status).toBe(204);
  const on = await served.call('PUT', `/v1/people/${personId}/features/callRecording`, {
    token,
    body: { enabled: true },
  });
  expect(on.status).toBe(204);
}

async function signedIn(personId: string): Promise<Page> {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${served.server.url}/control-hub/${personId}`);
  await page.check(`input[name=admin][value="${ADMIN}"]`);
  await page.click('#sign-in-submit');
  await page.waitForSelector('#settings');
  return page;
}

describe('the Control Hub page of callrec serve', () => {
  it('asks who signs in, offering only admins the server issued tokens to', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    const answer = await page.goto(`${served.server.url}/control-hub/alice`);
    const csp = answer?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const admins = await page.$$eval('input[name=admin]', (inputs) =>
      inputs.map((i) => i.getAttribute('value')),
    );
    expect(admins).toContain(ADMIN);
    expect(admins.every((a) => a !== 'alice' && a !== 'bob' && a !== 'simulator')).toBe(true);
    expect(await page.locator('#settings').count()).toBe(0);
  });

  it('asks for the Dubber terms on the first enable and then saves through the API (S15)', async () => {
    const page = await signedIn('alice');
    expect(await page.locator('#accept-terms').count()).toBe(1);
    await page.check('#enabled');
    await page.click('#save');
    expect(await page.textContent('#settings-error')).toMatch(/accept the Dubber terms of service/);
    expect((await apiSettings('alice')).enabled).toBe(false);
    await page.check('#enabled');
    await page.check('#accept-terms');
    await page.click('#save');
    expect(await page.textContent('[role=status]')).toBe('Saved.');
    expect((await apiSettings('alice')).enabled).toBe(true);
    expect(served.server.world.hub().dubberAccounts.acme?.termsAcceptedBy).toBe(ADMIN);
    expect(await page.locator('#accept-terms').count()).toBe(0);
    if (SHOTS !== undefined) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'control-hub-serve.png'), fullPage: true });
    }
  });

  it('shows the dub.point values under "View call recording platform info" (S19)', async () => {
    const page = await signedIn('alice');
    await page.focus('#platform-info summary');
    await page.keyboard.press('Enter');
    const values = await page.$$eval('#platform-info dd', (dd) => dd.map((d) => d.textContent));
    const simulator = await served.call('GET', '/v1/simulator/people/alice/platformInfo', {
      token: served.server.simulatorToken,
    });
    const p = simulator.body as Record<string, string>;
    expect(values).toEqual([
      p.product,
      p.externalType,
      p.serviceProvider,
      p.externalGroup,
      p.externalIdentifier,
    ]);
    expect(values[1]).toBe('BroadWorks');
  });

  it.each([5, 95])('refuses a %i s repeat tone with the form message and stores nothing (S29)', async (s) => {
    await enableViaApi('alice');
    const before = await apiSettings('alice');
    const page = await signedIn('alice');
    await page.check('#repeat-enabled');
    await page.fill('#repeat-interval', String(s));
    await page.click('#save');
    expect(await page.textContent('#settings-error')).toBe(formMessage(s));
    expect(await page.inputValue('#repeat-interval')).toBe(String(before.repeat.interval));
    expect(await apiSettings('alice')).toEqual(before);
  });

  it('the API path itself refuses 5 s but takes 95 s (its bound is 10–1800 s)', async () => {
    await enableViaApi('bob');
    const token = served.server.tokenOf(ADMIN);
    const path = '/v1/people/bob/features/callRecording';
    const five = await served.call('PUT', path, { token, body: { repeat: { interval: 5, enabled: true } } });
    expect(five.status).toBe(400);
    expect((five.body as { message: string }).message).toMatch(/from 10 to 1800/);
    const ninetyFive = await served.call('PUT', path, {
      token,
      body: { repeat: { interval: 95, enabled: true } },
    });
    expect(ninetyFive.status).toBe(204);
  });

  it('saves 30 s by keyboard, visible through GET /v1/people/{id}/features/callRecording', async () => {
    await enableViaApi('alice');
    const page = await signedIn('alice');
    await page.check('#repeat-enabled');
    await page.focus('#repeat-interval');
    await page.fill('#repeat-interval', '30');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[role=status]');
    expect((await apiSettings('alice')).repeat).toEqual({ interval: 30, enabled: true });
    await page.reload();
    expect(await page.inputValue('#repeat-interval')).toBe('30');
  });

  it('refuses a cross-site post, shows the API 404 for a person out of reach, and inlines no script', async () => {
    const token = served.server.tokenOf(ADMIN);
    const cookie = `callrec_hub=${token}`;
    const cross = await fetch(`${served.server.url}/control-hub/alice`, {
      method: 'POST',
      headers: {
        cookie,
        origin: 'http://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'enabled=on&acceptTerms=on',
    });
    expect(cross.status).toBe(403);
    expect((await apiSettings('alice')).enabled).toBe(false);
    const missing = await fetch(`${served.server.url}/control-hub/nobody`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('No person &quot;nobody&quot; in an organisation you manage.');
    const page = await (
      await fetch(`${served.server.url}/control-hub/alice`, { headers: { cookie } })
    ).text();
    expect(page.match(/<script\b[^>]*>/g)).toEqual(['<script src="/portal/assets/portal.js" defer>']);
    expect(page).not.toMatch(/\son[a-z]+=/);
  });

  it('made no request outside the server', () => {
    expect(outside).toEqual([]);
  });
});
