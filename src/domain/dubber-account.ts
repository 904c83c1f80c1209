/**
 * The organisation's Dubber account (seed S4, S15–S18): created once, when the Dubber terms are first
 * accepted; its admins; and exactly what Webex Calling shares with Dubber.
 */

/** S18: the only user data Webex Calling shares with Dubber, besides the customer name. */
export interface SharedUserProfile {
  readonly timeZone: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
}

export interface DubberAccount {
  readonly orgId: string;
  readonly createdAtMs: number;
  /** E-mail of the admin who accepted the terms (S15). */
  readonly termsAcceptedBy: string;
  /** E-mails of the Dubber administrators (S16); unique across all accounts (S17). */
  readonly adminEmails: readonly string[];
  /** What Webex Calling shared (S18): the customer name and, per enabled user, their profile. */
  readonly shared: { readonly customerName: string; readonly users: readonly SharedUserProfile[] };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The account (other than `exceptOrgId`'s) that already uses `email` as an admin, if any (S17). */
export function accountUsingAdminEmail(
  accounts: Readonly<Record<string, DubberAccount>>,
  email: string,
  exceptOrgId: string,
): DubberAccount | undefined {
  const wanted = normaliseEmail(email);
  return Object.values(accounts).find(
    (account) =>
      account.orgId !== exceptOrgId && account.adminEmails.some((e) => normaliseEmail(e) === wanted),
  );
}
