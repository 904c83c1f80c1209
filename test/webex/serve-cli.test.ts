/**
 * `callrec serve` as a user runs it (a child process on port 0, virtual time, --print-tokens), and the
 * example script of docs/webex-api.md run against it with plain Node: it provisions a user and records a
 * call. The server is stopped with SIGTERM and must exit cleanly.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
});

async function startServe(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', ...args],
    { cwd: ROOT },
  );
  children.push(child);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  for (let i = 0; i < 600 && !/simulator\s+\S+/.test(out) && child.exitCode === null; i++)
    await new Promise((r) => setTimeout(r, 50));
  const url = /on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out)?.[1];
  if (url === undefined) throw new Error(`serve did not start: ${out} ${err}`);
  const token = (label: string) =>
    new RegExp(`^\\s+${label.replace(/[.]/g, '\\.')}\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '';
  return { child, url, token, output: () => out };
}

it('callrec serve prints its port and tokens; the documented Node script provisions a user and records a call against it', async () => {
  const serve = await startServe(['--virtual-time', '--print-tokens']);
  expect(serve.output()).toContain('virtual time');
  const script = spawn(process.execPath, [join(ROOT, 'docs/examples/provision-and-record.mjs'), 'alice'], {
    env: {
      ...process.env,
      WEBEX_API: serve.url,
      WEBEX_ADMIN_TOKEN: serve.token('admin@acme.example'),
      WEBEX_USER_TOKEN: serve.token('alice'),
      WEBEX_SIM_TOKEN: serve.token('simulator'),
    },
  });
  let out = '';
  script.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  script.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const [code] = await once(script, 'exit');
  expect(out).toContain("accepting Dubber's terms");
  expect(out).toMatch(/recordingState=started/);
  // 45 s connected, less the recorder answering in 200 ms; the start announcement, tones at 20 s and 40 s.
  expect(out).toContain('recorded 44800 ms; announcements: start; tones: 2');
  expect(code).toBe(0);

  // The call's recording reached the fake Dubber behind the API and was stored in full.
  let log: { dubber?: { stored: number; recordings: number } } = {};
  for (let i = 0; i < 100 && log.dubber === undefined; i++) {
    const r = await fetch(`${serve.url}/simulator/calls/call-1/log`, {
      headers: { authorization: `Bearer ${serve.token('simulator')}` },
    });
    log = (await r.json()) as typeof log;
    if (log.dubber === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(log.dubber).toEqual({ stored: 1, recordings: 1, failures: [] });

  // A bad token gets Webex's 401, never a stack trace.
  const answer = await fetch(`${serve.url}/people/alice/features/callRecording`, {
    headers: { authorization: 'Bearer nope' },
  });
  expect(answer.status).toBe(401);
  expect(await answer.json()).toMatchObject({ errors: [{ code: 'SIM_ERR_NOT_AUTHORISED' }] });

  // The Control Hub page it prints is served, asking which issued admin signs in, under a strict CSP.
  const pageUrl = /Control Hub settings page: (\S+)\/<personId>/.exec(serve.output())?.[1];
  expect(pageUrl).toBe(`${serve.url.replace(/\/v1$/, '')}/control-hub`);
  const page = await fetch(`${pageUrl}/alice`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(await page.text()).toContain('value="admin@acme.example"');

  serve.child.kill('SIGTERM');
  const [exitCode] = await once(serve.child, 'exit');
  expect(exitCode).toBe(0);
  expect(serve.output()).toContain('callrec serve: stopped');
}, 120_000);

it('callrec serve loads a scenario file as its world and refuses a missing one with a clear error', async () => {
  const serve = await startServe([join(ROOT, 'scenarios/account/who-may-enable.yaml'), '--print-tokens']);
  expect(serve.output()).toContain('real time');
  expect(serve.token('viewer@acme.example')).not.toBe('');
  // The port is taken now: a clear usage error, no stack trace.
  const port = /127\.0\.0\.1:(\d+)/.exec(serve.url)?.[1] ?? '0';
  const taken = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', '--port', port],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  expect(taken.status).toBe(2);
  expect(taken.stderr).toContain('EADDRINUSE');
  expect(taken.stderr).not.toMatch(/\n\s+at /);
  const missing = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', 'no-such-file.yaml'],
    { cwd: ROOT },
  );
  let err = '';
  missing.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const [code] = await once(missing, 'exit');
  expect(code).toBe(2);
  expect(err).toContain('SIM_ERR_SCENARIO_FILE');
  expect(err).not.toMatch(/\n\s+at /);
}, 120_000);

it('callrec run --via api writes the same JSON report as the direct run; an unknown transport is a usage error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callrec-via-'));
  try {
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [join(ROOT, 'bin', 'callrec.js'), 'run', 'scenarios', '--filter', 'tones/', '--no-sink', ...args],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        },
      );
    const direct = run('--json', join(dir, 'direct.json'));
    const via = run('--via', 'api', '--json', join(dir, 'via.json'));
    expect([direct.status, via.status]).toEqual([0, 0]);
    expect(via.stdout).toMatch(/\d+ scenarios: \d+ passed, 0 failed/);
    expect(readFileSync(join(dir, 'via.json'), 'utf8')).toBe(readFileSync(join(dir, 'direct.json'), 'utf8'));
    const bad = run('--via', 'carrier-pigeon');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--via is direct or api');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
