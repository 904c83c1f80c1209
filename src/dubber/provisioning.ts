/**
 * How the sink learns who exists (S15–S18): organisations, their Dubber account and admins, users with
 * their dub.points (S33) and subscription histories (S5–S11), portal tokens. The same operations back
 * the in-process API and the signed `POST /v1/provision` endpoint; each runs in one transaction.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { normaliseEmail } from '../domain/dubber-account.ts';
import type { DubberProduct } from '../domain/platform-info.ts';
import { retentionStatus } from '../domain/retention.ts';
import {
  switchTier as domainSwitchTier,
  type SubscriptionHistory,
  type Tier,
} from '../domain/subscription.ts';
import { SimError } from '../errors.ts';
import {
  type IssueTokenRequest,
  issueTokenSchema,
  type ProvisionAccount,
  type ProvisionOrg,
  type ProvisionUser,
  provisionAccountSchema,
  provisionOrgSchema,
  provisionUserSchema,
  type SetRecordingEnabled,
  type SwitchTierRequest,
  setRecordingEnabledSchema,
  switchTierSchema,
} from '../protocol/provision-requests.ts';
import type { SimClock } from '../time/clock.ts';
import type { AccountRow, SinkStore, TokenRow, UserRow } from './store/store.ts';

export const PRODUCT_OF_TIER: Readonly<Record<Tier, DubberProduct>> = {
  Go: 'Dubber Go',
  Standard: 'Dubber Standard',
  AI: 'Dubber AI',
};

export interface Provisioning {
  upsertOrg(request: ProvisionOrg): void;
  /** S15–S17: the account and its admins; an admin e-mail may belong to one account only. */
  upsertAccount(request: ProvisionAccount): AccountRow;
  upsertUser(request: ProvisionUser): UserRow;
  /**
   * S9–S11: a move between free and paid at any time. With `mayDeleteStored: false` (an organisation's own
   * key) a switch dated in the past that would delete recordings already stored is refused.
   */
  switchTier(request: SwitchTierRequest, options?: { readonly mayDeleteStored?: boolean }): UserRow;
  /** S14: turning recording off stops new recordings; existing ones stay. */
  setRecordingEnabled(request: SetRecordingEnabled): UserRow;
  /** A portal bearer token for a user (their own recordings) or a Dubber admin of the org. */
  issueToken(request: IssueTokenRequest): string;
  getUser(userId: string): UserRow | undefined;
  getAccount(orgId: string): AccountRow | undefined;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    throw new SimError('SIM_ERR_INVALID_ARGUMENT', `Invalid ${what}: ${issues}`, { details: { what } });
  }
  return result.data;
}

