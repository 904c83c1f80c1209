/**
 * The architecture rules of docs/architecture.md: the import rules of .dependency-cruiser.cjs (layers
 * point one way, `protocol` below both sides of the sink, `dubber` and `platform` never import each
 * other, `ws` only in the server shell and the platform clients, better-sqlite3 only in the SQLite store,
 * no cycles — type-only imports included), checked by dependency-cruiser on the real import graph; and,
 * on the source text, that only src/time reads the wall clock or Math.random (so a run is reproducible
 * from its seed) and only src/cli touches argv, the console and process.exit.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { cruise, type ICruiseOptions, type IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const config = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as {
  readonly LAYERS: readonly (readonly [string, string, number])[];
  readonly forbidden: IForbiddenRuleType[];
  readonly options: ICruiseOptions;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

const FILES = [...sourceFiles('src'), ...sourceFiles('machines')];

/** The rule violations dependency-cruiser finds under `baseDir`, one line each. */
async function violations(baseDir: string): Promise<string[]> {
  const { options } = config;
  const result = await cruise(
    ['src', 'machines'].filter((d) => readdirSync(baseDir).includes(d)),
    {
      ...options,
      baseDir,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
      tsConfig: { fileName: join(ROOT, 'tsconfig.json') },
    },
    undefined,
    { tsConfig: { compilerOptions: { allowImportingTsExtensions: true, module: 'NodeNext' } } },
  );
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned text, not a result');
  return result.output.summary.violations.map(
    (v) =>
      `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' → ')})` : ''}`,
  );
}

/** The file's text without comments, so a rule is not broken by a sentence about it. */
function codeOf(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

describe('architecture', () => {
  it('finds the source files it checks, each in a layer', () => {
    expect(FILES.length).toBeGreaterThan(100);
    for (const file of FILES)
      expect(
        config.LAYERS.some(([, path]) => new RegExp(path).test(file)),
        file,
      ).toBe(true);
  });

  it('the import rules hold: layers, roles of the sink, ws and SQLite, no cycles', async () => {
    expect(await violations(ROOT)).toEqual([]);
  });

  it('the import rules catch a violation of each kind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callrec-arch-'));
    try {
      const put = (file: string, text: string): void => {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      };
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      put(
        'src/protocol/wire.ts',
        "import type { Session } from '../dubber/ingest/session.ts';\nexport type W = Session;\n",
      );
      put(
        'src/dubber/ingest/session.ts',
        "import { tool } from '../../platform/client.ts';\nimport type WebSocket from 'ws';\nexport type Session = WebSocket | typeof tool;\n",
      );
      put('src/platform/client.ts', 'export const tool = 1;\n');
      put(
        'src/dubber/portal.ts',
        "import type Database from 'better-sqlite3';\nexport type P = Database.Database;\n",
      );
      put('src/delay/a.ts', "import type { B } from './b.ts';\nexport type A = B[];\n");
      put('src/delay/b.ts', "import type { A } from './a.ts';\nexport type B = A | 1;\n");
      const found = await violations(dir);
      const rules = new Set(found.map((v) => v.slice(0, v.indexOf(':'))));
      expect([...rules].sort(), found.join('\n')).toEqual(
        [
          'layer-protocol',
          'layer-dubber',
          'ws-only-in-shells',
          'sqlite-only-in-store-sqlite',
          'no-circular',
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
