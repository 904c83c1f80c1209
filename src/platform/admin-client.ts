/**
 * The admin client of a sink running elsewhere (`callrec sink`): signed provisioning requests and the
 * bearer-token portal over HTTP, behind the SinkAdmin interface the embedded sink also offers.
 */
import { SimError } from '../errors.ts';
import type { SinkAdmin } from '../protocol/admin-api.ts';
import { signRequest } from '../protocol/auth-signature.ts';
import { PORTAL_PATH, PROVISION_PATH } from '../protocol/http-paths.ts';
import type { RecordingSummary, StreamSummary } from '../protocol/portal-api.ts';
import type { SimClock } from '../time/index.ts';

export interface HttpSinkAdminOptions {
  /** http://host:port of the sink. */
  readonly baseUrl: string;
  readonly keyId: string;
  readonly secret: string;
  /** Must read the sink's timeline (epoch milliseconds for `callrec sink`). */
  readonly clock: SimClock;
}

/** A sink elsewhere, over its signed provisioning endpoint and its bearer-token portal. */
export function httpSinkAdmin(options: HttpSinkAdminOptions): SinkAdmin {
  const call = async (op: string, request?: unknown): Promise<unknown> => {
    const body = JSON.stringify(request === undefined ? { op } : { op, request });
    const headers = signRequest({
      method: 'POST',
      path: PROVISION_PATH,
      keyId: options.keyId,
      secret: options.secret,
      nowMs: options.clock.nowMs(),
      body,
    });
    const response = await send(`${options.baseUrl}${PROVISION_PATH}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    return ((await response.json()) as { result?: unknown }).result;
  };
  const portal = async (token: string, path: string): Promise<unknown> => {
    const response = await send(`${options.baseUrl}${PORTAL_PATH}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return response.json();
  };
  return {
    upsertOrg: async (r) => void (await call('org', r)),
    upsertAccount: async (r) => void (await call('account', r)),
    upsertUser: async (r) => void (await call('user', r)),
    switchTier: async (r) => void (await call('tier', r)),
    issueToken: async (r) => ((await call('token', r)) as { token: string }).token,
    sweep: async () => void (await call('sweep')),
    list: async (token) => {
      // Every page, following nextCursor.
      const all: RecordingSummary[] = [];
      let cursor: string | null = null;
      do {
        const query: string =
          cursor === null ? '?limit=1000' : `?limit=1000&cursor=${encodeURIComponent(cursor)}`;
        const page = (await portal(token, query)) as {
          recordings: RecordingSummary[];
          nextCursor: string | null;
        };
        all.push(...page.recordings);
        cursor = page.nextCursor ?? null;
      } while (cursor !== null);
      return all;
    },
    streams: async (token, id) =>
      ((await portal(token, `/${encodeURIComponent(id)}`)) as { streams: StreamSummary[] }).streams,
  };
}

async function send(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (cause) {
    throw new SimError(
      'SIM_ERR_SINK_UNAVAILABLE',
      `Cannot reach the sink at ${url}: is \`callrec sink\` running there?`,
      {
        details: { url },
        cause,
      },
    );
  }
  if (response.ok) return response;
  const text = await response.text();
  let fault: { code?: string; message?: string } = {};
  try {
    fault = (JSON.parse(text) as { error?: typeof fault }).error ?? (JSON.parse(text) as typeof fault);
  } catch {
    fault = { message: text };
  }
  const code =
    response.status === 401
      ? 'SIM_ERR_SINK_AUTH'
      : response.status === 404 || response.status === 403
        ? 'SIM_ERR_NOT_FOUND'
        : 'SIM_ERR_SINK_PROTOCOL';
  throw new SimError(code, `The sink answered ${response.status} for ${url}: ${fault.message ?? text}`, {
    details: { url, status: response.status, sinkCode: fault.code },
  });
}
