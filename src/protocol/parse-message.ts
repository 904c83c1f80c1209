/**
 * Pure parse/validate/encode functions for the JSON control messages; no sockets, no state. Validation
 * runs in a fixed order (JSON → version → envelope → known type → parameters) so each defect maps to
 * exactly one SINK_ERR code, and the seq of a well-framed message is reported even when its type is unknown.
 */
import type { z } from 'zod';
import {
  CLIENT_MESSAGE_TYPES,
  type ClientMessage,
  type ClientMessageOf,
  type ClientMessageType,
  clientMessageSchema,
  PROTOCOL_VERSION,
  positionSchema,
  recordingIdSchema,
  type ServerMessage,
  type ServerMessageOf,
  type ServerMessageType,
  serverMessageSchema,
} from './messages.ts';
import { formatPosition, parsePositionMs } from './position.ts';
import { type SinkFault, sinkFault } from './sink-errors.ts';

export type ParseResult<T> =
  | { readonly ok: true; readonly message: T; readonly positionMs: number }
  | { readonly ok: false; readonly fault: SinkFault; readonly seq?: number };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(message)'}: ${i.message}`)
    .join('; ');
}

function parseJsonObject(text: string): Record<string, unknown> | SinkFault {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return sinkFault('SINK_ERR_MALFORMED_JSON', `Text message is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return sinkFault('SINK_ERR_MALFORMED_JSON', 'Text message must be one JSON object.');
  }
  return value as Record<string, unknown>;
}

function isFault(value: unknown): value is SinkFault {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(CLIENT_MESSAGE_TYPES);

/** Parses one client → server text message. Never throws. */
export function parseClientText(text: string): ParseResult<ClientMessage> {
  const object = parseJsonObject(text);
  if (isFault(object)) return { ok: false, fault: object };
  if (object.version !== PROTOCOL_VERSION) {
    return {
      ok: false,
      fault: sinkFault(
        'SINK_ERR_UNSUPPORTED_VERSION',
        `Protocol version ${JSON.stringify(object.version ?? null)} is not supported; use "${PROTOCOL_VERSION}".`,
      ),
    };
  }
  const seq = typeof object.seq === 'number' && Number.isSafeInteger(object.seq) ? object.seq : undefined;
  const withSeq = (fault: SinkFault): ParseResult<ClientMessage> =>
    seq === undefined ? { ok: false, fault } : { ok: false, fault, seq };
  if (seq === undefined || seq < 1) {
    return withSeq(sinkFault('SINK_ERR_INVALID_MESSAGE', 'seq must be an integer ≥ 1.'));
  }
  if (typeof object.type !== 'string') {
    return withSeq(sinkFault('SINK_ERR_INVALID_MESSAGE', 'type must be a string.'));
  }
  const id = recordingIdSchema.safeParse(object.id);
  const position = positionSchema.safeParse(object.position);
  if (!id.success || !position.success) {
    return withSeq(
      sinkFault(
        'SINK_ERR_INVALID_MESSAGE',
        !id.success
          ? 'id must be a recording id (letters, digits, . _ : -; at most 128).'
          : 'position must be an ISO 8601 duration in seconds, e.g. "PT12.34S".',
      ),
    );
  }
  if (!KNOWN_TYPES.has(object.type)) {
    return withSeq(
      sinkFault('SINK_ERR_UNKNOWN_TYPE', `Unknown message type "${object.type.slice(0, 64)}".`, {
        type: object.type.slice(0, 64),
      }),
    );
  }
  const parsed = clientMessageSchema.safeParse(object);
  if (!parsed.success) {
    return withSeq(
      sinkFault(
        'SINK_ERR_INVALID_MESSAGE',
        `Invalid ${object.type} message: ${describeIssues(parsed.error)}`,
        {
          type: object.type,
        },
      ),
    );
  }
  return { ok: true, message: parsed.data, positionMs: parsePositionMs(parsed.data.position) ?? 0 };
}

/** Parses one server → client text message (the client's side of the same rules). Never throws. */
export function parseServerText(text: string): ParseResult<ServerMessage> {
  const object = parseJsonObject(text);
  if (isFault(object)) return { ok: false, fault: object };
  const parsed = serverMessageSchema.safeParse(object);
  if (!parsed.success) {
    return {
      ok: false,
      fault: sinkFault('SINK_ERR_INVALID_MESSAGE', `Invalid server message: ${describeIssues(parsed.error)}`),
    };
  }
  return { ok: true, message: parsed.data, positionMs: parsePositionMs(parsed.data.position) ?? 0 };
}

/** The seq rule both sides apply: exactly one more than the last one seen on this connection. */
export function checkSeq(lastSeq: number, seq: number): SinkFault | undefined {
  if (seq === lastSeq + 1) return undefined;
  const kind = seq <= lastSeq ? (seq === lastSeq ? 'a duplicate' : 'a regression') : 'a gap';
  return sinkFault('SINK_ERR_SEQ', `seq ${seq} after ${lastSeq} is ${kind}; expected ${lastSeq + 1}.`, {
    expected: lastSeq + 1,
    got: seq,
  });
}

/** Builds a client message (an encoder's input; the server validates it again on arrival). */
export function clientMessage<T extends ClientMessageType>(
  type: T,
  fields: { id: string; seq: number; positionMs: number; parameters: ClientMessageOf<T>['parameters'] },
): ClientMessageOf<T> {
  return {
    version: PROTOCOL_VERSION,
    id: fields.id,
    type,
    seq: fields.seq,
    position: formatPosition(fields.positionMs),
    parameters: fields.parameters,
  } as ClientMessageOf<T>;
}

export function serverMessage<T extends ServerMessageType>(
  type: T,
  fields: {
    id: string;
    seq: number;
    clientseq: number;
    positionMs: number;
    parameters: ServerMessageOf<T>['parameters'];
  },
): ServerMessageOf<T> {
  return {
    version: PROTOCOL_VERSION,
    id: fields.id,
    type,
    seq: fields.seq,
    clientseq: fields.clientseq,
    position: formatPosition(fields.positionMs),
    parameters: fields.parameters,
  } as ServerMessageOf<T>;
}

export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message);
}
