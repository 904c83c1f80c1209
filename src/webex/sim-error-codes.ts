/** Whether a string from the wire is one of the simulator's error codes. */
import { SIM_ERROR_CODES, type SimErrorCode } from '../errors.ts';

export function isSimErrorCode(value: unknown): value is SimErrorCode {
  return typeof value === 'string' && (SIM_ERROR_CODES as readonly string[]).includes(value);
}
