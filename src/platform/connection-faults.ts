/**
 * What the sink said before a connection or a recording ended (a fatal `error`, a `disconnect`), and the
 * SimError that what waits on it fails with: the sink's code mapped to the simulator's, its message and
 * details, or — when the sink said nothing — the caller's own message.
 */
import { SimError, type SimErrorDetails } from '../errors.ts';
import type { SinkErrorCode } from '../protocol/sink-errors.ts';
import { simCodeOf } from './recording-types.ts';

export interface Fault {
  readonly code: SinkErrorCode | undefined;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** A one-recording connection closed with 1009 and no word: the sink refused a frame as too large. */
export const FRAME_TOO_LARGE_FAULT: Fault = {
  code: 'SINK_ERR_FRAME_TOO_LARGE',
  message: 'The sink closed the connection: frame too large (1009).',
};

/** `details` first, then the fault's own (`sinkCode`, what the sink sent), then `extra` (a close code). */
export function faultError(
  fault: Fault | undefined,
  otherwise: string,
  details: SimErrorDetails,
  extra: SimErrorDetails = {},
): SimError {
  return fault === undefined
    ? new SimError('SIM_ERR_SINK_UNAVAILABLE', otherwise, { details: { ...details, ...extra } })
    : new SimError(simCodeOf(fault.code), fault.message, {
        details: { ...details, sinkCode: fault.code, ...fault.details, ...extra },
      });
}
