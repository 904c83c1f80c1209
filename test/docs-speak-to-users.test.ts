/**
 * The docs speak to users: no references to how the project was made (issue numbers) or to files a user
 * who cloned the repository does not have, and the rules S1–S34 are summarised in docs/ and linked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);
const PAGES = ['README.md', ...DOCS];

describe('user-facing docs', () => {
  it.each(PAGES)('%s cites no issue numbers and no files outside the repository', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    expect(text.match(/\b[Ii]ssue \d+|the issue\b|facts\.md|\/work\/|\.\.\/shared\//g) ?? []).toEqual([]);
  });

  it('summarises every statement S1–S34 in docs/rules.md, linked from the README', () => {
    const rules = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
    const missing = Array.from({ length: 34 }, (_, i) => `S${i + 1}`).filter(
      (s) => !new RegExp(`^\\| ${s} \\|`, 'm').test(rules),
    );
    expect(missing).toEqual([]);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('docs/rules.md');
  });
});
