/** The portal pages' HTTP plumbing: security headers, HTML answers, redirects, the session cookie, forms. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { esc, layout, PORTAL_CSP } from './html.ts';

const COOKIE = 'callrec_portal';
const MAX_FORM_BYTES = 16 * 1024;

export const SECURITY_HEADERS = {
  'content-security-policy': PORTAL_CSP,
  'x-content-type-options': 'nosniff',
  // Not no-referrer: under it Chromium sends `Origin: null` on form posts, which the Origin check must refuse.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

export const html = (res: ServerResponse, status: number, body: string, extra = {}) =>
  send(res, status, 'text/html; charset=utf-8', body, extra);

export function redirect(res: ServerResponse, location: string, extra = {}): void {
  res.writeHead(303, { ...SECURITY_HEADERS, location, 'content-length': 0, ...extra });
  res.end();
}

export function errorPage(
  res: ServerResponse,
  status: number,
  message: string,
  actor?: { readonly who: string; readonly isAdmin: boolean },
): void {
  html(
    res,
    status,
    layout({
      title: status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something went wrong',
      body: `<p class="error" role="alert">${esc(message)}</p><p><a href="/portal/recordings">Back to the recordings</a></p>`,
      ...(actor === undefined ? {} : { signedInAs: actor.who, isAdmin: actor.isAdmin }),
    }),
  );
}

export function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && value !== undefined && /^[A-Za-z0-9_-]{16,128}$/.test(value)) return value;
  }
  return undefined;
}

export const sessionCookie = (token: string) => `${COOKIE}=${token}; Path=/portal; HttpOnly; SameSite=Strict`;
export const clearCookie = `${COOKIE}=; Path=/portal; HttpOnly; SameSite=Strict; Max-Age=0`;

export function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        req.removeAllListeners('data');
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/** A form post must come from the sink's own pages: a cross-site Origin is refused (the cookie is Strict too). */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] !== 'cross-site';
  return origin === `http://${req.headers.host ?? ''}`;
}
