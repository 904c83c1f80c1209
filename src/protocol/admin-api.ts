/**
 * Provisioning and the portal of a sink, as one small interface: in-process for the embedded sink
 * (src/dubber/in-process-admin.ts), or over signed HTTP for a sink running elsewhere
 * (src/platform/admin-client.ts). Scenario runs talk to either the same way.
 */
import type { RecordingSummary, StreamSummary } from './portal-api.ts';
import type {
  IssueTokenRequest,
  ProvisionAccount,
  ProvisionOrg,
  ProvisionUser,
  SwitchTierRequest,
} from './provision-requests.ts';

export interface SinkAdmin {
  upsertOrg(request: ProvisionOrg): Promise<void>;
  upsertAccount(request: ProvisionAccount): Promise<void>;
  upsertUser(request: ProvisionUser): Promise<void>;
  switchTier(request: SwitchTierRequest): Promise<void>;
  issueToken(request: IssueTokenRequest): Promise<string>;
  sweep(): Promise<void>;
  list(token: string): Promise<RecordingSummary[]>;
  streams(token: string, recordingId: string): Promise<readonly StreamSummary[]>;
}
