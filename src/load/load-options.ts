/**
 * Bounds of a live load run, checked before anything starts: a run is bounded in calls, connections and
 * time, and every refusal says what is allowed.
 */
import { SimError } from '../errors.ts';
import { PACKET_INTERVAL_MS } from '../media/media-format.ts';

export const MAX_LOAD_CALLS = 10_000;
export const MAX_LOAD_CONNECTIONS = 1_000;
export const MAX_LOAD_DURATION_MS = 10 * 60_000;
export const DEFAULT_LOAD_CONNECTIONS = 20;

export interface LoadShape {
  readonly calls: number;
  /** At most `calls`: an idle connection would carry nothing. */
  readonly connections: number;
  readonly durationMs: number;
}

function wholeIn(what: string, value: number, min: number, max: number, unit = ''): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `${what} must be a whole number from ${min} to ${max}${unit}, not ${value}.`,
      { details: { what, value, min, max } },
    );
  }
}

export function checkLoadOptions(shape: LoadShape): LoadShape {
  wholeIn('calls', shape.calls, 1, MAX_LOAD_CALLS);
  wholeIn('connections', shape.connections, 1, MAX_LOAD_CONNECTIONS);
  if (
    !Number.isFinite(shape.durationMs) ||
    shape.durationMs < PACKET_INTERVAL_MS ||
    shape.durationMs > MAX_LOAD_DURATION_MS
  ) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `duration must be from ${PACKET_INTERVAL_MS} ms to ${MAX_LOAD_DURATION_MS / 60_000} min, not ${shape.durationMs} ms.`,
      { details: { durationMs: shape.durationMs } },
    );
  }
  return { ...shape, connections: Math.min(shape.connections, shape.calls) };
}
