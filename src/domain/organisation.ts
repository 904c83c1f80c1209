/** Organisations, users and admins as Control Hub knows them (seed S1, S2, S7, S15–S17). */

/** Where the organisation bought Webex Calling; webex.com purchases are not offered Dubber Go (S7). */
export type PurchaseChannel = 'partner' | 'webex.com';

export interface Organisation {
  readonly id: string;
  readonly customerName: string;
  /** S1: the partner has enabled call recording for this organisation. */
  readonly partnerEnabled: boolean;
  readonly purchaseChannel: PurchaseChannel;
  /** The BroadWorks service provider that hosts the organisation (a dub.point value, S33). */
  readonly serviceProvider: string;
}

/** S2: only Professional and Basic Webex Calling licences can be recorded. */
export const LICENCES = ['Professional', 'Basic', 'none'] as const;
export type Licence = (typeof LICENCES)[number];

export interface User {
  readonly id: string;
  readonly orgId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  /** IANA time zone, e.g. "Europe/Prague". */
  readonly timeZone: string;
  readonly licence: Licence;
}

export function isRecordableLicence(licence: Licence): boolean {
  return licence === 'Professional' || licence === 'Basic';
}

/**
 * Who acts in Control Hub. A customer admin manages their own organisation; a partner admin manages the
 * organisations listed in `managedOrgIds` on the customer's behalf (S15).
 */
export type Admin =
  | { readonly role: 'customer-admin'; readonly email: string; readonly orgId: string }
  | { readonly role: 'partner-admin'; readonly email: string; readonly managedOrgIds: readonly string[] }
  | { readonly role: 'read-only-admin'; readonly email: string; readonly orgId: string };

/** Whether `admin` may change call-recording settings and accept terms for `orgId`. */
export function canAdministerOrg(admin: Admin, orgId: string): boolean {
  switch (admin.role) {
    case 'customer-admin':
      return admin.orgId === orgId;
    case 'partner-admin':
      return admin.managedOrgIds.includes(orgId);
    case 'read-only-admin':
      return false;
  }
}
