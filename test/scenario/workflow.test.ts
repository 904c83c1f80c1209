/**
 * QA workflow: --filter by statement and tag, results streamed as each scenario finishes with the
 * wall-clock time on the totals line, and --watch re-running what changed (node:fs watch on a temp dir).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findScenarioFiles, loadAll } from '../../src/scenario/run-scenarios.ts';
import { planRerun, watchScenarios } from '../../src/scenario/watch-scenarios.ts';
import { createRealClock } from '../../src/time/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');

const scenario = (name: string, cites: string, tags: string) => `
name: ${name}
cites: [${cites}]
tags: [${tags}]
orgs: [{ id: acme, customerName: Acme }]
admins: [{ email: it@acme.example, role: customer-admin, org: acme }]
users: [{ id: alice, firstName: Alice, lastName: Novak }]
steps:
  - enable: { user: alice, by: it@acme.example, acceptTerms: true, settings: { record: Always } }
  - call: { id: c1, user: alice, events: [{ at: 0s, do: answer }, { at: 30s, do: hang-up }] }
expect:
  calls:
    c1: { recordedDuration: 29.8s }
`;

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'callrec-workflow-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function library(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.yaml'), scenario('first one', 'S22, S29', 'smoke'));
  writeFileSync(join(dir, 'b.yaml'), scenario('second one', 'S2', 'regression, pstn'));
  writeFileSync(join(dir, 'c.yaml'), scenario('third one', 'S21', 'pstn'));
  return dir;
}

describe('--filter', () => {
  it('matches a cited statement whole (S2 is not S29), a tag, a name or a path', () => {
    const files = findScenarioFiles([library()]);
    const names = (filter: string) => loadAll(files, filter).map((l) => l.scenario.name);
    expect(names('S29')).toEqual(['first one']);
    expect(names('s2')).toEqual(['second one']);
    expect(names('pstn')).toEqual(['second one', 'third one']);
    expect(names('SMOKE')).toEqual(['first one']);
    expect(names('third')).toEqual(['third one']);
    expect(names('c.yaml')).toEqual(['third one']);
    expect(names('S30')).toEqual([]);
  });
});

describe('callrec run output', () => {
  it('prints each scenario as it finishes, then the totals with the wall-clock time', () => {
    const dir = library();
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'callrec.js'), 'run', dir, '--no-sink', '--filter', 'pstn'],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('callrec 0.1.0 · seed callrec'));
    const second = lines.findIndex((l) => l.startsWith('✓ second one [S2]'));
    const third = lines.findIndex((l) => l.startsWith('✓ third one [S21]'));
    const totals = lines.findIndex((l) => l.startsWith('2 scenarios: 2 passed, 0 failed'));
    expect(header).toBe(0);
    expect(second).toBeGreaterThan(header);
    expect(third).toBeGreaterThan(second);
    expect(totals).toBeGreaterThan(third);
    expect(lines[totals]).toMatch(/· \d+(\.\d)? (ms|s) wall clock$/);
    // Each scenario once: the summary does not repeat the streamed lines.
    expect(lines.filter((l) => l.startsWith('✓ second one'))).toHaveLength(1);
  });
});

describe('--watch', () => {
  it('plans the changed scenario files, or every scenario when code changed', () => {
    const dir = library();
    const code = join(dir, 'src');
    mkdirSync(code);
    expect(planRerun([join(dir, 'b.yaml')], [dir], [code])?.files).toEqual([join(dir, 'b.yaml')]);
    expect(planRerun([join(dir, 'notes.txt')], [dir], [code])).toBeUndefined();
    expect(planRerun([join(dir, 'gone.yaml')], [dir], [code])).toBeUndefined();
    const all = planRerun([join(code, 'x.ts')], [dir], [code]);
    expect(all?.files).toEqual(['a.yaml', 'b.yaml', 'c.yaml'].map((f) => join(dir, f)));
    expect(all?.why).toContain('code changed');
  });

  it('re-runs the scenario whose file changed, then every scenario when code changes', async () => {
    const dir = library();
    const code = tempDir();
    const runs: { files: readonly string[]; why: string }[] = [];
    let notify: () => void = () => {};
    const watcher = watchScenarios({
      scenarioPaths: [dir],
      codeDirs: [code],
      clock: createRealClock(),
      debounceMs: 50,
      rerun: (files, why) => {
        runs.push({ files, why });
        notify();
      },
    });
    const nextRun = () =>
      new Promise<void>((resolve, reject) => {
        const bound = setTimeout(() => reject(new Error('no re-run within 10 s')), 10_000);
        notify = () => {
          clearTimeout(bound);
          resolve();
        };
      });
    try {
      let ran = nextRun();
      writeFileSync(join(dir, 'b.yaml'), scenario('second one, edited', 'S2', 'regression'));
      await ran;
      expect(runs[0]?.files).toEqual([join(dir, 'b.yaml')]);

      ran = nextRun();
      writeFileSync(join(code, 'rule.ts'), 'export const x = 1;\n');
      await ran;
      expect(runs.at(-1)?.files).toHaveLength(3);
      expect(runs.at(-1)?.why).toContain('rule.ts');
    } finally {
      watcher.close();
    }
  });
});
