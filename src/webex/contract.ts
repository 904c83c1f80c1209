/**
 * The contract the served API keeps: the published Webex descriptions in `openapi/` (kept verbatim, with
 * their provenance) plus the simulator's own `openapi/simulator.yaml`, loaded into openapi-backend, which
 * matches operations and checks requests (the server) and responses (the tests) against them.
 *
 * One overlay is applied on load, and only this one: `record` also accepts and shows "On Demand" (the
 * BroadWorks mode our seed describes, S21, which Webex reads already return for users set up that way).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import { parse } from 'yaml';

export const CONTRACT_FILES = [
  'person-call-recording.yaml',
  'org-call-recording.yaml',
  'call-controls.yaml',
  'simulator.yaml',
] as const;
export const PUBLISHED_FILES = CONTRACT_FILES.slice(0, 3);

export const API_ROOT = '/v1';
const OPENAPI_DIR = join(import.meta.dirname, 'openapi');

/** The record values the overlay adds to the published enums. */
export const OVERLAY_RECORD_MODES = ['On Demand'] as const;

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is untyped until openapi-backend checks it.
type Document = any;

export function readDescription(file: (typeof CONTRACT_FILES)[number]): Document {
  return parse(readFileSync(join(OPENAPI_DIR, file), 'utf8'));
}

/** The overlay: adds "On Demand" to the `record` enums of the person settings schemas. */
export function applyOverlay(file: string, document: Document): Document {
  if (file !== 'person-call-recording.yaml') return document;
  for (const name of ['CallRecordingInfo', 'CallRecordingPut']) {
    const record = document.components.schemas[name].properties.record;
    record.enum = [...record.enum, ...OVERLAY_RECORD_MODES];
  }
  return document;
}

export interface MatchedOperation {
  readonly api: OpenAPIBackend;
  readonly operation: Operation;
  readonly params: Readonly<Record<string, string>>;
}

export interface Contract {
  /** The operation for a method and path (with `/v1`), or why none: `not-found` / `method-not-allowed`. */
  match(
    method: string,
    path: string,
  ):
    | MatchedOperation
    | { readonly miss: 'not-found' | 'method-not-allowed'; readonly allow: readonly string[] };
  /** Problems of a request, as `field: what is wrong`; empty when valid. */
  requestProblems(
    matched: MatchedOperation,
    request: {
      method: string;
      path: string;
      query: Record<string, string>;
      headers: Record<string, string>;
      body: unknown;
    },
  ): string[];
  /** Problems of a response (for tests): status documented and body matching its schema. */
  responseProblems(operationId: string, status: number, body: unknown): string[];
  operations(): readonly {
    readonly operationId: string;
    readonly method: string;
    readonly path: string;
    readonly file: string;
  }[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

let loaded: Promise<Contract> | undefined;

/** The contract, compiled once per process (compiling the validators takes a moment). */
export function loadContract(): Promise<Contract> {
  loaded ??= compileContract();
  return loaded;
}

async function compileContract(): Promise<Contract> {
  const apis: { file: string; api: OpenAPIBackend }[] = [];
  for (const file of CONTRACT_FILES) {
    const api = new OpenAPIBackend({
      definition: applyOverlay(file, readDescription(file)),
      apiRoot: API_ROOT,
      strict: false,
      // The published documents put `description` beside `$ref` (OpenAPI 3.0 ignores such siblings), which
      // the definition check reports; requests and responses are still validated in full.
      quick: true,
      validate: true,
      ajvOpts: { allErrors: true, strict: false },
      customizeAjv: (ajv) => ajv,
    });
    await api.init();
    apis.push({ file, api });
  }
  const byId = new Map<string, { api: OpenAPIBackend; operation: Operation }>();
  for (const { api } of apis)
    for (const operation of api.getOperations()) {
      byId.set(operation.operationId as string, { api, operation });
    }

  return {
    match(method, path) {
      for (const { api } of apis) {
        const operation = api.matchOperation({ method, path, headers: {} });
        if (operation !== undefined) {
          return {
            api,
            operation,
            params: (api.router.parseRequest({ method, path, headers: {} }, operation).params ??
              {}) as Record<string, string>,
          };
        }
      }
      const allow: string[] = [];
      for (const { api } of apis)
        for (const m of METHODS) {
          if (api.matchOperation({ method: m, path, headers: {} }) !== undefined) allow.push(m.toUpperCase());
        }
      return { miss: allow.length > 0 ? 'method-not-allowed' : 'not-found', allow };
    },
    requestProblems(matched, request) {
      const result = matched.api.validateRequest(
        {
          method: request.method,
          path: request.path,
          query: request.query,
          headers: request.headers,
          body: request.body,
        },
        matched.operation,
      );
      const problems = (result.errors ?? []).map(describeAjvError);
      const schema =
        matched.operation.requestBody && 'content' in matched.operation.requestBody
          ? matched.operation.requestBody.content?.['application/json']?.schema
          : undefined;
      if (schema !== undefined && problems.length === 0)
        problems.push(...unknownFields(schema, request.body, ''));
      return problems;
    },
    responseProblems(operationId, status, body) {
      const found = byId.get(operationId);
      if (found === undefined) return [`no operation ${operationId}`];
      const documented = Object.keys(found.operation.responses ?? {});
      if (!documented.includes(String(status)))
        return [`status ${status} is not documented for ${operationId} (${documented.join(', ')})`];
      const response = (
        found.operation.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>
      )[String(status)];
      if (response?.content?.['application/json']?.schema === undefined) return [];
      const result = found.api.validateResponse(body, found.operation, status);
      return (result.errors ?? []).map(describeAjvError);
    },
    operations() {
      return apis.flatMap(({ file, api }) =>
        api.getOperations().map((o) => ({
          operationId: o.operationId as string,
          method: o.method.toUpperCase(),
          path: `${API_ROOT}${o.path}`,
          file,
        })),
      );
    },
  };
}

interface AjvLikeError {
  readonly instancePath?: string;
  readonly message?: string;
  readonly keyword?: string;
  readonly params?: Record<string, unknown>;
}

function describeAjvError(error: AjvLikeError): string {
  const path = (error.instancePath ?? '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => (p === 'requestBody' ? '' : p))
    .filter((p) => p !== '')
    .join('.');
  const where = path === '' ? 'body' : path;
  if (error.keyword === 'required')
    return `${where === 'body' ? '' : `${where}.`}${String(error.params?.missingProperty)}: is required`;
  if (error.keyword === 'enum')
    return `${where}: must be one of ${((error.params?.allowedValues ?? []) as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'additionalProperties')
    return `${where === 'body' ? '' : `${where}.`}${String(error.params?.additionalProperty)}: no such field`;
  return `${where}: ${error.message ?? 'is invalid'}`;
}

// biome-ignore lint/suspicious/noExplicitAny: a dereferenced OpenAPI schema object.
function unknownFields(schema: any, value: unknown, prefix: string): string[] {
  if (
    schema === null ||
    typeof schema !== 'object' ||
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value)
  )
    return [];
  const parts = [schema, ...(Array.isArray(schema.allOf) ? schema.allOf : [])];
  const properties: Record<string, unknown> = Object.assign({}, ...parts.map((p) => p.properties ?? {}));
  if (Object.keys(properties).length === 0) return [];
  const problems: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const field = prefix === '' ? key : `${prefix}.${key}`;
    if (!(key in properties)) problems.push(`${field}: no such field`);
    else problems.push(...unknownFields(properties[key], inner, field));
  }
  return problems;
}
