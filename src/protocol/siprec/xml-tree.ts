/**
 * Well-formed XML → a small namespace-resolved tree, with fast-xml-parser doing the parsing. That library
 * keeps prefixes as written and does not resolve them, so this resolves `xmlns` / `xmlns:p` declarations
 * per element scope: a reader then asks for (namespace URI, local name) and does not care which prefix a
 * sender chose (BroadWorks' `bwrec:`, a default namespace, or none). A DOCTYPE is refused outright, so no
 * entity can expand; depth and size are bounded.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  /** Namespace URI, '' when none is in scope. */
  readonly ns: string;
  readonly local: string;
  /** Attributes without a prefix, by name (namespace declarations left out). */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated, trimmed text content of this element (not of its children). */
  readonly text: string;
}

export type XmlResult =
  | { readonly ok: true; readonly root: XmlElement }
  | { readonly ok: false; readonly reason: string };

export const MAX_XML_BYTES = 64 * 1024;
const MAX_DEPTH = 32;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH + 1,
});

type RawNode = Record<string, unknown>;

function convert(
  node: RawNode,
  scope: ReadonlyMap<string, string>,
  depth: number,
): XmlElement | string | undefined {
  if (depth > MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH} elements`);
  const attrsRaw = (node[':@'] ?? {}) as Record<string, string>;
  const name = Object.keys(node).find((k) => k !== ':@');
  if (name === undefined) return undefined;
  if (name === '#text') return String(node[name] ?? '');
  if (name.startsWith('?') || name === '#comment') return undefined;
  const inner = new Map(scope);
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrsRaw)) {
    if (key === 'xmlns') inner.set('', String(value));
    else if (key.startsWith('xmlns:')) inner.set(key.slice(6), String(value));
    else if (!key.includes(':')) attrs[key] = String(value);
  }
  const colon = name.indexOf(':');
  const prefix = colon < 0 ? '' : name.slice(0, colon);
  const ns = inner.get(prefix);
  if (ns === undefined && prefix !== '') throw new Error(`prefix "${prefix}" of <${name}> is not declared`);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[name] ?? []) as RawNode[]) {
    const c = convert(child, inner, depth + 1);
    if (typeof c === 'string') text += c;
    else if (c !== undefined) children.push(c);
  }
  return {
    ns: ns ?? '',
    local: colon < 0 ? name : name.slice(colon + 1),
    attrs,
    children,
    text: text.trim(),
  };
}

export function parseXml(text: string): XmlResult {
  if (text.length > MAX_XML_BYTES) return { ok: false, reason: `over ${MAX_XML_BYTES} bytes` };
  if (/<!DOCTYPE/i.test(text)) return { ok: false, reason: 'a DOCTYPE is not allowed' };
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      return { ok: false, reason: `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})` };
    }
    const nodes = parser.parse(text) as RawNode[];
    const roots = nodes
      .map((n) => convert(n, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), 0))
      .filter((n): n is XmlElement => typeof n === 'object');
    if (roots.length !== 1) return { ok: false, reason: 'expected exactly one root element' };
    return { ok: true, root: roots[0] as XmlElement };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'unreadable XML' };
  }
}

export function childrenNamed(element: XmlElement, ns: string, ...locals: string[]): XmlElement[] {
  return element.children.filter((c) => c.ns === ns && locals.includes(c.local));
}

export function childText(element: XmlElement, ns: string, ...locals: string[]): string | undefined {
  const child = childrenNamed(element, ns, ...locals)[0];
  return child === undefined ? undefined : child.text;
}

/** Every element below (and including) `element`, depth first. */
export function descendants(element: XmlElement): XmlElement[] {
  return [element, ...element.children.flatMap(descendants)];
}
