/**
 * The header grammars the parser checks and the SIPREC layers read (RFC 3261 §25.1): name-addr / addr-spec
 * with parameters (From, To, Contact, Route), Via, CSeq and a few scalars. Each reader returns the value or
 * a sentence saying what is wrong with it; none throws. Whitespace around `;`, `=` and `/` is allowed
 * (SWS), whitespace inside a URI is not.
 */

export const TOKEN_RE = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const TOKEN_CHAR = /[A-Za-z0-9\-.!%*_+`'~]/;
const PARAM_VALUE_RE = /^[A-Za-z0-9\-.!%*_+`'~:[\]]+$/;
const URI_RE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"]+$/;

export interface SipParam {
  readonly name: string;
  /** Undefined for a flag parameter such as `lr` or `+sip.src`; quoted values keep their quotes. */
  readonly value?: string;
}

export interface NameAddr {
  readonly displayName?: string;
  readonly uri: string;
  readonly params: readonly SipParam[];
}

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Reads a quoted string starting at `text[start] === '"'`; returns its unescaped content and end index. */
function readQuoted(text: string, start: number): { content: string; end: number } | undefined {
  let content = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      if (i + 1 >= text.length) return undefined;
      content += text[i + 1];
      i++;
    } else if (ch === '"') return { content, end: i + 1 };
    else content += ch;
  }
  return undefined;
}

