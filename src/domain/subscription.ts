/** Dubber subscriptions per user and the history of tier switches (seed S5–S11). */
import { SimError } from '../errors.ts';
import type { PurchaseChannel } from './organisation.ts';

export const TIERS = ['Go', 'Standard', 'AI'] as const;
export type Tier = (typeof TIERS)[number];

export const GO_RETENTION_DAYS = 30;
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface TierTerms {
  /** Paid tiers need a contract with Dubber (S8). */
  readonly paid: boolean;
  /** `null` means unlimited retention (S8, S10). */
  readonly retentionDays: number | null;
  /** Whether the org's Dubber admins can see the user's recordings (S6 vs S8). */
  readonly adminAccess: boolean;
}

export const TIER_TERMS: Readonly<Record<Tier, TierTerms>> = {
  Go: { paid: false, retentionDays: GO_RETENTION_DAYS, adminAccess: false },
  Standard: { paid: true, retentionDays: null, adminAccess: true },
  AI: { paid: true, retentionDays: null, adminAccess: true },
};

/** One entry per switch, oldest first: the user is on `tier` from `fromMs` until the next entry. */
export interface TierPeriod {
  readonly tier: Tier;
  readonly fromMs: number;
}
export type SubscriptionHistory = readonly TierPeriod[];

/** S7: Dubber Go is not offered to organisations that bought on webex.com. */
export function assertTierAvailable(tier: Tier, channel: PurchaseChannel): void {
  if (tier === 'Go' && channel === 'webex.com') {
    throw new SimError(
      'SIM_ERR_TIER_NOT_AVAILABLE',
      'Dubber Go is not available to organisations that bought Webex Calling on webex.com (S7); choose a Standard or AI subscription.',
      { details: { tier, purchaseChannel: channel } },
    );
  }
}

export function tierAt(history: SubscriptionHistory, atMs: number): Tier | undefined {
  let tier: Tier | undefined;
  for (const period of history) {
    if (period.fromMs <= atMs) tier = period.tier;
    else break;
  }
  return tier;
}

/** S9: a switch either way at any time; the history stays ordered. A switch to the same tier is a no-op. */
export function switchTier(history: SubscriptionHistory, tier: Tier, atMs: number): SubscriptionHistory {
  const last = history.at(-1);
  if (last !== undefined && atMs < last.fromMs) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `A tier switch at ${atMs} ms cannot precede the previous switch at ${last.fromMs} ms.`,
      { details: { atMs, previousMs: last.fromMs } },
    );
  }
  if (last?.tier === tier) return history;
  return [...history, { tier, fromMs: atMs }];
}
