/**
 * `npm ci --omit=dev && npx callrec …` must work: every package the command line loads at run time (bin/,
 * src/, machines/, and the TypeScript loader bin/ and the live load's child process start with) is a
 * dependency, not a devDependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : /\.(ts|js)$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Bare package names a file imports or resolves at run time (type-only imports excluded). */
function packagesOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm),
    ...text.matchAll(/^import\s+'([^']+)'/gm),
    ...text.matchAll(/import\('([^']+)'\)/g),
    ...text.matchAll(/resolve\('([^']+)'\)/g),
  ].map((m) => m[1] ?? '');
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s)));
}

describe('run-time dependencies', () => {
  const used = new Map<string, string>();
  for (const file of [...files('bin'), ...files('src'), ...files('machines')]) {
    for (const name of packagesOf(file)) if (!used.has(name)) used.set(name, file);
  }

  it('finds the packages the command line loads (tsx among them: bin/callrec.js runs through it)', () => {
    expect([...used.keys()]).toEqual(expect.arrayContaining(['tsx', 'commander', 'zod', 'xstate', 'ws']));
  });

  it('lists every one of them under dependencies, so an install without dev dependencies runs', () => {
    const missing = [...used].filter(([name]) => !(name in pkg.dependencies)).map(([n, f]) => `${n} (${f})`);
    expect(missing).toEqual([]);
  });
});
