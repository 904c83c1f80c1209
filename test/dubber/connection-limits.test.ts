/**
 * Connections are bounded: at most maxConnections WebSocket connections at once (one more upgrade gets 503
 * SINK_ERR_TOO_MANY_CONNECTIONS while the health endpoint keeps answering), and a connection that opened
 * its recordings and then went silent for idleTimeoutMs (on the sink clock) is closed. Timeouts here are hang
 * guards only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSinkServer, type SinkServer } from '../../src/dubber/server.ts';
import { signRequest } from '../../src/protocol/auth-signature.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';
import { ALL_KEYS, PLATFORM_KEY, provisionWorld } from '../harness/helpers.ts';
import { createHarness } from './session-harness.ts';

const servers: SinkServer[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(limits = {}) {
  const clock = createVirtualClock();
  clock.advanceTo(1_700_000_000_000);
  const server = await createSinkServer({ clock, keys: ALL_KEYS, limits: { openTimeoutMs: 0, ...limits } });
  servers.push(server);
  provisionWorld(server.provisioning);
  return { clock, server };
}

type Upgrade = { readonly ws: WebSocket } | { readonly status: number; readonly code: string };

function upgrade(server: SinkServer, nowMs: number): Promise<Upgrade> {
  const headers = signRequest({
    method: 'GET',
    path: '/v1/stream',
    keyId: PLATFORM_KEY.keyId,
    secret: PLATFORM_KEY.secret,
    nowMs,
  });
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.streamUrl, { headers });
    sockets.push(ws);
    const guard = setTimeout(() => reject(new Error('no answer to the upgrade')), 5_000);
    ws.on('open', () => {
      clearTimeout(guard);
      resolve({ ws });
    });
    ws.on('error', () => {});
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => {
        clearTimeout(guard);
        resolve({ status: res.statusCode ?? 0, code: (JSON.parse(body) as { code: string }).code });
      });
    });
  });
}

describe('connection cap', () => {
  it('refuses one connection past maxConnections with 503, keeps /v1/health answering, and admits again later', async () => {
    const { clock, server } = await start({ maxConnections: 2 });
    const first = await upgrade(server, clock.nowMs());
    const second = await upgrade(server, clock.nowMs());
    expect('ws' in first && 'ws' in second).toBe(true);
    expect(await upgrade(server, clock.nowMs())).toEqual({
      status: 503,
      code: 'SINK_ERR_TOO_MANY_CONNECTIONS',
    });
    const health = await fetch(`${server.url}/v1/health`);
    expect(health.status).toBe(200);
    if ('ws' in first) {
      const closed = new Promise((resolve) => first.ws.once('close', resolve));
      first.ws.close();
      await closed;
    }
    await expect.poll(() => server.stats().connections, { timeout: 5_000 }).toBe(1);
    expect('ws' in (await upgrade(server, clock.nowMs()))).toBe(true);
  });
});

describe('idle timeout', () => {
  it('closes a connection silent for idleTimeoutMs after its open, and the recording stays resumable', () => {
    const h = createHarness({ idleTimeoutMs: 30_000 });
    const c = h.connect();
    c.open({ id: 'silent' });
    h.flush();
    h.clock.advanceBy(20_000);
    c.send('ping', 0);
    h.flush();
    h.clock.advanceBy(29_000);
    expect(c.closed).toBeUndefined();
    h.clock.advanceBy(1_000);
    expect(c.closed).toMatchObject({ code: 4002, reason: 'SINK_ERR_IDLE_TIMEOUT' });
    expect(c.errors()).toContain('SINK_ERR_IDLE_TIMEOUT');
    c.session.onTransportClosed();
    h.flush();
    expect(h.store.getRecording('silent')).toMatchObject({ state: 'active', interruptions: 1 });
  });

  it('keeps a connection that keeps talking, however long', () => {
    const h = createHarness({ idleTimeoutMs: 30_000 });
    const c = h.connect();
    c.open({ id: 'chatty' });
    for (let i = 0; i < 10; i++) {
      h.clock.advanceBy(25_000);
      c.send('ping', 0);
      h.flush();
    }
    expect(c.closed).toBeUndefined();
  });
});
