/** A step's `expectError`: the code alone, or the code and a part of the message (why it failed). */
import type { ExpectError } from './expect-schemas.ts';

export function expectedErrorMatches(
  wanted: ExpectError | undefined,
  error: { readonly code: string; readonly message: string },
): boolean {
  if (wanted === undefined) return false;
  if (typeof wanted === 'string') return wanted === error.code;
  return (
    wanted.code === error.code &&
    (wanted.messageIncludes === undefined || error.message.includes(wanted.messageIncludes))
  );
}

export function describeExpectedError(wanted: ExpectError): string {
  if (typeof wanted === 'string') return wanted;
  return wanted.messageIncludes === undefined
    ? wanted.code
    : `${wanted.code} with a message including "${wanted.messageIncludes}"`;
}
