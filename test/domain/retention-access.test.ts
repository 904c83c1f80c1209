import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canAccess,
  DAY_MS,
  decideAccess,
  type PortalActor,
  retentionStatus,
  type SubscriptionHistory,
  switchTier,
  TIERS,
  type Tier,
} from '../../src/domain/index.ts';

const rec = { orgId: 'acme', ownerUserId: 'alice', createdAtMs: 0 };
const owner: PortalActor = { orgId: 'acme', userId: 'alice', isDubberAdmin: false };
const colleague: PortalActor = { orgId: 'acme', userId: 'basil', isDubberAdmin: false };
const admin: PortalActor = { orgId: 'acme', isDubberAdmin: true };
const adminWhoRecords: PortalActor = { orgId: 'acme', userId: 'basil', isDubberAdmin: true };
const otherOrgAdmin: PortalActor = { orgId: 'globex', isDubberAdmin: true };
const otherOrgSameId: PortalActor = { orgId: 'globex', userId: 'alice', isDubberAdmin: false };

describe('retention', () => {
  const go: SubscriptionHistory = [{ tier: 'Go', fromMs: 0 }];

  it('S6: on Go a recording is kept 30 days, then deleted', () => {
    expect(retentionStatus(rec, go, 30 * DAY_MS - 1)).toEqual({ state: 'retained', deleteAtMs: 30 * DAY_MS });
    expect(retentionStatus(rec, go, 30 * DAY_MS)).toEqual({ state: 'deleted', deletedAtMs: 30 * DAY_MS });
  });

  it('S8: on Standard or AI nothing expires', () => {
    for (const tier of ['Standard', 'AI'] as const) {
      expect(retentionStatus(rec, [{ tier, fromMs: 0 }], 10_000 * DAY_MS)).toEqual({
        state: 'retained',
        deleteAtMs: null,
      });
    }
  });

  it('S10: free → paid before the deadline stops the deletion', () => {
    const history = switchTier(go, 'Standard', 29 * DAY_MS);
    expect(retentionStatus(rec, history, 400 * DAY_MS)).toEqual({ state: 'retained', deleteAtMs: null });
  });

  it('S10: a switch to paid after the deadline does not bring a deleted recording back', () => {
    const history = switchTier(go, 'AI', 31 * DAY_MS);
    expect(retentionStatus(rec, history, 40 * DAY_MS)).toEqual({
      state: 'deleted',
      deletedAtMs: 30 * DAY_MS,
    });
  });

  it('S11: paid → free deletes the recordings 30 days after the switch, however old they are', () => {
    const history = switchTier([{ tier: 'Standard', fromMs: 0 }], 'Go', 200 * DAY_MS);
    expect(retentionStatus(rec, history, 229 * DAY_MS)).toEqual({
      state: 'retained',
      deleteAtMs: 230 * DAY_MS,
    });
    expect(retentionStatus(rec, history, 230 * DAY_MS)).toEqual({
      state: 'deleted',
      deletedAtMs: 230 * DAY_MS,
    });
  });

  it('S9, S11: back and forth — the 30 days restart at the last switch to free', () => {
    let history = switchTier(go, 'Standard', 10 * DAY_MS);
    history = switchTier(history, 'Go', 20 * DAY_MS);
    expect(retentionStatus(rec, history, 45 * DAY_MS)).toEqual({
      state: 'retained',
      deleteAtMs: 50 * DAY_MS,
    });
  });

  it('a recording made on Go after a switch back to free still gets its own 30 days', () => {
    const history = switchTier([{ tier: 'Standard', fromMs: 0 }], 'Go', 5 * DAY_MS);
    const later = { createdAtMs: 20 * DAY_MS };
    expect(retentionStatus(later, history, 21 * DAY_MS)).toEqual({
      state: 'retained',
      deleteAtMs: 50 * DAY_MS,
    });
  });
});

describe('access to recordings', () => {
  it('S6: on Go only the owner can see the recording', () => {
    expect(canAccess(owner, rec, 'Go')).toBe(true);
    expect(decideAccess(admin, rec, 'Go')).toEqual({ allowed: false, reason: 'go-admin' });
    expect(decideAccess(colleague, rec, 'Go')).toEqual({ allowed: false, reason: 'not-owner' });
  });

  it('S8: on Standard and AI the org’s Dubber admins see it too', () => {
    for (const tier of ['Standard', 'AI'] as const) {
      expect(decideAccess(owner, rec, tier)).toEqual({ allowed: true, as: 'owner' });
      expect(decideAccess(admin, rec, tier)).toEqual({ allowed: true, as: 'admin' });
      expect(decideAccess(adminWhoRecords, rec, tier)).toEqual({ allowed: true, as: 'admin' });
      expect(canAccess(colleague, rec, tier)).toBe(false);
    }
  });

  it('another organisation never sees a recording, whatever its role or ids', () => {
    for (const tier of TIERS) {
      expect(decideAccess(otherOrgAdmin, rec, tier)).toEqual({ allowed: false, reason: 'other-org' });
      expect(decideAccess(otherOrgSameId, rec, tier)).toEqual({ allowed: false, reason: 'other-org' });
    }
  });
});

/**
 * An independent, step-by-step model of the retention rules: a countdown that a switch to Go (re)starts
 * and a switch to paid cancels, checked as the clock advances.
 */
function stepModel(steps: readonly Step[]) {
  let nowMs = 0;
  let tier: Tier = 'Go';
  let deadlineMs: number | null = 30 * DAY_MS;
  let deleted = false;
  const history: { tier: Tier; fromMs: number }[] = [{ tier: 'Go', fromMs: 0 }];
  const observations: { nowMs: number; tier: Tier; deleted: boolean; history: SubscriptionHistory }[] = [];
  for (const step of steps) {
    if (step.kind === 'advance') {
      nowMs += step.ms;
    } else if (step.tier !== tier) {
      tier = step.tier;
      history.push({ tier, fromMs: nowMs });
      if (!deleted) deadlineMs = tier === 'Go' ? nowMs + 30 * DAY_MS : null;
    }
    if (!deleted && deadlineMs !== null && deadlineMs <= nowMs) deleted = true;
    observations.push({ nowMs, tier, deleted, history: [...history] });
  }
  return observations;
}

type Step = { kind: 'advance'; ms: number } | { kind: 'switch'; tier: Tier };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 45 * DAY_MS }) }),
  fc.record({ kind: fc.constant('switch' as const), tier: fc.constantFrom(...TIERS) }),
);

describe('retention and visibility under any history (property)', () => {
  it('S6, S8–S11: a recording is retained and visible to exactly the actors the rules allow', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 30 }), (steps) => {
        for (const obs of stepModel(steps)) {
          const status = retentionStatus(rec, obs.history, obs.nowMs);
          expect(status.state === 'deleted').toBe(obs.deleted);
          const visible = (actor: PortalActor) =>
            status.state === 'retained' && canAccess(actor, rec, obs.tier);
          expect(visible(owner)).toBe(!obs.deleted);
          expect(visible(admin)).toBe(!obs.deleted && obs.tier !== 'Go');
          expect(visible(colleague)).toBe(false);
          expect(visible(otherOrgAdmin)).toBe(false);
        }
      }),
      { seed: 20261125, numRuns: 500 },
    );
  });
});
