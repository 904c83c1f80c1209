/** A small XML well-formedness check for tests (no parser dependency): tags balance, attributes quoted, entities valid. */
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

function checkText(text: string, where: number): void {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    ENTITY.lastIndex = i;
    if (!ENTITY.test(text)) throw new Error(`bare & at ${where + i}`);
  }
  if (text.includes('<')) throw new Error(`bare < at ${where}`);
}

export function assertWellFormedXml(xml: string): { root: string; elements: number } {
  let pos = 0;
  const prolog = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (prolog !== null) pos = prolog[0].length;
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*"[^"]*")*)\s*(\/?)>/y;
  const stack: string[] = [];
  let root: string | undefined;
  let elements = 0;
  while (pos < xml.length) {
    const next = xml.indexOf('<', pos);
    const text = xml.slice(pos, next < 0 ? xml.length : next);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root at ${pos}`);
    checkText(text, pos);
    if (next < 0) break;
    tag.lastIndex = next;
    const m = tag.exec(xml);
    if (m === null) throw new Error(`malformed tag at ${next}: ${xml.slice(next, next + 60)}`);
    const [, closing, name, attrs, selfClosing] = m as unknown as [string, string, string, string, string];
    for (const a of attrs.matchAll(/"([^"]*)"/g)) checkText(a[1] as string, next);
    if (closing === '/') {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}> at ${next}`);
    } else {
      if (stack.length === 0) {
        if (root !== undefined) throw new Error('more than one root element');
        root = name;
      }
      elements++;
      if (selfClosing !== '/') stack.push(name);
    }
    pos = tag.lastIndex;
  }
  if (stack.length > 0 || root === undefined) throw new Error(`unclosed elements: ${stack.join(', ')}`);
  return { root, elements };
}
