/**
 * Property: any sequence of valid API calls — person settings by any admin, terms, the partner's org
 * switch, subscriptions, vendor and location failure behaviour, compliance — leaves what GET shows equal to
 * the domain's state after every call, and a call that is refused changes nothing. fast-check, pinned seed;
 * a failure prints the seed and path that replay it (PROPERTY_SEED / PROPERTY_RUNS explore further).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { getSettings } from '../../src/domain/index.ts';
import { person, TERMS, WORLD } from './fixture.ts';
import { type Served, serve } from './harness.ts';

const SEED = Number(process.env.PROPERTY_SEED ?? 170_017);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 20);

const ADMINS = ['it@acme.example', 'viewer@acme.example', 'it@globex.example', 'partner@reseller.example'];
const USERS = ['alice', 'bob', 'carl', 'gina', 'ivan'];
const FAILURE = [
  'PROCEED_WITH_CALL_NO_ANNOUNCEMENT',
  'PROCEED_CALL_WITH_ANNOUNCEMENT',
  'END_CALL_WITH_ANNOUNCEMENT',
] as const;

const settingsArb = fc.record(
  {
    enabled: fc.boolean(),
    record: fc.constantFrom(
      'Always',
      'Never',
      'Always with Pause/Resume',
      'On Demand with User Initiated Start',
      'On Demand',
    ),
    recordVoicemailEnabled: fc.boolean(),
    startStopAnnouncementEnabled: fc.boolean(),
    notification: fc.record(
      { type: fc.constantFrom('Beep', 'Play Announcement'), enabled: fc.boolean() },
      { requiredKeys: [] },
    ),
    repeat: fc.record(
      { interval: fc.integer({ min: 10, max: 1800 }), enabled: fc.boolean() },
      { requiredKeys: [] },
    ),
    startStopAnnouncement: fc.record(
      { internalCallsEnabled: fc.boolean(), pstnCallsEnabled: fc.boolean() },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

type Action =
  | { kind: 'person'; admin: string; user: string; body: Record<string, unknown>; tier?: string | undefined }
  | { kind: 'terms'; admin: string; org: string; accept: boolean }
  | { kind: 'orgEnabled'; org: string; enabled: boolean }
  | { kind: 'tier'; user: string; tier: string }
  | { kind: 'orgVendor'; admin: string; failureBehavior: string }
  | { kind: 'location'; admin: string; orgFailureBehaviorEnabled: boolean; failureBehavior: string }
  | { kind: 'compliance'; admin: string; inboundPSTNCallsEnabled: boolean; delayInSeconds: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        kind: fc.constant('person' as const),
        admin: fc.constantFrom(...ADMINS),
        user: fc.constantFrom(...USERS),
        body: settingsArb,
        tier: fc.option(fc.constantFrom('Go', 'Standard', 'AI'), { nil: undefined }),
      },
      { requiredKeys: ['kind', 'admin', 'user', 'body'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('terms' as const),
      admin: fc.constantFrom(...ADMINS),
      org: fc.constantFrom('acme', 'globex', 'initech'),
      accept: fc.boolean(),
    }),
  },
  fc.record({
    kind: fc.constant('orgEnabled' as const),
    org: fc.constantFrom('acme', 'initech'),
    enabled: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('tier' as const),
    user: fc.constantFrom(...USERS),
    tier: fc.constantFrom('Go', 'Standard', 'AI'),
  }),
  fc.record({
    kind: fc.constant('orgVendor' as const),
    admin: fc.constantFrom(...ADMINS),
    failureBehavior: fc.constantFrom(...FAILURE),
  }),
  fc.record({
    kind: fc.constant('location' as const),
    admin: fc.constantFrom(...ADMINS),
    orgFailureBehaviorEnabled: fc.boolean(),
    failureBehavior: fc.constantFrom(...FAILURE),
  }),
  fc.record({
    kind: fc.constant('compliance' as const),
    admin: fc.constantFrom(...ADMINS),
    inboundPSTNCallsEnabled: fc.boolean(),
    delayInSeconds: fc.integer({ min: 0, max: 60 }),
  }),
);

async function perform(s: Served, a: Action) {
  const token = (who: string) => s.server.tokenOf(who);
  switch (a.kind) {
    case 'person':
      return s.call('PUT', person(a.user), {
        token: token(a.admin),
        body: a.body,
        ...(a.tier === undefined ? {} : { headers: { 'x-dubber-subscription': a.tier } }),
      });
    case 'terms':
      return s.call('PUT', `${TERMS}?orgId=${a.org}`, {
        token: token(a.admin),
        body: { termsOfServiceEnabled: a.accept },
      });
    case 'orgEnabled':
      return s.call('PUT', `/v1/telephony/config/callRecording?orgId=${a.org}`, {
        token: token('partner@reseller.example'),
        body: { enabled: a.enabled },
      });
    case 'tier':
      return s.call('PUT', `/v1/simulator/people/${a.user}/dubberSubscription`, {
        token: s.server.simulatorToken,
        body: { tier: a.tier },
      });
    case 'orgVendor':
      return s.call('PUT', '/v1/telephony/config/callRecording/vendor', {
        token: token(a.admin),
        body: {
          vendorId: 'Y2lzY29zcGFyazovL3VzL1JFQ09SRElOR19WRU5ET1IvZHViYmVy',
          failureBehavior: a.failureBehavior,
        },
      });
    case 'location': {
      const org = a.admin.endsWith('globex.example') ? 'globex' : 'acme';
      return s.call('PUT', `/v1/telephony/config/locations/${org}-hq/callRecording/vendor`, {
        token: token(a.admin),
        body: { orgFailureBehaviorEnabled: a.orgFailureBehaviorEnabled, failureBehavior: a.failureBehavior },
      });
    }
    case 'compliance':
      return s.call('PUT', '/v1/telephony/config/callRecording/complianceAnnouncement', {
        token: token(a.admin),
        body: { inboundPSTNCallsEnabled: a.inboundPSTNCallsEnabled, delayInSeconds: a.delayInSeconds },
      });
  }
}

function snapshot(s: Served): string {
  const { world } = s.server;
  return JSON.stringify({
    hub: world.hub(),
    recordings: ['acme', 'globex', 'initech'].map((o) => world.recording(o)),
    jobs: world.jobs('acme').length + world.jobs('globex').length,
  });
}

/** Every GET the admins can make shows exactly the domain's state. */
async function expectViewsMatchDomain(s: Served) {
  const { world } = s.server;
  const hub = world.hub();
  for (const [adminEmail, orgId] of [
    ['it@acme.example', 'acme'],
    ['it@globex.example', 'globex'],
    ['partner@reseller.example', 'initech'],
  ] as const) {
    const token = s.server.tokenOf(adminEmail);
    for (const user of Object.values(hub.users).filter((u) => u.orgId === orgId)) {
      const got = await s.call('GET', person(user.id), { token });
      expect(got.body).toEqual({
        ...getSettings(hub, user.id),
        callRecordingAccessSettings: world.accessSettings(user.id),
      });
    }
    const q = `?orgId=${orgId}`;
    expect(
      (
        (await s.call('GET', `/v1/telephony/config/callRecording${q}`, { token })).body as {
          enabled: boolean;
        }
      ).enabled,
    ).toBe(hub.orgs[orgId]?.partnerEnabled);
    expect(
      ((await s.call('GET', `${TERMS}${q}`, { token })).body as { termsOfServiceEnabled: boolean })
        .termsOfServiceEnabled,
    ).toBe(world.termsAccepted(orgId));
    const recording = world.recording(orgId);
    expect(
      (await s.call('GET', `/v1/telephony/config/callRecording/complianceAnnouncement${q}`, { token })).body,
    ).toEqual(recording.compliance);
    expect(
      (await s.call('GET', `/v1/telephony/config/locations/${orgId}-hq/callRecording/vendors${q}`, { token }))
        .body,
    ).toMatchObject({
      orgFailureBehavior: recording.failureBehavior,
      failureBehavior: recording.location.failureBehavior,
      orgFailureBehaviorEnabled: recording.location.orgFailureBehaviorEnabled,
    });
    const members = (
      (await s.call('GET', `/v1/telephony/config/callRecording/vendorUsers${q}`, { token })).body as {
        members: { id: string }[];
      }
    ).members.map((m) => m.id);
    expect(members).toEqual(
      Object.values(hub.users)
        .filter((u) => u.orgId === orgId && getSettings(hub, u.id).enabled)
        .map((u) => u.id),
    );
  }
}

it('any sequence of valid API calls keeps GET equal to the domain state; a refused call changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 12 }), async (actions) => {
      const s = await serve(WORLD);
      try {
        for (const action of actions) {
          const before = snapshot(s);
          const answer = await perform(s, action);
          expect([200, 204, 400, 403, 404, 409], JSON.stringify(answer.body)).toContain(answer.status);
          if (answer.status >= 400)
            expect(snapshot(s), `${action.kind} was refused but changed the world`).toBe(before);
          await expectViewsMatchDomain(s);
        }
      } finally {
        await s.server.close();
      }
    }),
    { seed: SEED, numRuns: RUNS, verbose: 1 },
  );
}, 240_000);
