/**
 * The sink protocol's own wire error codes (a closed union) and, for each, the policy the server applies:
 * reply with `error` and carry on, or reply and close the WebSocket with a documented status. The HTTP
 * status is used by the upgrade (auth), provisioning and portal endpoints. docs/sink-protocol.md has the table.
 */

export interface SinkErrorPolicy {
  /** `reply`: send `error`, drop the offending message, keep the connection. `close`: send `error`, then close. */
  readonly action: 'reply' | 'close' | 'http';
  /** WebSocket close status for `close`; HTTP status for `http`. */
  readonly status: number;
  /** What the peer should do about it. */
  readonly hint: string;
}

export const SINK_ERROR_POLICIES = {
  // WebSocket protocol (text/binary messages)
  SINK_ERR_MALFORMED_JSON: { action: 'close', status: 1002, hint: 'send one JSON object per text message' },
  SINK_ERR_INVALID_MESSAGE: {
    action: 'close',
    status: 1002,
    hint: 'fix the message so it matches the schema in docs/sink-protocol.md',
  },
  SINK_ERR_UNSUPPORTED_VERSION: { action: 'close', status: 4001, hint: 'speak protocol version "1"' },
  SINK_ERR_UNKNOWN_TYPE: {
    action: 'reply',
    status: 0,
    hint: 'the message was ignored; only the types in docs/sink-protocol.md are understood',
  },
  SINK_ERR_SEQ: {
    action: 'close',
    status: 1002,
    hint: 'number text messages 1, 2, 3… on each connection, without gaps or repeats',
  },
  SINK_ERR_NOT_OPEN: { action: 'close', status: 1002, hint: 'send `open` first and wait for `opened`' },
  SINK_ERR_ALREADY_OPEN: { action: 'close', status: 1002, hint: 'one recording per connection; open once' },
  SINK_ERR_ID_MISMATCH: {
    action: 'close',
    status: 1002,
    hint: 'every message on a connection carries the id of the recording it opened',
  },
  SINK_ERR_BAD_FRAME: {
    action: 'close',
    status: 1002,
    hint: 'a binary frame is a run of (2-byte big-endian length, RTP packet) pairs that fills it exactly',
  },
  SINK_ERR_FRAME_TOO_LARGE: {
    action: 'close',
    status: 1009,
    hint: 'send smaller batches; the limit is the server maxPayloadBytes',
  },
  SINK_ERR_BAD_RTP: {
    action: 'reply',
    status: 0,
    hint: 'the packet was dropped: send RTP version 2 with the payload type of the negotiated format',
  },
  SINK_ERR_UNKNOWN_SSRC: {
    action: 'reply',
    status: 0,
    hint: 'the packets were dropped: use only the two SSRCs declared in `open`',
  },
  SINK_ERR_BAD_STATE: {
    action: 'reply',
    status: 0,
    hint: 'the message was ignored: it does not fit the recording state (e.g. resumed while not paused)',
  },
  SINK_ERR_UNSUPPORTED_MEDIA: {
    action: 'close',
    status: 1003,
    hint: 'offer PCMU or PCMA at 8000 Hz with two streams, labels 1 (user) and 2 (remote)',
  },
  SINK_ERR_FORBIDDEN_ORG: {
    action: 'close',
    status: 1008,
    hint: 'the API key belongs to another organisation; sign with this organisation’s key',
  },
  SINK_ERR_UNKNOWN_USER: {
    action: 'close',
    status: 1008,
    hint: 'provision the user (Webex shares users with Dubber, S18) before recording their calls',
  },
  SINK_ERR_USER_DISABLED: {
    action: 'close',
    status: 1008,
    hint: 'call recording is turned off for this user (S14); turn it on in Control Hub',
  },
  SINK_ERR_DUBPOINT_MISMATCH: {
    action: 'close',
    status: 1008,
    hint: 'copy Product, External type, Service provider, External group and External identifier from Control Hub to the user’s dub.point (S33)',
  },
  SINK_ERR_RECORDING_CONFLICT: {
    action: 'close',
    status: 1008,
    hint: 'a recording with this id exists in this organisation for another user, other media, or was deleted; use a new id',
  },
  SINK_ERR_TOO_MANY_RECORDINGS: {
    action: 'close',
    status: 1008,
    hint: 'close some recordings of this connection first, or open the rest on another connection (maxRecordingsPerConnection)',
  },
  SINK_ERR_IDLE_TIMEOUT: {
    action: 'close',
    status: 4002,
    hint: 'send something (audio, a ping) at least every idleTimeoutMs; reconnect and resume the recordings',
  },
  SINK_ERR_OPEN_TIMEOUT: { action: 'close', status: 4000, hint: 'send `open` within openTimeoutMs' },
  SINK_ERR_SUPERSEDED: {
    action: 'close',
    status: 4009,
    hint: 'the recording was opened on a newer connection; this one is no longer used',
  },
  SINK_ERR_SHUTDOWN: {
    action: 'close',
    status: 1001,
    hint: 'the sink is stopping; reconnect and resume later',
  },
  SINK_ERR_STORAGE: {
    action: 'close',
    status: 1011,
    hint: 'the sink could not store the data; reconnect and resend everything after the last checkpoint',
  },
  // HTTP: upgrade authentication, provisioning and portal
  SINK_ERR_AUTH_MISSING: {
    action: 'http',
    status: 401,
    hint: 'send X-API-KEY, Signature-Input and Signature headers (see signRequest)',
  },
  SINK_ERR_AUTH_MALFORMED: {
    action: 'http',
    status: 401,
    hint: 'Signature-Input must be in the documented form',
  },
  SINK_ERR_AUTH_UNKNOWN_KEY: { action: 'http', status: 401, hint: 'use a key id the sink was given' },
  SINK_ERR_AUTH_STALE: {
    action: 'http',
    status: 401,
    hint: 'sign just before sending; created must be within 10 s of the sink clock and not expired',
  },
  SINK_ERR_AUTH_NONCE: {
    action: 'http',
    status: 401,
    hint: 'use a fresh random nonce of at least 22 characters',
  },
  SINK_ERR_AUTH_REPLAY: { action: 'http', status: 401, hint: 'never reuse a nonce; sign every request anew' },
  SINK_ERR_AUTH_BAD_SIGNATURE: {
    action: 'http',
    status: 401,
    hint: 'sign method, path, key id (and content digest) with the key’s secret using HMAC-SHA256',
  },
  SINK_ERR_TOO_MANY_CONNECTIONS: {
    action: 'http',
    status: 503,
    hint: 'the sink holds maxConnections connections already; retry later or carry several recordings on one multiplexed connection',
  },
  SINK_ERR_AUTH_SCOPE: {
    action: 'http',
    status: 403,
    hint: 'this key may not do that (org keys act only for their own organisation)',
  },
  SINK_ERR_TOKEN: {
    action: 'http',
    status: 401,
    hint: 'send Authorization: Bearer <token issued by provisioning>',
  },
  SINK_ERR_FORBIDDEN: {
    action: 'http',
    status: 403,
    hint: 'on Dubber Go only the user sees their recordings (S6); admins need Standard or AI (S8)',
  },
  SINK_ERR_NOT_FOUND: {
    action: 'http',
    status: 404,
    hint: 'no such recording (or it was deleted by retention)',
  },
  SINK_ERR_BAD_REQUEST: { action: 'http', status: 400, hint: 'fix the request body (JSON, see docs)' },
  SINK_ERR_CONFLICT: { action: 'http', status: 409, hint: 'the change conflicts with existing data' },
} as const satisfies Record<string, SinkErrorPolicy>;

export type SinkErrorCode = keyof typeof SINK_ERROR_POLICIES;
export const SINK_ERROR_CODES = Object.keys(SINK_ERROR_POLICIES) as SinkErrorCode[];

/** One refusal: the code, a message saying what went wrong, and structured details. */
export interface SinkFault {
  readonly code: SinkErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function sinkFault(
  code: SinkErrorCode,
  message: string,
  details?: Record<string, unknown>,
): SinkFault {
  return details === undefined ? { code, message } : { code, message, details };
}

export function isFatal(code: SinkErrorCode): boolean {
  return SINK_ERROR_POLICIES[code].action === 'close';
}

export function isSinkErrorCode(value: unknown): value is SinkErrorCode {
  return typeof value === 'string' && Object.hasOwn(SINK_ERROR_POLICIES, value);
}
