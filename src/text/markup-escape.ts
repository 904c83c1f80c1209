/**
 * Escaping for XML and HTML text and attributes. Report text is untrusted (a scenario may be named
 * `<script>`), and XML 1.0 cannot carry most control characters at all, so those become stand-ins.
 */
import { replaceUnsafeChars } from './safe-text.ts';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // In attributes, whitespace characters would be normalised to spaces by the parser unless encoded.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Element content: only `&`, `<`, `>` need escaping there (quotes stay readable in the raw file); tabs
 * and line feeds stay (multi-line bodies, `<pre>`); `\r` is encoded so parsers do not fold it away.
 */
export function escapeText(text: string): string {
  return replaceUnsafeChars(text, '\t\n\r').replace(/[&<>\r]/g, (c) => ENTITIES[c] ?? c);
}

/** A double- or single-quoted attribute value; line breaks survive as character references. */
export function escapeAttribute(text: string): string {
  return replaceUnsafeChars(text, '\t\n\r').replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c] ?? c);
}
