/**
 * Webhooks for `telephony_calls`: registered per token owner, fired on every call-state and recording-state
 * change the call machine makes, POSTed as JSON to the target URL, one at a time per webhook so they
 * arrive in the order they happened. A delivery that fails (network error or a non-2xx answer) is retried
 * a bounded number of times with doubling back-off on the injected clock, then given up.
 * Targets must be loopback addresses unless the server allows others.
 */
import { createHmac } from 'node:crypto';
import type { CallLogEvent } from '../../machines/call-events.ts';
import type { TimerClock } from '../time/index.ts';
import type { ServedCall } from './served-calls.ts';
import type { IssuedToken } from './tokens.ts';
import { WebexHttpError } from './webex-error.ts';
import type { WebexWorld } from './webex-world.ts';
import { canViewOrg } from './webex-world.ts';

export interface Webhook {
  readonly id: string;
  readonly name: string;
  readonly targetUrl: string;
  readonly resource: 'telephony_calls';
  readonly event: 'all' | 'created' | 'updated' | 'deleted';
  readonly secret?: string;
  readonly status: 'active';
  readonly created: string;
  readonly orgId: string;
  readonly createdBy: string;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Wait before the second attempt; doubles after each failure. */
  readonly firstDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 1000 };

/** Sends one delivery; resolves with the HTTP status, rejects on a network error. */
export type WebhookPost = (url: string, body: string, headers: Record<string, string>) => Promise<number>;

export interface DeliveryRecord {
  readonly webhookId: string;
  readonly attempt: number;
  readonly status: number | 'network-error';
}

export interface Webhooks {
  create(
    owner: IssuedToken,
    input: Omit<Webhook, 'id' | 'status' | 'created' | 'orgId' | 'createdBy'>,
  ): Webhook;
  list(owner: IssuedToken): Webhook[];
  get(owner: IssuedToken, id: string): Webhook;
  remove(owner: IssuedToken, id: string): void;
  /** Every attempt so far (for tests and `--verbose`). */
  readonly deliveries: readonly DeliveryRecord[];
  /** Resolves once no delivery is in flight (retries waiting on the clock do not count). */
  settled(): Promise<void>;
  /** Cancels waiting retries. */
  close(): void;
}

export interface WebhookOptions {
  readonly world: WebexWorld;
  readonly clock: TimerClock;
  readonly retry?: RetryPolicy;
  readonly post?: WebhookPost;
  /** Allow targets that are not loopback addresses (off by default). */
  readonly allowAnyTarget?: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export const fetchPost: WebhookPost = async (url, body, headers) => {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers,
    signal: AbortSignal.timeout(5000),
  });
  await response.arrayBuffer();
  return response.status;
};

function eventTypeOf(event: CallLogEvent): string | undefined {
  if (event.type === 'call') {
    return { setup: 'received', connected: 'connected', held: 'held', ended: 'disconnected' }[event.phase];
  }
  if (event.type === 'recording' && event.state !== 'none')
    return `recording${event.state[0]?.toUpperCase()}${event.state.slice(1)}`;
  return undefined;
}

