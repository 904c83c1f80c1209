/**
 * The architecture rules of DEVELOPERS.md and the README, checked on the source text: imports point one
 * way (cli → webex → scenario / load / measure → sink → media / delay / wan → call → machines / protocol →
 * domain / time → errors); only src/sink uses `ws` and SQLite; only src/time reads the wall clock or
 * Math.random (so a run is reproducible from its seed); only src/cli touches argv, the console and
 * process.exit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Layers by rank: a file may import its own layer or a lower rank, never a higher one. */
const RANKS: Readonly<Record<string, number>> = {
  'src/errors.ts': 0,
  'src/time': 1,
  'src/domain': 1,
  machines: 2,
  // Pure wire formats (SIP, SIPREC bodies, RTP statistics): npm libraries, src/errors and src/time only.
  'src/protocol': 2,
  'src/call': 3,
  'src/media': 4,
  'src/delay': 4,
  'src/wan': 4,
  'src/sink': 5,
  'src/scenario': 6,
  'src/load': 6,
  'src/measure': 6,
  // The served Webex API: drives the domain and call machines, loads scenario fixtures, and carries the
  // scenario runner's steps over HTTP (the runner only knows the control-surface interface).
  'src/webex': 6.5,
  'src/cli': 7,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

const FILES = [...sourceFiles('src'), ...sourceFiles('machines')];

function layerOf(file: string): string {
  if (file.startsWith('machines/')) return 'machines';
  if (file === 'src/errors.ts') return file;
  const [, area] = file.split('/');
  return `src/${area}`;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1] as string);
}

/** The file's text without comments, so a rule is not broken by a sentence about it. */
function codeOf(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

describe('architecture', () => {
  it('finds the source files it checks', () => {
    expect(FILES.length).toBeGreaterThan(100);
    for (const file of FILES) expect(RANKS[layerOf(file)], file).toBeDefined();
  });

  it('imports point one way: no file imports a layer above its own', () => {
    const upward: string[] = [];
    for (const file of FILES) {
      const from = layerOf(file);
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), spec));
        const to = layerOf(target);
        if (to !== from && (RANKS[to] as number) >= (RANKS[from] as number))
          upward.push(`${file} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('src/protocol imports nothing of the project but src/errors.ts and src/time', () => {
    const found: string[] = [];
    for (const file of FILES.filter((f) => f.startsWith('src/protocol/'))) {
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), spec));
        if (!/^src\/(protocol\/|time\/|errors\.ts$)/.test(target)) found.push(`${file} → ${target}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('only src/sink imports ws and better-sqlite3', () => {
    const found = FILES.filter((f) => !f.startsWith('src/sink/')).filter((f) =>
      importsOf(f).some((spec) => spec === 'ws' || spec === 'better-sqlite3'),
    );
    expect(found).toEqual([]);
  });

  it('only src/time reads the wall clock or Math.random', () => {
    const found = FILES.filter((f) => !f.startsWith('src/time/')).filter((f) =>
      /\bDate\.now\(|\bMath\.random\(|new Date\(\)/.test(codeOf(f)),
    );
    expect(found).toEqual([]);
  });

  it('only src/cli touches process.argv, the console and process.exit', () => {
    const found = FILES.filter((f) => !f.startsWith('src/cli/')).filter((f) =>
      /\bprocess\.argv\b|\bconsole\.|\bprocess\.exit\(/.test(codeOf(f)),
    );
    expect(found).toEqual([]);
  });
});
