/**
 * The Control Hub settings page of `callrec serve` (`/control-hub/<personId>`, the source text's steps
 * S13–S30). It holds no settings of its own: it reads and writes them through the served API's own
 * pipeline (`callApi`: the same contract check, token scopes and route handlers a client meets) for
 * `GET/PUT /v1/people/{personId}/features/callRecording` and the vendor terms endpoints. Before the PUT
 * it applies Control Hub's form bound for the repeat tone (10–90 s, S29), which is narrower than the
 * API's (10–1800 s); every other rule and message is the API's. Sign-in is a simulator choice of an
 * admin token the server issued, kept in an HttpOnly, SameSite=Strict cookie.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applySettingsPatch, type RecordingSettings } from '../domain/settings.ts';
import { PORTAL_CSS, PORTAL_JS } from '../dubber/portal-web/assets.ts';
import { controlHubPage, settingsPatchFromForm } from '../dubber/portal-web/control-hub-page.ts';
import { esc, layout } from '../dubber/portal-web/html.ts';
import { html, readForm, redirect, send } from '../dubber/portal-web/http-helpers.ts';
import { isSimError } from '../errors.ts';
import { API_ROOT } from './contract.ts';
import type { TokenRegistry } from './tokens.ts';
import { DUBBER_VENDOR } from './vendor.ts';
import { platformInfoOf, type WebexWorld } from './webex-world.ts';

export const CONTROL_HUB_PATH = '/control-hub';
const COOKIE = 'callrec_hub';

/** One request through the served API's pipeline, as a client would send it. */
export type CallApi = (request: {
  readonly method: 'GET' | 'PUT';
  readonly path: string;
  readonly token: string;
  readonly body?: unknown;
}) => Promise<{ readonly status: number; readonly body: unknown }>;

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && value !== undefined && /^[A-Za-z0-9_-]{16,128}$/.test(value)) return value;
  }
  return undefined;
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] !== 'cross-site';
  return origin === `http://${req.headers.host ?? ''}`;
}

const messageOf = (body: unknown): string =>
  body !== null && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string'
    ? (body as { message: string }).message
    : 'The API refused the change.';

/** The fields of `next` (one level of nesting) whose value differs from `current`. */
function changedFields(current: object, next: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const was = current as Readonly<Record<string, unknown>>;
  for (const [key, value] of Object.entries(next)) {
    const before = was[key];
    if (value !== null && typeof value === 'object' && before !== null && typeof before === 'object') {
      const inner: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if ((before as Record<string, unknown>)[k] !== v) inner[k] = v;
      }
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else if (before !== value) out[key] = value;
  }
  return out;
}

const codeOf = (body: unknown): unknown =>
  (body as { errors?: readonly { code?: unknown }[] } | undefined)?.errors?.[0]?.code;

function signInPage(personId: string, admins: readonly { label: string }[], error?: string): string {
  const action = `${CONTROL_HUB_PATH}/${encodeURIComponent(personId)}/sign-in`;
  const choices = admins
    .map(
      (a, i) =>
        `<label><input type="radio" name="admin" value="${esc(a.label)}"${i === 0 ? ' checked' : ''}> ${esc(a.label)}</label>`,
    )
    .join('<br>');
  const body = `${error === undefined ? '' : `<p class="error" role="alert" id="sign-in-error">${esc(error)}</p>`}
<p>Simulator sign-in: act as one of the admins this server issued a token to (see <code>callrec serve --print-tokens</code>).</p>
<form method="post" action="${action}" id="sign-in"><fieldset><legend>Admin</legend>
${choices}
</fieldset><button type="submit" id="sign-in-submit">Sign in</button></form>`;
  return layout({ title: 'Sign in to Control Hub', body, brand: 'Control Hub' });
}

