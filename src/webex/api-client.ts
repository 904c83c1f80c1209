/**
 * A small client of the served API (fetch on loopback): JSON in and out, bearer token, and an error
 * answer turned back into the SimError it came from (its `errors[0].code` and `message`).
 */

import { SimError } from '../errors.ts';
import { isSimErrorCode } from './sim-error-codes.ts';

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface ApiClient {
  request(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiAnswer>;
  /** Like `request`, but a 4xx/5xx answer rejects with the SimError it carries. */
  must(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<unknown>;
}

export function errorOfAnswer(answer: ApiAnswer, what: string): SimError {
  const body = answer.body as { message?: unknown; errors?: { code?: unknown }[] } | undefined;
  const code = body?.errors?.[0]?.code;
  const message = typeof body?.message === 'string' ? body.message : `${what} answered ${answer.status}.`;
  return isSimErrorCode(code)
    ? new SimError(code, message, { details: { status: answer.status } })
    : new SimError('SIM_ERR_INTERNAL', `${what} answered ${answer.status}: ${message}`, {
        details: { status: answer.status },
      });
}

export function createApiClient(baseUrl: string): ApiClient {
  const request = async (
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  return {
    request,
    async must(method, path, token, body, headers) {
      const answer = await request(method, path, token, body, headers);
      if (answer.status >= 400) throw errorOfAnswer(answer, `${method} ${path}`);
      return answer.body;
    },
  };
}
