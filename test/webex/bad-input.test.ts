/**
 * Bad input of every kind — wrong types, unknown fields, bodies that are not objects, oversized bodies,
 * broken JSON, a wrong content type, a wrong method, no or a forged token — answers in Webex's error shape
 * with a documented status, names what is wrong, and changes nothing in the world.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { person, TERMS, VENDOR_ID, WORLD } from './fixture.ts';
import { type Served, serve } from './harness.ts';

let s: Served;

/** Everything the API could show or the domain holds, as one comparable value. */
function worldState(served: Served): string {
  const { world } = served.server;
  return JSON.stringify({
    hub: world.hub(),
    recordings: Object.keys(world.hub().orgs).map((o) => world.recording(o)),
    jobs: Object.keys(world.hub().orgs).map((o) => world.jobs(o)),
    calls: world.calls.all().map((c) => [c.callId, c.run.log.length]),
    hooks: served.server.webhooks.list(served.server.tokens.list()[0] as never),
  });
}

beforeEach(async () => {
  s = await serve(WORLD);
  const admin = s.server.tokenOf('it@acme.example');
  await s.call('PUT', TERMS, { token: admin, body: { termsOfServiceEnabled: true } });
  await s.call('PUT', person('alice'), { token: admin, body: { enabled: true, record: 'On Demand' } });
  await s.call('POST', '/v1/simulator/calls', {
    token: s.server.simulatorToken,
    body: { personId: 'alice', callId: 'c1' },
  });
});

const OPS = [
  { method: 'PUT', path: person('alice'), who: 'it@acme.example' },
  { method: 'PUT', path: TERMS, who: 'it@acme.example' },
  {
    method: 'PUT',
    path: '/v1/telephony/config/callRecording/complianceAnnouncement',
    who: 'it@acme.example',
  },
  {
    method: 'PUT',
    path: '/v1/telephony/config/locations/acme-hq/callRecording/vendor',
    who: 'it@acme.example',
  },
  { method: 'PUT', path: '/v1/telephony/config/callRecording/vendor', who: 'it@acme.example' },
  { method: 'POST', path: '/v1/telephony/calls/startRecording', who: 'alice' },
  { method: 'POST', path: '/v1/telephony/calls/dial', who: 'alice' },
  { method: 'POST', path: '/v1/webhooks', who: 'alice' },
] as const;

const BAD_BODIES: readonly [string, unknown][] = [
  ['an array', [1, 2]],
  ['a string', 'enabled'],
  ['null', null],
  ['a number', 7],
  [
    'wrong types',
    {
      enabled: 'yes',
      record: 3,
      termsOfServiceEnabled: 'true',
      callId: 5,
      destination: false,
      delayInSeconds: 'x',
      failureBehavior: 1,
      vendorId: 2,
      name: 3,
      repeat: 'often',
    },
  ],
  ['an unknown field', { surprise: true }],
  ['an unknown nested field', { repeat: { intervall: 30 }, notification: { colour: 'red' } }],
];

function expectWebexError(r: { status: number; body: unknown }, statuses: number[]) {
  expect(statuses).toContain(r.status);
  const body = r.body as {
    message: string;
    errors: { description: string; code: string }[];
    trackingId: string;
  };
  expect(body.message.length).toBeGreaterThan(10);
  expect(body.errors[0]?.description).toBe(body.message);
  expect(body.trackingId).toMatch(/^CALLREC_/);
}

describe('bad input changes nothing', () => {
  for (const op of OPS) {
    it(`${op.method} ${op.path}: bad bodies, JSON, types, sizes and content types are refused`, async () => {
      const token = s.server.tokenOf(op.who);
      const before = worldState(s);
      for (const [what, body] of BAD_BODIES) {
        const r = await s.call(op.method, op.path, { token, body });
        expectWebexError(r, [400]);
        expect(worldState(s), `${what} changed the world`).toBe(before);
      }
      expectWebexError(
        await s.call(op.method, op.path, {
          token,
          raw: '{"enabled": tru',
          headers: { 'content-type': 'application/json' },
        }),
        [400],
      );
      expectWebexError(
        await s.call(op.method, op.path, {
          token,
          raw: `{"name":"${'x'.repeat(70_000)}"}`,
          headers: { 'content-type': 'application/json' },
        }),
        [400],
      );
      expectWebexError(
        await s.call(op.method, op.path, {
          token,
          raw: 'enabled=true',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        [415],
      );
      expectWebexError(await s.call('PATCH', op.path, { token, body: {} }), [405]);
      expectWebexError(await s.call(op.method, op.path, { body: {} }), [401]);
      expectWebexError(await s.call(op.method, op.path, { token: `${token}x`, body: {} }), [401]);
      expect(worldState(s)).toBe(before);
    });
  }

  it('the messages name the field', async () => {
    const token = s.server.tokenOf('it@acme.example');
    const r = await s.call('PUT', person('alice'), { token, body: { notification: { type: 'Whistle' } } });
    expect((r.body as { message: string }).message).toContain('notification.type');
    const unknown = await s.call('PUT', '/v1/telephony/config/callRecording/complianceAnnouncement', {
      token,
      body: { surprise: 1 },
    });
    expect((unknown.body as { message: string }).message).toContain('surprise: no such field');
    const typed = await s.call('PUT', TERMS, { token, body: { termsOfServiceEnabled: 'true' } });
    expect((typed.body as { message: string }).message).toContain('termsOfServiceEnabled: must be boolean');
  });

  it('unknown paths are 404, paths outside /v1 too, and a hostile path or query does not crash the server', async () => {
    const token = s.server.tokenOf('it@acme.example');
    for (const path of [
      '/v1/nothing',
      '/',
      '/v2/people',
      '/v1/people/%00/features/callRecording',
      `/v1/people/${'a'.repeat(5000)}/features/callRecording`,
      '/v1/telephony/config/callRecording?orgId=%FF%FE',
      `${TERMS}/../../../../etc/passwd`,
    ]) {
      const r = await s.call('GET', path, { token });
      expectWebexError(r, [400, 404]);
    }
    expect((await s.call('GET', person('alice'), { token })).status).toBe(200);
    expect(VENDOR_ID.length).toBeGreaterThan(10);
  });
});
