/**
 * `telephony_calls` webhooks: a loopback receiver gets every call-state and recording-state change
 * (received, connected, recordingPending/Started/Paused/Stopped, disconnected) with the call's details and
 * an HMAC signature; a receiver that fails gets bounded retries with doubling back-off on the world's clock.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { person, TERMS, WORLD } from './fixture.ts';
import { serve } from './harness.ts';

interface Received {
  readonly body: {
    event: string;
    data: { eventType: string; recordingState?: string; id: string; personId: string };
  };
  readonly signature: string | undefined;
  readonly raw: string;
}

const receivers: Server[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await new Promise<void>((resolve) => r.close(() => resolve()));
});

/** A loopback receiver answering with the statuses given (then 200 for ever). */
async function receiver(statuses: number[] = []) {
  const got: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      got.push({
        body: JSON.parse(raw),
        signature: req.headers['x-spark-signature'] as string | undefined,
        raw,
      });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  receivers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

async function world(retry = { attempts: 3, firstDelayMs: 1000 }) {
  const s = await serve(WORLD, { webhookRetry: retry });
  const admin = s.server.tokenOf('it@acme.example');
  await s.call('PUT', TERMS, { token: admin, body: { termsOfServiceEnabled: true } });
  await s.call('PUT', person('alice'), {
    token: admin,
    body: { enabled: true, record: 'On Demand with User Initiated Start' },
  });
  return s;
}

it('every call and recording-state change of the user reaches the registered URL, signed, in order', async () => {
  const s = await world();
  const target = await receiver();
  const alice = s.server.tokenOf('alice');
  await s.call('POST', '/v1/webhooks', {
    token: alice,
    body: {
      name: 'mine',
      targetUrl: target.url,
      resource: 'telephony_calls',
      event: 'all',
      secret: 's3cret',
    },
  });
  // Bob's calls are not Alice's business.
  await s.call('POST', '/v1/simulator/calls', {
    token: s.server.simulatorToken,
    body: { personId: 'bob', callId: 'bob-1' },
  });
  const placed = await s.call('POST', '/v1/simulator/calls', {
    token: s.server.simulatorToken,
    body: { personId: 'alice', callId: 'a-1' },
  });
  expect(placed.status).toBe(201);
  await s.call('POST', '/v1/telephony/calls/answer', { token: alice, body: { callId: 'a-1' } });
  await s.call('POST', '/v1/telephony/calls/startRecording', { token: alice, body: { callId: 'a-1' } });
  s.clock.advanceBy(1000);
  await s.call('POST', '/v1/telephony/calls/pauseRecording', { token: alice, body: { callId: 'a-1' } });
  await s.call('POST', '/v1/telephony/calls/resumeRecording', { token: alice, body: { callId: 'a-1' } });
  await s.call('POST', '/v1/telephony/calls/stopRecording', { token: alice, body: { callId: 'a-1' } });
  await s.call('POST', '/v1/telephony/calls/hangup', { token: alice, body: { callId: 'a-1' } });
  await s.server.webhooks.settled();
  const types = target.got.map((g) => g.body.data.eventType);
  expect(types).toEqual([
    'received',
    'connected',
    'recordingPending',
    'recordingStarted',
    'recordingPaused',
    'recordingStarted',
    'recordingStopped',
    'disconnected',
  ]);
  expect(target.got.map((g) => g.body.event)).toEqual(['created', ...Array(6).fill('updated'), 'deleted']);
  expect(new Set(target.got.map((g) => g.body.data.id))).toEqual(new Set(['a-1']));
  for (const g of target.got)
    expect(g.signature).toBe(createHmac('sha1', 's3cret').update(g.raw).digest('hex'));
  expect(target.got[3]?.body.data.recordingState).toBe('started');
});

it('a failing receiver is retried with doubling back-off on the clock, then given up; a dead one too', async () => {
  const s = await world({ attempts: 3, firstDelayMs: 1000 });
  const flaky = await receiver([500, 503]);
  const alice = s.server.tokenOf('alice');
  await s.call('POST', '/v1/webhooks', {
    token: alice,
    body: { name: 'flaky', targetUrl: flaky.url, resource: 'telephony_calls', event: 'created' },
  });
  await s.call('POST', '/v1/simulator/calls', {
    token: s.server.simulatorToken,
    body: { personId: 'alice', callId: 'a-2' },
  });
  await s.server.webhooks.settled();
  expect(flaky.got.length).toBe(1);
  s.clock.advanceBy(999);
  await s.server.webhooks.settled();
  expect(flaky.got.length).toBe(1);
  s.clock.advanceBy(1);
  await s.server.webhooks.settled();
  expect(flaky.got.length).toBe(2);
  s.clock.advanceBy(2000);
  await s.server.webhooks.settled();
  expect(flaky.got.length).toBe(3);
  s.clock.advanceBy(60_000);
  await s.server.webhooks.settled();
  expect(flaky.got.length).toBe(3);
  expect(s.server.webhooks.deliveries.map((d) => d.status)).toEqual([500, 503, 200]);

  // Nothing listens on this port any more: three attempts, then it stops.
  const gone = await receiver();
  const url = gone.url;
  await new Promise<void>((resolve) => receivers.pop()?.close(() => resolve()));
  await s.call('POST', '/v1/webhooks', {
    token: alice,
    body: { name: 'gone', targetUrl: url, resource: 'telephony_calls', event: 'created' },
  });
  await s.call('POST', '/v1/simulator/calls', {
    token: s.server.simulatorToken,
    body: { personId: 'alice', callId: 'a-3' },
  });
  for (let i = 0; i < 4; i++) {
    await s.server.webhooks.settled();
    s.clock.advanceBy(10_000);
  }
  const toGone = s.server.webhooks.deliveries.filter((d) => d.webhookId === 'webhook-2');
  expect(toGone.map((d) => d.status)).toEqual(['network-error', 'network-error', 'network-error']);
});
