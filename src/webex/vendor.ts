/**
 * The one call-recording vendor the simulator models: Dubber (its fake stands behind the served API), and
 * the organisation- and location-level vendor settings of the published descriptions.
 */
import { FAILURE_BEHAVIOURS, type FailureBehaviour } from '../domain/index.ts';

export const DUBBER_VENDOR = {
  id: 'Y2lzY29zcGFyazovL3VzL1JFQ09SRElOR19WRU5ET1IvZHViYmVy',
  name: 'Dubber',
  description: 'Dubber call recording: Dubber Go (free, 30-day retention) or Standard / AI (paid)',
  migrateUserCreationEnabled: true,
  loginUrl: 'https://dubber.example/login',
  termsOfServiceUrl: 'https://dubber.example/terms-of-service',
} as const;

export const STORAGE_REGIONS = [
  { code: 'US', name: 'United States', defaultEnabled: 'true' },
  { code: 'EU', name: 'European Union', defaultEnabled: 'false' },
  { code: 'AU', name: 'Australia', defaultEnabled: 'false' },
] as const;

export interface ComplianceAnnouncement {
  readonly inboundPSTNCallsEnabled: boolean;
  readonly outboundPSTNCallsEnabled: boolean;
  readonly outboundPSTNCallsDelayEnabled: boolean;
  readonly delayInSeconds: number;
}

export interface LocationRecording {
  readonly id: string;
  readonly name: string;
  /** The location uses the organisation's vendor. */
  readonly orgDefaultEnabled: boolean;
  readonly vendorId: string;
  readonly storageRegion: string;
  readonly orgStorageRegionEnabled: boolean;
  /** When true the organisation's failure behaviour applies, else `failureBehavior`. */
  readonly orgFailureBehaviorEnabled: boolean;
  readonly failureBehavior: FailureBehaviour;
  readonly compliance: ComplianceAnnouncement & { readonly useOrgSettingsEnabled: boolean };
}

export interface OrgRecording {
  readonly vendorId: string;
  readonly storageRegion: string;
  readonly failureBehavior: FailureBehaviour;
  /** How long the platform waits for the recorder before applying the failure behaviour. */
  readonly recorderWaitMs: number;
  /** E-mail of the admin who accepted the vendor's terms, until the Dubber account exists (S15). */
  readonly termsAcceptedBy: string | undefined;
  readonly compliance: ComplianceAnnouncement;
  readonly location: LocationRecording;
}

export const DEFAULT_COMPLIANCE: ComplianceAnnouncement = {
  inboundPSTNCallsEnabled: false,
  outboundPSTNCallsEnabled: false,
  outboundPSTNCallsDelayEnabled: false,
  delayInSeconds: 10,
};

export function defaultOrgRecording(
  orgId: string,
  recorder: { readonly failureBehaviour: FailureBehaviour; readonly waitMs: number },
): OrgRecording {
  return {
    vendorId: DUBBER_VENDOR.id,
    storageRegion: 'US',
    failureBehavior: recorder.failureBehaviour,
    recorderWaitMs: recorder.waitMs,
    termsAcceptedBy: undefined,
    compliance: DEFAULT_COMPLIANCE,
    location: {
      id: locationIdOf(orgId),
      name: 'Headquarters',
      orgDefaultEnabled: true,
      vendorId: DUBBER_VENDOR.id,
      storageRegion: 'US',
      orgStorageRegionEnabled: true,
      orgFailureBehaviorEnabled: true,
      failureBehavior: recorder.failureBehaviour,
      compliance: { ...DEFAULT_COMPLIANCE, useOrgSettingsEnabled: true },
    },
  };
}

/** Each organisation has one location in the simulator: `<orgId>-hq`. */
export function locationIdOf(orgId: string): string {
  return `${orgId}-hq`;
}

/** The failure behaviour a call of a user at this location gets. */
export function effectiveFailureBehaviour(org: OrgRecording): FailureBehaviour {
  return org.location.orgFailureBehaviorEnabled ? org.failureBehavior : org.location.failureBehavior;
}

export function isFailureBehaviour(value: unknown): value is FailureBehaviour {
  return (FAILURE_BEHAVIOURS as readonly unknown[]).includes(value);
}
