/**
 * The sink's plain-HTTP endpoints: signed provisioning (`POST /v1/provision`) and the bearer-token portal
 * (`GET /v1/portal/recordings[/:id[/audio.wav]]`). Thin: parse, call the in-process API, map SimErrors to
 * statuses with a `{code, message, details}` body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { isSimError, type SimErrorCode } from '../errors.ts';
import { keyActsFor, PLATFORM_ORG, type SinkKey, type VerifyResult } from '../protocol/auth-signature.ts';
import { PORTAL_PATH, PROVISION_PATH } from '../protocol/http-paths.ts';
import {
  isSinkErrorCode,
  SINK_ERROR_POLICIES,
  type SinkErrorCode,
  type SinkFault,
  sinkFault,
} from '../protocol/sink-errors.ts';
import type { Portal } from './portal.ts';
import type { Provisioning } from './provisioning.ts';
import type { SweepResult } from './retention-sweep.ts';

export interface HttpApiContext {
  readonly provisioning: Provisioning;
  readonly portal: Portal;
  readonly sweepRetention: () => SweepResult;
  readonly verify: (
    method: string,
    path: string,
    headers: IncomingMessage['headers'],
    body: Uint8Array,
  ) => VerifyResult;
  readonly userOrg: (userId: string) => string | undefined;
  /** The org whose Dubber account has this admin e-mail, if any. */
  readonly adminEmailOrg: (email: string) => string | undefined;
  readonly maxBodyBytes: number;
}

const provisionRequestSchema = z.object({
  op: z.enum(['org', 'account', 'user', 'tier', 'recording-enabled', 'token', 'sweep']),
  request: z.unknown().optional(),
});

const SIM_TO_SINK: Partial<Record<SimErrorCode, SinkErrorCode>> = {
  SIM_ERR_INVALID_ARGUMENT: 'SINK_ERR_BAD_REQUEST',
  SIM_ERR_UNKNOWN_ORG: 'SINK_ERR_NOT_FOUND',
  SIM_ERR_UNKNOWN_USER: 'SINK_ERR_NOT_FOUND',
  SIM_ERR_NOT_FOUND: 'SINK_ERR_NOT_FOUND',
  SIM_ERR_ADMIN_EMAIL_IN_USE: 'SINK_ERR_CONFLICT',
  SIM_ERR_NOT_AUTHORISED: 'SINK_ERR_FORBIDDEN',
  SIM_ERR_SINK_AUTH: 'SINK_ERR_TOKEN',
};

