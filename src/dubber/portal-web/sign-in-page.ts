/**
 * Simulator sign-in: pick an identity the sink knows (a recorded user, or a Dubber admin of an account)
 * or paste a portal token that provisioning issued. Picking an identity issues a token for it through
 * the same provisioning call as `POST /v1/provision {"op":"token"}`; the sink is a local test double.
 */
import { esc, layout } from './html.ts';

export interface KnownIdentity {
  readonly orgId: string;
  readonly kind: 'user' | 'admin';
  /** userId or admin e-mail. */
  readonly id: string;
  readonly label: string;
}

export function identityValue(identity: Pick<KnownIdentity, 'kind' | 'orgId' | 'id'>): string {
  return `${identity.kind}|${identity.orgId}|${identity.id}`;
}

export function signInPage(identities: readonly KnownIdentity[], error?: string): string {
  const options = identities
    .map((i) => `<option value="${esc(identityValue(i))}">${esc(i.label)}</option>`)
    .join('\n');
  const body = `${error === undefined ? '' : `<p class="error" role="alert">${esc(error)}</p>`}
<section aria-labelledby="pick-h">
<h2 id="pick-h">Sign in as someone the sink knows</h2>
<form method="post" action="/portal/sign-in">
<label for="identity">Identity</label>
<select id="identity" name="identity" required>
${options === '' ? '<option value="">(no identities yet: run a scenario or provision one)</option>' : options}
</select>
<button type="submit">Sign in</button>
</form>
</section>
<section aria-labelledby="other-h">
<h2 id="other-h">Someone else</h2>
<form method="post" action="/portal/sign-in">
<label for="org">Organisation id</label> <input id="org" name="orgId" required maxlength="256">
<label for="who">User id or admin e-mail</label> <input id="who" name="who" required maxlength="320">
<button type="submit">Sign in</button>
</form>
</section>
<section aria-labelledby="token-h">
<h2 id="token-h">Paste a portal token</h2>
<p>A token from <code>POST /v1/provision</code> with <code>{"op":"token"}</code>.</p>
<form method="post" action="/portal/sign-in">
<label for="token">Token</label> <input id="token" name="token" required maxlength="128" autocomplete="off">
<button type="submit">Sign in</button>
</form>
</section>`;
  return layout({ title: 'Sign in', body });
}
