/**
 * A strict, small XML 1.0 reader for the subset the JUnit report uses (declaration, elements,
 * attributes, text, entity and character references). Anything not well-formed throws, with where.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly (XmlElement | string)[];
}

// The XML 1.0 `Char` production: what may appear in a document at all.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const NAME = /[A-Za-z_:][-A-Za-z0-9._:]*/y;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXmlStrict(xml: string): XmlElement {
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(
      `not well-formed XML at offset ${pos}: ${why} near ${JSON.stringify(xml.slice(pos, pos + 30))}`,
    );
  };
  const bad = NOT_XML_CHAR.exec(xml);
  if (bad) {
    pos = bad.index;
    fail(`character U+${bad[0].codePointAt(0)?.toString(16).padStart(4, '0')} is not allowed in XML 1.0`);
  }
  const skipSpace = () => {
    while (/[ \t\n\r]/.test(xml[pos] ?? '')) pos++;
  };
  const name = (): string => {
    NAME.lastIndex = pos;
    const match = NAME.exec(xml);
    if (!match) return fail('expected a name');
    pos += match[0].length;
    return match[0];
  };
  const reference = (): string => {
    const end = xml.indexOf(';', pos);
    const body = end < 0 ? '' : xml.slice(pos + 1, end);
    let decoded: string | undefined;
    if (/^#[0-9]+$/.test(body)) decoded = String.fromCodePoint(Number(body.slice(1)));
    else if (/^#x[0-9a-fA-F]+$/.test(body))
      decoded = String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    else decoded = PREDEFINED[body];
    if (decoded === undefined || NOT_XML_CHAR.test(decoded)) return fail(`bad reference &${body};`);
    pos = end + 1;
    return decoded;
  };
  const attributeValue = (): string => {
    const quote = xml[pos];
    if (quote !== '"' && quote !== "'") return fail('expected a quoted attribute value');
    pos++;
    let value = '';
    while (xml[pos] !== quote) {
      const char = xml[pos];
      if (char === undefined || char === '<') return fail('unterminated attribute value or "<" inside it');
      // Attribute-value normalisation: literal whitespace becomes a space; references keep theirs.
      if (char === '&') value += reference();
      else {
        value += /[\t\n\r]/.test(char) ? ' ' : char;
        pos++;
      }
    }
    pos++;
    return value;
  };
  const element = (): XmlElement => {
    if (xml[pos] !== '<') fail('expected "<"');
    pos++;
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (xml.startsWith('/>', pos)) {
        pos += 2;
        return { name: tag, attributes, children: [] };
      }
      if (xml[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) fail('expected whitespace before an attribute');
      const attr = name();
      skipSpace();
      if (xml[pos] !== '=') fail('expected "="');
      pos++;
      skipSpace();
      if (Object.hasOwn(attributes, attr)) fail(`duplicate attribute ${attr}`);
      attributes[attr] = attributeValue();
    }
    const children: (XmlElement | string)[] = [];
    let text = '';
    while (!xml.startsWith('</', pos)) {
      const char = xml[pos];
      if (char === undefined) return fail(`unclosed <${tag}>`);
      if (char === '<') {
        if (text !== '') children.push(text);
        text = '';
        children.push(element());
      } else if (char === '&') text += reference();
      else {
        if (xml.startsWith(']]>', pos)) fail('"]]>" in text');
        text += char;
        pos++;
      }
    }
    if (text !== '') children.push(text);
    pos += 2;
    if (name() !== tag) fail(`mismatched end tag for <${tag}>`);
    skipSpace();
    if (xml[pos] !== '>') fail('expected ">"');
    pos++;
    return { name: tag, attributes, children };
  };

  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>/.exec(xml);
  pos = declaration ? declaration[0].length : 0;
  skipSpace();
  const root = element();
  skipSpace();
  if (pos !== xml.length) fail('content after the root element');
  return root;
}

/** Elements below `root` with this name, depth first in document order. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  return root.children.flatMap((c) =>
    typeof c === 'string' ? [] : [...(c.name === name ? [c] : []), ...findAll(c, name)],
  );
}

export function textOf(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
