/**
 * HMAC-SHA256 request signatures for the WebSocket upgrade and the provisioning endpoint, after AudioHook's
 * use of HTTP Message Signatures (RFC 9421): `X-API-KEY`, `Signature-Input` (covered components, created,
 * expires, nonce ≥ 22 chars, key id) and `Signature`. Pure: time comes in as `nowMs` from the SimClock.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type SinkFault, sinkFault } from './sink-errors.ts';

/** A shared secret. `orgId: '*'` is the Webex platform key, which may act for every organisation. */
export interface SinkKey {
  readonly keyId: string;
  readonly secret: string;
  readonly orgId: string;
}

export const PLATFORM_ORG = '*';
export const MIN_NONCE_CHARS = 22;
export const DEFAULT_MAX_SKEW_MS = 10_000;
/** Signatures may not claim a longer life, so the replay cache stays small. */
export const MAX_SIGNATURE_LIFETIME_MS = 300_000;
const SIGNATURE_LABEL = 'sig1';
const NONCE_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

export interface SignRequestInput {
  readonly method: string;
  readonly path: string;
  readonly keyId: string;
  readonly secret: string;
  readonly nowMs: number;
  /** Defaults to 16 random bytes (22 base64url characters). */
  readonly nonce?: string;
  readonly lifetimeMs?: number;
  readonly body?: Uint8Array | string;
}

export type SignedHeaders = Record<string, string>;

function contentDigest(body: Uint8Array | string): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

function signatureBase(
  method: string,
  path: string,
  components: Record<string, string>,
  params: string,
): string {
  const lines = [`"@method": ${method.toUpperCase()}`, `"@path": ${path}`];
  for (const [name, value] of Object.entries(components)) lines.push(`"${name}": ${value}`);
  lines.push(`"@signature-params": ${params}`);
  return lines.join('\n');
}

function hmac(secret: string, base: string): Buffer {
  return createHmac('sha256', secret).update(base).digest();
}

/** The headers a client adds to a request (the WebSocket upgrade or a provisioning POST). */
export function signRequest(input: SignRequestInput): SignedHeaders {
  const createdS = Math.floor(input.nowMs / 1000);
  const expiresS = createdS + Math.ceil((input.lifetimeMs ?? 60_000) / 1000);
  const nonce = input.nonce ?? randomBytes(16).toString('base64url');
  const components: Record<string, string> = { 'x-api-key': input.keyId };
  const headers: SignedHeaders = { 'x-api-key': input.keyId };
  if (input.body !== undefined) {
    const digest = contentDigest(input.body);
    components['content-digest'] = digest;
    headers['content-digest'] = digest;
  }
  const covered = ['"@method"', '"@path"', ...Object.keys(components).map((c) => `"${c}"`)].join(' ');
  const params = `(${covered});created=${createdS};expires=${expiresS};nonce="${nonce}";alg="hmac-sha256";keyid="${input.keyId}"`;
  const signature = hmac(input.secret, signatureBase(input.method, input.path, components, params));
  headers['signature-input'] = `${SIGNATURE_LABEL}=${params}`;
  headers.signature = `${SIGNATURE_LABEL}=:${signature.toString('base64')}:`;
  return headers;
}

/** Nonces seen recently; each is remembered until no request carrying it could still be accepted. */
export interface NonceCache {
  /** True when the nonce was new (and is now remembered until `forgetAtMs`). */
  remember(nonce: string, forgetAtMs: number, nowMs: number): boolean;
  size(): number;
}

export function createNonceCache(): NonceCache {
  const forgetAt = new Map<string, number>();
  let insertsSincePurge = 0;
  return {
    remember(nonce, forgetAtMs, nowMs) {
      const known = forgetAt.get(nonce);
      if (known !== undefined && known > nowMs) return false;
      forgetAt.set(nonce, forgetAtMs);
      if (++insertsSincePurge >= 256) {
        insertsSincePurge = 0;
        for (const [n, t] of forgetAt) if (t <= nowMs) forgetAt.delete(n);
      }
      return true;
    },
    size: () => forgetAt.size,
  };
}

type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

export interface VerifyRequestInput {
  readonly method: string;
  readonly path: string;
  readonly headers: HeaderBag;
  /** The request body when there is one; it must match the signed content digest. */
  readonly body?: Uint8Array;
  readonly nowMs: number;
  readonly findKey: (keyId: string) => SinkKey | undefined;
  readonly nonces: NonceCache;
  readonly maxSkewMs?: number;
}

export type VerifyResult =
  | { readonly ok: true; readonly key: SinkKey }
  | { readonly ok: false; readonly fault: SinkFault };

