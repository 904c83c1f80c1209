/** The `open` request of a multiplexed-connection recording for a provisioned acme user (helpers.ts world). */
import type { MuxOpenRequest } from '../../src/platform/connection.ts';
import { dubPointOf } from '../harness/helpers.ts';

export const muxRequest = (
  recordingId: string,
  userId: string,
  ssrcs: { user: number; remote: number },
): MuxOpenRequest => ({
  recordingId,
  orgId: 'acme',
  userId,
  dubPoint: dubPointOf(userId),
  direction: 'inbound',
  remote: { type: 'pstn' },
  format: 'PCMU',
  ssrcs,
});
