/**
 * Bearer tokens as Webex issues them: each belongs to one admin or one user and carries scopes. The
 * simulator issues one token per scenario admin and user (printed by `callrec serve --print-tokens`) and
 * mints more through its token endpoint. Tokens are HMACs of the subject, so a served world started with
 * the same `--token-secret` hands out the same tokens.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Admin } from '../domain/index.ts';

export const ADMIN_SCOPES = [
  'spark-admin:people_read',
  'spark-admin:people_write',
  'spark-admin:telephony_config_read',
  'spark-admin:telephony_config_write',
] as const;
export const USER_SCOPES = ['spark:calls_read', 'spark:calls_write', 'spark:people_read'] as const;
/** Simulator-only: move virtual time, place network calls, mint tokens, change the recorder's health. */
export const SIMULATOR_SCOPE = 'callrec:simulator';
export const ALL_SCOPES = [...ADMIN_SCOPES, ...USER_SCOPES, SIMULATOR_SCOPE] as const;
export type Scope = (typeof ALL_SCOPES)[number];

export type TokenSubject =
  | { readonly kind: 'admin'; readonly admin: Admin }
  | { readonly kind: 'user'; readonly userId: string; readonly orgId: string }
  | { readonly kind: 'simulator' };

export interface IssuedToken {
  readonly token: string;
  readonly subject: TokenSubject;
  readonly scopes: readonly Scope[];
  /** Who it is, for people reading `--print-tokens`. */
  readonly label: string;
}

export interface TokenRegistry {
  issue(subject: TokenSubject, scopes: readonly Scope[], label: string): IssuedToken;
  lookup(token: string): IssuedToken | undefined;
  list(): readonly IssuedToken[];
}

export function createTokenRegistry(secret: string = randomBytes(24).toString('hex')): TokenRegistry {
  const byToken = new Map<string, IssuedToken>();
  let minted = 0;
  return {
    issue(subject, scopes, label) {
      minted += 1;
      const token = createHmac('sha256', secret)
        .update(`${label}\n${[...scopes].sort().join(' ')}\n${minted}`)
        .digest('base64url');
      const issued: IssuedToken = { token, subject, scopes: [...scopes], label };
      byToken.set(token, issued);
      return issued;
    },
    lookup: (token) => byToken.get(token),
    list: () => [...byToken.values()],
  };
}

/** The `Authorization: Bearer <token>` value, or undefined when the header is missing or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  return match?.[1];
}
