/**
 * `expect.accounts`: per organisation, its Dubber accounts (0 or 1), their admins, who accepted the terms,
 * and exactly what Webex shared with Dubber — the customer name and each enabled user's first and last
 * name, e-mail and time zone, nothing else (S15–S18).
 */
import type { ControlHubState } from '../../domain/index.ts';
import type { Scenario } from '../schema.ts';

type Fail = (expectation: string, expected: unknown, actual: unknown, message: string) => void;

const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);

export function checkAccounts(scenario: Scenario, hub: ControlHubState, fail: Fail): void {
  for (const [orgId, wanted] of Object.entries(scenario.expect.accounts ?? {})) {
    const where = `expect.accounts.${orgId}`;
    if (!scenario.orgs.some((o) => o.id === orgId)) {
      fail(
        where,
        'an organisation of the scenario',
        'no such organisation',
        `No organisation "${orgId}" in orgs.`,
      );
      continue;
    }
    const account = hub.dubberAccounts[orgId];
    const count = account === undefined ? 0 : 1;
    if (wanted.count !== undefined && wanted.count !== count)
      fail(`${where}.count`, wanted.count, count, `Dubber accounts of ${orgId} (S15: created once)`);
    const admins = [...(account?.adminEmails ?? [])].map((e) => e.toLowerCase()).sort();
    if (wanted.admins !== undefined) {
      const expected = wanted.admins.map((e) => e.toLowerCase()).sort();
      if (JSON.stringify(expected) !== JSON.stringify(admins))
        fail(`${where}.admins`, expected, admins, `Dubber admins of ${orgId} (S16, S17)`);
    }
    if (wanted.termsAcceptedBy !== undefined && wanted.termsAcceptedBy !== account?.termsAcceptedBy) {
      fail(
        `${where}.termsAcceptedBy`,
        wanted.termsAcceptedBy,
        account?.termsAcceptedBy ?? 'no account',
        'Who accepted the Dubber terms (S15)',
      );
    }
    if (wanted.customerName !== undefined && wanted.customerName !== account?.shared.customerName) {
      fail(
        `${where}.customerName`,
        wanted.customerName,
        account?.shared.customerName ?? 'no account',
        'The customer name Webex shared with Dubber (S18)',
      );
    }
    if (wanted.users !== undefined) {
      const shared = (account?.shared.users ?? []).map((u) => ({ ...u })).sort(byEmail);
      const expected = [...wanted.users].sort(byEmail);
      const canonical = (list: readonly Record<string, unknown>[]) =>
        JSON.stringify(
          list.map((u) => Object.fromEntries(Object.entries(u).sort(([a], [b]) => a.localeCompare(b)))),
        );
      if (canonical(expected) !== canonical(shared))
        fail(`${where}.users`, expected, shared, 'Exactly the user data Webex shared with Dubber (S18)');
    }
  }
}
