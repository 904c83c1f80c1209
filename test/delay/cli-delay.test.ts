import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerDelay } from '../../src/cli/commands/delay.ts';
import { assertWellFormedXml } from './xml-check.ts';

const dir = mkdtempSync(join(tmpdir(), 'callrec-delay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function callrec(args: readonly string[]): Promise<{ out: string; err: string }> {
  const program = new Command('callrec')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerDelay(program);
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const error = vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  try {
    await program.parseAsync([...args], { from: 'user' });
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return { out: out.join('\n'), err: err.join('\n') };
}

describe('callrec delay', () => {
  it('prints the 2×2 table and writes CSV, JSON and SVG', async () => {
    const csv = join(dir, 'd.csv');
    const json = join(dir, 'd.json');
    const svg = join(dir, 'd.svg');
    const { out, err } = await callrec([
      'delay',
      '--calls',
      '400',
      '--seed',
      '3',
      '--announcement',
      '--csv',
      csv,
      '--json',
      json,
      '--svg',
      svg,
    ]);
    expect(out).toContain('ICE on, recording on');
    expect(out).toContain('announcement 3000 ms');
    expect(err).toContain(`written to ${svg}`);
    expect(readFileSync(csv, 'utf8').split('\r\n')).toHaveLength(6);
    expect(JSON.parse(readFileSync(json, 'utf8')).calls).toBe(400);
    assertWellFormedXml(readFileSync(svg, 'utf8'));
  });

  it('sweeps one input', async () => {
    const { out } = await callrec(['delay', '--calls', '200', '--sweep', 'rtt', '--sweep-values', '20,80']);
    expect(out).toContain('Sweep of median RTT');
    expect(out).toMatch(/20 ms .*\n80 ms /);
  });

  it('refuses bad values with a message that says what is allowed', async () => {
    await expect(callrec(['delay', '--loss', '2'])).rejects.toThrow(/--loss must be a number from 0 to 0.99/);
    await expect(callrec(['delay', '--sweep-values', '1,2'])).rejects.toThrow(/--sweep-values needs --sweep/);
  });
});

describe('callrec delay --measure', () => {
  it('measures a one-cell grid, prints it beside the model and writes JSON and SVG', async () => {
    const json = join(dir, 'measured.json');
    const svg = join(dir, 'measured.svg');
    const before = process.exitCode;
    try {
      const { out } = await callrec([
        'delay',
        '--measure',
        '--grid-one-way',
        '5',
        '--grid-loss',
        '0',
        '--calls-per-cell',
        '2',
        '--warmup-calls',
        '0',
        '--json',
        json,
        '--svg',
        svg,
      ]);
      expect(out).toContain('Measured start-of-call delay');
      expect(out).toContain('ICE on, rec on');
      expect(out).toMatch(/Goals met in \d+ of 4/);
      expect(JSON.parse(readFileSync(json, 'utf8')).cells).toHaveLength(1);
      assertWellFormedXml(readFileSync(svg, 'utf8'));
    } finally {
      process.exitCode = before;
    }
  }, 60_000);

  it('refuses a grid it cannot run, with the reason', async () => {
    await expect(callrec(['delay', '--measure', '--grid-loss', '0.9'])).rejects.toThrow(/loss/);
    await expect(callrec(['delay', '--measure', '--sweep', 'rtt'])).rejects.toThrow(/--sweep/);
  });
});
