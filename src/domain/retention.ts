/**
 * Retention as a pure function of (recording, subscription history, now), seed S6, S10, S11, S14.
 *
 * - While the owner is on Go, a recording is deleted 30 days after the later of its creation and the
 *   start of the current Go period (S6, S11).
 * - A switch to a paid tier before that moment stops the deletion (S10); while paid, nothing expires.
 * - A switch back to Go starts a new 30-day countdown from the switch (S11).
 * - Turning recording off for the user changes nothing here (S14).
 * Deletion is final: once a deadline passed under Go, a later switch to paid does not bring it back.
 */
import { DAY_MS, GO_RETENTION_DAYS, type SubscriptionHistory, TIER_TERMS } from './subscription.ts';

export interface RetainedRecording {
  readonly createdAtMs: number;
}

export type RetentionStatus =
  | { readonly state: 'retained'; readonly deleteAtMs: number | null }
  | { readonly state: 'deleted'; readonly deletedAtMs: number };

export function retentionStatus(
  recording: RetainedRecording,
  history: SubscriptionHistory,
  nowMs: number,
): RetentionStatus {
  const goMs = GO_RETENTION_DAYS * DAY_MS;
  // Walk the periods that overlap [createdAt, ∞); the first Go deadline that falls inside its own period wins.
  for (let i = 0; i < history.length; i++) {
    const period = history[i];
    if (period === undefined) continue;
    const nextFromMs = history[i + 1]?.fromMs ?? Number.POSITIVE_INFINITY;
    if (nextFromMs <= recording.createdAtMs) continue; // ended before the recording existed
    if (TIER_TERMS[period.tier].retentionDays === null) continue;
    const deadline = Math.max(period.fromMs, recording.createdAtMs) + goMs;
    if (deadline < nextFromMs) {
      return deadline <= nowMs
        ? { state: 'deleted', deletedAtMs: deadline }
        : { state: 'retained', deleteAtMs: deadline };
    }
  }
  return { state: 'retained', deleteAtMs: null };
}
