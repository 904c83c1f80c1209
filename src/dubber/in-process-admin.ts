/** The embedded sink's provisioning and portal as a SinkAdmin, for scenario runs that host the sink. */
import type { SinkAdmin } from '../protocol/admin-api.ts';
import type { SinkServer } from './server.ts';

/** The embedded sink's provisioning and portal, behind the same promises as the HTTP one. */
export function inProcessSinkAdmin(server: SinkServer): SinkAdmin {
  return {
    upsertOrg: async (r) => void server.provisioning.upsertOrg(r),
    upsertAccount: async (r) => void server.provisioning.upsertAccount(r),
    upsertUser: async (r) => void server.provisioning.upsertUser(r),
    switchTier: async (r) => void server.provisioning.switchTier(r),
    issueToken: async (r) => server.provisioning.issueToken(r),
    sweep: async () => void server.sweepRetention(),
    list: async (token) => server.portal.list(token),
    streams: async (token, id) => server.portal.get(token, id).streams,
  };
}
