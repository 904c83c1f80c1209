/**
 * Runs SIPp (Debian's sip-tester, `sipp` on PATH) on loopback with a scenario of this folder, and reads
 * back what it judged: its exit code and the cumulative counters of its statistics file. Missing SIPp is
 * a failure with the way to install it, never a skip. Ports are free ones, every run is bounded in time,
 * and `stop()` kills the process and removes its temporary folder.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SIPP_INSTALL_HINT =
  'SIPp is not installed: run `bash .ci/install-sipp.sh` (Debian package sip-tester, binary sipp) and run the tests again.';

export function requireSipp(): string {
  const probe = spawnSync('sipp', ['-v'], { encoding: 'utf8', timeout: 10_000 });
  const text = `${probe.stdout ?? ''}${probe.stderr ?? ''}`;
  if (probe.error !== undefined || !/SIPp v3\./.test(text)) throw new Error(SIPP_INSTALL_HINT);
  return /SIPp v[^\s]+/.exec(text)?.[0] ?? 'SIPp';
}

export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SippResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The last row of the statistics file, column → value (cumulative counters end in `(C)`). */
  readonly stats: Readonly<Record<string, string>>;
  /** Unexpected messages and failures SIPp logged. */
  readonly errors: string;
  readonly output: string;
}

export interface SippRun {
  readonly port: number;
  /** Resolves when SIPp exits (or was killed at the deadline). */
  readonly done: Promise<SippResult>;
  stop(): void;
}

export function runSipp(options: {
  readonly scenario: string;
  readonly transport: 'udp' | 'tcp';
  readonly port: number;
  readonly mediaPort: number;
  readonly keys: Readonly<Record<string, string | number>>;
  readonly deadlineMs: number;
}): SippRun {
  const dir = mkdtempSync(join(tmpdir(), 'callrec-sipp-'));
  const statFile = join(dir, 'stats.csv');
  const errorFile = join(dir, 'errors.log');
  const args = [
    '-sf',
    options.scenario,
    '-i',
    '127.0.0.1',
    '-mi',
    '127.0.0.1',
    '-p',
    String(options.port),
    '-mp',
    String(options.mediaPort),
    '-t',
    options.transport === 'udp' ? 'u1' : 't1',
    '-m',
    '1',
    '-nostdin',
    '-trace_stat',
    '-stf',
    statFile,
    '-fd',
    '1',
    '-trace_err',
    '-error_file',
    errorFile,
    '-recv_timeout',
    '10000',
    '-timeout',
    `${Math.ceil(options.deadlineMs / 1000)}s`,
    '-timeout_error',
    ...Object.entries(options.keys).flatMap(([k, v]) => ['-key', k, String(v)]),
  ];
  let child: ChildProcess | undefined = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output = (output + d.toString('latin1')).slice(-20_000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    output = (output + d.toString('latin1')).slice(-20_000);
  });
  const killTimer = setTimeout(() => child?.kill('SIGKILL'), options.deadlineMs + 5_000);
  const done = new Promise<SippResult>((resolve) => {
    child?.once('exit', (exitCode, signal) => {
      clearTimeout(killTimer);
      child = undefined;
      const read = (file: string) => {
        try {
          return readFileSync(file, 'latin1');
        } catch {
          return '';
        }
      };
      const rows = read(statFile)
        .split(/\r?\n/)
        .filter((l) => l.trim().length > 0);
      const header = (rows[0] ?? '').split(';');
      const last = (rows[rows.length - 1] ?? '').split(';');
      const stats = Object.fromEntries(header.map((name, i) => [name, last[i] ?? '']));
      const errors = [
        read(errorFile),
        ...readdirSync(dir)
          .filter((f) => f.endsWith('.log'))
          .map((f) => read(join(dir, f))),
      ]
        .join('\n')
        .trim();
      rmSync(dir, { recursive: true, force: true });
      resolve({ exitCode, signal, stats, errors, output });
    });
  });
  return {
    port: options.port,
    done,
    stop() {
      child?.kill('SIGKILL');
    },
  };
}
