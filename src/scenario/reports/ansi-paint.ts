/** Terminal colours by hand (SGR codes), or none: the same text renderers serve console, JUnit and files. */

export interface Paint {
  readonly pass: (text: string) => string;
  readonly fail: (text: string) => string;
  readonly added: (text: string) => string;
  readonly removed: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly warn: (text: string) => string;
}

// Each style closes with its own reset code (39 colour, 22 weight) so styles can nest.
const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const ANSI_PAINT: Paint = {
  pass: sgr(32, 39),
  fail: sgr(31, 39),
  added: sgr(32, 39),
  removed: sgr(31, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
  warn: sgr(33, 39),
};

const same = (text: string) => text;

export const PLAIN_PAINT: Paint = {
  pass: same,
  fail: same,
  added: same,
  removed: same,
  dim: same,
  bold: same,
  warn: same,
};

export function createPaint(color: boolean): Paint {
  return color ? ANSI_PAINT : PLAIN_PAINT;
}
