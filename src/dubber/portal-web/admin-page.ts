/**
 * Administration of an organisation's Dubber account, for its Dubber admins: add administrators (S16,
 * S17), switch a user's tier (S9) and reassign a paid licence from one user to another — a switch is
 * confirmed on a second page that shows what it does to each stored recording first (S10, S11).
 */
import { TIERS, type Tier } from '../../domain/subscription.ts';
import type { TierChange } from './admin-consequences.ts';
import { esc, layout } from './html.ts';

export interface AdminUser {
  readonly userId: string;
  readonly tier: Tier;
  readonly product: string;
  readonly recordings: number;
}

export interface AdminPageInput {
  readonly who: string;
  readonly orgId: string;
  readonly customerName: string;
  readonly termsAcceptedBy: string;
  readonly admins: readonly string[];
  readonly users: readonly AdminUser[];
  readonly notice?: string;
  readonly error?: string;
}

const option = (value: string, label: string) => `<option value="${esc(value)}">${esc(label)}</option>`;

export function adminPage(input: AdminPageInput): string {
  const paidUsers = input.users.filter((u) => u.tier !== 'Go');
  const userOptions = input.users.map((u) => option(u.userId, `${u.userId} (${u.tier})`)).join('');
  const body = `${input.notice === undefined ? '' : `<p class="notice" role="status">${esc(input.notice)}</p>`}
${input.error === undefined ? '' : `<p class="error" role="alert">${esc(input.error)}</p>`}
<p>Organisation <strong>${esc(input.customerName)}</strong> (<code>${esc(input.orgId)}</code>); Dubber terms accepted by
${esc(input.termsAcceptedBy)} (S15).</p>
<section aria-labelledby="admins-h">
<h2 id="admins-h">Administrators</h2>
<ul id="admins">${input.admins.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>
<form method="post" action="/portal/admin/admins">
<label for="admin-email">Add an administrator (e-mail)</label>
<input id="admin-email" name="email" type="email" required maxlength="320">
<button type="submit">Add administrator</button>
</form>
<p class="hint">An e-mail can be an administrator of one Dubber account only (S17).</p>
</section>
<section aria-labelledby="users-h">
<h2 id="users-h">Users and licences</h2>
<table id="users"><thead><tr><th scope="col">User</th><th scope="col">Tier</th><th scope="col">dub.point product</th><th scope="col">Stored recordings</th></tr></thead>
<tbody>${input.users
    .map(
      (u) =>
        `<tr data-user-id="${esc(u.userId)}"><th scope="row">${esc(u.userId)}</th><td>${esc(u.tier)}</td><td>${esc(u.product)}</td><td class="num">${u.recordings}</td></tr>`,
    )
    .join('')}</tbody></table>
<p class="hint">Users appear here once the sink has a recording of theirs.</p>
<form method="post" action="/portal/admin/tier" aria-labelledby="tier-h">
<h3 id="tier-h">Switch a user's tier (S9)</h3>
<label for="tier-user">User</label> <select id="tier-user" name="userId" required>${userOptions}</select>
<label for="tier-tier">New tier</label> <select id="tier-tier" name="tier" required>${TIERS.map((t) => option(t, t)).join('')}</select>
<button type="submit">Review the switch</button>
</form>
<form method="post" action="/portal/admin/reassign" aria-labelledby="reassign-h">
<h3 id="reassign-h">Reassign a paid licence</h3>
${
  paidUsers.length === 0
    ? '<p>No user holds a paid licence (Standard or AI).</p>'
    : `<label for="re-from">From</label> <select id="re-from" name="fromUserId" required>${paidUsers.map((u) => option(u.userId, `${u.userId} (${u.tier})`)).join('')}</select>
<label for="re-to">To</label> <select id="re-to" name="toUserId" required>${userOptions}</select>
<button type="submit">Review the reassignment</button>`
}
</form>
</section>`;
  return layout({ title: 'Administration', body, signedInAs: input.who, isAdmin: true });
}

function changeTable(change: TierChange): string {
  if (change.recordings.length === 0) return `<p>${esc(change.userId)} has no stored recordings.</p>`;
  return `<table class="consequences" data-user-id="${esc(change.userId)}"><caption>${esc(change.userId)}: ${esc(change.from)} → ${esc(change.to)}</caption>
<thead><tr><th scope="col">Recording</th><th scope="col">Now</th><th scope="col">After the switch</th></tr></thead>
<tbody>${change.recordings
    .map(
      (r) =>
        `<tr${r.deletedBySwitch ? ' class="loss"' : ''}><th scope="row">${esc(r.recordingId)}</th><td>${esc(r.before)}</td><td>${esc(r.after)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

/** The confirmation step: the consequences, then Confirm (a POST with confirm=yes) or Cancel. */
export function confirmPage(input: {
  readonly who: string;
  readonly title: string;
  readonly action: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly changes: readonly TierChange[];
}): string {
  const hidden = Object.entries(input.fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  const body = `<section aria-labelledby="consequences-h" id="consequences">
<h2 id="consequences-h">What this changes</h2>
${input.changes.map((c) => `<p class="summary">${esc(c.summary)}</p>${changeTable(c)}`).join('\n')}
</section>
<form method="post" action="${esc(input.action)}">${hidden}<input type="hidden" name="confirm" value="yes">
<button type="submit" id="confirm">Confirm</button> <a href="/portal/admin">Cancel</a>
</form>`;
  return layout({ title: input.title, body, signedInAs: input.who, isAdmin: true });
}