/** The wire fault for an error thrown by the in-process API. */
export function faultOfError(error: unknown): SinkFault & { readonly status: number } {
  if (isSimError(error)) {
    const fromDetails = error.details.sinkCode;
    const code = isSinkErrorCode(fromDetails) ? fromDetails : (SIM_TO_SINK[error.code] ?? undefined);
    if (code !== undefined) {
      return {
        ...sinkFault(code, error.message, { ...error.details, simCode: error.code }),
        status: SINK_ERROR_POLICIES[code].status,
      };
    }
  }
  return { code: 'SINK_ERR_STORAGE', message: 'Internal error in the sink.', status: 500 };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendFault(
  res: ServerResponse,
  fault: SinkFault,
  status: number = SINK_ERROR_POLICIES[fault.code].status,
): void {
  sendJson(res, status, {
    code: fault.code,
    message: fault.message,
    ...(fault.details ? { details: fault.details } : {}),
  });
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop reading; the caller answers 413 and closes the connection once the answer is out.
        req.removeAllListeners('data');
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function upsertOrgResult(p: Provisioning, request: unknown): { orgId: unknown } {
  p.upsertOrg(request as never);
  return { orgId: (request as { orgId?: unknown }).orgId };
}

/**
 * Every organisation a provisioning request touches: the `orgId` it names, and the stored owner of each
 * user and admin e-mail it names. A key must act for all of them, so naming its own org next to another
 * organisation's user or admin gains nothing.
 */
function ownersNamed(fields: Record<string, unknown>, ctx: HttpApiContext): string[] {
  const owners: (string | undefined)[] = [];
  if (typeof fields.orgId === 'string') owners.push(fields.orgId);
  if (typeof fields.userId === 'string') owners.push(ctx.userOrg(fields.userId));
  if (typeof fields.adminEmail === 'string') owners.push(ctx.adminEmailOrg(fields.adminEmail));
  if (Array.isArray(fields.adminEmails)) {
    for (const e of fields.adminEmails.slice(0, 1000))
      if (typeof e === 'string') owners.push(ctx.adminEmailOrg(e));
  }
  return owners.filter((o): o is string => o !== undefined);
}

async function handleProvision(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HttpApiContext,
): Promise<void> {
  const body = await readBody(req, ctx.maxBodyBytes);
  if (body === undefined) {
    res.setHeader('connection', 'close');
    res.on('finish', () => req.destroy());
    return sendFault(
      res,
      sinkFault('SINK_ERR_BAD_REQUEST', `Request body too large; the limit is ${ctx.maxBodyBytes} bytes.`),
      413,
    );
  }
  const auth = ctx.verify('POST', PROVISION_PATH, req.headers, body);
  if (!auth.ok) return sendFault(res, auth.fault);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return sendFault(res, sinkFault('SINK_ERR_BAD_REQUEST', 'Body is not JSON.'));
  }
  const parsed = provisionRequestSchema.safeParse(json);
  if (!parsed.success) {
    return sendFault(res, sinkFault('SINK_ERR_BAD_REQUEST', 'Body must be {"op": "...", "request": {...}}.'));
  }
  const { op, request } = parsed.data;
  const key: SinkKey = auth.key;
  const fields = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  const allowed =
    op === 'sweep'
      ? key.orgId === PLATFORM_ORG
      : ownersNamed(fields, ctx).every((orgId) => keyActsFor(key, orgId));
  if (!allowed) {
    return sendFault(
      res,
      sinkFault('SINK_ERR_AUTH_SCOPE', `Key "${key.keyId}" may not do "${op}" for this organisation.`),
    );
  }
  try {
    const p = ctx.provisioning;
    const result =
      op === 'org'
        ? upsertOrgResult(p, request)
        : op === 'account'
          ? p.upsertAccount(request as never)
          : op === 'user'
            ? p.upsertUser(request as never)
            : op === 'tier'
              ? p.switchTier(request as never, { mayDeleteStored: key.orgId === PLATFORM_ORG })
              : op === 'recording-enabled'
                ? p.setRecordingEnabled(request as never)
                : op === 'token'
                  ? { token: p.issueToken(request as never) }
                  : ctx.sweepRetention();
    sendJson(res, 200, { ok: true, result });
  } catch (error) {
    const fault = faultOfError(error);
    sendFault(res, fault, fault.status);
  }
}

/** `?limit=&cursor=` of a list request, or a refusal. */
function pageOf(req: IncomingMessage): { limit?: number; cursor?: string } | SinkFault {
  const query = new URL(req.url ?? '/', 'http://sink').searchParams;
  const limitText = query.get('limit');
  const cursor = query.get('cursor');
  if (limitText !== null && !/^\d{1,7}$/.test(limitText)) {
    return sinkFault('SINK_ERR_BAD_REQUEST', 'limit must be a whole number.');
  }
  return {
    ...(limitText === null ? {} : { limit: Number(limitText) }),
    ...(cursor === null ? {} : { cursor }),
  };
}

function handlePortal(req: IncomingMessage, res: ServerResponse, ctx: HttpApiContext, path: string) {
  const token = bearer(req);
  if (token === undefined)
    return sendFault(res, sinkFault('SINK_ERR_TOKEN', 'Authorization: Bearer <token> is required.'));
  const rest = path.slice(PORTAL_PATH.length);
  const match = /^(?:\/([A-Za-z0-9._:-]{1,128})(\/audio\.wav)?)?$/.exec(rest);
  if (match === null) return sendFault(res, sinkFault('SINK_ERR_NOT_FOUND', `No route ${path}.`));
  try {
    const [, recordingId, audio] = match;
    if (recordingId === undefined) {
      const page = pageOf(req);
      if ('code' in page) return sendFault(res, page);
      return sendJson(res, 200, ctx.portal.listPage(token, page));
    }
    if (audio === undefined) return sendJson(res, 200, ctx.portal.get(token, recordingId));
    const { wav } = ctx.portal.download(token, recordingId);
    res.writeHead(200, {
      'content-type': 'audio/wav',
      'content-length': wav.length,
      'content-disposition': `attachment; filename="${recordingId}.wav"`,
    });
    res.end(wav);
  } catch (error) {
    const fault = faultOfError(error);
    sendFault(res, fault, fault.status);
  }
}

/**
 * The path of a request-target, or undefined when it is not one (`//`, `http://`, `/\\]` make the URL
 * parser throw); such a request is answered 400 rather than allowed to throw.
 */
export function requestPath(target: string | undefined): string | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  try {
    return new URL(target, 'http://sink').pathname;
  } catch {
    return undefined;
  }
}

export async function handleHttpRequest(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: HttpApiContext,
): Promise<void> {
  const path = requestPath(req.url);
  if (path === undefined) {
    return sendFault(res, sinkFault('SINK_ERR_BAD_REQUEST', 'The request-target is not a path.'));
  }
  try {
    if (path === PROVISION_PATH && req.method === 'POST') return await handleProvision(req, res, ctx);
    if ((path === PORTAL_PATH || path.startsWith(`${PORTAL_PATH}/`)) && req.method === 'GET') {
      return handlePortal(req, res, ctx, path);
    }
    if (path === '/v1/health' && req.method === 'GET') return sendJson(res, 200, { ok: true });
    sendFault(res, sinkFault('SINK_ERR_NOT_FOUND', `No route ${req.method} ${path}.`));
  } catch (error) {
    if (!res.headersSent) {
      const fault = faultOfError(error);
      sendFault(res, fault, fault.status);
    } else res.destroy();
  }
}
