/** `GET/PUT /v1/people/{personId}/features/callRecording` (person-call-recording.yaml). */
import { getSettings, getUser, TIERS, type Tier } from '../../domain/index.ts';
import { adminOf, bodyObject, NO_CONTENT, type RouteContext, type RouteTable } from '../route.ts';
import { WebexHttpError } from '../webex-error.ts';
import { canViewOrg, putPersonSettings, VENDOR, type WebexWorld } from '../webex-world.ts';

/** Simulator extension: which Dubber subscription the admin picks when turning recording on (S7). */
export const SUBSCRIPTION_HEADER = 'x-dubber-subscription';

/** A person the admin may see; anyone else is 404, so people never show across organisations. */
function visiblePerson(context: RouteContext): string {
  const admin = adminOf(context);
  const personId = context.params.personId as string;
  const user = context.world.hub().users[personId];
  if (user === undefined || !canViewOrg(admin, user.orgId)) {
    throw new WebexHttpError(
      404,
      'SIM_ERR_UNKNOWN_USER',
      `No person "${personId}" in an organisation you manage.`,
    );
  }
  return personId;
}

export function personSettingsView(world: WebexWorld, personId: string) {
  const settings = getSettings(world.hub(), personId);
  return { ...settings, callRecordingAccessSettings: world.accessSettings(personId) };
}

function tierHeader(context: RouteContext): Tier | undefined {
  const value = context.headers[SUBSCRIPTION_HEADER];
  if (value === undefined) return undefined;
  if (!(TIERS as readonly string[]).includes(value)) {
    throw new WebexHttpError(
      400,
      'SIM_ERR_INVALID_ARGUMENT',
      `${SUBSCRIPTION_HEADER}: must be one of ${TIERS.join(', ')} (got ${JSON.stringify(value)}).`,
    );
  }
  return value as Tier;
}

export const personRoutes: RouteTable = {
  'Read Call Recording Settings for a Person': {
    scopes: ['spark-admin:people_read'],
    handle: (context) => ({ status: 200, body: personSettingsView(context.world, visiblePerson(context)) }),
  },
  'Configure Call Recording Settings for a Person': {
    scopes: ['spark-admin:people_write'],
    bodyCheckedByDomain: true,
    handle: (context) => {
      const admin = adminOf(context);
      const personId = context.params.personId as string;
      const { world } = context;
      const user = getUser(world.hub(), personId);
      // An admin of another organisation meets the domain's rule (S15) rather than a silent 404, as in
      // Control Hub; reads (GET) stay invisible across organisations.
      const body = bodyObject(context);
      const tier = tierHeader(context);
      try {
        putPersonSettings(world, admin, user.id, body, tier);
      } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'SIM_ERR_TERMS_NOT_ACCEPTED') {
          throw new WebexHttpError(409, 'SIM_ERR_TERMS_NOT_ACCEPTED', error.message, {
            vendorId: VENDOR.id,
            vendorName: VENDOR.name,
            termsOfServiceUrl: VENDOR.termsOfServiceUrl,
          });
        }
        throw error;
      }
      return NO_CONTENT;
    },
  },
};
