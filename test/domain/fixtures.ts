/** Small organisations, users and admins shared by the domain tests. */
import type { Admin, Organisation, User } from '../../src/domain/index.ts';
import { createControlHub } from '../../src/domain/index.ts';

export const acme: Organisation = {
  id: 'acme',
  customerName: 'Acme s.r.o.',
  partnerEnabled: true,
  purchaseChannel: 'partner',
  serviceProvider: 'sp-eu-1',
};
export const globex: Organisation = {
  id: 'globex',
  customerName: 'Globex a.s.',
  partnerEnabled: true,
  purchaseChannel: 'partner',
  serviceProvider: 'sp-eu-1',
};
export const webOnly: Organisation = {
  id: 'webonly',
  customerName: 'Web Only Ltd',
  partnerEnabled: true,
  purchaseChannel: 'webex.com',
  serviceProvider: 'sp-web',
};
export const notEnabled: Organisation = {
  id: 'dormant',
  customerName: 'Dormant GmbH',
  partnerEnabled: false,
  purchaseChannel: 'partner',
  serviceProvider: 'sp-eu-1',
};

function user(id: string, orgId: string, licence: User['licence'] = 'Professional'): User {
  return {
    id,
    orgId,
    firstName: id[0]?.toUpperCase() + id.slice(1),
    lastName: 'Tester',
    email: `${id}@${orgId}.example`,
    timeZone: 'Europe/Prague',
    licence,
  };
}

export const users = {
  alice: user('alice', 'acme'),
  basil: user('basil', 'acme', 'Basic'),
  carol: user('carol', 'acme', 'none'),
  gina: user('gina', 'globex'),
  walt: user('walt', 'webonly'),
  dora: user('dora', 'dormant'),
};

export const acmeAdmin: Admin = { role: 'customer-admin', email: 'it@acme.example', orgId: 'acme' };
export const globexAdmin: Admin = { role: 'customer-admin', email: 'it@globex.example', orgId: 'globex' };
export const partnerAdmin: Admin = {
  role: 'partner-admin',
  email: 'ops@partner.example',
  managedOrgIds: ['acme', 'globex', 'webonly', 'dormant'],
};

export function newHub() {
  return createControlHub([acme, globex, webOnly, notEnabled], Object.values(users));
}