export function createProvisioning(store: SinkStore, clock: SimClock): Provisioning {
  const requireOrg = (orgId: string) => {
    if (store.getOrg(orgId) === undefined) {
      throw new SimError(
        'SIM_ERR_UNKNOWN_ORG',
        `Organisation "${orgId}" is not provisioned; provision it first.`,
        {
          details: { orgId },
        },
      );
    }
  };
  const requireUser = (userId: string): UserRow => {
    const user = store.getUser(userId);
    if (user === undefined) {
      throw new SimError('SIM_ERR_UNKNOWN_USER', `User "${userId}" is not provisioned.`, {
        details: { userId },
      });
    }
    return user;
  };
  /** A switch dated in the past must not delete recordings already stored (only the platform may). */
  const refuseRetroactiveDeletion = (user: UserRow, next: SubscriptionHistory): void => {
    const nowMs = clock.nowMs();
    for (const recording of store.listRecordings({ orgId: user.orgId })) {
      if (recording.userId !== user.userId) continue;
      const before = retentionStatus(recording, user.subscription, nowMs).state;
      if (before === 'retained' && retentionStatus(recording, next, nowMs).state === 'deleted') {
        throw new SimError(
          'SIM_ERR_NOT_AUTHORISED',
          `A tier switch dated in the past would delete stored recordings of user "${user.userId}"; only the platform key may do that.`,
          { details: { sinkCode: 'SINK_ERR_AUTH_SCOPE', userId: user.userId } },
        );
      }
    }
  };
  const history = (existing: SubscriptionHistory, next: Tier | undefined, atMs: number) =>
    next === undefined ? existing : domainSwitchTier(existing, next, atMs);

  return {
    upsertOrg(request) {
      const r = parse(provisionOrgSchema, request, 'organisation');
      store.transaction(() => store.upsertOrg(r));
    },
    upsertAccount(request) {
      const r = parse(provisionAccountSchema, request, 'Dubber account');
      return store.transaction(() => {
        requireOrg(r.orgId);
        const seen = new Set<string>();
        for (const e of r.adminEmails) {
          const owner = store.findAdminEmailOrg(e);
          if ((owner !== undefined && owner !== r.orgId) || seen.has(normaliseEmail(e))) {
            throw new SimError(
              'SIM_ERR_ADMIN_EMAIL_IN_USE',
              `${e} is already a Dubber admin of ${owner === undefined || owner === r.orgId ? 'this account' : `organisation ${owner}`}; one account per admin e-mail (S17).`,
              { details: { adminEmail: e, otherOrgId: owner } },
            );
          }
          seen.add(normaliseEmail(e));
        }
        const existing = store.getAccount(r.orgId);
        const row: AccountRow = {
          orgId: r.orgId,
          createdAtMs: existing?.createdAtMs ?? r.createdAtMs ?? clock.nowMs(),
          termsAcceptedBy: r.termsAcceptedBy,
          adminEmails: r.adminEmails,
        };
        store.upsertAccount(row);
        return row;
      });
    },
    upsertUser(request) {
      const r = parse(provisionUserSchema, request, 'user');
      return store.transaction(() => {
        requireOrg(r.orgId);
        const existing = store.getUser(r.userId);
        if (existing !== undefined && existing.orgId !== r.orgId) {
          throw new SimError(
            'SIM_ERR_INVALID_ARGUMENT',
            `User "${r.userId}" belongs to another organisation; a user never moves between organisations.`,
            { details: { sinkCode: 'SINK_ERR_CONFLICT', userId: r.userId } },
          );
        }
        const row: UserRow = {
          userId: r.userId,
          orgId: r.orgId,
          profile: r.profile,
          dubPoint: r.dubPoint,
          recordingEnabled: r.recordingEnabled,
          subscription: r.subscription ?? history(existing?.subscription ?? [], r.tier, clock.nowMs()),
        };
        store.upsertUser(row);
        return row;
      });
    },
    switchTier(request, options = {}) {
      const r = parse(switchTierSchema, request, 'tier switch');
      return store.transaction(() => {
        const user = requireUser(r.userId);
        const subscription = domainSwitchTier(user.subscription, r.tier, r.atMs ?? clock.nowMs());
        if (options.mayDeleteStored === false && (r.atMs ?? clock.nowMs()) < clock.nowMs()) {
          refuseRetroactiveDeletion(user, subscription);
        }
        const row: UserRow = {
          ...user,
          subscription,
          dubPoint: r.updateDubPointProduct
            ? { ...user.dubPoint, product: PRODUCT_OF_TIER[r.tier] }
            : user.dubPoint,
        };
        store.upsertUser(row);
        return row;
      });
    },
    setRecordingEnabled(request) {
      const r = parse(setRecordingEnabledSchema, request, 'recording switch');
      return store.transaction(() => {
        const row: UserRow = { ...requireUser(r.userId), recordingEnabled: r.enabled };
        store.upsertUser(row);
        return row;
      });
    },
    issueToken(request) {
      const r = parse(issueTokenSchema, request, 'token request');
      return store.transaction(() => {
        requireOrg(r.orgId);
        const token = randomBytes(24).toString('base64url');
        const row: TokenRow =
          'userId' in r
            ? { token, orgId: r.orgId, userId: r.userId, issuedAtMs: clock.nowMs() }
            : { token, orgId: r.orgId, adminEmail: r.adminEmail, issuedAtMs: clock.nowMs() };
        if ('userId' in r && requireUser(r.userId).orgId !== r.orgId) {
          throw new SimError(
            'SIM_ERR_UNKNOWN_USER',
            `User "${r.userId}" is not in organisation "${r.orgId}".`,
            {
              details: { userId: r.userId, orgId: r.orgId },
            },
          );
        }
        if ('adminEmail' in r && store.findAdminEmailOrg(r.adminEmail) !== r.orgId) {
          throw new SimError(
            'SIM_ERR_NOT_AUTHORISED',
            `${r.adminEmail} is not a Dubber admin of organisation "${r.orgId}" (S16).`,
            { details: { adminEmail: r.adminEmail, orgId: r.orgId } },
          );
        }
        store.putToken(row);
        return token;
      });
    },
    getUser: (userId) => store.getUser(userId),
    getAccount: (orgId) => store.getAccount(orgId),
  };
}
