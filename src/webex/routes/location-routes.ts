/**
 * A location's vendor (with its failure behaviour, used by every new call of its users), its compliance
 * announcement and its vendor users (org-call-recording.yaml). Each organisation has one location,
 * `<orgId>-hq`.
 */
import { adminOf, bodyObject, NO_CONTENT, type RouteContext, type RouteTable } from '../route.ts';
import { DUBBER_VENDOR, type LocationRecording } from '../vendor.ts';
import { WebexHttpError } from '../webex-error.ts';
import { assertCanAdminister } from '../webex-world.ts';
import { assertVendor, orgOf, READ, updateRecording, vendorUsers, WRITE } from './org-routes.ts';

function locationOrg(context: RouteContext): string {
  const orgId = orgOf(context);
  if (context.world.recording(orgId).location.id !== context.params.locationId) {
    throw new WebexHttpError(
      404,
      'SIM_ERR_NOT_FOUND',
      `No location "${context.params.locationId}" in this organisation; its location is ${context.world.recording(orgId).location.id}.`,
    );
  }
  return orgId;
}

function updateLocation(
  context: RouteContext,
  change: (current: LocationRecording) => LocationRecording,
): void {
  const orgId = locationOrg(context);
  assertCanAdminister(adminOf(context), context.world, orgId);
  const current = context.world.recording(orgId).location;
  updateRecording(context.world, orgId, { location: change(current) });
}

export const locationRoutes: RouteTable = {
  'Get Location Call Recording Vendors': {
    scopes: READ,
    handle: (context) => {
      const orgId = locationOrg(context);
      const org = context.world.recording(orgId);
      const location = org.location;
      return {
        status: 200,
        body: {
          orgDefaultEnabled: location.orgDefaultEnabled,
          orgDefaultVendorId: org.vendorId,
          orgDefaultVendorName: DUBBER_VENDOR.name,
          defaultVendorId: location.vendorId,
          defaultVendorName: DUBBER_VENDOR.name,
          vendors: [DUBBER_VENDOR],
          orgStorageRegionEnabled: location.orgStorageRegionEnabled,
          orgStorageRegion: org.storageRegion,
          storageRegion: location.storageRegion,
          orgFailureBehaviorEnabled: location.orgFailureBehaviorEnabled,
          orgFailureBehavior: org.failureBehavior,
          failureBehavior: location.failureBehavior,
        },
      };
    },
  },
  'Set Call Recording Vendor for a Location': {
    scopes: WRITE,
    handle: (context) => {
      const body = bodyObject(context);
      if (body.id !== undefined) assertVendor(body.id as string);
      updateLocation(context, (current) => ({
        ...current,
        ...(body.id === undefined ? {} : { vendorId: body.id as string }),
        ...(body.orgDefaultEnabled === undefined
          ? {}
          : { orgDefaultEnabled: body.orgDefaultEnabled as boolean }),
        ...(body.storageRegion === undefined ? {} : { storageRegion: body.storageRegion as string }),
        ...(body.orgStorageRegionEnabled === undefined
          ? {}
          : { orgStorageRegionEnabled: body.orgStorageRegionEnabled as boolean }),
        ...(body.failureBehavior === undefined
          ? {}
          : { failureBehavior: body.failureBehavior as LocationRecording['failureBehavior'] }),
        ...(body.orgFailureBehaviorEnabled === undefined
          ? {}
          : { orgFailureBehaviorEnabled: body.orgFailureBehaviorEnabled as boolean }),
      }));
      return NO_CONTENT;
    },
  },
  'Get Call Recording Vendor Users for a Location': {
    scopes: READ,
    handle: (context) => ({ status: 200, body: vendorUsers(context, locationOrg(context)) }),
  },
  'Get details for the Location Compliance Announcement Setting': {
    scopes: READ,
    handle: (context) => {
      const org = context.world.recording(locationOrg(context));
      const { useOrgSettingsEnabled, ...own } = org.location.compliance;
      return {
        status: 200,
        body: { ...(useOrgSettingsEnabled ? org.compliance : own), useOrgSettingsEnabled },
      };
    },
  },
  'Update the Location Compliance Announcement': {
    scopes: WRITE,
    handle: (context) => {
      const body = bodyObject(context);
      updateLocation(context, (current) => ({ ...current, compliance: { ...current.compliance, ...body } }));
      return NO_CONTENT;
    },
  },
};