export function createWebhooks(options: WebhookOptions): Webhooks {
  const { world, clock } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const post = options.post ?? fetchPost;
  const hooks = new Map<string, { hook: Webhook; owner: IssuedToken }>();
  const deliveries: DeliveryRecord[] = [];
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<unknown>();
  let counter = 0;
  let closed = false;

  const ownerSees = (owner: IssuedToken, call: ServedCall): boolean => {
    const { subject } = owner;
    if (subject.kind === 'user') return subject.userId === call.userId;
    if (subject.kind === 'admin') return canViewOrg(subject.admin, call.orgId);
    return true;
  };

  /** Per webhook, the bodies not yet delivered, oldest first: deliveries keep the order of the events. */
  const queues = new Map<string, { bodies: string[]; busy: boolean }>();

  const pump = (hook: Webhook): void => {
    const queue = queues.get(hook.id);
    if (queue === undefined || queue.busy || closed) return;
    const body = queue.bodies[0];
    if (body === undefined) return;
    queue.busy = true;
    attempt(hook, body, 1, queue);
  };

  const attempt = (
    hook: Webhook,
    body: string,
    n: number,
    queue: { bodies: string[]; busy: boolean },
  ): void => {
    if (closed || !hooks.has(hook.id)) return;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (hook.secret !== undefined)
      headers['x-spark-signature'] = createHmac('sha1', hook.secret).update(body).digest('hex');
    const tracked = post(hook.targetUrl, body, headers)
      .then(
        (status) => status,
        () => 'network-error' as const,
      )
      .then((status) => {
        deliveries.push({ webhookId: hook.id, attempt: n, status });
        const ok = typeof status === 'number' && status >= 200 && status < 300;
        if (!ok && n < retry.attempts && !closed) {
          const timer = clock.setTimeout(
            () => {
              timers.delete(timer);
              attempt(hook, body, n + 1, queue);
            },
            retry.firstDelayMs * 2 ** (n - 1),
          );
          timers.add(timer);
          return;
        }
        // Delivered, or given up after the last attempt: on to the next event.
        queue.bodies.shift();
        queue.busy = false;
        pump(hook);
      });
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  };

  world.calls.onEvent((call, event) => {
    const eventType = eventTypeOf(event);
    if (eventType === undefined) return;
    const kind = eventType === 'received' ? 'created' : eventType === 'disconnected' ? 'deleted' : 'updated';
    for (const { hook, owner } of hooks.values()) {
      if (!ownerSees(owner, call) || (hook.event !== 'all' && hook.event !== kind)) continue;
      const body = JSON.stringify({
        id: hook.id,
        name: hook.name,
        targetUrl: hook.targetUrl,
        resource: hook.resource,
        event: kind,
        orgId: call.orgId,
        createdBy: hook.createdBy,
        actorId: call.userId,
        created: hook.created,
        data: {
          eventType,
          eventTimestamp: world.iso(event.atMs),
          personId: call.userId,
          ...world.calls.details(call),
        },
      });
      const queue = queues.get(hook.id) ?? { bodies: [], busy: false };
      queues.set(hook.id, queue);
      queue.bodies.push(body);
      pump(hook);
    }
  });

  const owned = (owner: IssuedToken, id: string) => {
    const found = hooks.get(id);
    if (found === undefined || found.owner.token !== owner.token) {
      throw new WebexHttpError(404, 'SIM_ERR_NOT_FOUND', `No webhook "${id}" registered with this token.`);
    }
    return found.hook;
  };

  return {
    create(owner, input) {
      let url: URL;
      try {
        url = new URL(input.targetUrl);
      } catch {
        throw new WebexHttpError(
          400,
          'SIM_ERR_INVALID_ARGUMENT',
          `targetUrl: ${JSON.stringify(input.targetUrl)} is not a URL.`,
        );
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new WebexHttpError(
          400,
          'SIM_ERR_INVALID_ARGUMENT',
          'targetUrl: must be an http:// or https:// URL.',
        );
      }
      if (!options.allowAnyTarget && !LOOPBACK_HOSTS.has(url.hostname)) {
        throw new WebexHttpError(
          400,
          'SIM_ERR_INVALID_ARGUMENT',
          `targetUrl: ${url.hostname} is not a loopback address; this server delivers to 127.0.0.1, [::1] or localhost only (start it with --webhooks-any-host to allow others).`,
        );
      }
      counter += 1;
      const { subject } = owner;
      const orgId =
        subject.kind === 'user'
          ? subject.orgId
          : subject.kind === 'admin'
            ? subject.admin.role === 'partner-admin'
              ? (subject.admin.managedOrgIds[0] ?? '')
              : subject.admin.orgId
            : '';
      const hook: Webhook = {
        ...input,
        id: `webhook-${counter}`,
        status: 'active',
        created: world.iso(world.clock.nowMs()),
        orgId,
        createdBy: owner.label,
      };
      hooks.set(hook.id, { hook, owner });
      return hook;
    },
    list: (owner) => [...hooks.values()].filter((h) => h.owner.token === owner.token).map((h) => h.hook),
    get: owned,
    remove(owner, id) {
      owned(owner, id);
      hooks.delete(id);
      queues.delete(id);
    },
    deliveries,
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close() {
      closed = true;
      for (const timer of timers) clock.clearTimeout(timer);
      timers.clear();
    },
  };
}
