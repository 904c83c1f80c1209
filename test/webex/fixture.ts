/** A served world with two organisations, admins of every role and users of every licence. */
import { type Scenario, scenarioSchema } from '../../src/scenario/schema.ts';
import { DUBBER_VENDOR } from '../../src/webex/vendor.ts';

export const WORLD: Scenario = scenarioSchema.parse({
  name: 'api test world',
  orgs: [
    { id: 'acme', customerName: 'Acme s.r.o.', serviceProvider: 'sp-eu' },
    { id: 'globex', customerName: 'Globex a.s.' },
    { id: 'initech', customerName: 'Initech', partnerEnabled: false },
  ],
  admins: [
    { email: 'it@acme.example', role: 'customer-admin', org: 'acme' },
    { email: 'viewer@acme.example', role: 'read-only-admin', org: 'acme' },
    { email: 'it@globex.example', role: 'customer-admin', org: 'globex' },
    { email: 'partner@reseller.example', role: 'partner-admin', orgs: ['acme', 'initech'] },
  ],
  users: [
    { id: 'alice', org: 'acme', firstName: 'Alice', lastName: 'Novak' },
    { id: 'bob', org: 'acme', firstName: 'Bob', lastName: 'Dvorak', licence: 'Basic' },
    { id: 'carl', org: 'acme', firstName: 'Carl', lastName: 'Nemec', licence: 'none' },
    { id: 'gina', org: 'globex', firstName: 'Gina', lastName: 'Horak' },
    { id: 'ivan', org: 'initech', firstName: 'Ivan', lastName: 'Petrov' },
  ],
  steps: [{ at: '0s', advance: true }],
});

export const VENDOR_ID = DUBBER_VENDOR.id;
export const TERMS = `/v1/telephony/config/callRecording/vendors/${VENDOR_ID}/termsOfService`;
export const person = (id: string) => `/v1/people/${id}/features/callRecording`;
