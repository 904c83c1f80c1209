/**
 * Makes report text safe to print anywhere: a scenario name or a rejection reason may hold terminal
 * escapes or characters XML 1.0 forbids, so they become visible stand-ins instead of being interpreted.
 */

// C0 controls, DEL, C1 controls, the two non-characters XML forbids, and lone surrogates.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's job.
  /[\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function standIn(char: string): string {
  const code = char.charCodeAt(0);
  // U+2400 + code is the Unicode "control picture" (␀, ␛, …); readable and valid everywhere.
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd';
}

/** Replaces every control character; `keep` lists the ones a multi-line context may keep (e.g. `\n`). */
export function replaceUnsafeChars(text: string, keep: string = ''): string {
  return text.replace(UNSAFE, (char) => (keep.includes(char) ? char : standIn(char)));
}
