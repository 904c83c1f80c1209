/**
 * Organisation call-recording settings, vendors, terms of service, compliance announcement, regions,
 * vendor users and jobs (org-call-recording.yaml).
 */
import { getSettings, type Licence } from '../../domain/index.ts';
import { adminOf, bodyObject, NO_CONTENT, type RouteContext, type RouteTable } from '../route.ts';
import { DUBBER_VENDOR, type OrgRecording, STORAGE_REGIONS } from '../vendor.ts';
import { WebexHttpError } from '../webex-error.ts';
import { assertCanAdminister, orgOfAdmin, type RecordingJob, type WebexWorld } from '../webex-world.ts';

export const READ = ['spark-admin:telephony_config_read'] as const;
export const WRITE = ['spark-admin:telephony_config_write'] as const;

export function orgOf(context: RouteContext): string {
  return orgOfAdmin(context.world, adminOf(context), context.query.orgId);
}

function writableOrg(context: RouteContext): string {
  const orgId = orgOf(context);
  assertCanAdminister(adminOf(context), context.world, orgId);
  return orgId;
}

export function assertVendor(vendorId: string): void {
  if (vendorId !== DUBBER_VENDOR.id) {
    throw new WebexHttpError(
      404,
      'SIM_ERR_NOT_FOUND',
      `No call-recording vendor "${vendorId}"; the simulator offers Dubber (${DUBBER_VENDOR.id}).`,
    );
  }
}

export function updateRecording(world: WebexWorld, orgId: string, change: Partial<OrgRecording>): void {
  world.setRecording(orgId, { ...world.recording(orgId), ...change });
}

const LICENCE_TYPES: Record<Licence, string> = {
  Professional: 'PROFESSIONAL_USER',
  Basic: 'BASIC_USER',
  none: 'BASIC_USER',
};

/** Users whose recording is on, i.e. assigned to the vendor (paged with `start` and `max`). */
export function vendorUsers(context: RouteContext, orgId: string) {
  const { world, query } = context;
  const hub = world.hub();
  const standardOnly = query.standardUserOnly === 'true';
  const members = Object.values(hub.users)
    .filter((u) => u.orgId === orgId && getSettings(hub, u.id).enabled)
    .filter((u) => !standardOnly || u.licence === 'Basic')
    .map((u) => ({
      id: u.id,
      firstName: u.firstName,
      lastName: u.lastName,
      type: 'PEOPLE',
      licenseType: LICENCE_TYPES[u.licence],
    }));
  const start = Math.max(0, Number(query.start ?? 0) || 0);
  const max = Math.max(1, Number(query.max ?? 2000) || 2000);
  return { vendorId: world.recording(orgId).vendorId, members: members.slice(start, start + max) };
}

export function jobView(world: WebexWorld, job: RecordingJob) {
  const time = world.iso(job.createdMs);
  return {
    name: 'callrecording',
    id: job.id,
    trackingId: job.trackingId,
    sourceUserId: job.sourceUserId,
    sourceCustomerId: job.orgId,
    targetCustomerId: job.orgId,
    instanceId: Number(job.id.replace(/\D/g, '')),
    jobExecutionStatus: [
      {
        id: 1,
        startTime: time,
        endTime: time,
        lastUpdated: time,
        statusMessage: 'COMPLETED',
        exitCode: 'COMPLETED',
        createdTime: time,
        timeElapsed: 'PT0S',
      },
    ],
    latestExecutionStatus: 'COMPLETED',
    ...(job.locationId === undefined ? {} : { locationId: job.locationId }),
    vendorId: job.vendorId,
    counts: { totalMoves: 0, moved: 0, failed: 0, pending: 0, skipped: 0 },
  };
}

function jobOf(context: RouteContext): RecordingJob {
  const orgId = orgOf(context);
  const job = context.world.jobs(orgId).find((j) => j.id === context.params.jobId);
  if (job === undefined)
    throw new WebexHttpError(
      404,
      'SIM_ERR_NOT_FOUND',
      `No call-recording job "${context.params.jobId}" in this organisation.`,
    );
  return job;
}

