/**
 * Errors in the shape the Webex REST API answers with: `{ message, errors: [{ description, code }],
 * trackingId }`. `code` carries the simulator's stable SimError code (the published error object has an
 * "internal error code" string in the same place), so a client can tell the rules apart.
 */
import { isSimError, type SimErrorCode } from '../errors.ts';

export interface WebexErrorBody {
  readonly message: string;
  readonly errors: readonly { readonly description: string; readonly code: string }[];
  readonly trackingId: string;
  readonly [extra: string]: unknown;
}

/** An error a route raises; the server turns it into a response. */
export class WebexHttpError extends Error {
  override readonly name = 'WebexHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Fields added next to `message` (e.g. the vendor's terms-of-service link on a 409). */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** HTTP status for each domain rule a request can break. */
const STATUS_OF: Partial<Record<SimErrorCode, number>> = {
  SIM_ERR_USAGE: 400,
  SIM_ERR_INVALID_ARGUMENT: 400,
  SIM_ERR_INVALID_SETTINGS: 400,
  SIM_ERR_INVALID_SCENARIO: 400,
  SIM_ERR_UNKNOWN_ORG: 404,
  SIM_ERR_UNKNOWN_USER: 404,
  SIM_ERR_NOT_FOUND: 404,
  SIM_ERR_NOT_AUTHORISED: 403,
  SIM_ERR_SERVICE_NOT_ENABLED: 409,
  SIM_ERR_USER_NOT_LICENSED: 409,
  SIM_ERR_TERMS_NOT_ACCEPTED: 409,
  SIM_ERR_ADMIN_EMAIL_IN_USE: 409,
  SIM_ERR_TIER_NOT_AVAILABLE: 409,
  SIM_ERR_RECORDING_NOT_ENABLED: 409,
  SIM_ERR_COMMAND_NOT_ALLOWED: 409,
  SIM_ERR_DUBPOINT_MISMATCH: 409,
};

/** Turns whatever a route threw into a WebexHttpError; anything unexpected becomes a 500 without details. */
export function toWebexError(error: unknown): WebexHttpError {
  if (error instanceof WebexHttpError) return error;
  if (isSimError(error)) {
    return new WebexHttpError(STATUS_OF[error.code] ?? 500, error.code, error.message);
  }
  return new WebexHttpError(
    500,
    'SIM_ERR_INTERNAL',
    'Something went wrong inside the simulator; please report it with this trackingId.',
  );
}

export function errorBody(error: WebexHttpError, trackingId: string): WebexErrorBody {
  return {
    message: error.message,
    errors: [{ description: error.message, code: error.code }],
    trackingId,
    ...error.extra,
  };
}
