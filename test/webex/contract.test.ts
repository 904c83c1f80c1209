/**
 * Contract tests: every operation of the published descriptions (and the simulator's own) answers a valid
 * request and each error it can meet (401 without a token, 403 without its scope, 405 on another method,
 * 400 for a bad body, 404 / 409 for the rules), and every answer is checked against the description by
 * the harness (status documented, body matching its schema, errors in Webex's shape).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { person, TERMS, VENDOR_ID, WORLD } from './fixture.ts';
import { contractProblems, type Served, serve } from './harness.ts';

let s: Served;
const seen = new Map<string, Set<number>>();
beforeEach(async () => {
  s = await serve(WORLD);
});
const record = () => {
  for (const e of s.exchanges)
    if (e.operationId) seen.set(e.operationId, (seen.get(e.operationId) ?? new Set()).add(e.status));
};
const admin = () => s.server.tokenOf('it@acme.example');
const partner = () => s.server.tokenOf('partner@reseller.example');
const user = (id = 'alice') => s.server.tokenOf(id);
const sim = () => s.server.simulatorToken;

async function enableAlice(
  settings: Record<string, unknown> = { record: 'On Demand with User Initiated Start' },
) {
  expect((await s.call('PUT', TERMS, { token: admin(), body: { termsOfServiceEnabled: true } })).status).toBe(
    204,
  );
  expect(
    (await s.call('PUT', person('alice'), { token: admin(), body: { enabled: true, ...settings } })).status,
  ).toBe(204);
}

async function placeCall(direction: 'incoming' | 'outgoing' = 'incoming') {
  const r = await s.call('POST', '/v1/simulator/calls', {
    token: sim(),
    body: { personId: 'alice', direction },
  });
  expect(r.status).toBe(201);
  return (r.body as { callId: string }).callId;
}

describe('person call-recording settings', () => {
  it('GET shows every field, with the dub.point values read-only (S33) and the defaults of S20', async () => {
    const r = await s.call('GET', person('alice'), { token: admin() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      enabled: false,
      record: 'Never',
      repeat: { interval: 20, enabled: false },
      serviceProvider: 'sp-eu',
      externalGroup: 'acme',
      externalIdentifier: 'alice',
      startStopAnnouncement: { internalCallsEnabled: true, pstnCallsEnabled: true },
      callRecordingAccessSettings: { viewAndPlayRecordingsEnabled: true },
    });
    record();
  });

  it('the first enable of an org without accepted terms is 409 with the vendor terms link (S15); after PUT termsOfService it succeeds', async () => {
    const refused = await s.call('PUT', person('alice'), { token: admin(), body: { enabled: true } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      vendorId: VENDOR_ID,
      vendorName: 'Dubber',
      termsOfServiceUrl: expect.stringMatching(/^https:/),
    });
    expect((refused.body as { errors: { code: string }[] }).errors[0]?.code).toBe(
      'SIM_ERR_TERMS_NOT_ACCEPTED',
    );
    await enableAlice({ record: 'Always', repeat: { enabled: true, interval: 1800 } });
    const after = await s.call('GET', person('alice'), { token: admin() });
    expect(after.body).toMatchObject({
      enabled: true,
      record: 'Always',
      repeat: { interval: 1800, enabled: true },
    });
    expect(s.server.world.hub().dubberAccounts.acme?.termsAcceptedBy).toBe('it@acme.example');
    record();
  });

  it('PUT enforces the prose range 10–1800 s for repeat.interval and names the field', async () => {
    await enableAlice();
    for (const interval of [9, 1801, 12.5]) {
      const r = await s.call('PUT', person('alice'), { token: admin(), body: { repeat: { interval } } });
      expect(r.status).toBe(400);
      expect((r.body as { message: string }).message).toContain('repeat.interval');
      expect((r.body as { message: string }).message).toContain('10 to 1800');
    }
    record();
  });

  it('PUT with a value outside the enum is 400 naming the field; the read-only dub.point values are refused', async () => {
    await enableAlice();
    const bad = await s.call('PUT', person('alice'), { token: admin(), body: { record: 'Sometimes' } });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/record: must be one of/);
    const readOnly = await s.call('PUT', person('alice'), { token: admin(), body: { serviceProvider: 'x' } });
    expect(readOnly.status).toBe(400);
    expect((readOnly.body as { message: string }).message).toContain('read-only');
    record();
  });

  it('domain rules answer in Webex shape: 404 unknown or other-org person on GET, 403 read-only admin, 409 unlicensed (S2), 409 admin e-mail already used by another org (S17), 409 partner not enabled (S1)', async () => {
    expect((await s.call('GET', person('nobody'), { token: admin() })).status).toBe(404);
    expect((await s.call('GET', person('gina'), { token: admin() })).status).toBe(404);
    await enableAlice();
    const viewer = s.server.tokenOf('viewer@acme.example');
    expect((await s.call('PUT', person('bob'), { token: viewer, body: { enabled: true } })).status).toBe(403);
    const carl = await s.call('PUT', person('carl'), { token: admin(), body: { enabled: true } });
    expect([carl.status, (carl.body as { errors: { code: string }[] }).errors[0]?.code]).toEqual([
      409,
      'SIM_ERR_USER_NOT_LICENSED',
    ]);
    // The partner admin becomes an admin of Acme's Dubber account, so Globex's account cannot have it (S17).
    expect((await s.call('PUT', person('bob'), { token: partner(), body: { enabled: true } })).status).toBe(
      204,
    );
    const ivan = await s.call('PUT', person('ivan'), { token: partner(), body: { enabled: true } });
    expect([ivan.status, (ivan.body as { errors: { code: string }[] }).errors[0]?.code]).toEqual([
      409,
      'SIM_ERR_SERVICE_NOT_ENABLED',
    ]);
    record();
  });

  it('a Dubber subscription is picked with X-Dubber-Subscription (S7); a bad one is 400', async () => {
    await s.call('PUT', TERMS, { token: admin(), body: { termsOfServiceEnabled: true } });
    const bad = await s.call('PUT', person('alice'), {
      token: admin(),
      body: { enabled: true },
      headers: { 'x-dubber-subscription': 'Gold' },
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await s.call('PUT', person('alice'), {
          token: admin(),
          body: { enabled: true },
          headers: { 'x-dubber-subscription': 'Standard' },
        })
      ).status,
    ).toBe(204);
    const info = await s.call('GET', '/v1/simulator/people/alice/platformInfo', { token: sim() });
    expect(info.body).toMatchObject({ product: 'Dubber Standard', externalType: 'BroadWorks' });
    record();
  });
});

describe('organisation, vendor, terms, compliance, regions, vendor users, jobs', () => {
  it('GET/PUT callRecording: only the partner enables an org (S1)', async () => {
    const r = await s.call('GET', '/v1/telephony/config/callRecording', { token: admin() });
    expect(r.body).toMatchObject({
      organization: { id: 'acme', name: 'Acme s.r.o.' },
      enabled: true,
      vendorName: 'Dubber',
    });
    expect(
      (
        await s.call('PUT', '/v1/telephony/config/callRecording', {
          token: admin(),
          body: { enabled: false },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await s.call('PUT', '/v1/telephony/config/callRecording?orgId=initech', {
          token: partner(),
          body: { enabled: true },
        })
      ).status,
    ).toBe(204);
    expect(
      (await s.call('GET', '/v1/telephony/config/callRecording?orgId=initech', { token: partner() })).body,
    ).toMatchObject({ enabled: true });
    expect(
      (await s.call('GET', '/v1/telephony/config/callRecording?orgId=globex', { token: admin() })).status,
    ).toBe(404);
    expect(
      (await s.call('PUT', '/v1/telephony/config/callRecording', { token: admin(), body: {} })).status,
    ).toBe(400);
    record();
  });

  it('terms of service: GET shows acceptance; PUT accepts; an unknown vendor is 404; withdrawing after the account exists is 409', async () => {
    expect((await s.call('GET', TERMS, { token: admin() })).body).toMatchObject({
      termsOfServiceEnabled: false,
      vendorName: 'Dubber',
    });
    expect(
      (
        await s.call('GET', '/v1/telephony/config/callRecording/vendors/other/termsOfService', {
          token: admin(),
        })
      ).status,
    ).toBe(404);
    expect(
      (await s.call('PUT', TERMS, { token: admin(), body: { termsOfServiceEnabled: 'yes' } })).status,
    ).toBe(400);
    await enableAlice();
    expect((await s.call('GET', TERMS, { token: admin() })).body).toMatchObject({
      termsOfServiceEnabled: true,
    });
    expect(
      (await s.call('PUT', TERMS, { token: admin(), body: { termsOfServiceEnabled: false } })).status,
    ).toBe(409);
    record();
  });

  it('compliance announcement of the org and the location (the location follows the org until it opts out)', async () => {
    const org = '/v1/telephony/config/callRecording/complianceAnnouncement';
    const loc = '/v1/telephony/config/locations/acme-hq/callRecording/complianceAnnouncement';
    expect(
      (
        await s.call('PUT', org, {
          token: admin(),
          body: { inboundPSTNCallsEnabled: true, delayInSeconds: 5 },
        })
      ).status,
    ).toBe(204);
    expect((await s.call('GET', org, { token: admin() })).body).toMatchObject({
      inboundPSTNCallsEnabled: true,
      delayInSeconds: 5,
    });
    expect((await s.call('GET', loc, { token: admin() })).body).toMatchObject({
      inboundPSTNCallsEnabled: true,
      useOrgSettingsEnabled: true,
    });
    expect(
      (
        await s.call('PUT', loc, {
          token: admin(),
          body: { useOrgSettingsEnabled: false, inboundPSTNCallsEnabled: false },
        })
      ).status,
    ).toBe(204);
    expect((await s.call('GET', loc, { token: admin() })).body).toMatchObject({
      inboundPSTNCallsEnabled: false,
      useOrgSettingsEnabled: false,
    });
    expect(
      (
        await s.call('GET', '/v1/telephony/config/locations/elsewhere/callRecording/complianceAnnouncement', {
          token: admin(),
        })
      ).status,
    ).toBe(404);
    expect((await s.call('PUT', org, { token: admin(), body: { delayInSeconds: 'soon' } })).status).toBe(400);
    record();
  });

  it('vendors: the org vendor with its failure behaviour, set with a job; the location vendor and its failure behaviour reach the next call', async () => {
    const vendors = await s.call('GET', '/v1/telephony/config/callRecording/vendors', { token: admin() });
    expect(vendors.body).toMatchObject({
      vendorId: VENDOR_ID,
      vendors: { items: [{ name: 'Dubber' }] },
      failureBehavior: 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT',
    });
    const set = await s.call('PUT', '/v1/telephony/config/callRecording/vendor', {
      token: admin(),
      body: { vendorId: VENDOR_ID, failureBehavior: 'PROCEED_CALL_WITH_ANNOUNCEMENT' },
    });
    expect(set.status).toBe(200);
    const { jobId } = set.body as { jobId: string };
    expect(
      (
        await s.call('PUT', '/v1/telephony/config/callRecording/vendor', {
          token: admin(),
          body: { vendorId: 'nope' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await s.call('GET', '/v1/telephony/config/jobs/callRecording', { token: admin() })).body,
    ).toMatchObject({ items: [{ id: jobId, latestExecutionStatus: 'COMPLETED' }] });
    expect(
      (await s.call('GET', `/v1/telephony/config/jobs/callRecording/${jobId}`, { token: admin() })).body,
    ).toMatchObject({ id: jobId, vendorId: VENDOR_ID });
    expect(
      (await s.call('GET', `/v1/telephony/config/jobs/callRecording/${jobId}/errors`, { token: admin() }))
        .body,
    ).toEqual({ items: [] });
    expect(
      (await s.call('GET', '/v1/telephony/config/jobs/callRecording/job-99', { token: admin() })).status,
    ).toBe(404);

    const loc = '/v1/telephony/config/locations/acme-hq/callRecording';
    expect((await s.call('GET', `${loc}/vendors`, { token: admin() })).body).toMatchObject({
      orgFailureBehavior: 'PROCEED_CALL_WITH_ANNOUNCEMENT',
      orgFailureBehaviorEnabled: true,
    });
    expect(
      (
        await s.call('PUT', `${loc}/vendor`, {
          token: admin(),
          body: { orgFailureBehaviorEnabled: false, failureBehavior: 'END_CALL_WITH_ANNOUNCEMENT' },
        })
      ).status,
    ).toBe(204);
    expect(
      (await s.call('PUT', `${loc}/vendor`, { token: admin(), body: { failureBehavior: 'HANG_UP' } })).status,
    ).toBe(400);
    // The location's END_CALL_WITH_ANNOUNCEMENT reaches a call whose recorder is down.
    await enableAlice({ record: 'Always' });
    const r = await s.call('POST', '/v1/simulator/calls', {
      token: sim(),
      body: { personId: 'alice', recorder: { up: false } },
    });
    const { callId } = r.body as { callId: string };
    expect(
      (await s.call('POST', '/v1/telephony/calls/answer', { token: user(), body: { callId } })).status,
    ).toBe(204);
    s.clock.advanceBy(10_000);
    const log = (await s.call('GET', `/v1/simulator/calls/${callId}/log`, { token: sim() })).body as {
      items: { type: string; kind?: string }[];
    };
    expect(log.items.some((e) => e.type === 'announcement' && e.kind === 'failure')).toBe(true);
    expect((await s.call('GET', `/v1/telephony/calls/${callId}`, { token: user() })).body).toMatchObject({
      state: 'disconnected',
      recordingState: 'failed',
    });
    record();
  });

  it('regions and vendor users (org and location; paged; standardUserOnly)', async () => {
    expect(
      (await s.call('GET', '/v1/telephony/config/callRecording/regions', { token: admin() })).body,
    ).toMatchObject({ regions: [{ code: 'US' }, { code: 'EU' }, { code: 'AU' }] });
    await enableAlice();
    expect((await s.call('PUT', person('bob'), { token: admin(), body: { enabled: true } })).status).toBe(
      204,
    );
    const all = await s.call('GET', '/v1/telephony/config/callRecording/vendorUsers', { token: admin() });
    expect((all.body as { members: { id: string }[] }).members.map((m) => m.id)).toEqual(['alice', 'bob']);
    const paged = await s.call('GET', '/v1/telephony/config/callRecording/vendorUsers?start=1&max=1', {
      token: admin(),
    });
    expect((paged.body as { members: { id: string }[] }).members.map((m) => m.id)).toEqual(['bob']);
    const basic = await s.call(
      'GET',
      '/v1/telephony/config/locations/acme-hq/callRecording/vendorUsers?standardUserOnly=true',
      { token: admin() },
    );
    expect(basic.body).toMatchObject({ members: [{ id: 'bob', licenseType: 'BASIC_USER' }] });
    record();
  });
});

describe('call control', () => {
  it('dial, hold, resume, hangup; the call details show the state and the recording state the call machine derives', async () => {
    await enableAlice({ record: 'Always' });
    const dial = await s.call('POST', '/v1/telephony/calls/dial', {
      token: user(),
      body: { destination: '+420777123456' },
    });
    expect(dial.status).toBe(201);
    const { callId } = dial.body as { callId: string };
    expect((await s.call('GET', `/v1/telephony/calls/${callId}`, { token: user() })).body).toMatchObject({
      state: 'connecting',
      personality: 'originator',
    });
    expect(
      (await s.call('POST', '/v1/telephony/calls/answer', { token: user(), body: { callId } })).status,
    ).toBe(409);
    expect((await s.call('POST', `/v1/simulator/calls/${callId}/answer`, { token: sim() })).status).toBe(204);
    s.clock.advanceBy(1000);
    expect((await s.call('GET', '/v1/telephony/calls', { token: user() })).body).toMatchObject({
      items: [
        { id: callId, state: 'connected', recordingState: 'started', remoteParty: { callType: 'external' } },
      ],
    });
    expect(
      (await s.call('POST', '/v1/telephony/calls/hold', { token: user(), body: { callId } })).status,
    ).toBe(204);
    expect((await s.call('GET', `/v1/telephony/calls/${callId}`, { token: user() })).body).toMatchObject({
      state: 'held',
    });
    expect(
      (await s.call('POST', '/v1/telephony/calls/hold', { token: user(), body: { callId } })).status,
    ).toBe(409);
    expect(
      (await s.call('POST', '/v1/telephony/calls/resume', { token: user(), body: { callId } })).status,
    ).toBe(204);
    expect(
      (await s.call('POST', '/v1/telephony/calls/hangup', { token: user(), body: { callId } })).status,
    ).toBe(204);
    expect((await s.call('GET', '/v1/telephony/calls', { token: user() })).body).toEqual({ items: [] });
    expect((await s.call('POST', '/v1/telephony/calls/hangup', { token: user(), body: {} })).status).toBe(
      400,
    );
    record();
  });

  it('start/stop/pause/resumeRecording in On Demand with User Initiated Start: pending → started → paused → started → stopped', async () => {
    await enableAlice({ record: 'On Demand with User Initiated Start' });
    const callId = await placeCall();
    const states: unknown[] = [];
    const state = async () =>
      (
        (await s.call('GET', `/v1/telephony/calls/${callId}`, { token: user() })).body as {
          recordingState?: string;
        }
      ).recordingState;
    expect(
      (await s.call('POST', '/v1/telephony/calls/answer', { token: user(), body: { callId } })).status,
    ).toBe(204);
    states.push(await state());
    for (const op of ['startRecording', 'pauseRecording', 'resumeRecording', 'stopRecording']) {
      s.clock.advanceBy(2000);
      expect(
        (await s.call('POST', `/v1/telephony/calls/${op}`, { token: user(), body: { callId } })).status,
      ).toBe(204);
      states.push(await state());
    }
    // Started is pending until the recorder answers (200 ms here), then started.
    expect(states).toEqual([undefined, 'pending', 'paused', 'started', 'stopped']);
    // Without a callId the user's only active call is meant.
    expect(
      (await s.call('POST', '/v1/telephony/calls/startRecording', { token: user(), body: {} })).status,
    ).toBe(204);
    record();
  });

  it("refusals: startRecording in Always is 409 (and logged as rejected); another user's call is 404; an admin token cannot control calls", async () => {
    await enableAlice({ record: 'Always' });
    const callId = await placeCall();
    await s.call('POST', '/v1/telephony/calls/answer', { token: user(), body: { callId } });
    const refused = await s.call('POST', '/v1/telephony/calls/startRecording', {
      token: user(),
      body: { callId },
    });
    expect(refused.status).toBe(409);
    expect((refused.body as { message: string }).message).toContain('S22');
    expect(
      s.server.world.calls.find(callId)?.run.log.some((e) => e.type === 'rejected' && e.command === 'start'),
    ).toBe(true);
    expect((await s.call('GET', `/v1/telephony/calls/${callId}`, { token: user('bob') })).status).toBe(404);
    expect(
      (await s.call('POST', '/v1/telephony/calls/stopRecording', { token: user('bob'), body: { callId } }))
        .status,
    ).toBe(404);
    expect(
      (await s.call('POST', '/v1/telephony/calls/hangup', { token: admin(), body: { callId } })).status,
    ).toBe(403);
    expect(
      (await s.call('POST', '/v1/telephony/calls/pauseRecording', { token: user(), body: { callId } }))
        .status,
    ).toBe(409);
    expect(
      (await s.call('POST', '/v1/telephony/calls/resumeRecording', { token: user(), body: { callId } }))
        .status,
    ).toBe(409);
    expect((await s.call('GET', '/v1/telephony/calls/nope', { token: user() })).status).toBe(404);
    record();
  });
});

describe('simulator endpoints and webhooks', () => {
  it('tokens, clock, calls, recorder, subscription, platform info', async () => {
    const minted = await s.call('POST', '/v1/simulator/tokens', {
      token: sim(),
      body: { subject: 'it@acme.example', scopes: ['spark-admin:people_read'] },
    });
    expect(minted.status).toBe(201);
    const readOnly = (minted.body as { token: string }).token;
    expect((await s.call('GET', person('alice'), { token: readOnly })).status).toBe(200);
    const denied = await s.call('PUT', person('alice'), { token: readOnly, body: { enabled: true } });
    expect(denied.status).toBe(403);
    expect((denied.body as { message: string }).message).toContain('spark-admin:people_write');
    expect(
      (await s.call('POST', '/v1/simulator/tokens', { token: sim(), body: { subject: 'nobody' } })).status,
    ).toBe(404);
    expect(
      (
        await s.call('POST', '/v1/simulator/tokens', {
          token: sim(),
          body: { subject: 'alice', scopes: ['root'] },
        })
      ).status,
    ).toBe(400);
    expect((await s.call('GET', '/v1/simulator/clock', { token: sim() })).body).toMatchObject({
      nowMs: 0,
      mode: 'virtual',
      time: '2026-01-05T09:00:00.000Z',
    });
    expect(
      (await s.call('POST', '/v1/simulator/clock/advance', { token: sim(), body: { ms: 1500 } })).body,
    ).toMatchObject({ nowMs: 1500 });
    expect(
      (await s.call('POST', '/v1/simulator/clock/advance', { token: sim(), body: { ms: -1 } })).status,
    ).toBe(400);
    expect(
      (await s.call('POST', '/v1/simulator/calls', { token: sim(), body: { personId: 'nobody' } })).status,
    ).toBe(404);
    const callId = await placeCall('outgoing');
    expect(
      (await s.call('POST', '/v1/simulator/calls', { token: sim(), body: { personId: 'alice', callId } }))
        .status,
    ).toBe(409);
    expect(
      (await s.call('POST', `/v1/simulator/calls/${callId}/recorder`, { token: sim(), body: { up: false } }))
        .status,
    ).toBe(204);
    expect(
      (await s.call('POST', `/v1/simulator/calls/nope/recorder`, { token: sim(), body: { up: true } }))
        .status,
    ).toBe(404);
    expect((await s.call('POST', `/v1/simulator/calls/${callId}/answer`, { token: sim() })).status).toBe(204);
    expect((await s.call('POST', `/v1/simulator/calls/${callId}/answer`, { token: sim() })).status).toBe(409);
    expect((await s.call('GET', `/v1/simulator/calls/${callId}/log`, { token: sim() })).body).toMatchObject({
      items: expect.arrayContaining([{ type: 'call', phase: 'connected', atMs: 1500 }]),
    });
    expect(
      (
        await s.call('PUT', '/v1/simulator/people/alice/dubberSubscription', {
          token: sim(),
          body: { tier: 'AI' },
        })
      ).status,
    ).toBe(204);
    expect(
      (await s.call('GET', '/v1/simulator/people/alice/platformInfo', { token: sim() })).body,
    ).toMatchObject({ product: 'Dubber AI' });
    expect((await s.call('GET', '/v1/simulator/people/nobody/platformInfo', { token: sim() })).status).toBe(
      404,
    );
    expect((await s.call('GET', '/v1/simulator/clock', { token: admin() })).status).toBe(403);
    record();
  });

  it('webhooks: create, list, get, delete; a non-loopback target is 400; another token sees none of them', async () => {
    const created = await s.call('POST', '/v1/webhooks', {
      token: user(),
      body: {
        name: 'calls',
        targetUrl: 'http://127.0.0.1:9/hook',
        resource: 'telephony_calls',
        event: 'all',
      },
    });
    expect(created.status).toBe(200);
    const { id } = created.body as { id: string };
    expect((await s.call('GET', '/v1/webhooks', { token: user() })).body).toMatchObject({ items: [{ id }] });
    expect((await s.call('GET', `/v1/webhooks/${id}`, { token: user() })).body).toMatchObject({
      id,
      resource: 'telephony_calls',
    });
    expect((await s.call('GET', `/v1/webhooks/${id}`, { token: user('bob') })).status).toBe(404);
    expect(
      (
        await s.call('POST', '/v1/webhooks', {
          token: user(),
          body: { name: 'x', targetUrl: 'http://example.com/h', resource: 'telephony_calls', event: 'all' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await s.call('POST', '/v1/webhooks', {
          token: user(),
          body: { name: 'x', targetUrl: 'http://127.0.0.1/h', resource: 'rooms', event: 'all' },
        })
      ).status,
    ).toBe(400);
    expect((await s.call('DELETE', `/v1/webhooks/${id}`, { token: user() })).status).toBe(204);
    expect((await s.call('DELETE', `/v1/webhooks/${id}`, { token: user() })).status).toBe(404);
    record();
  });
});

describe('every operation, generically', () => {
  const PATH_PARAMS: Record<string, string> = {
    personId: 'alice',
    vendorId: VENDOR_ID,
    locationId: 'acme-hq',
    jobId: 'job-1',
    callId: 'call-1',
    webhookId: 'webhook-1',
  };
  const concrete = (path: string) =>
    path.replace(/\{(\w+)\}/g, (_m, name: string) => PATH_PARAMS[name] ?? name);

  it('401 without a token or with an unknown one, 403 with a token lacking the scope, 405 on a method the path lacks', async () => {
    const ops = s.server.contract.operations();
    expect(ops.length).toBe(44);
    const none = (
      await s.call('POST', '/v1/simulator/tokens', { token: sim(), body: { subject: 'alice', scopes: [] } })
    ).body as { token: string };
    for (const op of ops) {
      const path = concrete(op.path);
      const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
      expect((await s.call(op.method, path, { body })).status, `${op.operationId} without token`).toBe(401);
      expect(
        (await s.call(op.method, path, { token: 'forged', body })).status,
        `${op.operationId} forged`,
      ).toBe(401);
      const scoped = await s.call(op.method, path, { token: none.token, body });
      if (!op.operationId.toLowerCase().includes('webhook'))
        expect(scoped.status, `${op.operationId} without scope`).toBe(403);
      const other = ['PATCH', 'DELETE', 'PUT', 'POST', 'GET'].find(
        (m) => !ops.some((o) => o.method === m && concrete(o.path) === path),
      );
      if (other !== undefined) {
        const r = await s.call(other, path, { token: admin() });
        expect([r.status, r.headers.get('allow') !== null], `${other} ${path}`).toEqual([405, true]);
      }
    }
    record();
  });
});

it('every operation of the contract answered a valid request with success in the tests above', () => {
  const without = s.server.contract
    .operations()
    .filter((op) => ![...(seen.get(op.operationId) ?? [])].some((status) => status < 300));
  expect(without.map((op) => op.operationId)).toEqual([]);
});

it('the harness itself flags an answer the description does not allow', async () => {
  s.exchanges.push({
    method: 'GET',
    path: person('alice'),
    operationId: 'Read Call Recording Settings for a Person',
    requestBody: undefined,
    status: 200,
    responseBody: { enabled: 'yes' },
  });
  expect(contractProblems(s).length).toBeGreaterThan(0);
  s.exchanges.pop();
});
