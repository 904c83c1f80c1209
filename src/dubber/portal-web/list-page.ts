/** The recordings list: what the signed-in actor may see (portal.list), filtered, sorted, paged. */
import { TIERS } from '../../domain/subscription.ts';
import type { RecordingSummary } from '../../protocol/portal-api.ts';
import { formatDate, formatDuration, retentionText } from './format.ts';
import { esc, layout } from './html.ts';
import { type ListPage, type ListQuery, PAGE_SIZES, queryString, type SortKey } from './list-query.ts';

export interface ListPageInput {
  readonly who: string;
  readonly isAdmin: boolean;
  readonly nowMs: number;
  readonly query: ListQuery;
  readonly result: ListPage;
  /** Users appearing in the caller's recordings (for the user filter). */
  readonly users: readonly string[];
}

export function participants(r: RecordingSummary): string {
  const remote = r.remote.address ?? (r.remote.type === 'pstn' ? 'PSTN caller' : 'internal caller');
  return r.direction === 'outbound' ? `${r.userId} → ${remote}` : `${remote} → ${r.userId}`;
}

function sortHeader(input: ListPageInput, key: SortKey, label: string): string {
  const q = input.query;
  const active = q.sort === key;
  const descending = active ? !q.descending : true;
  const aria = active ? ` aria-sort="${q.descending ? 'descending' : 'ascending'}"` : '';
  const arrow = active ? (q.descending ? ' ▼' : ' ▲') : '';
  return `<th scope="col"${aria}><a href="/portal/recordings${esc(queryString(q, { sort: key, descending, page: 1 }))}">${esc(label)}${arrow}</a></th>`;
}

export function listPage(input: ListPageInput): string {
  const { query: q, result } = input;
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(label)}</option>`;
  const filters = `<form method="get" action="/portal/recordings" class="filters" aria-label="Filter recordings">
<label for="f-user">User</label>
<select id="f-user" name="user">${option('', 'everyone', q.userId === '')}${input.users.map((u) => option(u, u, q.userId === u)).join('')}</select>
<label for="f-from">From</label> <input id="f-from" name="from" type="date" value="${esc(q.from)}">
<label for="f-to">To</label> <input id="f-to" name="to" type="date" value="${esc(q.to)}">
<label for="f-tier">Tier</label>
<select id="f-tier" name="tier">${option('', 'any', q.tier === '')}${TIERS.map((t) => option(t, t, q.tier === t)).join('')}</select>
<label for="f-size">Per page</label>
<select id="f-size" name="size">${PAGE_SIZES.map((n) => option(String(n), String(n), q.pageSize === n)).join('')}</select>
<input type="hidden" name="sort" value="${esc(q.sort)}"><input type="hidden" name="dir" value="${q.descending ? 'desc' : 'asc'}">
<button type="submit">Apply</button> <a href="/portal/recordings">Clear</a>
</form>`;
  const rows = result.rows
    .map(
      (r) => `<tr data-recording-id="${esc(r.recordingId)}">
<td><a href="/portal/recordings/${encodeURIComponent(r.recordingId)}">${esc(r.recordingId)}</a></td>
<td>${esc(formatDate(r.createdAtMs))}</td>
<td>${esc(r.userId)}</td>
<td>${esc(participants(r))}</td>
<td class="num">${esc(formatDuration(r.durationMs))}</td>
<td>${esc(r.ownerTier)}</td>
<td>${esc(retentionText(r.deleteAtMs, input.nowMs))}</td>
<td>${esc(r.access)}</td>
</tr>`,
    )
    .join('\n');
  const pager =
    result.pages <= 1
      ? ''
      : `<nav aria-label="Pages" class="pager">${
          result.page > 1
            ? `<a rel="prev" href="/portal/recordings${esc(queryString(q, { page: result.page - 1 }))}">Previous</a>`
            : ''
        } <span>Page ${result.page} of ${result.pages}</span> ${
          result.page < result.pages
            ? `<a rel="next" href="/portal/recordings${esc(queryString(q, { page: result.page + 1 }))}">Next</a>`
            : ''
        }</nav>`;
  const table =
    result.total === 0
      ? '<p class="empty" id="no-recordings">No recordings you may see match.</p>'
      : `<table id="recordings">
<caption>${result.total} recording${result.total === 1 ? '' : 's'}</caption>
<thead><tr>
<th scope="col">Recording</th>${sortHeader(input, 'created', 'Created')}${sortHeader(input, 'user', 'User')}
<th scope="col">Participants</th>${sortHeader(input, 'duration', 'Duration')}
<th scope="col">Tier</th><th scope="col">Retention</th><th scope="col">Your access</th>
</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  const body = `<p class="rules">On Dubber Go only the user sees their recordings, kept 30 days (S6); on Standard and AI the
organisation's Dubber admins see them too, kept while paid (S8, S10).</p>
${filters}
${table}
${pager}`;
  return layout({ title: 'Recordings', body, signedInAs: input.who, isAdmin: input.isAdmin });
}
