/**
 * The recordings list's query string: filter by user, date and owner tier, sort, page. Applied to what
 * the portal already allowed (the caller's list), so it can narrow access, never widen it.
 */
import { DAY_MS, TIERS, type Tier } from '../../domain/subscription.ts';
import type { RecordingSummary } from '../../protocol/portal-api.ts';

export const SORT_KEYS = ['created', 'duration', 'user'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const PAGE_SIZES = [10, 25, 50, 100] as const;

export interface ListQuery {
  readonly userId: string;
  /** yyyy-mm-dd (UTC), inclusive; '' for no bound. */
  readonly from: string;
  readonly to: string;
  readonly tier: Tier | '';
  readonly sort: SortKey;
  readonly descending: boolean;
  readonly page: number;
  readonly pageSize: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayStartMs(date: string): number | undefined {
  if (!DATE.test(date)) return undefined;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Unknown or malformed parameters fall back to their defaults; nothing here throws. */
export function parseListQuery(params: URLSearchParams): ListQuery {
  const pick = (name: string, max = 256) => (params.get(name) ?? '').trim().slice(0, max);
  const tier = pick('tier');
  const sort = pick('sort');
  const pageSize = Number(pick('size'));
  const page = Number(pick('page'));
  const from = pick('from', 10);
  const to = pick('to', 10);
  return {
    userId: pick('user'),
    from: dayStartMs(from) === undefined ? '' : from,
    to: dayStartMs(to) === undefined ? '' : to,
    tier: (TIERS as readonly string[]).includes(tier) ? (tier as Tier) : '',
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : 'created',
    descending: pick('dir') !== 'asc',
    page: Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : 25,
  };
}

export function queryString(query: ListQuery, patch: Partial<ListQuery> = {}): string {
  const q = { ...query, ...patch };
  const params = new URLSearchParams();
  if (q.userId !== '') params.set('user', q.userId);
  if (q.from !== '') params.set('from', q.from);
  if (q.to !== '') params.set('to', q.to);
  if (q.tier !== '') params.set('tier', q.tier);
  if (q.sort !== 'created') params.set('sort', q.sort);
  if (!q.descending) params.set('dir', 'asc');
  if (q.page !== 1) params.set('page', String(q.page));
  if (q.pageSize !== 25) params.set('size', String(q.pageSize));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export interface ListPage {
  readonly rows: readonly RecordingSummary[];
  /** Matching rows before paging. */
  readonly total: number;
  readonly page: number;
  readonly pages: number;
}

export function applyListQuery(all: readonly RecordingSummary[], query: ListQuery): ListPage {
  const fromMs = dayStartMs(query.from);
  const toMs = dayStartMs(query.to);
  const matching = all.filter(
    (r) =>
      (query.userId === '' || r.userId === query.userId) &&
      (query.tier === '' || r.ownerTier === query.tier) &&
      (fromMs === undefined || r.createdAtMs >= fromMs) &&
      (toMs === undefined || r.createdAtMs < toMs + DAY_MS),
  );
  const key = (r: RecordingSummary): number | string =>
    query.sort === 'duration' ? r.durationMs : query.sort === 'user' ? r.userId : r.createdAtMs;
  const sorted = [...matching].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const order = ka < kb ? -1 : ka > kb ? 1 : a.recordingId < b.recordingId ? -1 : 1;
    return query.descending ? -order : order;
  });
  const pages = Math.max(1, Math.ceil(sorted.length / query.pageSize));
  const page = Math.min(query.page, pages);
  return {
    rows: sorted.slice((page - 1) * query.pageSize, page * query.pageSize),
    total: sorted.length,
    page,
    pages,
  };
}
