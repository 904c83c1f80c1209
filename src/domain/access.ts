/** Who may list, play and download a recording (seed S6, S8): a pure function of actor, recording and tier. */
import { TIER_TERMS, type Tier } from './subscription.ts';

/** Someone signed in to the Dubber portal. */
export interface PortalActor {
  readonly orgId: string;
  /** Set when the actor is a recorded user of the org. */
  readonly userId?: string;
  /** Dubber administrator of the org's Dubber account (S16). */
  readonly isDubberAdmin: boolean;
}

export interface OwnedRecording {
  readonly orgId: string;
  readonly ownerUserId: string;
}

export type AccessDecision =
  | { readonly allowed: true; readonly as: 'owner' | 'admin' }
  | { readonly allowed: false; readonly reason: 'other-org' | 'not-owner' | 'go-admin' };

/**
 * `tier` is the owner's tier now: on Go only the owner sees their recordings (S6); on Standard/AI the
 * org's Dubber admins do too (S8). Another organisation never does.
 */
export function decideAccess(actor: PortalActor, recording: OwnedRecording, tier: Tier): AccessDecision {
  if (actor.orgId !== recording.orgId) return { allowed: false, reason: 'other-org' };
  if (actor.userId !== undefined && actor.userId === recording.ownerUserId)
    return { allowed: true, as: 'owner' };
  if (actor.isDubberAdmin) {
    return TIER_TERMS[tier].adminAccess
      ? { allowed: true, as: 'admin' }
      : { allowed: false, reason: 'go-admin' };
  }
  return { allowed: false, reason: 'not-owner' };
}

export function canAccess(actor: PortalActor, recording: OwnedRecording, tier: Tier): boolean {
  return decideAccess(actor, recording, tier).allowed;
}
