/**
 * The world a served API drives: the same Control Hub state (src/domain) and call machines (src/call) the
 * scenario runner uses, on one shared clock, plus what the Webex API adds around them (vendor, location
 * and compliance settings, the terms acceptance before the Dubber account exists, jobs).
 */
import {
  type Admin,
  type ControlHubState,
  canAdministerOrg,
  changeSubscription,
  currentTier,
  disableRecording,
  enableRecording,
  getOrg,
  getSettings,
  getUser,
  type Organisation,
  platformInfo,
  type Tier,
  updateRecordingSettings,
} from '../domain/index.ts';
import { SimError } from '../errors.ts';
import type { SimClock } from '../time/index.ts';
import { createServedCalls, type ServedCalls } from './served-calls.ts';
import { DUBBER_VENDOR, defaultOrgRecording, type OrgRecording } from './vendor.ts';
import { WebexHttpError } from './webex-error.ts';
import type { WorldFixture } from './world-fixture.ts';

export interface AccessSettings {
  readonly viewAndPlayRecordingsEnabled: boolean;
  readonly downloadRecordingsEnabled: boolean;
  readonly deleteRecordingsEnabled: boolean;
  readonly shareRecordingsEnabled: boolean;
}

export interface RecordingJob {
  readonly id: string;
  readonly orgId: string;
  readonly trackingId: string;
  readonly sourceUserId: string;
  readonly vendorId: string;
  readonly createdMs: number;
  readonly locationId?: string;
}

export interface WebexWorld {
  readonly clock: SimClock;
  /** Epoch milliseconds at clock 0, for the ISO times the API shows. */
  readonly epochMs: number;
  readonly admins: ReadonlyMap<string, Admin>;
  readonly calls: ServedCalls;
  hub(): ControlHubState;
  /** Replaces the Control Hub state (every change goes through a domain function first). */
  setHub(next: ControlHubState): void;
  org(orgId: string): Organisation;
  recording(orgId: string): OrgRecording;
  setRecording(orgId: string, next: OrgRecording): void;
  accessSettings(userId: string): AccessSettings;
  jobs(orgId: string): readonly RecordingJob[];
  addJob(job: Omit<RecordingJob, 'id' | 'createdMs'>): RecordingJob;
  /** The org's vendor terms are accepted (by an admin now, or because its Dubber account exists). */
  termsAccepted(orgId: string): boolean;
  iso(ms: number): string;
}

export function createWebexWorld(fixture: WorldFixture, clock: SimClock, epochMs: number): WebexWorld {
  let hub = fixture.hub;
  const recordings = new Map<string, OrgRecording>();
  for (const orgId of Object.keys(hub.orgs)) {
    const recorder = fixture.recorders.get(orgId) ?? {
      failureBehaviour: 'PROCEED_WITH_CALL_NO_ANNOUNCEMENT' as const,
      waitMs: 5000,
    };
    recordings.set(orgId, defaultOrgRecording(orgId, recorder));
  }
  const jobs: RecordingJob[] = [];
  const core: Omit<WebexWorld, 'calls'> = {
    clock,
    epochMs,
    admins: fixture.admins,
    hub: () => hub,
    setHub: (next) => {
      hub = next;
    },
    org: (orgId) => getOrg(hub, orgId),
    recording: (orgId) => {
      const found = recordings.get(orgId);
      if (found === undefined) getOrg(hub, orgId);
      return found as OrgRecording;
    },
    setRecording: (orgId, next) => {
      recordings.set(orgId, next);
    },
    accessSettings: (userId) => {
      getUser(hub, userId);
      // S5/S6: on Dubber Go only the user sees their recordings; the user may play and download them.
      return {
        viewAndPlayRecordingsEnabled: true,
        downloadRecordingsEnabled: true,
        deleteRecordingsEnabled: false,
        shareRecordingsEnabled: false,
      };
    },
    jobs: (orgId) => jobs.filter((j) => j.orgId === orgId),
    addJob: (job) => {
      const created = { ...job, id: `job-${jobs.length + 1}`, createdMs: clock.nowMs() };
      jobs.push(created);
      return created;
    },
    termsAccepted: (orgId) =>
      hub.dubberAccounts[orgId] !== undefined || recordings.get(orgId)?.termsAcceptedBy !== undefined,
    iso: (ms) => new Date(epochMs + ms).toISOString(),
  };
  return { ...core, calls: createServedCalls(core) };
}

