/**
 * What a tier switch would do to a user's stored recordings, computed before it is confirmed: each
 * recording's retention now and after the switch (S9–S11), by the domain's own retention rule.
 */
import { retentionStatus } from '../../domain/retention.ts';
import { switchTier, type Tier, tierAt } from '../../domain/subscription.ts';
import { recordingIdOfKey } from '../store/recording-key.ts';
import type { SinkStore } from '../store/store.ts';
import { retentionText } from './format.ts';

export interface RetentionChange {
  readonly recordingId: string;
  readonly before: string;
  readonly after: string;
  /** The switch would delete it now (a deadline already past under the new history). */
  readonly deletedBySwitch: boolean;
}

export interface TierChange {
  readonly userId: string;
  readonly from: Tier;
  readonly to: Tier;
  readonly recordings: readonly RetentionChange[];
  readonly summary: string;
}

export function tierChange(
  store: SinkStore,
  userId: string,
  to: Tier,
  nowMs: number,
): TierChange | undefined {
  const user = store.getUser(userId);
  if (user === undefined) return undefined;
  const from = tierAt(user.subscription, nowMs) ?? 'Go';
  const next = switchTier(user.subscription, to, nowMs);
  const recordings: RetentionChange[] = [];
  for (const recording of store.listRecordings({ orgId: user.orgId })) {
    if (recording.userId !== userId || recording.deletedAtMs !== null || recording.state === 'discarded')
      continue;
    const before = retentionStatus(recording, user.subscription, nowMs);
    if (before.state === 'deleted') continue;
    const after = retentionStatus(recording, next, nowMs);
    recordings.push({
      recordingId: recordingIdOfKey(recording.recordingId),
      before: retentionText(before.deleteAtMs, nowMs),
      after: after.state === 'deleted' ? 'deleted' : retentionText(after.deleteAtMs, nowMs),
      deletedBySwitch: after.state === 'deleted',
    });
  }
  const paidTo = to !== 'Go';
  const paidFrom = from !== 'Go';
  const summary =
    from === to
      ? `${userId} is already on ${to}; nothing changes.`
      : paidFrom && !paidTo
        ? `${userId} moves to Dubber Go: unlimited retention ends, each stored recording is deleted 30 days from now (S11), and admins lose access to them (S6).`
        : !paidFrom && paidTo
          ? `${userId} moves to ${to}: stored recordings are no longer deleted (S10), and the organisation's Dubber admins can access them (S8).`
          : `${userId} moves from ${from} to ${to}: retention stays unlimited (S10).`;
  return { userId, from, to, recordings, summary };
}
