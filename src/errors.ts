/**
 * The one error type of the simulator. Every failure a user can meet carries a stable `code`, a message
 * that says what to do about it, structured `details`, and the underlying `cause` when there is one.
 */

/** Stable error codes, grouped by area. Add a code here (in its area) before throwing it anywhere. */
export const SIM_ERROR_CODES = [
  // Input and usage
  'SIM_ERR_USAGE',
  'SIM_ERR_INVALID_ARGUMENT',
  'SIM_ERR_INVALID_SETTINGS',
  'SIM_ERR_INVALID_SCENARIO',
  'SIM_ERR_SCENARIO_FILE',
  // Control Hub / Dubber account rules
  'SIM_ERR_UNKNOWN_ORG',
  'SIM_ERR_UNKNOWN_USER',
  'SIM_ERR_SERVICE_NOT_ENABLED',
  'SIM_ERR_USER_NOT_LICENSED',
  'SIM_ERR_TERMS_NOT_ACCEPTED',
  'SIM_ERR_NOT_AUTHORISED',
  'SIM_ERR_ADMIN_EMAIL_IN_USE',
  'SIM_ERR_TIER_NOT_AVAILABLE',
  'SIM_ERR_RECORDING_NOT_ENABLED',
  'SIM_ERR_DUBPOINT_MISMATCH',
  // Calls and media
  'SIM_ERR_COMMAND_NOT_ALLOWED',
  'SIM_ERR_INVALID_MEDIA',
  // Sink (fake Dubber) and storage
  'SIM_ERR_SINK_UNAVAILABLE',
  'SIM_ERR_SINK_PROTOCOL',
  'SIM_ERR_SINK_AUTH',
  'SIM_ERR_STORAGE',
  'SIM_ERR_NOT_FOUND',
  // Anything else is a bug in the simulator
  'SIM_ERR_INTERNAL',
] as const;

export type SimErrorCode = (typeof SIM_ERROR_CODES)[number];

export type SimErrorDetails = Readonly<Record<string, unknown>>;

export interface SimErrorOptions {
  readonly details?: SimErrorDetails;
  readonly cause?: unknown;
}

export class SimError extends Error {
  override readonly name = 'SimError';
  readonly code: SimErrorCode;
  readonly details: SimErrorDetails;

  constructor(code: SimErrorCode, message: string, options: SimErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  /** A one-line, human-readable form: `SIM_ERR_X: message`. */
  override toString(): string {
    return `${this.code}: ${this.message}`;
  }

  toJSON(): { code: SimErrorCode; message: string; details: SimErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isSimError(value: unknown, code?: SimErrorCode): value is SimError {
  return value instanceof SimError && (code === undefined || value.code === code);
}

/** The message of whatever was thrown (an Error's message, else the value as text), for logs and replies. */
export function messageOf(cause: unknown): string {
  return (cause as Error)?.message ?? String(cause);
}
