/** Turns a scenario's organisations, admins and users into the domain's Control Hub state. */
import {
  type Admin,
  type ControlHubState,
  createControlHub,
  type Organisation,
  type User,
} from '../domain/index.ts';
import { SimError } from '../errors.ts';
import type { Scenario } from './schema.ts';

export interface ScenarioWorld {
  readonly hub: ControlHubState;
  readonly admins: ReadonlyMap<string, Admin>;
}

export function buildWorld(scenario: Scenario): ScenarioWorld {
  const orgIds = scenario.orgs.map((o) => o.id);
  const defaultOrg = orgIds[0] as string;
  const orgs: Organisation[] = scenario.orgs.map((o) => ({
    id: o.id,
    customerName: o.customerName,
    partnerEnabled: o.partnerEnabled,
    purchaseChannel: o.purchaseChannel,
    serviceProvider: o.serviceProvider,
  }));
  const known = (orgId: string, where: string) => {
    if (!orgIds.includes(orgId)) {
      throw new SimError(
        'SIM_ERR_INVALID_SCENARIO',
        `${where} names organisation "${orgId}", which is not in orgs.`,
        {
          details: { orgId },
        },
      );
    }
    return orgId;
  };
  const users: User[] = scenario.users.map((u) => {
    const orgId = known(u.org ?? defaultOrg, `user ${u.id}`);
    return {
      id: u.id,
      orgId,
      firstName: u.firstName,
      lastName: u.lastName,
      email: u.email ?? `${u.id}@${orgId}.example`,
      timeZone: u.timeZone,
      licence: u.licence,
    };
  });
  const admins = new Map<string, Admin>();
  for (const a of scenario.admins) {
    const admin: Admin =
      a.role === 'partner-admin'
        ? {
            role: a.role,
            email: a.email,
            managedOrgIds: (a.orgs ?? orgIds).map((o) => known(o, `admin ${a.email}`)),
          }
        : { role: a.role, email: a.email, orgId: known(a.org ?? defaultOrg, `admin ${a.email}`) };
    admins.set(a.email.toLowerCase(), admin);
  }
  return { hub: createControlHub(orgs, users), admins };
}