export const orgRoutes: RouteTable = {
  'Get Call Recording Settings': {
    scopes: READ,
    handle: (context) => {
      const orgId = orgOf(context);
      const org = context.world.org(orgId);
      return {
        status: 200,
        body: {
          organization: { id: org.id, name: org.customerName },
          enabled: org.partnerEnabled,
          vendorId: DUBBER_VENDOR.id,
          vendorName: DUBBER_VENDOR.name,
          termsOfServiceUrl: DUBBER_VENDOR.termsOfServiceUrl,
        },
      };
    },
  },
  'Update Call Recording Settings': {
    scopes: WRITE,
    handle: (context) => {
      const admin = adminOf(context);
      const orgId = orgOf(context);
      if (admin.role !== 'partner-admin') {
        throw new WebexHttpError(
          403,
          'SIM_ERR_NOT_AUTHORISED',
          `Only the partner enables call recording for an organisation (S1); ${admin.email} is a ${admin.role}.`,
        );
      }
      const { world } = context;
      const hub = world.hub();
      const org = world.org(orgId);
      world.setHub({
        ...hub,
        orgs: { ...hub.orgs, [orgId]: { ...org, partnerEnabled: bodyObject(context).enabled === true } },
      });
      return NO_CONTENT;
    },
  },
  'Get Call Recording Terms Of Service Settings': {
    scopes: READ,
    handle: (context) => {
      assertVendor(context.params.vendorId as string);
      const orgId = orgOf(context);
      return {
        status: 200,
        body: {
          vendorId: DUBBER_VENDOR.id,
          vendorName: DUBBER_VENDOR.name,
          termsOfServiceEnabled: context.world.termsAccepted(orgId),
          termsOfServiceUrl: DUBBER_VENDOR.termsOfServiceUrl,
        },
      };
    },
  },
  'Update Call Recording Terms Of Service Settings': {
    scopes: WRITE,
    handle: (context) => {
      assertVendor(context.params.vendorId as string);
      const orgId = writableOrg(context);
      const { world } = context;
      const accept = bodyObject(context).termsOfServiceEnabled === true;
      if (!accept && world.hub().dubberAccounts[orgId] !== undefined) {
        throw new WebexHttpError(
          409,
          'SIM_ERR_INVALID_ARGUMENT',
          `The Dubber account of "${world.org(orgId).customerName}" exists, so its terms stay accepted (S15, S18).`,
        );
      }
      updateRecording(world, orgId, { termsAcceptedBy: accept ? adminOf(context).email : undefined });
      return NO_CONTENT;
    },
  },
  'Get details for the organization Compliance Announcement Setting': {
    scopes: READ,
    handle: (context) => ({ status: 200, body: context.world.recording(orgOf(context)).compliance }),
  },
  'Update the organization Compliance Announcement': {
    scopes: WRITE,
    handle: (context) => {
      const orgId = writableOrg(context);
      const current = context.world.recording(orgId);
      updateRecording(context.world, orgId, {
        compliance: { ...current.compliance, ...bodyObject(context) },
      });
      return NO_CONTENT;
    },
  },
  'Get Call Recording Regions': {
    scopes: READ,
    handle: (context) => {
      orgOf(context);
      return { status: 200, body: { regions: STORAGE_REGIONS } };
    },
  },
  'Get Call Recording Vendor Users': {
    scopes: READ,
    handle: (context) => ({ status: 200, body: vendorUsers(context, orgOf(context)) }),
  },
  'Get Organization Call Recording Vendors': {
    scopes: READ,
    handle: (context) => {
      const recording = context.world.recording(orgOf(context));
      return {
        status: 200,
        body: {
          vendorId: recording.vendorId,
          vendorName: DUBBER_VENDOR.name,
          vendors: { items: [DUBBER_VENDOR] },
          storageRegion: recording.storageRegion,
          failureBehavior: recording.failureBehavior,
        },
      };
    },
  },
  'Set Organization Call Recording Vendor': {
    scopes: [
      'spark-admin:telephony_config_write',
      'spark-admin:telephony_config_read',
      'spark-admin:people_write',
    ],
    handle: (context) => {
      const orgId = writableOrg(context);
      const body = bodyObject(context);
      assertVendor(body.vendorId as string);
      const { world } = context;
      const current = world.recording(orgId);
      updateRecording(world, orgId, {
        vendorId: body.vendorId as string,
        storageRegion: (body.storageRegion as string | undefined) ?? current.storageRegion,
        failureBehavior:
          (body.failureBehavior as OrgRecording['failureBehavior'] | undefined) ?? current.failureBehavior,
      });
      const job = world.addJob({
        orgId,
        trackingId: context.trackingId,
        sourceUserId: adminOf(context).email,
        vendorId: body.vendorId as string,
      });
      return { status: 200, body: { jobId: job.id } };
    },
  },
  'List Call Recording Jobs': {
    scopes: READ,
    handle: (context) => {
      const orgId = orgOf(context);
      const start = Math.max(0, Number(context.query.start ?? 0) || 0);
      const max = Math.max(1, Number(context.query.max ?? 2000) || 2000);
      return {
        status: 200,
        body: {
          items: context.world
            .jobs(orgId)
            .slice(start, start + max)
            .map((j) => jobView(context.world, j)),
        },
      };
    },
  },
  'Get the Job Status of a Call Recording Job': {
    scopes: READ,
    handle: (context) => ({ status: 200, body: jobView(context.world, jobOf(context)) }),
  },
  'Get Job Errors for a Call Recording Job': {
    scopes: READ,
    handle: (context) => {
      jobOf(context);
      return { status: 200, body: { items: [] } };
    },
  },
};
