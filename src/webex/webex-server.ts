/**
 * The HTTP shell of the served Webex API (node:http only): reads the body (bounded), matches the operation
 * in the contract (404 / 405), checks the bearer token and its scopes (401 / 403), the content type (415)
 * and the request against the description (400 naming the field), then runs the route on the world and
 * answers JSON. Every answer carries a `trackingId` (body and `TrackingID` header); errors come in
 * Webex's shape. Nothing a client sends can crash it: an unexpected failure is a 500 and changes nothing
 * beyond what the domain function had already returned.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimError } from '../errors.ts';
import type { SinkTarget } from '../platform/sink-target.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { SimClock, VirtualClock } from '../time/index.ts';
import { API_ROOT, type Contract, loadContract } from './contract.ts';
import { type CallApi, createControlHubWeb } from './control-hub-web.ts';
import type { Route, RouteTable } from './route.ts';
import { callRoutes } from './routes/call-routes.ts';
import { locationRoutes } from './routes/location-routes.ts';
import { orgRoutes } from './routes/org-routes.ts';
import { personRoutes } from './routes/person-routes.ts';
import { simulatorRoutes } from './routes/simulator-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';
import { attachDubber, type ServedDubber } from './served-dubber.ts';
import {
  ADMIN_SCOPES,
  ALL_SCOPES,
  bearerToken,
  createTokenRegistry,
  type IssuedToken,
  type TokenRegistry,
  USER_SCOPES,
} from './tokens.ts';
import { errorBody, toWebexError, WebexHttpError } from './webex-error.ts';
import { createWebexWorld, type WebexWorld } from './webex-world.ts';
import { createWebhooks, type RetryPolicy, type WebhookPost, type Webhooks } from './webhooks.ts';
import type { WorldFixture } from './world-fixture.ts';

export const ROUTES: RouteTable = {
  ...personRoutes,
  ...orgRoutes,
  ...locationRoutes,
  ...callRoutes,
  ...simulatorRoutes,
  ...webhookRoutes,
};

export const MAX_BODY_BYTES = 64 * 1024;

/** One request and its answer, as the server saw them (tests validate every one against the contract). */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly operationId: string | undefined;
  readonly requestBody: unknown;
  readonly status: number;
  readonly responseBody: unknown;
}

export interface WebexServerOptions {
  readonly fixture: WorldFixture;
  readonly clock: SimClock;
  /** When the world runs on a virtual clock, `POST /v1/simulator/clock/advance` moves it. */
  readonly virtualClock?: VirtualClock;
  /** Epoch milliseconds at clock 0 (for ISO times). */
  readonly epochMs: number;
  readonly port?: number;
  readonly host?: string;
  readonly tokenSecret?: string;
  readonly maxBodyBytes?: number;
  readonly webhookRetry?: RetryPolicy;
  readonly webhookPost?: WebhookPost;
  readonly allowAnyWebhookTarget?: boolean;
  readonly onExchange?: (exchange: Exchange) => void;
  /** The fake Dubber that ended calls' recordings are streamed to (the world's scenario names its orgs). */
  readonly dubber?: { readonly sink: SinkTarget; readonly scenario: Scenario; readonly seed: string };
}

export interface WebexServer {
  readonly url: string;
  readonly port: number;
  readonly world: WebexWorld;
  readonly tokens: TokenRegistry;
  readonly contract: Contract;
  readonly webhooks: Webhooks;
  readonly dubber: ServedDubber | undefined;
  /** All scopes, simulator included. */
  readonly simulatorToken: string;
  /** The token issued to a scenario admin (by e-mail) or user (by id). */
  tokenOf(subject: string): string;
  /** A customer admin of the org whom Control Hub acts as for changes the scenario does not attribute. */
  orgAdminToken(orgId: string): string;
  close(): Promise<void>;
}

