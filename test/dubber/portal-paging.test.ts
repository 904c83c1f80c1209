/**
 * The portal list is paged (`limit`, `cursor`) and reads each page with a fixed number of store queries,
 * however many recordings the page holds (counted on the store, never timed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPortal } from '../../src/dubber/portal.ts';
import { createSinkServer, type SinkServer } from '../../src/dubber/server.ts';
import type { SinkStore } from '../../src/dubber/store/store.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';
import {
  ALL_KEYS,
  interleave,
  provisionWorld,
  REMOTE_SSRC,
  rtpStream,
  USER_SSRC,
} from '../harness/helpers.ts';
import { createHarness } from './session-harness.ts';

type Harness = ReturnType<typeof createHarness>;

function recordMany(h: Harness, n: number): void {
  for (let i = 0; i < n; i++) {
    const c = h.connect();
    c.open({ id: `page-${String(i).padStart(3, '0')}` });
    c.frame(interleave(rtpStream(USER_SSRC, 2), rtpStream(REMOTE_SSRC, 2)));
    c.send('close', 100);
    h.flush();
    h.clock.advanceBy(1);
  }
}

/** The store, with every read method call counted. */
function countingStore(store: SinkStore): { store: SinkStore; calls: () => number } {
  let calls = 0;
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (
        typeof value !== 'function' ||
        (!String(name).startsWith('get') &&
          !String(name).startsWith('list') &&
          !String(name).startsWith('find'))
      )
        return value;
      return (...args: unknown[]) => {
        calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls: () => calls };
}

const servers: SinkServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('portal list pages', () => {
  it('pages through every recording once with limit and cursor', () => {
    const h = createHarness();
    recordMany(h, 25);
    const token = h.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = h.portal.listPage(token, { limit: 10, ...(cursor === undefined ? {} : { cursor }) });
      sizes.push(page.recordings.length);
      seen.push(...page.recordings.map((r) => r.recordingId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `page-${String(i).padStart(3, '0')}`));
    expect(h.portal.list(token)).toHaveLength(25);
  });

  it('reads a page of 40 with as many store queries as a page of 5 (no query per recording)', () => {
    const h = createHarness();
    recordMany(h, 40);
    const counted = countingStore(h.store);
    const portal = createPortal(counted.store, h.clock);
    const token = h.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    const before5 = counted.calls();
    expect(portal.listPage(token, { limit: 5 }).recordings).toHaveLength(5);
    const for5 = counted.calls() - before5;
    const before40 = counted.calls();
    expect(portal.listPage(token, { limit: 40 }).recordings).toHaveLength(40);
    const for40 = counted.calls() - before40;
    expect(for40).toBe(for5);
  });

  it('serves pages over HTTP and refuses a bad limit or cursor with 400', async () => {
    const clock = createVirtualClock();
    const server = await createSinkServer({ clock, keys: ALL_KEYS });
    servers.push(server);
    provisionWorld(server.provisioning);
    const token = server.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    const get = async (query: string) => {
      const res = await fetch(`${server.url}/v1/portal/recordings${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return {
        status: res.status,
        body: (await res.json()) as { recordings?: unknown[]; nextCursor?: unknown; code?: string },
      };
    };
    expect(await get('?limit=10')).toEqual({ status: 200, body: { recordings: [], nextCursor: null } });
    expect((await get('?limit=0')).body.code).toBe('SINK_ERR_BAD_REQUEST');
    expect((await get('?limit=100000')).status).toBe(400);
    expect((await get('?cursor=not-a-cursor')).status).toBe(400);
  });
});
