/**
 * Portal access (S6, S8) and retention across tier switches (S6, S10, S11, S14) on the virtual clock,
 * through the in-process portal over recordings made by real protocol sessions.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/subscription.ts';
import { scheduleRetentionSweep, sweepRetention } from '../../src/dubber/retention-sweep.ts';
import { isSimError } from '../../src/errors.ts';
import { interleave, REMOTE_SSRC, rtpStream, USER_SSRC } from '../harness/helpers.ts';
import { createHarness } from './session-harness.ts';

type Harness = ReturnType<typeof createHarness>;

function record(h: Harness, id: string, userId = 'alice', orgId = 'acme'): void {
  const c = h.connect();
  c.open({
    id,
    userId,
    orgId,
    ...(orgId === 'globex'
      ? {
          dubPoint: {
            product: 'Dubber Go',
            externalType: 'BroadWorks',
            serviceProvider: 'sp-eu-1',
            externalGroup: 'globex',
            externalIdentifier: userId,
          },
        }
      : {}),
  });
  c.frame(interleave(rtpStream(USER_SSRC, 5), rtpStream(REMOTE_SSRC, 5)));
  c.send('close', 100);
  h.flush();
  expect(c.last()?.type).toBe('closed');
}

function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    if (!isSimError(error)) throw error;
    return String(error.details.sinkCode);
  }
}

describe('portal access matrix (S6, S8, other org never)', () => {
  const tokens = (h: Harness) => ({
    owner: h.provisioning.issueToken({ orgId: 'acme', userId: 'alice' }),
    otherUser: h.provisioning.issueToken({ orgId: 'acme', userId: 'bob' }),
    admin: h.provisioning.issueToken({ orgId: 'acme', adminEmail: 'it@acme.example' }),
    otherOrgUser: h.provisioning.issueToken({ orgId: 'globex', userId: 'carol' }),
    otherOrgAdmin: h.provisioning.issueToken({ orgId: 'globex', adminEmail: 'it@globex.example' }),
  });

  it.each([
    [
      'Go',
      {
        owner: 'allowed',
        otherUser: 'SINK_ERR_FORBIDDEN',
        admin: 'SINK_ERR_FORBIDDEN',
        otherOrgUser: 'SINK_ERR_NOT_FOUND',
        otherOrgAdmin: 'SINK_ERR_NOT_FOUND',
      },
    ],
    [
      'Standard',
      {
        owner: 'allowed',
        otherUser: 'SINK_ERR_FORBIDDEN',
        admin: 'allowed',
        otherOrgUser: 'SINK_ERR_NOT_FOUND',
        otherOrgAdmin: 'SINK_ERR_NOT_FOUND',
      },
    ],
    [
      'AI',
      {
        owner: 'allowed',
        otherUser: 'SINK_ERR_FORBIDDEN',
        admin: 'allowed',
        otherOrgUser: 'SINK_ERR_NOT_FOUND',
        otherOrgAdmin: 'SINK_ERR_NOT_FOUND',
      },
    ],
  ] as const)('owner on %s', (tier, expected) => {
    const h = createHarness();
    record(h, 'rec-a');
    if (tier !== 'Go') h.provisioning.switchTier({ userId: 'alice', tier });
    const t = tokens(h);
    const actual = Object.fromEntries(
      Object.entries(t).map(([who, token]) => [who, outcome(() => h.portal.download(token, 'rec-a'))]),
    );
    expect(actual).toEqual(expected);
    // The list agrees with get/download.
    for (const [who, token] of Object.entries(t)) {
      const listed = h.portal.list(token).map((r) => r.recordingId);
      expect(listed, who).toEqual(expected[who as keyof typeof expected] === 'allowed' ? ['rec-a'] : []);
    }
  });

  it('names the reason a Go admin is refused', () => {
    const h = createHarness();
    record(h, 'rec-a');
    const admin = h.provisioning.issueToken({ orgId: 'acme', adminEmail: 'it@acme.example' });
    expect(() => h.portal.get(admin, 'rec-a')).toThrow(/Dubber Go only the user/);
  });

  it('an unknown token is refused', () => {
    const h = createHarness();
    expect(outcome(() => h.portal.list('nope-nope-nope-nope'))).toBe('SINK_ERR_TOKEN');
  });

  it('an admin removed from the account loses access at once', () => {
    const h = createHarness();
    record(h, 'rec-a');
    h.provisioning.switchTier({ userId: 'alice', tier: 'Standard' });
    const admin = h.provisioning.issueToken({ orgId: 'acme', adminEmail: 'it@acme.example' });
    expect(outcome(() => h.portal.get(admin, 'rec-a'))).toBe('allowed');
    h.provisioning.upsertAccount({
      orgId: 'acme',
      termsAcceptedBy: 'it@acme.example',
      adminEmails: ['boss@acme.example'],
    });
    expect(outcome(() => h.portal.get(admin, 'rec-a'))).toBe('SINK_ERR_FORBIDDEN');
  });

  it('one admin e-mail cannot serve two Dubber accounts (S17)', () => {
    const h = createHarness();
    expect(() =>
      h.provisioning.upsertAccount({
        orgId: 'globex',
        termsAcceptedBy: 'it@acme.example',
        adminEmails: ['IT@acme.example'],
      }),
    ).toThrow(/S17/);
  });
});

describe('retention on the virtual clock', () => {
  const visible = (h: Harness, id = 'rec-a') => {
    const owner = h.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    return h.portal.list(owner).some((r) => r.recordingId === id);
  };

  it('Go: a recording is gone 30 days after creation (S6), and the scheduled sweep purges its audio', () => {
    const h = createHarness();
    const schedule = scheduleRetentionSweep(h.clock, DAY_MS, () => sweepRetention(h.store, h.clock.nowMs()));
    h.clock.advanceTo(1 * DAY_MS);
    record(h, 'rec-a');
    expect(h.store.countPackets('rec-a')).toBe(10);
    h.clock.advanceTo(31 * DAY_MS - 1);
    expect(visible(h)).toBe(true);
    h.clock.advanceTo(31 * DAY_MS);
    expect(visible(h)).toBe(false); // gone at the deadline, even before the sweep runs
    h.clock.advanceTo(32 * DAY_MS);
    expect(h.store.countPackets('rec-a')).toBe(0);
    expect(h.store.getRecording('rec-a')?.deletedAtMs).toBe(31 * DAY_MS);
    schedule.stop();
  });

  it('free → paid stops the deletion (S10); paid → free starts a new 30 days (S11)', () => {
    const h = createHarness();
    h.clock.advanceTo(1 * DAY_MS);
    record(h, 'rec-a');
    h.clock.advanceTo(10 * DAY_MS);
    h.provisioning.switchTier({ userId: 'alice', tier: 'Standard' });
    h.clock.advanceTo(45 * DAY_MS);
    expect(sweepRetention(h.store, h.clock.nowMs()).deleted).toEqual([]);
    expect(visible(h)).toBe(true);
    const owner = h.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    expect(h.portal.get(owner, 'rec-a').deleteAtMs).toBeNull();
    h.clock.advanceTo(50 * DAY_MS);
    h.provisioning.switchTier({ userId: 'alice', tier: 'Go' });
    expect(h.portal.get(owner, 'rec-a').deleteAtMs).toBe(80 * DAY_MS);
    h.clock.advanceTo(80 * DAY_MS - 1);
    expect(sweepRetention(h.store, h.clock.nowMs()).deleted).toEqual([]);
    h.clock.advanceTo(80 * DAY_MS);
    expect(sweepRetention(h.store, h.clock.nowMs()).deleted).toEqual([
      { recordingId: 'rec-a', deletedAtMs: 80 * DAY_MS },
    ]);
    expect(visible(h)).toBe(false);
  });

  it('a switch to paid after the deadline does not bring a deleted recording back', () => {
    const h = createHarness();
    record(h, 'rec-a');
    h.clock.advanceTo(40 * DAY_MS);
    h.provisioning.switchTier({ userId: 'alice', tier: 'AI' });
    expect(visible(h)).toBe(false);
  });

  it('turning recording off keeps existing recordings (S14)', () => {
    const h = createHarness();
    record(h, 'rec-a');
    h.provisioning.switchTier({ userId: 'alice', tier: 'Standard' });
    h.provisioning.setRecordingEnabled({ userId: 'alice', enabled: false });
    h.clock.advanceTo(400 * DAY_MS);
    sweepRetention(h.store, h.clock.nowMs());
    expect(visible(h)).toBe(true);
    expect(h.store.countPackets('rec-a')).toBe(10);
  });

  it('each user follows their own tier', () => {
    const h = createHarness();
    record(h, 'rec-a', 'alice');
    record(h, 'rec-b', 'bob');
    h.provisioning.switchTier({ userId: 'bob', tier: 'Standard' });
    h.clock.advanceTo(31 * DAY_MS);
    expect(sweepRetention(h.store, h.clock.nowMs()).deleted.map((d) => d.recordingId)).toEqual(['rec-a']);
  });
});
