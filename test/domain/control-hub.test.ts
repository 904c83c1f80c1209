import { describe, expect, it } from 'vitest';
import {
  changeSubscription,
  currentTier,
  disableRecording,
  enableRecording,
  findDubPointMismatches,
  getSettings,
  platformInfo,
  retentionStatus,
  updateRecordingSettings,
} from '../../src/domain/index.ts';
import { isSimError, type SimErrorCode } from '../../src/errors.ts';
import { acmeAdmin, globexAdmin, newHub, partnerAdmin } from './fixtures.ts';

function expectCode(fn: () => unknown, code: SimErrorCode): void {
  try {
    fn();
  } catch (error) {
    expect(isSimError(error) ? error.code : error).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

describe('enabling recording in Control Hub', () => {
  it('S1: an organisation the partner has not enabled cannot enable recording', () => {
    expectCode(
      () => enableRecording(newHub(), { userId: 'dora', admin: partnerAdmin, acceptTerms: true, nowMs: 0 }),
      'SIM_ERR_SERVICE_NOT_ENABLED',
    );
  });

  it('S2: Professional and Basic users can be recorded, unlicensed users cannot', () => {
    let hub = enableRecording(newHub(), {
      userId: 'alice',
      admin: acmeAdmin,
      acceptTerms: true,
      nowMs: 0,
    }).state;
    hub = enableRecording(hub, { userId: 'basil', admin: acmeAdmin, nowMs: 0 }).state;
    expect(getSettings(hub, 'alice').enabled).toBe(true);
    expect(getSettings(hub, 'basil').enabled).toBe(true);
    expectCode(
      () => enableRecording(hub, { userId: 'carol', admin: acmeAdmin, nowMs: 0 }),
      'SIM_ERR_USER_NOT_LICENSED',
    );
  });

  it('S15: the first user of an org needs the Dubber terms accepted; nothing is created without them', () => {
    const hub = newHub();
    expectCode(
      () => enableRecording(hub, { userId: 'alice', admin: acmeAdmin, nowMs: 0 }),
      'SIM_ERR_TERMS_NOT_ACCEPTED',
    );
    expect(hub.dubberAccounts).toEqual({});
    expect(getSettings(hub, 'alice').enabled).toBe(false);
  });

  it('S15: a customer admin or a partner admin acting for the customer may accept; others may not', () => {
    const viaPartner = enableRecording(newHub(), {
      userId: 'alice',
      admin: partnerAdmin,
      acceptTerms: true,
      nowMs: 0,
    });
    expect(viaPartner.accountCreated).toBe(true);
    expect(viaPartner.state.dubberAccounts.acme?.termsAcceptedBy).toBe('ops@partner.example');
    expectCode(
      () => enableRecording(newHub(), { userId: 'alice', admin: globexAdmin, acceptTerms: true, nowMs: 0 }),
      'SIM_ERR_NOT_AUTHORISED',
    );
    expectCode(
      () =>
        enableRecording(newHub(), {
          userId: 'alice',
          admin: { role: 'read-only-admin', email: 'ro@acme.example', orgId: 'acme' },
          acceptTerms: true,
          nowMs: 0,
        }),
      'SIM_ERR_NOT_AUTHORISED',
    );
  });

  it('S4, S18: accepting creates the org Dubber account exactly once', () => {
    const first = enableRecording(newHub(), {
      userId: 'alice',
      admin: acmeAdmin,
      acceptTerms: true,
      nowMs: 5,
    });
    const second = enableRecording(first.state, {
      userId: 'basil',
      admin: acmeAdmin,
      acceptTerms: true,
      nowMs: 9,
    });
    expect(first.accountCreated).toBe(true);
    expect(second.accountCreated).toBe(false);
    expect(Object.keys(second.state.dubberAccounts)).toEqual(['acme']);
    expect(second.state.dubberAccounts.acme?.createdAtMs).toBe(5);
  });

  it('S16: the enabling admin becomes a Dubber admin of the account', () => {
    const hub = enableRecording(newHub(), {
      userId: 'alice',
      admin: acmeAdmin,
      acceptTerms: true,
      nowMs: 0,
    }).state;
    expect(hub.dubberAccounts.acme?.adminEmails).toEqual(['it@acme.example']);
    const later = enableRecording(hub, { userId: 'basil', admin: partnerAdmin, nowMs: 1 });
    expect(later.adminAdded).toBe(true);
    expect(later.state.dubberAccounts.acme?.adminEmails).toEqual(['it@acme.example', 'ops@partner.example']);
  });

  it('S17: one admin e-mail cannot administer two customers’ Dubber accounts', () => {
    const hub = enableRecording(newHub(), {
      userId: 'alice',
      admin: partnerAdmin,
      acceptTerms: true,
      nowMs: 0,
    }).state;
    expectCode(
      () => enableRecording(hub, { userId: 'gina', admin: partnerAdmin, acceptTerms: true, nowMs: 1 }),
      'SIM_ERR_ADMIN_EMAIL_IN_USE',
    );
    // Case and spaces do not make a different address.
    const shouty = { ...partnerAdmin, email: '  OPS@Partner.example ' };
    expectCode(
      () => enableRecording(hub, { userId: 'gina', admin: shouty, acceptTerms: true, nowMs: 1 }),
      'SIM_ERR_ADMIN_EMAIL_IN_USE',
    );
    // Nothing was created for globex by the refused attempt; its own admin still can.
    expect(hub.dubberAccounts.globex).toBeUndefined();
    const ok = enableRecording(hub, { userId: 'gina', admin: globexAdmin, acceptTerms: true, nowMs: 2 });
    expect(ok.accountCreated).toBe(true);
  });

  it('S18: Webex shares exactly customer name, time zone, first name, last name and e-mail', () => {
    const hub = enableRecording(newHub(), {
      userId: 'alice',
      admin: acmeAdmin,
      acceptTerms: true,
      nowMs: 0,
    }).state;
    const shared = hub.dubberAccounts.acme?.shared;
    expect(Object.keys(shared ?? {}).sort()).toEqual(['customerName', 'users']);
    expect(shared?.customerName).toBe('Acme s.r.o.');
    expect(shared?.users).toEqual([
      { timeZone: 'Europe/Prague', firstName: 'Alice', lastName: 'Tester', email: 'alice@acme.example' },
    ]);
  });

  it('S7: webex.com purchases are not offered Dubber Go, but can use a paid tier', () => {
    expectCode(
      () => enableRecording(newHub(), { userId: 'walt', admin: partnerAdmin, acceptTerms: true, nowMs: 0 }),
      'SIM_ERR_TIER_NOT_AVAILABLE',
    );
    expectCode(
      () =>
        enableRecording(newHub(), {
          userId: 'walt',
          admin: partnerAdmin,
          acceptTerms: true,
          tier: 'Go',
          nowMs: 0,
        }),
      'SIM_ERR_TIER_NOT_AVAILABLE',
    );
    const hub = enableRecording(newHub(), {
      userId: 'walt',
      admin: partnerAdmin,
      acceptTerms: true,
      tier: 'Standard',
      nowMs: 0,
    }).state;
    expect(currentTier(hub, 'walt', 0)).toBe('Standard');
    expectCode(() => changeSubscription(hub, 'walt', 'Go', 10), 'SIM_ERR_TIER_NOT_AVAILABLE');
  });

  it('S6: partner-bought users start on Dubber Go', () => {
    const hub = enableRecording(newHub(), {
      userId: 'alice',
      admin: acmeAdmin,
      acceptTerms: true,
      nowMs: 0,
    }).state;
    expect(currentTier(hub, 'alice', 0)).toBe('Go');
  });

  it('invalid settings given while enabling leave the user disabled and no account created', () => {
    const hub = newHub();
    expectCode(
      () =>
        enableRecording(hub, {
          userId: 'alice',
          admin: acmeAdmin,
          acceptTerms: true,
          settings: { repeat: { interval: 200 } },
          nowMs: 0,
        }),
      'SIM_ERR_INVALID_SETTINGS',
    );
    expect(hub.dubberAccounts).toEqual({});
    expect(getSettings(hub, 'alice').enabled).toBe(false);
  });
});

describe('changing and turning off recording', () => {
  const enabled = () =>
    enableRecording(newHub(), {
      userId: 'alice',
      admin: acmeAdmin,
      acceptTerms: true,
      settings: { record: 'Always', recordVoicemailEnabled: true, repeat: { enabled: true, interval: 45 } },
      nowMs: 0,
    }).state;

  it('settings can only be changed while recording is on', () => {
    expectCode(
      () => updateRecordingSettings(newHub(), 'alice', { record: 'Always' }),
      'SIM_ERR_RECORDING_NOT_ENABLED',
    );
    expect(
      getSettings(updateRecordingSettings(enabled(), 'alice', { record: 'On Demand' }), 'alice').record,
    ).toBe('On Demand');
  });

  it('S14: turning recording off clears the settings back to defaults but keeps the recordings', () => {
    const hub = enabled();
    const recording = { createdAtMs: 0 };
    const off = disableRecording(hub, 'alice');
    expect(getSettings(off, 'alice')).toEqual(getSettings(newHub(), 'alice'));
    expect(getSettings(off, 'alice').record).toBe('Never');
    // The subscription (and so the retention of what was recorded) is untouched.
    expect(off.subscriptions.alice).toEqual(hub.subscriptions.alice);
    expect(retentionStatus(recording, off.subscriptions.alice ?? [], 1000)).toEqual(
      retentionStatus(recording, hub.subscriptions.alice ?? [], 1000),
    );
    // Turning off through the settings API does the same.
    expect(getSettings(updateRecordingSettings(hub, 'alice', { enabled: false }), 'alice')).toEqual(
      getSettings(off, 'alice'),
    );
  });
});

describe('platform info and dub.points', () => {
  it('S19, S33: platform info shows the BroadWorks dub.point values of the user', () => {
    const hub = enableRecording(newHub(), {
      userId: 'alice',
      admin: acmeAdmin,
      acceptTerms: true,
      nowMs: 0,
    }).state;
    expect(platformInfo(hub, 'alice', 0)).toEqual({
      product: 'Dubber Go',
      externalType: 'BroadWorks',
      serviceProvider: 'sp-eu-1',
      externalGroup: 'acme',
      externalIdentifier: 'alice',
    });
    expect(getSettings(hub, 'alice')).toMatchObject({
      serviceProvider: 'sp-eu-1',
      externalGroup: 'acme',
      externalIdentifier: 'alice',
    });
  });

  it('S33: the dub.point checker lists every field that differs from Control Hub', () => {
    const hub = enableRecording(newHub(), {
      userId: 'alice',
      admin: acmeAdmin,
      acceptTerms: true,
      nowMs: 0,
    }).state;
    const expected = platformInfo(hub, 'alice', 0);
    expect(findDubPointMismatches(expected, expected)).toEqual([]);
    expect(
      findDubPointMismatches(expected, {
        ...expected,
        externalType: 'Generic',
        externalIdentifier: 'alice2',
      }),
    ).toEqual([
      { field: 'externalType', expected: 'BroadWorks', actual: 'Generic' },
      { field: 'externalIdentifier', expected: 'alice', actual: 'alice2' },
    ]);
  });
});
