/**
 * How the SRS finds whose recording an INVITE is: by the metadata's BroadWorks `userID`, which is the
 * dub.point's `externalIdentifier` — the user's id, as Control Hub shows it (S19). The service provider
 * and group are then compared with the stored dub.point (S33), so a mismatch names its field.
 */
import type { UserRow } from '../store/store.ts';
import type { SiprecDirectory } from './siprec-adapter.ts';

export function directoryOfUsers(
  getUser: (userId: string) => UserRow | undefined | Promise<UserRow | undefined>,
): SiprecDirectory {
  return {
    async findUser(ids) {
      const user = await getUser(ids.externalIdentifier);
      return user === undefined
        ? undefined
        : { orgId: user.orgId, userId: user.userId, dubPoint: user.dubPoint };
    },
  };
}
