/** How the portal pages write durations, dates and the Go retention countdown (S6, S11). */
import { DAY_MS } from '../../domain/subscription.ts';

export function formatDuration(ms: number): string {
  const totalS = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** UTC, to the minute: the sink's clock may be virtual, so no local time zone is implied. */
export function formatDate(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "deleted in 12 days" while on Go; "kept (paid tier)" when nothing expires (S10). */
export function retentionText(deleteAtMs: number | null, nowMs: number): string {
  if (deleteAtMs === null) return 'kept while on a paid tier';
  const leftMs = deleteAtMs - nowMs;
  if (leftMs <= 0) return 'deleted';
  const days = Math.floor(leftMs / DAY_MS);
  if (days >= 2) return `deleted in ${days} days`;
  if (days === 1) return 'deleted in 1 day';
  const hours = Math.max(1, Math.floor(leftMs / 3_600_000));
  return `deleted in ${hours} hour${hours === 1 ? '' : 's'}`;
}
