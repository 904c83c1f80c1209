/**
 * The Dubber portal pages in real Chromium: who sees which recordings (S6, S8, never another
 * organisation), playback over the WAV, the pause gap on the waveform, the administration pages with
 * retention consequences before a tier switch (S9–S11), keyboard-only use, and no request leaving the
 * sink. Set PORTAL_SCREENSHOTS=<dir> to also save a screenshot of each page there.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAVE_COLOURS } from '../../src/dubber/portal-web/assets.ts';
import { launchChromium } from '../scenario-reports/chromium.ts';
import { ALICE_PAUSE, type PortalWorld, RECORDINGS, startPortalWorld } from './portal-world.ts';

const SHOTS = process.env.PORTAL_SCREENSHOTS;

/** The little of the browser's DOM the page functions use (the tests compile without the DOM library). */
interface BrowserWindow {
  readonly document: {
    getElementById(id: string): unknown;
    readonly activeElement: { matches(selector: string): boolean } | null;
  };
}
interface BrowserAudio {
  readonly currentTime: number;
  readonly duration: number;
  readonly paused: boolean;
}
interface BrowserCanvas {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
}
interface Styled {
  readonly style: { readonly left: string; readonly width: string };
}

let world: PortalWorld;
let browser: Browser;
const outside: string[] = [];
const cspErrors: string[] = [];
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  contexts.push(context);
  // Everything not addressed to the sink is recorded and refused.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${world.server.url}/`)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
  });
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS === undefined) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Signs in by picking a known identity from the list. */
async function signIn(identity: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${world.server.url}/portal`);
  await page.selectOption('#identity', identity);
  await Promise.all([page.waitForURL(/\/portal\/recordings$/), page.click('form:has(#identity) button')]);
  return page;
}

async function listedIds(page: Page): Promise<string[]> {
  return page.$$eval('#recordings tbody tr', (rows) =>
    rows.map((r) => r.getAttribute('data-recording-id') ?? ''),
  );
}

/** Presses Tab until `selector` has focus; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 40): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (
      await page.evaluate(
        (s) => (globalThis as unknown as BrowserWindow).document.activeElement?.matches(s) ?? false,
        selector,
      )
    )
      return i;
  }
  throw new Error(`${selector} never got focus after ${max} Tab presses`);
}

beforeAll(async () => {
  world = await startPortalWorld();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await world?.close();
});

describe('the portal in Chromium', () => {
  it.each([
    ['alice, a Go user, sees her own recording only (S6)', 'user|acme|alice', [RECORDINGS.alice]],
    ['bob, another Go user, sees his own only (S6)', 'user|acme|bob', [RECORDINGS.bob]],
    ['dave, a Standard user, sees his own', 'user|acme|dave', [RECORDINGS.dave]],
    [
      "acme's Dubber admin sees the Standard user's recording, not the Go users' (S6, S8)",
      'admin|acme|it@acme.example',
      [RECORDINGS.dave],
    ],
    ["globex's admin, whose users are on Go, sees none (S6)", 'admin|globex|it@globex.example', []],
    [
      "initech's admin sees initech's recording and none of acme's or globex's",
      'admin|initech|it@initech.example',
      [RECORDINGS.eve],
    ],
  ])('%s', async (_name, identity, expected) => {
    const page = await signIn(identity);
    const ids = expected.length === 0 ? [] : await listedIds(page);
    if (expected.length === 0) expect(await page.locator('#no-recordings').count()).toBe(1);
    expect(ids).toEqual(expected);
    // The pages answer the same as the API: a recording not listed cannot be opened either.
    for (const id of Object.values(RECORDINGS).filter((r) => !(expected as readonly string[]).includes(r))) {
      const response = await page.goto(`${world.server.url}/portal/recordings/${id}`);
      expect([403, 404], id).toContain(response?.status());
      const audio = await page.request.get(`${world.server.url}/portal/recordings/${id}/audio.wav`);
      expect([403, 404], id).toContain(audio.status());
    }
    if (identity === 'user|acme|alice') {
      await page.goto(`${world.server.url}/portal/recordings`);
      await shot(page, 'portal-recordings');
    }
  });

  it('another organisation gets "not found", a Go admin the S6 reason', async () => {
    const other = await signIn('admin|initech|it@initech.example');
    const r1 = await other.goto(`${world.server.url}/portal/recordings/${RECORDINGS.alice}`);
    expect(r1?.status()).toBe(404);
    const goAdmin = await signIn('admin|acme|it@acme.example');
    const r2 = await goAdmin.goto(`${world.server.url}/portal/recordings/${RECORDINGS.alice}`);
    expect(r2?.status()).toBe(403);
    expect(await goAdmin.textContent('[role=alert]')).toMatch(/On Dubber Go only the user/);
  });

  it('shows duration, participants and the Go retention countdown on each row (S6, S11)', async () => {
    const page = await signIn('user|acme|alice');
    const cells = await page.$$eval('#recordings tbody tr td', (tds) =>
      tds.map((t) => t.textContent?.trim()),
    );
    expect(cells).toEqual(
      expect.arrayContaining(['0:05', 'alice → internal caller', 'Go', 'deleted in 12 days']),
    );
  });

  it('filters by tier and user, sorts and pages', async () => {
    const page = await signIn('admin|initech|it@initech.example');
    await page.goto(`${world.server.url}/portal/recordings?tier=Go`);
    expect(await page.locator('#no-recordings').count()).toBe(1);
    await page.goto(
      `${world.server.url}/portal/recordings?tier=Standard&user=eve&sort=duration&dir=asc&size=10`,
    );
    expect(await listedIds(page)).toEqual([RECORDINGS.eve]);
    expect(await page.getAttribute('th[aria-sort]', 'aria-sort')).toBe('ascending');
  });

  it('plays the WAV: the audio element loads with the recording duration, and plays and seeks', async () => {
    const page = await signIn('user|acme|alice');
    await page.click(`a[href="/portal/recordings/${RECORDINGS.alice}"]`);
    await page.waitForSelector('#play:not([disabled])');
    const durationS = await page.$eval('#audio', (a) => (a as unknown as BrowserAudio).duration);
    expect(durationS * 1000).toBeCloseTo(ALICE_PAUSE.durationMs, -1);
    await page.click('#play');
    await page.waitForFunction(
      () =>
        ((globalThis as unknown as BrowserWindow).document.getElementById('audio') as BrowserAudio)
          .currentTime > 0.1,
    );
    expect(await page.textContent('#play')).toBe('Pause');
    await page.click('#play');
    // A marker seeks the player to its position.
    await page.click('button.marker-pause');
    await page.waitForFunction(
      () =>
        Math.abs(
          ((globalThis as unknown as BrowserWindow).document.getElementById('audio') as BrowserAudio)
            .currentTime - 1,
        ) < 0.05,
    );
    const download = await page.request.get(
      `${world.server.url}/portal/recordings/${RECORDINGS.alice}/audio.wav?download=1`,
    );
    expect(download.headers()['content-disposition']).toMatch(/^attachment;/);
    expect((await download.body()).subarray(0, 4).toString('ascii')).toBe('RIFF');
    await shot(page, 'portal-recording');
  });

  it('draws the pause gap on both lanes where the call paused, with the S26 notices as markers', async () => {
    const page = await signIn('user|acme|alice');
    await page.goto(`${world.server.url}/portal/recordings/${RECORDINGS.alice}`);
    await page.waitForSelector('#wave[data-drawn="true"]');
    const hex = (c: string) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16));
    const columns = await page.evaluate(
      ({ user, remote, durationMs }) => {
        const canvas = (globalThis as unknown as BrowserWindow).document.getElementById(
          'wave-canvas',
        ) as BrowserCanvas;
        const ctx = canvas.getContext('2d');
        const lanePixels = (atMs: number, colour: number[], top: number) => {
          const x = Math.round((atMs / durationMs) * canvas.width);
          const data = ctx.getImageData(x, top, 1, canvas.height / 2).data;
          let n = 0;
          for (let i = 0; i < data.length; i += 4)
            if (data[i] === colour[0] && data[i + 1] === colour[1] && data[i + 2] === colour[2]) n++;
          return n;
        };
        return [500, 2500, 4500].map((ms) => ({
          ms,
          user: lanePixels(ms, user, 0),
          remote: lanePixels(ms, remote, canvas.height / 2),
        }));
      },
      { user: hex(WAVE_COLOURS.user), remote: hex(WAVE_COLOURS.remote), durationMs: ALICE_PAUSE.durationMs },
    );
    const [before, during, after] = columns;
    expect(before?.user).toBeGreaterThan(10);
    expect(before?.remote).toBeGreaterThan(10);
    expect(during).toEqual({ ms: 2500, user: 0, remote: 0 });
    expect(after?.user).toBeGreaterThan(10);
    expect(after?.remote).toBeGreaterThan(10);
    const pause = await page.$eval('.tick-pause', (t) => ({
      left: (t as unknown as Styled).style.left,
      width: (t as unknown as Styled).style.width,
    }));
    expect(pause).toEqual({ left: '20%', width: '60%' });
    expect(await page.$$eval('button.marker-announcement', (b) => b.map((x) => x.textContent))).toEqual([
      'pause beep played at 0:01 (not in the audio, S25/S26)',
      'resume beep played at 0:04 (not in the audio, S25/S26)',
    ]);
    const rtp = await page.$$eval('#streams tbody tr', (rows) =>
      rows.map((r) => r.querySelectorAll('td')[1]?.textContent),
    );
    expect(rtp).toEqual(['100', '100']);
  });

  it('keyboard only: sign in, open a recording, play it', async () => {
    const page = await newPage();
    await page.goto(`${world.server.url}/portal`);
    await tabTo(page, '#identity');
    // The first option is acme's admin; the list is alphabetical by organisation, admins first.
    await page.keyboard.press('ArrowDown');
    expect(await page.$eval('#identity', (s) => (s as unknown as { value: string }).value)).toBe(
      'user|acme|alice',
    );
    await tabTo(page, 'form:has(#identity) button');
    await Promise.all([page.waitForURL(/\/portal\/recordings$/), page.keyboard.press('Enter')]);
    await tabTo(page, `a[href="/portal/recordings/${RECORDINGS.alice}"]`);
    await Promise.all([page.waitForURL(/rec-alice$/), page.keyboard.press('Enter')]);
    await page.waitForSelector('#play:not([disabled])');
    await tabTo(page, '#play');
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () =>
        !((globalThis as unknown as BrowserWindow).document.getElementById('audio') as BrowserAudio).paused,
    );
    await page.keyboard.press('Space');
    await tabTo(page, '#seek');
    await page.keyboard.press('End');
    await page.waitForFunction(
      () =>
        ((globalThis as unknown as BrowserWindow).document.getElementById('audio') as BrowserAudio)
          .currentTime > 4.5,
    );
  });

  it('an admin switches a user to Standard after seeing what happens to the stored recordings (S9, S10)', async () => {
    const page = await signIn('admin|acme|it@acme.example');
    await page.click('nav a[href="/portal/admin"]');
    await shot(page, 'portal-admin');
    await page.selectOption('#tier-user', 'bob');
    await page.selectOption('#tier-tier', 'Standard');
    await page.click('form[action="/portal/admin/tier"] button');
    const summary = await page.textContent('#consequences .summary');
    expect(summary).toMatch(/bob moves to Standard: stored recordings are no longer deleted \(S10\)/);
    expect(await page.$$eval('.consequences tbody td', (tds) => tds.map((t) => t.textContent))).toEqual([
      'deleted in 12 days',
      'kept while on a paid tier',
    ]);
    await shot(page, 'portal-admin-confirm');
    // Nothing changed before the confirmation.
    await page.goto(`${world.server.url}/portal/recordings`);
    expect(await listedIds(page)).toEqual([RECORDINGS.dave]);
    await page.goBack();
    await page.click('#confirm');
    expect(await page.textContent('[role=status]')).toBe('bob is now on Standard.');
    await page.goto(`${world.server.url}/portal/recordings?sort=user&dir=asc`);
    expect(await listedIds(page)).toEqual([RECORDINGS.bob, RECORDINGS.dave]);
  });

  it("reassigning a paid licence shows both users' consequences, then moves it (S11)", async () => {
    const page = await signIn('admin|acme|it@acme.example');
    await page.goto(`${world.server.url}/portal/admin`);
    await page.selectOption('#re-from', 'dave');
    await page.selectOption('#re-to', 'alice');
    await page.click('form[action="/portal/admin/reassign"] button');
    const summaries = await page.$$eval('#consequences .summary', (p) => p.map((x) => x.textContent));
    expect(summaries[0]).toMatch(
      /dave moves to Dubber Go: unlimited retention ends, each stored recording is deleted 30 days from now/,
    );
    expect(summaries[1]).toMatch(/alice moves to Standard/);
    await page.click('#confirm');
    expect(await page.textContent('[role=status]')).toMatch(
      /alice now holds the Standard licence; dave is on Go/,
    );
    const tiers = await page.$$eval('#users tbody tr', (rows) =>
      rows.map((r) => [r.getAttribute('data-user-id'), r.querySelector('td')?.textContent]),
    );
    expect(tiers).toEqual(
      expect.arrayContaining([
        ['alice', 'Standard'],
        ['dave', 'Go'],
      ]),
    );
  });

  it('adds an administrator, refuses one already in another account (S17)', async () => {
    const page = await signIn('admin|acme|it@acme.example');
    await page.goto(`${world.server.url}/portal/admin`);
    await page.fill('#admin-email', 'ops@acme.example');
    await page.click('form[action="/portal/admin/admins"] button');
    expect(await page.$$eval('#admins li', (l) => l.map((x) => x.textContent))).toEqual([
      'it@acme.example',
      'ops@acme.example',
    ]);
    await page.fill('#admin-email', 'it@globex.example');
    await page.click('form[action="/portal/admin/admins"] button');
    expect(await page.textContent('[role=alert]')).toMatch(/already a Dubber admin of organisation globex/);
  });

  it('a user cannot open administration; a cross-site form post is refused', async () => {
    const page = await signIn('user|acme|alice');
    const r = await page.goto(`${world.server.url}/portal/admin`);
    expect(r?.status()).toBe(403);
    const post = await fetch(`${world.server.url}/portal/sign-in`, {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
      body: new URLSearchParams({ identity: 'admin|acme|it@acme.example' }),
      redirect: 'manual',
    });
    expect(post.status).toBe(403);
    expect(post.headers.get('set-cookie')).toBeNull();
  });

  it('no page made a request outside the sink or broke its CSP', () => {
    expect(outside).toEqual([]);
    expect(cspErrors).toEqual([]);
  });
});
