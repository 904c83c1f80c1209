/**
 * Control Hub's call-recording administration as pure state transitions (seed S1, S2, S7, S9, S13–S18):
 * each function takes the state and returns a new one, or throws a SimError and changes nothing.
 */
import { SimError } from '../errors.ts';
import { accountUsingAdminEmail, type DubberAccount, normaliseEmail } from './dubber-account.ts';
import {
  type Admin,
  canAdministerOrg,
  isRecordableLicence,
  type Organisation,
  type User,
} from './organisation.ts';
import type { DubPoint } from './platform-info.ts';
import {
  applySettingsPatch,
  type DubPointValues,
  defaultRecordingSettings,
  type RecordingSettings,
  type SettingsPath,
} from './settings.ts';
import {
  assertTierAvailable,
  type SubscriptionHistory,
  switchTier,
  type Tier,
  tierAt,
} from './subscription.ts';

export interface ControlHubState {
  readonly orgs: Readonly<Record<string, Organisation>>;
  readonly users: Readonly<Record<string, User>>;
  readonly settings: Readonly<Record<string, RecordingSettings>>;
  readonly subscriptions: Readonly<Record<string, SubscriptionHistory>>;
  readonly dubberAccounts: Readonly<Record<string, DubberAccount>>;
}

export function createControlHub(orgs: readonly Organisation[], users: readonly User[]): ControlHubState {
  const orgById = Object.fromEntries(orgs.map((o) => [o.id, o]));
  for (const user of users) {
    if (orgById[user.orgId] === undefined) {
      throw new SimError(
        'SIM_ERR_UNKNOWN_ORG',
        `User ${user.id} belongs to unknown organisation ${user.orgId}; declare it first.`,
        {
          details: { userId: user.id, orgId: user.orgId },
        },
      );
    }
  }
  const state: ControlHubState = {
    orgs: orgById,
    users: Object.fromEntries(users.map((u) => [u.id, u])),
    settings: {},
    subscriptions: {},
    dubberAccounts: {},
  };
  return {
    ...state,
    settings: Object.fromEntries(
      users.map((u) => [u.id, defaultRecordingSettings(dubPointValuesOf(state, u.id))]),
    ),
  };
}

export function getUser(state: ControlHubState, userId: string): User {
  const user = state.users[userId];
  if (user === undefined) {
    throw new SimError(
      'SIM_ERR_UNKNOWN_USER',
      `No user with id "${userId}"; check the id against the users list.`,
      {
        details: { userId },
      },
    );
  }
  return user;
}

export function getOrg(state: ControlHubState, orgId: string): Organisation {
  const org = state.orgs[orgId];
  if (org === undefined) {
    throw new SimError('SIM_ERR_UNKNOWN_ORG', `No organisation with id "${orgId}".`, { details: { orgId } });
  }
  return org;
}

export function getSettings(state: ControlHubState, userId: string): RecordingSettings {
  getUser(state, userId);
  return state.settings[userId] ?? defaultRecordingSettings(dubPointValuesOf(state, userId));
}

/** The dub.point values Control Hub assigns to a user (read-only in the API, S33). */
export function dubPointValuesOf(state: ControlHubState, userId: string): DubPointValues {
  const user = getUser(state, userId);
  const org = getOrg(state, user.orgId);
  return { serviceProvider: org.serviceProvider, externalGroup: org.id, externalIdentifier: user.id };
}

export function currentTier(state: ControlHubState, userId: string, nowMs: number): Tier | undefined {
  return tierAt(state.subscriptions[userId] ?? [], nowMs);
}

export interface EnableRequest {
  readonly userId: string;
  readonly admin: Admin;
  /** Whether the admin accepts the Dubber terms now; needed for the org's first enabled user (S15). */
  readonly acceptTerms?: boolean;
  /** The subscription to put the user on; Go unless the org bought on webex.com (S7). */
  readonly tier?: Tier;
  /** Settings to apply together with enabling (validated first). */
  readonly settings?: unknown;
  readonly nowMs: number;
  /** Whose bounds the settings are checked against (default: Control Hub's form, S29). */
  readonly path?: SettingsPath;
}

export interface EnableResult {
  readonly state: ControlHubState;
  readonly accountCreated: boolean;
  readonly adminAdded: boolean;
}

