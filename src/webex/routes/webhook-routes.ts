/** `GET/POST /v1/webhooks`, `GET/DELETE /v1/webhooks/{webhookId}` for the `telephony_calls` resource. */
import { bodyObject, NO_CONTENT, type RouteTable } from '../route.ts';
import type { Webhook } from '../webhooks.ts';

export const webhookRoutes: RouteTable = {
  listWebhooks: { scopes: [], handle: (c) => ({ status: 200, body: { items: c.webhooks.list(c.auth) } }) },
  createWebhook: {
    scopes: [],
    handle: (c) => {
      const body = bodyObject(c);
      const hook = c.webhooks.create(c.auth, {
        name: body.name as string,
        targetUrl: body.targetUrl as string,
        resource: 'telephony_calls',
        event: body.event as Webhook['event'],
        ...(body.secret === undefined ? {} : { secret: body.secret as string }),
      });
      return { status: 200, body: hook };
    },
  },
  getWebhook: {
    scopes: [],
    handle: (c) => ({ status: 200, body: c.webhooks.get(c.auth, c.params.webhookId as string) }),
  },
  deleteWebhook: {
    scopes: [],
    handle: (c) => {
      c.webhooks.remove(c.auth, c.params.webhookId as string);
      return NO_CONTENT;
    },
  },
};
