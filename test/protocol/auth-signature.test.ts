/** HMAC request signatures (AudioHook-style HTTP Message Signatures), checked without sockets on a fake time. */
import { describe, expect, it } from 'vitest';
import { createNonceCache, signRequest, verifyRequest } from '../../src/protocol/auth-signature.ts';
import { ACME_KEY, ALL_KEYS } from '../harness/helpers.ts';

const findKey = (keyId: string) => ALL_KEYS.find((k) => k.keyId === keyId);
const T0 = 1_700_000_000_000;

function sign(overrides: Partial<Parameters<typeof signRequest>[0]> = {}) {
  return signRequest({
    method: 'GET',
    path: '/v1/stream',
    keyId: ACME_KEY.keyId,
    secret: ACME_KEY.secret,
    nowMs: T0,
    ...overrides,
  });
}

function verify(
  headers: Record<string, string>,
  overrides: Partial<Parameters<typeof verifyRequest>[0]> = {},
) {
  return verifyRequest({
    method: 'GET',
    path: '/v1/stream',
    headers,
    nowMs: T0 + 500,
    findKey,
    nonces: createNonceCache(),
    ...overrides,
  });
}

const codeOf = (r: ReturnType<typeof verifyRequest>) => (r.ok ? 'ok' : r.fault.code);

describe('verifyRequest', () => {
  it('accepts a fresh signature and names the key (and so the org) it came from', () => {
    const result = verify(sign());
    expect(result.ok && result.key.orgId).toBe('acme');
  });

  it('signs with a nonce of at least 22 characters', () => {
    const nonce = /nonce="([^"]+)"/.exec(sign()['signature-input'] ?? '')?.[1] ?? '';
    expect(nonce.length).toBeGreaterThanOrEqual(22);
  });

  it.each([
    ['no headers', {}, 'SINK_ERR_AUTH_MISSING'],
    ['garbage Signature-Input', { ...sign(), 'signature-input': 'sig1=nope' }, 'SINK_ERR_AUTH_MALFORMED'],
    ['unknown key', sign({ keyId: 'who', secret: 'x' }), 'SINK_ERR_AUTH_UNKNOWN_KEY'],
    ['short nonce', sign({ nonce: 'abc' }), 'SINK_ERR_AUTH_NONCE'],
    ['wrong secret', sign({ secret: 'not-the-secret' }), 'SINK_ERR_AUTH_BAD_SIGNATURE'],
    ['signed for another path', sign({ path: '/v1/other' }), 'SINK_ERR_AUTH_BAD_SIGNATURE'],
    ['signed for another method', sign({ method: 'POST' }), 'SINK_ERR_AUTH_BAD_SIGNATURE'],
  ])('%s → %s (HTTP 401)', (_label, headers, code) =>
    expect(codeOf(verify(headers as Record<string, string>))).toBe(code),
  );

  it('rejects a signature more than 10 s old or from more than 10 s in the future', () => {
    expect(codeOf(verify(sign(), { nowMs: T0 + 10_500 }))).toBe('ok');
    expect(codeOf(verify(sign(), { nowMs: T0 + 11_001 }))).toBe('SINK_ERR_AUTH_STALE');
    expect(codeOf(verify(sign({ nowMs: T0 + 11_000 }), { nowMs: T0 }))).toBe('SINK_ERR_AUTH_STALE');
  });

  it('rejects an expired or over-long signature', () => {
    expect(codeOf(verify(sign({ lifetimeMs: 1000 }), { nowMs: T0 + 2000 }))).toBe('SINK_ERR_AUTH_STALE');
    expect(codeOf(verify(sign({ lifetimeMs: 3_600_000 })))).toBe('SINK_ERR_AUTH_STALE');
  });

  it('rejects a replayed nonce, but a forged request does not burn the nonce', () => {
    const nonces = createNonceCache();
    const headers = sign();
    const forged = { ...headers, signature: `sig1=:${Buffer.alloc(32).toString('base64')}:` };
    expect(codeOf(verify(forged, { nonces }))).toBe('SINK_ERR_AUTH_BAD_SIGNATURE');
    expect(codeOf(verify(headers, { nonces }))).toBe('ok');
    expect(codeOf(verify(headers, { nonces }))).toBe('SINK_ERR_AUTH_REPLAY');
  });

  it('covers the body with a content digest when there is one', () => {
    const body = Buffer.from('{"op":"org"}');
    const headers = sign({ method: 'POST', path: '/v1/provision', body });
    const post = { method: 'POST', path: '/v1/provision' };
    expect(codeOf(verify(headers, { ...post, body }))).toBe('ok');
    expect(codeOf(verify(headers, { ...post, body: Buffer.from('{"op":"user"}') }))).toBe(
      'SINK_ERR_AUTH_BAD_SIGNATURE',
    );
    // A body-less signature cannot be reused for a request with a body.
    expect(codeOf(verify(sign({ method: 'POST', path: '/v1/provision' }), { ...post, body }))).toBe(
      'SINK_ERR_AUTH_MALFORMED',
    );
  });

  it('forgets nonces once no request carrying them could be accepted', () => {
    const nonces = createNonceCache();
    for (let i = 0; i < 600; i++) {
      const t = T0 + i * 1000;
      expect(codeOf(verify(sign({ nowMs: t }), { nowMs: t, nonces }))).toBe('ok');
    }
    expect(nonces.size()).toBeLessThan(300);
  });
});