/** `*( SWS ";" SWS name [ SWS "=" SWS value ] )`, the tail after a URI, host or `>`. */
export function parseParams(text: string, what: string): Parsed<SipParam[]> {
  const params: SipParam[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    if (rest[0] !== ';') return bad(`${what}: expected ";" before "${rest.slice(0, 20)}"`);
    rest = rest.slice(1).trimStart();
    const name = /^[A-Za-z0-9\-.!%*_+`'~]+/.exec(rest)?.[0];
    if (name === undefined) return bad(`${what}: empty or invalid parameter name`);
    rest = rest.slice(name.length).trimStart();
    if (rest[0] !== '=') {
      params.push({ name });
      continue;
    }
    rest = rest.slice(1).trimStart();
    if (rest[0] === '"') {
      const q = readQuoted(rest, 0);
      if (q === undefined) return bad(`${what}: unterminated quoted value of parameter ${name}`);
      params.push({ name, value: rest.slice(0, q.end) });
      rest = rest.slice(q.end).trimStart();
      continue;
    }
    const value = /^[^;\s]+/.exec(rest)?.[0];
    if (value === undefined || !PARAM_VALUE_RE.test(value)) {
      return bad(`${what}: parameter ${name} has no valid value`);
    }
    params.push({ name, value });
    rest = rest.slice(value.length).trimStart();
  }
  return ok(params);
}

/**
 * `name-addr / addr-spec` followed by parameters. A display name is a quoted string or tokens; an addr-spec
 * outside `<>` may not contain `,` or `?` (RFC 3261 §20.10), and no URI may contain whitespace.
 */
export function parseNameAddr(value: string, what: string): Parsed<NameAddr> {
  const text = value.trim();
  let displayName: string | undefined;
  let afterName = 0;
  if (text.startsWith('"')) {
    const q = readQuoted(text, 0);
    if (q === undefined) return bad(`${what}: unterminated quoted display name`);
    displayName = q.content;
    afterName = q.end;
    while (text[afterName] === ' ' || text[afterName] === '\t') afterName++;
    if (text[afterName] !== '<') return bad(`${what}: a quoted display name must be followed by <URI>`);
  } else {
    const lt = text.indexOf('<');
    if (lt >= 0) {
      const name = text.slice(0, lt).trim();
      for (const word of name.split(/[ \t]+/).filter((w) => w.length > 0)) {
        if (!TOKEN_RE.test(word)) {
          return bad(`${what}: display name "${name.slice(0, 40)}" has characters outside a token; quote it`);
        }
      }
      if (name.length > 0) displayName = name;
      afterName = lt;
    } else {
      const semi = text.indexOf(';');
      const uri = (semi < 0 ? text : text.slice(0, semi)).trim();
      if (/[,?]/.test(uri)) return bad(`${what}: a URI with "," or "?" must be enclosed in <>`);
      if (!URI_RE.test(uri)) return bad(`${what}: "${uri.slice(0, 60)}" is not a URI`);
      const params = parseParams(semi < 0 ? '' : text.slice(semi), what);
      return params.ok ? ok({ uri, params: params.value }) : params;
    }
  }
  const gt = text.indexOf('>', afterName);
  if (gt < 0) return bad(`${what}: "<" without ">"`);
  const uri = text.slice(afterName + 1, gt);
  if (!URI_RE.test(uri)) {
    return bad(
      /\s/.test(uri)
        ? `${what}: whitespace inside <${uri.trim().slice(0, 60)}>`
        : `${what}: "${uri.slice(0, 60)}" is not a URI`,
    );
  }
  const params = parseParams(text.slice(gt + 1), what);
  if (!params.ok) return params;
  return ok(
    displayName === undefined ? { uri, params: params.value } : { displayName, uri, params: params.value },
  );
}

export interface ViaValue {
  readonly protocol: string;
  readonly transport: string;
  readonly host: string;
  readonly port?: number;
  readonly params: readonly SipParam[];
}

const VIA_RE =
  /^([A-Za-z0-9\-.!%*_+`'~]+)[ \t]*\/[ \t]*([A-Za-z0-9\-.!%*_+`'~]+)[ \t]*\/[ \t]*([A-Za-z0-9\-.!%*_+`'~]+)[ \t]+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.]+)(?:[ \t]*:[ \t]*(\d{1,5}))?(.*)$/s;

/** One Via value: `SIP / 2.0 / UDP host[:port] *(;param)`. */
export function parseVia(value: string): Parsed<ViaValue> {
  const m = VIA_RE.exec(value.trim());
  if (m === null) return bad('Via: expected "SIP/2.0/<transport> <host>[:<port>]"');
  const port = m[5] === undefined ? undefined : Number(m[5]);
  if (port !== undefined && port > 65_535) return bad(`Via: port ${port} is out of range`);
  const params = parseParams(m[6] as string, 'Via');
  if (!params.ok) return params;
  const via = {
    protocol: `${m[1]}/${m[2]}`,
    transport: (m[3] as string).toUpperCase(),
    host: m[4] as string,
    params: params.value,
  };
  return ok(port === undefined ? via : { ...via, port });
}

export interface CSeqValue {
  readonly seq: number;
  readonly method: string;
}

/** `1*DIGIT LWS Method`, the number below 2^31 (RFC 3261 §8.1.1.5). */
export function parseCSeq(value: string): Parsed<CSeqValue> {
  const m = /^(\d+)[ \t]+(\S+)$/.exec(value.trim());
  if (m === null || !TOKEN_RE.test(m[2] as string)) return bad('CSeq: expected "<number> <method>"');
  const seq = Number(m[1]);
  if (!(seq < 2 ** 31)) return bad(`CSeq: ${(m[1] as string).slice(0, 24)} is not below 2^31`);
  return ok({ seq, method: m[2] as string });
}

/** `1*DIGIT` up to `max`. */
export function parseBoundedInteger(value: string, what: string, max: number): Parsed<number> {
  const text = value.trim();
  if (!/^\d+$/.test(text)) return bad(`${what}: "${text.slice(0, 24)}" is not a non-negative integer`);
  const n = Number(text);
  return n <= max ? ok(n) : bad(`${what}: ${text.slice(0, 24)} is above ${max}`);
}

/** The first parameter of that name (case-insensitive), or undefined. */
export function paramOf(params: readonly SipParam[], name: string): SipParam | undefined {
  const lower = name.toLowerCase();
  return params.find((p) => p.name.toLowerCase() === lower);
}

export function isTokenChar(ch: string): boolean {
  return TOKEN_CHAR.test(ch);
}

/** Quotes a display name or parameter value for a header (RFC 3261 quoted-string). */
export function quoteString(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