const PARAMS_PATTERN =
  /^sig1=\(((?:"[a-z@-]+" ?)+)\);created=(\d{1,12});expires=(\d{1,12});nonce="([^"]*)";alg="hmac-sha256";keyid="([^"]+)"$/;

/**
 * Checks a signed request. Order: headers present → form → key known → nonce shape → freshness →
 * signature → replay; the nonce is remembered only for a request that is otherwise valid, so a forged
 * request cannot burn a legitimate client's nonce.
 */
export function verifyRequest(input: VerifyRequestInput): VerifyResult {
  const fail = (code: Parameters<typeof sinkFault>[0], message: string): VerifyResult => ({
    ok: false,
    fault: sinkFault(code, message),
  });
  const keyId = header(input.headers, 'x-api-key');
  const signatureInput = header(input.headers, 'signature-input');
  const signature = header(input.headers, 'signature');
  if (keyId === undefined || signatureInput === undefined || signature === undefined) {
    return fail('SINK_ERR_AUTH_MISSING', 'X-API-KEY, Signature-Input and Signature headers are required.');
  }
  const match = PARAMS_PATTERN.exec(signatureInput);
  const signatureMatch = /^sig1=:([A-Za-z0-9+/=]+):$/.exec(signature);
  if (match === null || signatureMatch === null) {
    return fail('SINK_ERR_AUTH_MALFORMED', 'Signature-Input or Signature is not in the documented form.');
  }
  const [, coveredText = '', createdText = '', expiresText = '', nonce = '', signedKeyId = ''] = match;
  const covered = coveredText.trim().split(' ');
  const hasBody = input.body !== undefined && input.body.length > 0;
  const expectedCovered = ['"@method"', '"@path"', '"x-api-key"', ...(hasBody ? ['"content-digest"'] : [])];
  if (signedKeyId !== keyId || covered.join(' ') !== expectedCovered.join(' ')) {
    return fail(
      'SINK_ERR_AUTH_MALFORMED',
      `The signature must cover ${expectedCovered.join(' ')} and name the X-API-KEY as keyid.`,
    );
  }
  const key = input.findKey(keyId);
  if (key === undefined) return fail('SINK_ERR_AUTH_UNKNOWN_KEY', `Unknown API key "${keyId.slice(0, 64)}".`);
  if (!NONCE_PATTERN.test(nonce)) {
    return fail('SINK_ERR_AUTH_NONCE', `The nonce must be ${MIN_NONCE_CHARS}–128 base64url characters.`);
  }
  const createdMs = Number(createdText) * 1000;
  const expiresMs = Number(expiresText) * 1000;
  const maxSkewMs = input.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  // `created` is whole seconds, so allow the sub-second part it dropped.
  const skewMs = input.nowMs - createdMs;
  if (skewMs > maxSkewMs + 999 || -skewMs > maxSkewMs || input.nowMs > expiresMs || expiresMs < createdMs) {
    return fail(
      'SINK_ERR_AUTH_STALE',
      `The signature was created at ${createdMs} ms (expires ${expiresMs} ms) but the sink clock reads ${Math.round(input.nowMs)} ms; allowed skew is ${maxSkewMs} ms.`,
    );
  }
  if (expiresMs - createdMs > MAX_SIGNATURE_LIFETIME_MS) {
    return fail('SINK_ERR_AUTH_STALE', `A signature may live at most ${MAX_SIGNATURE_LIFETIME_MS / 1000} s.`);
  }
  const components: Record<string, string> = { 'x-api-key': keyId };
  if (hasBody) {
    const digest = header(input.headers, 'content-digest');
    if (digest === undefined || digest !== contentDigest(input.body as Uint8Array)) {
      return fail('SINK_ERR_AUTH_BAD_SIGNATURE', 'Content-Digest is missing or does not match the body.');
    }
    components['content-digest'] = digest;
  }
  const params = signatureInput.slice(`${SIGNATURE_LABEL}=`.length);
  const expected = hmac(key.secret, signatureBase(input.method, input.path, components, params));
  const given = Buffer.from(signatureMatch[1] ?? '', 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail(
      'SINK_ERR_AUTH_BAD_SIGNATURE',
      'The signature does not match; check the secret and the signed path.',
    );
  }
  const forgetAtMs = Math.min(createdMs + maxSkewMs + 1000, expiresMs) + 1;
  if (!input.nonces.remember(nonce, forgetAtMs, input.nowMs)) {
    return fail('SINK_ERR_AUTH_REPLAY', 'This nonce was already used; sign every request anew.');
  }
  return { ok: true, key };
}

/** Whether a key may act for `orgId` (platform keys act for all). */
export function keyActsFor(key: SinkKey, orgId: string): boolean {
  return key.orgId === PLATFORM_ORG || key.orgId === orgId;
}
