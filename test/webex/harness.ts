/**
 * A served world on a virtual clock for the API tests: every request and answer is recorded and, when
 * the test ends, checked against the contract (status documented, body matching the described schema).
 */
import { afterEach, expect } from 'vitest';
import type { Scenario } from '../../src/scenario/schema.ts';
import { createVirtualClock, type VirtualClock } from '../../src/time/index.ts';
import { type Exchange, startWebexServer, type WebexServer } from '../../src/webex/webex-server.ts';
import type { RetryPolicy, WebhookPost } from '../../src/webex/webhooks.ts';
import { BUILT_IN_SCENARIO, fixtureFromScenario } from '../../src/webex/world-fixture.ts';

export const EPOCH_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

export interface Served {
  readonly server: WebexServer;
  readonly clock: VirtualClock;
  readonly exchanges: Exchange[];
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
}

const open: Served[] = [];

export async function serve(
  scenario: Scenario = BUILT_IN_SCENARIO,
  extra: { webhookRetry?: RetryPolicy; webhookPost?: WebhookPost } = {},
): Promise<Served> {
  const clock = createVirtualClock();
  const exchanges: Exchange[] = [];
  const server = await startWebexServer({
    fixture: fixtureFromScenario(scenario),
    clock,
    virtualClock: clock,
    epochMs: EPOCH_MS,
    tokenSecret: 'test-secret',
    onExchange: (e) => exchanges.push(e),
    ...extra,
  });
  const served: Served = {
    server,
    clock,
    exchanges,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === '' ? undefined : JSON.parse(text),
        headers: response.headers,
      };
    },
  };
  open.push(served);
  return served;
}

/** Contract problems of every exchange recorded so far (operation known: status documented, body valid). */
export function contractProblems(served: Served): string[] {
  const problems: string[] = [];
  for (const e of served.exchanges) {
    const where = `${e.method} ${e.path} → ${e.status}`;
    if (e.status >= 400) {
      const body = e.responseBody as {
        message?: unknown;
        errors?: { description?: unknown }[];
        trackingId?: unknown;
      };
      if (
        typeof body?.message !== 'string' ||
        typeof body.errors?.[0]?.description !== 'string' ||
        typeof body.trackingId !== 'string'
      ) {
        problems.push(`${where}: error not in Webex's shape`);
      }
    }
    if (e.operationId === undefined) continue;
    for (const p of served.server.contract.responseProblems(e.operationId, e.status, e.responseBody))
      problems.push(`${where}: ${p}`);
  }
  return problems;
}

afterEach(async () => {
  for (const served of open.splice(0)) {
    await served.server.close();
    expect(contractProblems(served)).toEqual([]);
  }
});