function issueWorldTokens(world: WebexWorld, tokens: TokenRegistry) {
  const bySubject = new Map<string, IssuedToken>();
  for (const [email, admin] of world.admins)
    bySubject.set(email, tokens.issue({ kind: 'admin', admin }, ADMIN_SCOPES, admin.email));
  for (const user of Object.values(world.hub().users)) {
    bySubject.set(
      user.id,
      tokens.issue({ kind: 'user', userId: user.id, orgId: user.orgId }, USER_SCOPES, user.id),
    );
  }
  const orgAdmins = new Map<string, IssuedToken>();
  for (const orgId of Object.keys(world.hub().orgs)) {
    const email = `control-hub@${orgId}.callrec.invalid`;
    orgAdmins.set(
      orgId,
      tokens.issue({ kind: 'admin', admin: { role: 'customer-admin', email, orgId } }, ADMIN_SCOPES, email),
    );
  }
  const simulator = tokens.issue({ kind: 'simulator' }, ALL_SCOPES, 'simulator');
  return { bySubject, orgAdmins, simulator };
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  trackingId: string,
  extraHeaders: Record<string, string> = {},
): void {
  const headers: Record<string, string> = { TrackingID: trackingId, ...extraHeaders };
  if (body === undefined || status === 204) {
    response.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
    })
    .end(text);
}

