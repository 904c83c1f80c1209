/** What a route gets and returns. Routes are keyed by the operationId of the description they implement. */
import type { Admin } from '../domain/index.ts';
import type { ServedDubber } from './served-dubber.ts';
import type { IssuedToken, Scope, TokenRegistry } from './tokens.ts';
import { WebexHttpError } from './webex-error.ts';
import type { WebexWorld } from './webex-world.ts';
import type { Webhooks } from './webhooks.ts';

export interface RouteContext {
  readonly world: WebexWorld;
  readonly tokens: TokenRegistry;
  readonly webhooks: Webhooks;
  /** The fake Dubber behind the world, when there is one. */
  readonly dubber: ServedDubber | undefined;
  readonly auth: IssuedToken;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly trackingId: string;
  /** Virtual time can be moved by the advance endpoint only when the world runs on a virtual clock. */
  readonly advanceClock: ((ms: number) => void) | undefined;
}

export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
}

export interface Route {
  /** Every scope listed is needed (403 otherwise). */
  readonly scopes: readonly Scope[];
  /** The domain checks this body itself (field by field, with its own wording); skip the unknown-field pass. */
  readonly bodyCheckedByDomain?: boolean;
  handle(context: RouteContext): RouteResult;
}

export type RouteTable = Readonly<Record<string, Route>>;

export function adminOf(context: RouteContext): Admin {
  const { subject } = context.auth;
  if (subject.kind !== 'admin') {
    throw new WebexHttpError(
      403,
      'SIM_ERR_NOT_AUTHORISED',
      'This operation needs an administrator token; a user token cannot use it.',
    );
  }
  return subject.admin;
}

export function userOf(context: RouteContext): { readonly userId: string; readonly orgId: string } {
  const { subject } = context.auth;
  if (subject.kind !== 'user') {
    throw new WebexHttpError(
      403,
      'SIM_ERR_NOT_AUTHORISED',
      "Call control acts on the calls of the token's user; use a user token (see --print-tokens).",
    );
  }
  return subject;
}

/** The JSON body as an object (the contract has checked its shape already). */
export function bodyObject(context: RouteContext): Readonly<Record<string, unknown>> {
  const { body } = context;
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

export const NO_CONTENT: RouteResult = { status: 204 };
