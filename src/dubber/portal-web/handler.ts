/**
 * The Dubber portal as web pages under `/portal`, served by the sink. Every read goes through the
 * same Portal (portal.ts) the bearer-token API uses, with the token from an HttpOnly, SameSite=Strict
 * cookie, so the pages can show exactly what the API would answer and nothing more. Admin actions go
 * through Provisioning as the organisation's own key would (a past-dated switch never deletes).
 * Forms post only from the sink's own pages (Origin checked); answers carry a strict CSP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { normaliseEmail } from '../../domain/dubber-account.ts';
import { TIERS, type Tier, tierAt } from '../../domain/subscription.ts';
import { isSimError } from '../../errors.ts';
import type { SimClock } from '../../time/clock.ts';
import { faultOfError } from '../http-api.ts';
import type { Portal } from '../portal.ts';
import type { Provisioning } from '../provisioning.ts';
import type { SinkStore } from '../store/store.ts';
import { tierChange } from './admin-consequences.ts';
import { type AdminUser, adminPage, confirmPage } from './admin-page.ts';
import { PORTAL_CSS, PORTAL_JS } from './assets.ts';
import { createControlHubRoute } from './control-hub-route.ts';
import {
  clearCookie,
  cookieToken,
  errorPage,
  html,
  readForm,
  redirect,
  SECURITY_HEADERS,
  sameOrigin,
  send,
  sessionCookie,
} from './http-helpers.ts';
import { listPage } from './list-page.ts';
import { applyListQuery, parseListQuery } from './list-query.ts';
import { wavPeaks } from './peaks.ts';
import { recordingPage } from './recording-page.ts';
import { type KnownIdentity, signInPage } from './sign-in-page.ts';

export const PORTAL_WEB_PATH = '/portal';

export interface PortalWebContext {
  readonly store: SinkStore;
  readonly portal: Portal;
  readonly provisioning: Provisioning;
  readonly clock: SimClock;
}

interface Actor {
  readonly token: string;
  readonly orgId: string;
  readonly userId?: string;
  readonly adminEmail?: string;
  readonly isAdmin: boolean;
  readonly who: string;
}

export const CONTROL_HUB_WEB_PATH = '/control-hub';

export function isPortalWebPath(path: string): boolean {
  return (
    path === PORTAL_WEB_PATH ||
    path.startsWith(`${PORTAL_WEB_PATH}/`) ||
    path.startsWith(`${CONTROL_HUB_WEB_PATH}/`)
  );
}

export function createPortalWeb(ctx: PortalWebContext) {
  const { store, portal, provisioning, clock } = ctx;

  const actorOf = (token: string | undefined): Actor | undefined => {
    if (token === undefined) return undefined;
    const row = store.getToken(token);
    if (row === undefined) return undefined;
    const isAdmin = row.adminEmail !== undefined && store.findAdminEmailOrg(row.adminEmail) === row.orgId;
    const name = row.userId ?? row.adminEmail ?? '?';
    return {
      token,
      orgId: row.orgId,
      isAdmin,
      who: `${name} (${row.orgId}${isAdmin ? ', Dubber admin' : ''})`,
      ...(row.userId === undefined ? {} : { userId: row.userId }),
      ...(row.adminEmail === undefined ? {} : { adminEmail: row.adminEmail }),
    };
  };

  /** Identities the sink knows: users with recordings and the admins of each account, per organisation. */
  const knownIdentities = (): KnownIdentity[] => {
    const orgs = new Map<string, Set<string>>();
    for (const r of store.listRecordings({})) {
      const users = orgs.get(r.orgId) ?? new Set<string>();
      users.add(r.userId);
      orgs.set(r.orgId, users);
    }
    const out: KnownIdentity[] = [];
    for (const [orgId, users] of [...orgs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const name = store.getOrg(orgId)?.customerName ?? orgId;
      for (const email of store.getAccount(orgId)?.adminEmails ?? []) {
        out.push({ orgId, kind: 'admin', id: email, label: `${email} — Dubber admin of ${name}` });
      }
      for (const userId of [...users].sort()) {
        const tier = tierAt(store.getUser(userId)?.subscription ?? [], clock.nowMs()) ?? 'Go';
        out.push({ orgId, kind: 'user', id: userId, label: `${userId} — user of ${name} (${tier})` });
      }
    }
    return out;
  };

  const signIn = async (req: IncomingMessage, res: ServerResponse) => {
    const form = await readForm(req);
    if (form === undefined) return html(res, 413, signInPage(knownIdentities(), 'That form is too large.'));
    let token = form.get('token')?.trim();
    try {
      if (token === undefined || token === '') {
        let orgId = form.get('orgId')?.trim() ?? '';
        let who = form.get('who')?.trim() ?? '';
        const identity = form.get('identity');
        let kind: 'user' | 'admin' = who.includes('@') ? 'admin' : 'user';
        if (identity) {
          const [k, o, i] = identity.split('|');
          kind = k === 'admin' ? 'admin' : 'user';
          orgId = o ?? '';
          who = i ?? '';
        }
        token = provisioning.issueToken(
          kind === 'admin' ? { orgId, adminEmail: who } : { orgId, userId: who },
        );
      }
      if (actorOf(token) === undefined) {
        return html(
          res,
          401,
          signInPage(knownIdentities(), 'Unknown portal token; ask provisioning for one.'),
        );
      }
      redirect(res, '/portal/recordings', { 'set-cookie': sessionCookie(token) });
    } catch (error) {
      const message = isSimError(error) ? error.message : 'Sign-in failed.';
      html(res, isSimError(error) ? faultOfError(error).status : 500, signInPage(knownIdentities(), message));
    }
  };

  const list = (res: ServerResponse, actor: Actor, url: URL) => {
    const all = portal.list(actor.token);
    const query = parseListQuery(url.searchParams);
    const users = [...new Set(all.map((r) => r.userId))].sort();
    html(
      res,
      200,
      listPage({
        who: actor.who,
        isAdmin: actor.isAdmin,
        nowMs: clock.nowMs(),
        query,
        result: applyListQuery(all, query),
        users,
      }),
    );
  };

  const recordingRoute = (
    req: IncomingMessage,
    res: ServerResponse,
    actor: Actor,
    id: string,
    rest: string,
    url: URL,
  ) => {
    if (rest === '') {
      const recording = portal.get(actor.token, id);
      return html(
        res,
        200,
        recordingPage({ who: actor.who, isAdmin: actor.isAdmin, nowMs: clock.nowMs(), recording }),
      );
    }
    const { wav } = portal.download(actor.token, id);
    if (rest === '/peaks.json') return send(res, 200, 'application/json', JSON.stringify(wavPeaks(wav)));
    // rest === '/audio.wav': byte ranges, so the audio element can seek.
    const disposition = url.searchParams.get('download') === '1' ? 'attachment' : 'inline';
    const headers = {
      'accept-ranges': 'bytes',
      'content-disposition': `${disposition}; filename="${id.replace(/[^A-Za-z0-9._-]/g, '_')}.wav"`,
    };
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (range === null || (range[1] === '' && range[2] === ''))
      return send(res, 200, 'audio/wav', wav, headers);
    const size = wav.length;
    const start = range[1] === '' ? Math.max(0, size - Number(range[2])) : Number(range[1]);
    const end = range[1] === '' || range[2] === '' ? size - 1 : Math.min(size - 1, Number(range[2]));
    if (start > end || start >= size) {
      res.writeHead(416, { ...SECURITY_HEADERS, 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
    const part = wav.subarray(start, end + 1);
    send(res, 206, 'audio/wav', part, { ...headers, 'content-range': `bytes ${start}-${end}/${size}` });
  };

  const adminUsers = (orgId: string): AdminUser[] => {
    const counts = new Map<string, number>();
    for (const r of store.listRecordings({ orgId })) {
      if (r.deletedAtMs !== null || r.state === 'discarded') continue;
      counts.set(r.userId, (counts.get(r.userId) ?? 0) + 1);
    }
    return [...counts]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([userId, recordings]) => {
        const user = store.getUser(userId);
        if (user === undefined || user.orgId !== orgId) return [];
        return [
          {
            userId,
            tier: tierAt(user.subscription, clock.nowMs()) ?? 'Go',
            product: user.dubPoint.product,
            recordings,
          },
        ];
      });
  };

  const admin = (
    res: ServerResponse,
    actor: Actor,
    status = 200,
    notice?: { notice?: string; error?: string },
  ) => {
    const account = store.getAccount(actor.orgId);
    html(
      res,
      status,
      adminPage({
        who: actor.who,
        orgId: actor.orgId,
        customerName: store.getOrg(actor.orgId)?.customerName ?? actor.orgId,
        termsAcceptedBy: account?.termsAcceptedBy ?? '—',
        admins: account?.adminEmails ?? [],
        users: adminUsers(actor.orgId),
        ...notice,
      }),
    );
  };

  /** A user of the admin's own organisation, or undefined (another org's user is as unknown as a missing one). */
  const orgUser = (actor: Actor, userId: string) => {
    const user = store.getUser(userId);
    return user !== undefined && user.orgId === actor.orgId ? user : undefined;
  };

  const adminPost = async (req: IncomingMessage, res: ServerResponse, actor: Actor, action: string) => {
    const form = await readForm(req);
    if (form === undefined) return admin(res, actor, 413, { error: 'That form is too large.' });
    const field = (name: string) => (form.get(name) ?? '').trim().slice(0, 320);
    const now = clock.nowMs();
    try {
      if (action === 'admins') {
        const email = field('email');
        const account = store.getAccount(actor.orgId);
        if (account === undefined)
          return admin(res, actor, 404, { error: 'This organisation has no Dubber account.' });
        if (account.adminEmails.some((e) => normaliseEmail(e) === normaliseEmail(email))) {
          return admin(res, actor, 409, { error: `${email} is already an administrator of this account.` });
        }
        provisioning.upsertAccount({
          orgId: actor.orgId,
          termsAcceptedBy: account.termsAcceptedBy,
          adminEmails: [...account.adminEmails, email],
        });
        return admin(res, actor, 200, { notice: `${email} is now a Dubber administrator (S16).` });
      }
      const confirmed = form.get('confirm') === 'yes';
      if (action === 'tier') {
        const userId = field('userId');
        const tier = field('tier') as Tier;
        if (orgUser(actor, userId) === undefined)
          return admin(res, actor, 404, { error: `No user "${userId}" in this organisation.` });
        if (!(TIERS as readonly string[]).includes(tier))
          return admin(res, actor, 400, { error: `Unknown tier "${tier}".` });
        const change = tierChange(store, userId, tier, now);
        if (change === undefined) return admin(res, actor, 404, { error: `No user "${userId}".` });
        if (!confirmed) {
          return html(
            res,
            200,
            confirmPage({
              who: actor.who,
              title: `Switch ${userId} to ${tier}?`,
              action: '/portal/admin/tier',
              fields: { userId, tier },
              changes: [change],
            }),
          );
        }
        provisioning.switchTier({ userId, tier, atMs: now }, { mayDeleteStored: false });
        return admin(res, actor, 200, { notice: `${userId} is now on ${tier}.` });
      }
      if (action === 'reassign') {
        const fromUserId = field('fromUserId');
        const toUserId = field('toUserId');
        const from = orgUser(actor, fromUserId);
        if (from === undefined || orgUser(actor, toUserId) === undefined) {
          return admin(res, actor, 404, { error: 'Both users must be users of this organisation.' });
        }
        if (fromUserId === toUserId) return admin(res, actor, 400, { error: 'Pick two different users.' });
        const tier = tierAt(from.subscription, now) ?? 'Go';
        if (tier === 'Go')
          return admin(res, actor, 400, { error: `${fromUserId} holds no paid licence to reassign.` });
        const changes = [
          tierChange(store, fromUserId, 'Go', now),
          tierChange(store, toUserId, tier, now),
        ].filter((c) => c !== undefined);
        if (!confirmed) {
          return html(
            res,
            200,
            confirmPage({
              who: actor.who,
              title: `Move ${fromUserId}'s ${tier} licence to ${toUserId}?`,
              action: '/portal/admin/reassign',
              fields: { fromUserId, toUserId },
              changes,
            }),
          );
        }
        store.transaction(() => {
          provisioning.switchTier({ userId: fromUserId, tier: 'Go', atMs: now }, { mayDeleteStored: false });
          provisioning.switchTier({ userId: toUserId, tier, atMs: now }, { mayDeleteStored: false });
        });
        return admin(res, actor, 200, {
          notice: `${toUserId} now holds the ${tier} licence; ${fromUserId} is on Go.`,
        });
      }
      return errorPage(res, 404, `No page ${action}.`, actor);
    } catch (error) {
      if (!isSimError(error)) throw error;
      return admin(res, actor, faultOfError(error).status, { error: error.message });
    }
  };

  const controlHub = createControlHubRoute({ store, provisioning });

  return {
    async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
      const url = new URL(req.url ?? '/', 'http://sink');
      const method = req.method ?? 'GET';
      if (path === '/portal/assets/portal.js' && method === 'GET') {
        return send(res, 200, 'text/javascript; charset=utf-8', PORTAL_JS, { 'cache-control': 'no-cache' });
      }
      if (path === '/portal/assets/portal.css' && method === 'GET') {
        return send(res, 200, 'text/css; charset=utf-8', PORTAL_CSS, { 'cache-control': 'no-cache' });
      }
      if (method === 'POST' && !sameOrigin(req))
        return errorPage(res, 403, 'Forms are accepted from the portal pages only.');
      if (path === '/portal/sign-in' && method === 'POST') return signIn(req, res);
      const hub = /^\/control-hub\/([A-Za-z0-9._:@+-]{1,256})$/.exec(path);
      if (hub !== null && (method === 'GET' || method === 'POST'))
        return controlHub(req, res, hub[1] ?? '', method);
      if (path === '/portal/sign-out' && method === 'POST')
        return redirect(res, '/portal', { 'set-cookie': clearCookie });
      const actor = actorOf(cookieToken(req));
      if (path === '/portal' || path === '/portal/') {
        if (method !== 'GET') return errorPage(res, 405, `${method} is not allowed here.`);
        return actor === undefined
          ? html(res, 200, signInPage(knownIdentities()))
          : redirect(res, '/portal/recordings');
      }
      if (actor === undefined) return redirect(res, '/portal');
      try {
        if (path === '/portal/recordings' && method === 'GET') return list(res, actor, url);
        const match = /^\/portal\/recordings\/([A-Za-z0-9._:-]{1,128})(\/audio\.wav|\/peaks\.json)?$/.exec(
          path,
        );
        if (match !== null && method === 'GET')
          return recordingRoute(req, res, actor, match[1] ?? '', match[2] ?? '', url);
        if (path === '/portal/admin' || path.startsWith('/portal/admin/')) {
          if (!actor.isAdmin)
            return errorPage(
              res,
              403,
              'Only a Dubber admin of this organisation can open administration (S16).',
              actor,
            );
          if (path === '/portal/admin' && method === 'GET') return admin(res, actor);
          if (method === 'POST') return await adminPost(req, res, actor, path.slice('/portal/admin/'.length));
        }
        return errorPage(res, 404, `No page ${path}.`, actor);
      } catch (error) {
        if (!isSimError(error)) throw error;
        const fault = faultOfError(error);
        return errorPage(res, fault.status, error.message, actor);
      }
    },
  };
}

export type PortalWeb = ReturnType<typeof createPortalWeb>;