/** The organisation an admin's request is about: `orgId` when given and allowed, else the admin's own. */
export function orgOfAdmin(world: WebexWorld, admin: Admin, orgId: string | undefined): string {
  const own = admin.role === 'partner-admin' ? admin.managedOrgIds[0] : admin.orgId;
  const wanted = orgId ?? own;
  if (wanted === undefined || !canViewOrg(admin, wanted) || world.hub().orgs[wanted] === undefined) {
    throw new WebexHttpError(
      404,
      'SIM_ERR_UNKNOWN_ORG',
      orgId === undefined
        ? `${admin.email} manages no organisation.`
        : `No organisation "${orgId}" that ${admin.email} may see; leave orgId out to use your own.`,
    );
  }
  return wanted;
}

export function canViewOrg(admin: Admin, orgId: string): boolean {
  return admin.role === 'partner-admin' ? admin.managedOrgIds.includes(orgId) : admin.orgId === orgId;
}

export function assertCanAdminister(admin: Admin, world: WebexWorld, orgId: string): void {
  if (!canAdministerOrg(admin, orgId)) {
    throw new SimError(
      'SIM_ERR_NOT_AUTHORISED',
      `${admin.email} (${admin.role}) cannot change call recording for "${world.org(orgId).customerName}"; a customer admin of the org or a partner admin managing it must do it (S15).`,
      { details: { adminEmail: admin.email, role: admin.role, orgId } },
    );
  }
}

/**
 * PUT person settings: turning recording on is the domain's enablement (S13–S18, needing the vendor's
 * terms for the org's first user); any other change is a settings update or turning it off (S14). The
 * Webex API's bounds apply (repeat interval 10–1800 s).
 */
export function putPersonSettings(
  world: WebexWorld,
  admin: Admin,
  userId: string,
  body: Readonly<Record<string, unknown>>,
  tier: Tier | undefined,
): void {
  const hub = world.hub();
  const user = getUser(hub, userId);
  const current = getSettings(hub, userId);
  const { enabled, ...rest } = body;
  if (enabled === true) {
    // Enabling (again) is the domain's enablement: the admin joins the Dubber account's admins (S16,
    // S17); a user already recorded keeps their subscription unless the header names another.
    const acceptedBy = world.recording(user.orgId).termsAcceptedBy;
    const keep = current.enabled ? currentTier(hub, userId, world.clock.nowMs()) : undefined;
    const chosen = tier ?? keep;
    const result = enableRecording(hub, {
      userId,
      admin,
      acceptTerms: world.termsAccepted(user.orgId),
      ...(chosen === undefined ? {} : { tier: chosen }),
      settings: rest,
      nowMs: world.clock.nowMs(),
      path: 'webex-api',
    });
    let next = result.state;
    if (result.accountCreated && acceptedBy !== undefined) {
      const account = next.dubberAccounts[user.orgId];
      if (account !== undefined) {
        next = {
          ...next,
          dubberAccounts: {
            ...next.dubberAccounts,
            [user.orgId]: { ...account, termsAcceptedBy: acceptedBy },
          },
        };
      }
    }
    world.setHub(next);
    return;
  }
  assertCanAdminister(admin, world, user.orgId);
  if (!current.enabled && enabled === false && Object.keys(rest).length === 0) {
    // Turning off a user whose recording is already off changes nothing, and is not an error (S14).
    world.setHub(disableRecording(hub, userId));
    return;
  }
  world.setHub(updateRecordingSettings(hub, userId, body, 'webex-api'));
}

export function setSubscription(world: WebexWorld, userId: string, tier: Tier): void {
  world.setHub(changeSubscription(world.hub(), userId, tier, world.clock.nowMs()));
}

export function platformInfoOf(world: WebexWorld, userId: string) {
  return platformInfo(world.hub(), userId, world.clock.nowMs());
}

export const VENDOR = DUBBER_VENDOR;