/** S13–S18: turns call recording on for a user, creating the org's Dubber account on first use. */
export function enableRecording(state: ControlHubState, request: EnableRequest): EnableResult {
  const user = getUser(state, request.userId);
  const org = getOrg(state, user.orgId);
  const { admin } = request;
  if (!org.partnerEnabled) {
    throw new SimError(
      'SIM_ERR_SERVICE_NOT_ENABLED',
      `Call recording is not enabled for "${org.customerName}" by its partner (S1); ask the partner to enable it first.`,
      { details: { orgId: org.id } },
    );
  }
  if (!isRecordableLicence(user.licence)) {
    throw new SimError(
      'SIM_ERR_USER_NOT_LICENSED',
      `${user.firstName} ${user.lastName} has licence "${user.licence}"; only Professional or Basic Webex Calling users can be recorded (S2).`,
      { details: { userId: user.id, licence: user.licence } },
    );
  }
  if (!canAdministerOrg(admin, org.id)) {
    throw new SimError(
      'SIM_ERR_NOT_AUTHORISED',
      `${admin.email} (${admin.role}) cannot change call recording for "${org.customerName}"; a customer admin of the org or a partner admin managing it must do it (S15).`,
      { details: { adminEmail: admin.email, role: admin.role, orgId: org.id } },
    );
  }
  const tier = request.tier ?? (org.purchaseChannel === 'webex.com' ? undefined : 'Go');
  if (tier === undefined) {
    throw new SimError(
      'SIM_ERR_TIER_NOT_AVAILABLE',
      `"${org.customerName}" bought on webex.com, where Dubber Go is not offered (S7); enable with a Standard or AI subscription.`,
      { details: { orgId: org.id, purchaseChannel: org.purchaseChannel } },
    );
  }
  assertTierAvailable(tier, org.purchaseChannel);

  const clash = accountUsingAdminEmail(state.dubberAccounts, admin.email, org.id);
  const existing = state.dubberAccounts[org.id];
  const alreadyAdmin =
    existing?.adminEmails.some((e) => normaliseEmail(e) === normaliseEmail(admin.email)) ?? false;
  if (clash !== undefined && !alreadyAdmin) {
    throw new SimError(
      'SIM_ERR_ADMIN_EMAIL_IN_USE',
      `${admin.email} is already an admin of the Dubber account of another organisation (${clash.orgId}); Dubber allows one account per admin e-mail (S17). Use a different admin for this customer.`,
      { details: { adminEmail: admin.email, otherOrgId: clash.orgId } },
    );
  }
  if (existing === undefined && request.acceptTerms !== true) {
    throw new SimError(
      'SIM_ERR_TERMS_NOT_ACCEPTED',
      `"${org.customerName}" has no Dubber account yet: the first user's enablement must accept Dubber's terms (S15). Retry with the terms accepted.`,
      { details: { orgId: org.id } },
    );
  }
  const current = getSettings(state, user.id);
  const settings = applySettingsPatch({ ...current, enabled: true }, request.settings ?? {}, request.path);

  const profile = {
    timeZone: user.timeZone,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
  };
  const baseAccount: DubberAccount = existing ?? {
    orgId: org.id,
    createdAtMs: request.nowMs,
    termsAcceptedBy: admin.email,
    adminEmails: [],
    shared: { customerName: org.customerName, users: [] },
  };
  const account: DubberAccount = {
    ...baseAccount,
    adminEmails: alreadyAdmin ? baseAccount.adminEmails : [...baseAccount.adminEmails, admin.email],
    shared: {
      customerName: baseAccount.shared.customerName,
      users: baseAccount.shared.users.some((u) => normaliseEmail(u.email) === normaliseEmail(user.email))
        ? baseAccount.shared.users
        : [...baseAccount.shared.users, profile],
    },
  };
  return {
    state: {
      ...state,
      settings: { ...state.settings, [user.id]: { ...settings, enabled: true } },
      subscriptions: {
        ...state.subscriptions,
        [user.id]: switchTier(state.subscriptions[user.id] ?? [], tier, request.nowMs),
      },
      dubberAccounts: { ...state.dubberAccounts, [org.id]: account },
    },
    accountCreated: existing === undefined,
    adminAdded: !alreadyAdmin,
  };
}

/** Changes the settings of a user whose recording is on; an invalid patch changes nothing. */
export function updateRecordingSettings(
  state: ControlHubState,
  userId: string,
  patch: unknown,
  path: SettingsPath = 'control-hub',
): ControlHubState {
  const current = getSettings(state, userId);
  if (!current.enabled) {
    throw new SimError(
      'SIM_ERR_RECORDING_NOT_ENABLED',
      `Call recording is off for user ${userId}; turn it on before changing its settings (S13).`,
      { details: { userId } },
    );
  }
  const next = applySettingsPatch(current, patch, path);
  if (next.enabled === false) return disableRecording(state, userId);
  return { ...state, settings: { ...state.settings, [userId]: next } };
}

/** S14: turning recording off clears the user's settings; their recordings stay on Dubber. */
export function disableRecording(state: ControlHubState, userId: string): ControlHubState {
  getUser(state, userId);
  return {
    ...state,
    settings: { ...state.settings, [userId]: defaultRecordingSettings(dubPointValuesOf(state, userId)) },
  };
}

/** S9: a user moves between free and paid subscriptions at any time (S7 still applies). */
export function changeSubscription(
  state: ControlHubState,
  userId: string,
  tier: Tier,
  nowMs: number,
): ControlHubState {
  const user = getUser(state, userId);
  assertTierAvailable(tier, getOrg(state, user.orgId).purchaseChannel);
  return {
    ...state,
    subscriptions: {
      ...state.subscriptions,
      [userId]: switchTier(state.subscriptions[userId] ?? [], tier, nowMs),
    },
  };
}

/** S19/S33: what "View call recording platform info" shows for the user. */
export function platformInfo(state: ControlHubState, userId: string, nowMs: number): DubPoint {
  const tier = currentTier(state, userId, nowMs) ?? 'Go';
  const product = tier === 'Go' ? 'Dubber Go' : tier === 'AI' ? 'Dubber AI' : 'Dubber Standard';
  return { product, externalType: 'BroadWorks', ...dubPointValuesOf(state, userId) };
}