export function createControlHubWeb(ctx: {
  readonly world: WebexWorld;
  readonly tokens: TokenRegistry;
  readonly callApi: CallApi;
}) {
  const { world, tokens, callApi } = ctx;
  const adminTokens = () => tokens.list().filter((t) => t.subject.kind === 'admin');
  const signedIn = (req: IncomingMessage) => {
    const token = cookieOf(req);
    const issued = token === undefined ? undefined : tokens.lookup(token);
    return issued?.subject.kind === 'admin' ? issued : undefined;
  };
  const settingsPath = (personId: string) =>
    `${API_ROOT}/people/${encodeURIComponent(personId)}/features/callRecording`;
  const termsPath = (orgId: string) =>
    `${API_ROOT}/telephony/config/callRecording/vendors/${DUBBER_VENDOR.id}/termsOfService?orgId=${encodeURIComponent(orgId)}`;

  /** Answers the request when it is the page's (true), else leaves it to the API (false). */
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    const method = req.method ?? 'GET';
    if (path === '/portal/assets/portal.js' && method === 'GET') {
      send(res, 200, 'text/javascript; charset=utf-8', PORTAL_JS);
      return true;
    }
    if (path === '/portal/assets/portal.css' && method === 'GET') {
      send(res, 200, 'text/css; charset=utf-8', PORTAL_CSS);
      return true;
    }
    const match = /^\/control-hub\/([A-Za-z0-9._:@+-]{1,256})(\/sign-in|\/sign-out)?$/.exec(path);
    if (match === null) return false;
    const personId = match[1] as string;
    const action = match[2];
    const here = `${CONTROL_HUB_PATH}/${encodeURIComponent(personId)}`;
    const notAllowed = (status: number, message: string) =>
      html(
        res,
        status,
        layout({
          title: 'Not allowed',
          body: `<p class="error" role="alert">${esc(message)}</p>`,
          brand: 'Control Hub',
        }),
      );
    if (method !== 'GET' && !sameOrigin(req)) {
      notAllowed(403, 'Forms are accepted from this server’s own pages only.');
      return true;
    }
    if (action === '/sign-in' && method === 'POST') {
      const form = await readForm(req);
      const chosen = adminTokens().find((t) => t.label === form?.get('admin'));
      if (chosen === undefined) {
        html(res, 400, signInPage(personId, adminTokens(), 'Pick one of the admins listed.'));
        return true;
      }
      redirect(res, here, {
        'set-cookie': `${COOKIE}=${chosen.token}; Path=${CONTROL_HUB_PATH}; HttpOnly; SameSite=Strict`,
      });
      return true;
    }
    if (action === '/sign-out' && method === 'POST') {
      redirect(res, here, {
        'set-cookie': `${COOKIE}=; Path=${CONTROL_HUB_PATH}; HttpOnly; SameSite=Strict; Max-Age=0`,
      });
      return true;
    }
    if (action !== undefined || (method !== 'GET' && method !== 'POST')) {
      notAllowed(405, `${method} is not allowed on ${path}.`);
      return true;
    }
    const admin = signedIn(req);
    if (admin === undefined) {
      if (method === 'POST') await readForm(req);
      html(res, method === 'GET' ? 200 : 401, signInPage(personId, adminTokens()));
      return true;
    }
    const read = await callApi({ method: 'GET', path: settingsPath(personId), token: admin.token });
    if (read.status !== 200) {
      notAllowed(read.status, messageOf(read.body));
      return true;
    }
    const current = read.body as RecordingSettings;
    const orgId = world.hub().users[personId]?.orgId as string;
    const termsNeeded = async () => {
      const terms = await callApi({ method: 'GET', path: termsPath(orgId), token: admin.token });
      return (
        terms.status === 200 &&
        (terms.body as { termsOfServiceEnabled?: unknown }).termsOfServiceEnabled !== true
      );
    };
    const page = async (
      status: number,
      settings: RecordingSettings,
      extra: { notice?: string; error?: string },
    ) =>
      html(
        res,
        status,
        controlHubPage({
          userId: personId,
          orgId,
          settings,
          dubPoint: platformInfoOf(world, personId),
          termsNeeded: await termsNeeded(),
          askAdminEmail: false,
          signedInAs: admin.label,
          ...extra,
        }),
      );
    if (method === 'GET') {
      await page(200, current, {});
      return true;
    }
    const form = await readForm(req);
    if (form === undefined) {
      await page(413, current, { error: 'That form is too large.' });
      return true;
    }
    const patch = settingsPatchFromForm(form, current);
    // Control Hub's form bound (S29) is narrower than the API's; the form refuses before anything is sent.
    try {
      applySettingsPatch(current, patch, 'control-hub');
    } catch (error) {
      if (!isSimError(error)) throw error;
      await page(400, current, { error: error.message });
      return true;
    }
    // Only what the admin changed is sent, as Control Hub does: an untouched field meets no API rule.
    const changed = changedFields(current, patch);
    const put = () =>
      callApi({ method: 'PUT', path: settingsPath(personId), token: admin.token, body: changed });
    let written = Object.keys(changed).length === 0 ? { status: 204, body: undefined } : await put();
    if (written.status === 409 && codeOf(written.body) === 'SIM_ERR_TERMS_NOT_ACCEPTED') {
      if (!form.has('acceptTerms')) {
        await page(400, current, {
          error: `${messageOf(written.body)} Tick "I accept the Dubber terms of service" to enable the first user (S15).`,
        });
        return true;
      }
      const accepted = await callApi({
        method: 'PUT',
        path: termsPath(orgId),
        token: admin.token,
        body: { termsOfServiceEnabled: true },
      });
      if (accepted.status !== 204) {
        await page(accepted.status, current, { error: messageOf(accepted.body) });
        return true;
      }
      written = await put();
    }
    if (written.status !== 204) {
      await page(written.status, current, { error: messageOf(written.body) });
      return true;
    }
    const after = await callApi({ method: 'GET', path: settingsPath(personId), token: admin.token });
    await page(200, after.body as RecordingSettings, { notice: 'Saved.' });
    return true;
  };
}
