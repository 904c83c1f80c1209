/** Escaped HTML for the portal pages: every value goes through `esc`, every page through `layout`. */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value, safe inside an element or a double-quoted attribute. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Nothing but the sink itself: scripts and styles from /portal/assets, audio and data from the sink. */
export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "media-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface LayoutInput {
  readonly title: string;
  readonly body: string;
  /** Who is signed in, shown in the header with a sign-out button. */
  readonly signedInAs?: string;
  readonly isAdmin?: boolean;
  /** The product the page belongs to (default the Dubber portal). */
  readonly brand?: string;
}

export function layout(input: LayoutInput): string {
  const nav =
    input.signedInAs === undefined
      ? ''
      : `<nav aria-label="Portal"><a href="/portal/recordings">Recordings</a>${
          input.isAdmin === true ? ' <a href="/portal/admin">Administration</a>' : ''
        }<span class="who">Signed in as ${esc(input.signedInAs)}</span>
<form method="post" action="/portal/sign-out" class="inline"><button type="submit">Sign out</button></form></nav>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)} · ${esc(input.brand ?? 'Dubber portal')} (callrec-sim)</title>
<link rel="stylesheet" href="/portal/assets/portal.css">
<script src="/portal/assets/portal.js" defer></script>
</head>
<body>
<header><span class="brand">${esc(input.brand ?? 'Dubber portal')} <small>callrec-sim</small></span>${nav}</header>
<main id="main">
<h1>${esc(input.title)}</h1>
${input.body}
</main>
</body>
</html>
`;
}