export async function startWebexServer(options: WebexServerOptions): Promise<WebexServer> {
  const contract = await loadContract();
  const world = createWebexWorld(options.fixture, options.clock, options.epochMs);
  const tokens = createTokenRegistry(options.tokenSecret);
  const issued = issueWorldTokens(world, tokens);
  const webhooks = createWebhooks({
    world,
    clock: options.clock,
    ...(options.webhookRetry === undefined ? {} : { retry: options.webhookRetry }),
    ...(options.webhookPost === undefined ? {} : { post: options.webhookPost }),
    ...(options.allowAnyWebhookTarget ? { allowAnyTarget: true } : {}),
  });
  const dubber =
    options.dubber === undefined
      ? undefined
      : attachDubber(world, options.dubber.scenario, options.dubber.sink, options.dubber.seed);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const virtual = options.virtualClock;
  const advanceClock = virtual === undefined ? undefined : (ms: number) => virtual.advanceBy(ms);
  let requests = 0;

  /** One API request through the whole pipeline: contract, token, scopes, body checks, route. */
  const serveApi = async (request: {
    readonly method: string;
    readonly path: string;
    readonly query: Record<string, string>;
    readonly headers: Record<string, string>;
    readonly raw: Buffer | 'too-large';
  }): Promise<{ status: number; body: unknown; extra: Record<string, string> }> => {
    requests += 1;
    const trackingId = `CALLREC_${String(requests).padStart(6, '0')}`;
    const { method, path, query, headers, raw } = request;
    let operationId: string | undefined;
    let parsedBody: unknown;
    const answer = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      options.onExchange?.({
        method: method.toUpperCase(),
        path,
        operationId,
        requestBody: parsedBody,
        status,
        responseBody: body,
      });
      return { status, body, extra: { TrackingID: trackingId, ...extra } };
    };
    const fail = (error: unknown, extra: Record<string, string> = {}) => {
      const webexError = toWebexError(error);
      return answer(webexError.status, errorBody(webexError, trackingId), extra);
    };
    try {
      if (!path.startsWith(`${API_ROOT}/`))
        throw new WebexHttpError(
          404,
          'SIM_ERR_NOT_FOUND',
          `No such resource: ${path}; the API lives under ${API_ROOT}/.`,
        );
      const matched = contract.match(method, path);
      if ('miss' in matched) {
        if (matched.miss === 'method-not-allowed') {
          return fail(
            new WebexHttpError(
              405,
              'SIM_ERR_USAGE',
              `${method.toUpperCase()} is not allowed on ${path}; use ${matched.allow.join(' or ')}.`,
            ),
            { Allow: matched.allow.join(', ') },
          );
        }
        throw new WebexHttpError(
          404,
          'SIM_ERR_NOT_FOUND',
          `No such resource: ${method.toUpperCase()} ${path}.`,
        );
      }
      operationId = matched.operation.operationId as string;
      const route: Route | undefined = ROUTES[operationId];
      if (route === undefined)
        throw new WebexHttpError(
          404,
          'SIM_ERR_NOT_FOUND',
          `${operationId} is described but not served by the simulator.`,
        );

      const token = bearerToken(headers.authorization);
      if (token === undefined)
        throw new WebexHttpError(
          401,
          'SIM_ERR_NOT_AUTHORISED',
          'The request requires a valid access token set in the Authorization request header: "Authorization: Bearer <token>".',
        );
      const auth = tokens.lookup(token);
      if (auth === undefined)
        throw new WebexHttpError(
          401,
          'SIM_ERR_NOT_AUTHORISED',
          'The access token is not valid for this server; get one from `callrec serve --print-tokens`.',
        );
      const missing = route.scopes.filter((s) => !auth.scopes.includes(s));
      if (missing.length > 0)
        throw new WebexHttpError(
          403,
          'SIM_ERR_NOT_AUTHORISED',
          `The token of ${auth.label} lacks the scope ${missing.join(', ')} needed by ${operationId}.`,
        );

      if (raw === 'too-large')
        throw new WebexHttpError(
          400,
          'SIM_ERR_INVALID_ARGUMENT',
          `The request body is larger than ${maxBodyBytes} bytes.`,
        );
      const describedBody = matched.operation.requestBody !== undefined;
      if (raw.length > 0) {
        const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/json')
          throw new WebexHttpError(
            415,
            'SIM_ERR_USAGE',
            `Send the body as JSON with "Content-Type: application/json" (got ${JSON.stringify(headers['content-type'] ?? 'none')}).`,
          );
        try {
          parsedBody = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new WebexHttpError(400, 'SIM_ERR_INVALID_ARGUMENT', 'The request body is not valid JSON.');
        }
        if (
          !describedBody &&
          !(parsedBody !== null && typeof parsedBody === 'object' && Object.keys(parsedBody).length === 0)
        ) {
          throw new WebexHttpError(400, 'SIM_ERR_INVALID_ARGUMENT', `${operationId} takes no request body.`);
        }
      }
      const problems = contract
        .requestProblems(matched, { method, path, query, headers, body: parsedBody })
        .filter((p) => !(route.bodyCheckedByDomain && p.endsWith(': no such field')));
      if (
        route.bodyCheckedByDomain &&
        describedBody &&
        (parsedBody === null || typeof parsedBody !== 'object' || Array.isArray(parsedBody))
      ) {
        problems.unshift('body: must be a JSON object');
      }
      if (problems.length > 0)
        throw new WebexHttpError(
          400,
          'SIM_ERR_INVALID_ARGUMENT',
          `Invalid request, nothing was changed: ${problems.join('; ')}.`,
        );

      const result = route.handle({
        world,
        tokens,
        webhooks,
        dubber,
        auth,
        params: matched.params,
        query,
        headers,
        body: parsedBody,
        trackingId,
        advanceClock,
      });
      return answer(result.status, result.body);
    } catch (error) {
      return fail(error);
    }
  };

  const callApi: CallApi = async ({ method, path, token, body }) => {
    const url = new URL(path, 'http://localhost');
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const result = await serveApi({
      method: method.toLowerCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      headers,
      raw: Buffer.from(text, 'utf8'),
    });
    return { status: result.status, body: result.body };
  };
  const controlHubWeb = createControlHubWeb({ world, tokens, callApi });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (await controlHubWeb(request, response, url.pathname)) return;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) if (typeof v === 'string') headers[k] = v;
    const raw = await readBody(request, maxBodyBytes);
    const result = await serveApi({
      method: (request.method ?? 'GET').toLowerCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      headers,
      raw,
    });
    const { TrackingID: trackingId = '', ...extra } = result.extra;
    send(response, result.status, result.body, trackingId, extra);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent)
        send(
          response,
          500,
          { message: 'internal error', errors: [], trackingId: 'CALLREC_INTERNAL' },
          'CALLREC_INTERNAL',
        );
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new SimError(
          'SIM_ERR_USAGE',
          `Cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0} (${error.code ?? error.message}); pick another --port (0 picks a free one) or --host.`,
          { cause: error },
        ),
      ),
    );
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const tokenOf = (subject: string) => {
    const found = issued.bySubject.get(subject.toLowerCase()) ?? issued.bySubject.get(subject);
    if (found === undefined)
      throw new SimError('SIM_ERR_NOT_FOUND', `No admin or user "${subject}" in the served world.`);
    return found.token;
  };
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    world,
    tokens,
    contract,
    webhooks,
    dubber,
    simulatorToken: issued.simulator.token,
    tokenOf,
    orgAdminToken: (orgId) => {
      const found = issued.orgAdmins.get(orgId);
      if (found === undefined)
        throw new SimError('SIM_ERR_UNKNOWN_ORG', `No organisation "${orgId}" in the served world.`);
      return found.token;
    },
    close: async () => {
      webhooks.close();
      await dubber?.settled();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
