/**
 * Provisioning is authorised by what the sink has stored: an organisation key that names its own orgId
 * next to another organisation's user, account or admin gets 403 SINK_ERR_AUTH_SCOPE for every operation,
 * and nothing stored changes. A user never moves between organisations. A past tier switch that would
 * delete stored recordings needs the platform key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSinkServer, type SinkServer } from '../../src/dubber/server.ts';
import { type SinkKey, signRequest } from '../../src/protocol/auth-signature.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';
import {
  ACME_KEY,
  ALL_KEYS,
  aliceRecordingRequest,
  dubPointOf,
  PLATFORM_KEY,
  platformClient,
  provisionWorld,
} from '../harness/helpers.ts';

const servers: SinkServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const DAY_MS = 24 * 60 * 60 * 1000;

async function start() {
  const clock = createVirtualClock();
  clock.advanceTo(1_700_000_000_000);
  const server = await createSinkServer({ clock, keys: ALL_KEYS, scheduleSweep: false });
  servers.push(server);
  provisionWorld(server.provisioning);
  const provision = async (key: SinkKey, op: string, request?: unknown) => {
    const body = JSON.stringify(request === undefined ? { op } : { op, request });
    const headers = signRequest({
      method: 'POST',
      path: '/v1/provision',
      keyId: key.keyId,
      secret: key.secret,
      nowMs: clock.nowMs(),
      body,
    });
    const res = await fetch(`${server.url}/v1/provision`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, body: (await res.json()) as { code?: string; result?: unknown } };
  };
  /** Everything provisioning can change about globex (carol, its account, its org) and its recordings. */
  const globexState = () => ({
    carol: server.store.getUser('carol'),
    account: server.store.getAccount('globex'),
    org: server.store.getOrg('globex'),
    recordings: server.store.listRecordings({ orgId: 'globex', includeDeleted: true }),
  });
  return { clock, server, provision, globexState };
}

const carolProfile = { timeZone: 'UTC', firstName: 'Mallory', lastName: 'X', email: 'mallory@acme.example' };

/** Every provisioning operation, aimed at globex by acme's key while naming acme wherever an org is named. */
const FOREIGN_REQUESTS: readonly [string, unknown][] = [
  ['org', { orgId: 'globex', customerName: 'Taken over' }],
  ['account', { orgId: 'globex', termsAcceptedBy: 'x@acme.example', adminEmails: ['x@acme.example'] }],
  [
    'account',
    {
      orgId: 'acme',
      termsAcceptedBy: 'it@acme.example',
      adminEmails: ['it@acme.example', 'it@globex.example'],
    },
  ],
  ['user', { orgId: 'acme', userId: 'carol', profile: carolProfile, dubPoint: dubPointOf('carol', 'acme') }],
  ['user', { orgId: 'globex', userId: 'carol', profile: carolProfile, dubPoint: dubPointOf('carol') }],
  ['tier', { orgId: 'acme', userId: 'carol', tier: 'Standard' }],
  ['tier', { orgId: 'acme', userId: 'carol', tier: 'Standard', atMs: 0 }],
  ['tier', { userId: 'carol', tier: 'AI' }],
  ['recording-enabled', { orgId: 'acme', userId: 'carol', enabled: false }],
  ['recording-enabled', { userId: 'carol', enabled: false }],
  ['token', { orgId: 'acme', userId: 'carol' }],
  ['token', { orgId: 'globex', userId: 'carol' }],
  ['token', { orgId: 'acme', adminEmail: 'it@globex.example' }],
  ['sweep', undefined],
];

describe('provisioning with a foreign key', () => {
  it.each(FOREIGN_REQUESTS)(
    'refuses %s %j with 403 SINK_ERR_AUTH_SCOPE and changes nothing',
    async (op, request) => {
      const { provision, globexState } = await start();
      const before = globexState();
      const reply = await provision(ACME_KEY, op, request);
      expect(reply.status).toBe(403);
      expect(reply.body.code).toBe('SINK_ERR_AUTH_SCOPE');
      expect(JSON.stringify(reply.body)).not.toContain('Mallory');
      expect(globexState()).toEqual(before);
    },
  );

  it('still lets a key provision its own users', async () => {
    const { provision, server } = await start();
    expect(
      (await provision(ACME_KEY, 'tier', { orgId: 'acme', userId: 'alice', tier: 'Standard' })).status,
    ).toBe(200);
    expect((await provision(ACME_KEY, 'recording-enabled', { userId: 'bob', enabled: false })).status).toBe(
      200,
    );
    expect(server.store.getUser('bob')?.recordingEnabled).toBe(false);
  });
});

describe('a user never changes organisation', () => {
  it('refuses the platform key’s upsert of carol into acme with 409, and carol stays in globex', async () => {
    const { provision, server } = await start();
    const reply = await provision(PLATFORM_KEY, 'user', {
      orgId: 'acme',
      userId: 'carol',
      profile: carolProfile,
      dubPoint: dubPointOf('carol', 'acme'),
    });
    expect(reply.status).toBe(409);
    expect(reply.body.code).toBe('SINK_ERR_CONFLICT');
    expect(server.store.getUser('carol')?.orgId).toBe('globex');
    expect(server.store.getUser('carol')?.profile.firstName).toBe('carol');
  });
});

describe('a past tier switch that would delete stored recordings', () => {
  async function withAliceRecording() {
    const world = await start();
    const client = platformClient(world.server.streamUrl, world.clock, 10);
    const rec = await client.openRecording(aliceRecordingRequest('alice-old'));
    await rec.close(1000);
    // Alice moved to Standard at once, so her recording is kept however old it gets (S10).
    world.server.provisioning.switchTier({ userId: 'alice', tier: 'Standard' });
    world.clock.advanceBy(40 * DAY_MS);
    return world;
  }

  it('is refused for the organisation’s own key (403) and the recording stays', async () => {
    const { provision, server, clock } = await withAliceRecording();
    const before = server.store.getUser('alice');
    const reply = await provision(ACME_KEY, 'tier', {
      userId: 'alice',
      tier: 'Go',
      atMs: clock.nowMs() - 35 * DAY_MS,
    });
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('SINK_ERR_AUTH_SCOPE');
    expect(server.store.getUser('alice')).toEqual(before);
    const token = server.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    expect(server.portal.list(token).map((r) => r.recordingId)).toEqual(['alice-old']);
  });

  it('is allowed for the organisation’s key when it deletes nothing', async () => {
    const { provision, server, clock } = await withAliceRecording();
    const reply = await provision(ACME_KEY, 'tier', {
      userId: 'alice',
      tier: 'Go',
      atMs: clock.nowMs() - DAY_MS,
    });
    expect(reply.status).toBe(200);
    const token = server.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    expect(server.portal.list(token).map((r) => r.recordingId)).toEqual(['alice-old']);
  });

  it('is allowed for the platform key, and the recording is gone', async () => {
    const { provision, server, clock } = await withAliceRecording();
    const reply = await provision(PLATFORM_KEY, 'tier', {
      userId: 'alice',
      tier: 'Go',
      atMs: clock.nowMs() - 35 * DAY_MS,
    });
    expect(reply.status).toBe(200);
    const token = server.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    expect(server.portal.list(token)).toEqual([]);
  });
});
