/**
 * SIPp (a SIP tool this project did not write) as the recording client against the fake Dubber's SIPREC
 * listener, on loopback: test/siprec/sipp/broadworks-src.xml sends a BroadWorks-shaped recording INVITE
 * for a provisioned user, both streams' RTP from a pcap generated here (two SSRCs in one file: SIPp plays a
 * pcap to one port, and the recorder routes the SSRCs to the two streams), a pause and a resume
 * re-INVITE, and BYE. Checked on both sides: SIPp exits 0 with one successful call, no failed one and no
 * unexpected message; the recording is stored with both streams, the pause as a gap, and the RTP
 * statistics. SIPp must be installed (`.ci/install-sipp.sh` installs Debian's sip-tester); the test
 * fails, never skips, without it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSinkServer, type SinkServer } from '../../src/dubber/server.ts';
import { createRealClock } from '../../src/time/index.ts';
import { PLATFORM_KEY, provisionWorld, rtpStream } from '../harness/helpers.ts';
import { writePcap } from '../harness/pcap-writer.ts';

const SCENARIO = resolve(import.meta.dirname, 'sipp/broadworks-src.xml');
const USER_SSRC = 0x5151_0001;
const REMOTE_SSRC = 0x5252_0002;
/** Audio before the pause and after the resume: 1 s each per stream, 50 packets of 20 ms. */
const HALF = 50;
const RESUME_AT_MS = 3000;

let server: SinkServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function requireSipp(): void {
  const found = spawnSync('sipp', ['-v'], { encoding: 'utf8' });
  if (found.error !== undefined) {
    throw new Error(
      'SIPp is not installed (no `sipp` on the PATH): run `bash .ci/install-sipp.sh` (Debian sip-tester), then the tests again.',
    );
  }
}

/** Both streams in one pcap, to one destination port, in time order: 1 s, a 2 s gap, 1 s. */
function bothStreamsPcap(): Uint8Array {
  const user = rtpStream(USER_SSRC, 2 * HALF, 1000);
  const remote = rtpStream(REMOTE_SSRC, 2 * HALF, 30_000);
  const datagrams = [];
  for (let i = 0; i < 2 * HALF; i++) {
    const atMs = i < HALF ? i * 20 : RESUME_AT_MS + (i - HALF) * 20;
    datagrams.push({ atMs, srcPort: 7000, dstPort: 7000, payload: user[i] as Uint8Array });
    datagrams.push({ atMs: atMs + 1, srcPort: 7002, dstPort: 7000, payload: remote[i] as Uint8Array });
  }
  return writePcap(datagrams);
}

function freeUdpPort(): Promise<number> {
  return import('node:dgram').then(
    ({ createSocket }) =>
      new Promise((done) => {
        const socket = createSocket('udp4');
        socket.bind(0, '127.0.0.1', () => {
          const { port } = socket.address();
          socket.close(() => done(port));
        });
      }),
  );
}

/** The last row of SIPp's -trace_stat CSV, by column name. */
function lastStats(csv: string): Record<string, string> {
  const lines = csv.trim().split('\n');
  const names = (lines[0] ?? '').split(';');
  const values = (lines.at(-1) ?? '').split(';');
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
}

describe('SIPp as the SRC against the fake Dubber (SRS)', () => {
  it('records a BroadWorks-shaped session: both streams from one pcap, pause gap, BYE; SIPp counts 1 successful call', async () => {
    requireSipp();
    server = await createSinkServer({
      port: 0,
      clock: createRealClock(),
      keys: [PLATFORM_KEY],
      siprec: { port: 0 },
    });
    provisionWorld(server.provisioning);
    const siprec = server.siprec;
    if (siprec === undefined) throw new Error('no SIPREC listener');
    dir = mkdtempSync(join(tmpdir(), 'callrec-sipp-'));
    writeFileSync(join(dir, 'siprec-both-streams.pcap'), bothStreamsPcap());
    const [sipPort, mediaPort] = [await freeUdpPort(), await freeUdpPort()];
    const stat = join(dir, 'stat.csv');
    const errors = join(dir, 'errors.log');
    const screen = join(dir, 'screen.log');
    const args = [
      `127.0.0.1:${siprec.port}`,
      ...['-sf', SCENARIO, '-m', '1', '-l', '1', '-t', 'u1', '-nostdin'],
      ...['-i', '127.0.0.1', '-p', String(sipPort), '-mi', '127.0.0.1', '-mp', String(mediaPort)],
      ...['-key', 'user', 'alice', '-key', 'sp', 'sp-eu-1', '-key', 'group', 'acme'],
      ...['-trace_stat', '-stf', stat, '-trace_err', '-error_file', errors],
      ...['-trace_screen', '-screen_file', screen, '-timeout', '30s', '-timeout_error'],
    ];
    const sipp = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    sipp.stdout.on('data', (d) => (output += String(d)));
    sipp.stderr.on('data', (d) => (output += String(d)));
    const guard = setTimeout(() => sipp.kill('SIGKILL'), 45_000);
    const code = await new Promise<number | null>((done) => sipp.once('exit', (c) => done(c)));
    clearTimeout(guard);

    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    };
    const context = `sipp exit ${code}\n${output.slice(-2000)}\n${read(errors).slice(-2000)}`;
    expect(code, context).toBe(0);
    const stats = lastStats(read(stat));
    expect(stats['SuccessfulCall(C)'], context).toBe('1');
    expect(stats['FailedCall(C)'], context).toBe('0');
    expect(stats['FailedUnexpectedMessage(C)'], context).toBe('0');
    expect(read(screen)).toMatch(/Successful call\s+\|\s+\d+\s+\|\s+1/);

    // Our side: the recording, its two streams, the gap, the statistics.
    server.flush();
    const token = server.provisioning.issueToken({ orgId: 'acme', userId: 'alice' });
    const [rec] = server.portal.list(token);
    const meta = server.portal.get(token, rec?.recordingId ?? '');
    expect(meta.state).toBe('closed');
    expect(meta.direction).toBe('outbound'); // origCall
    expect(meta.pauses).toHaveLength(1);
    const gap = meta.pauses[0] as { startMs: number; endMs: number };
    expect(gap.endMs - gap.startMs).toBeGreaterThan(500);
    for (const [label, ssrc] of [
      [1, USER_SSRC],
      [2, REMOTE_SSRC],
    ] as const) {
      const stream = meta.streams.find((s) => s.label === label);
      const receive = stream?.receive?.[0];
      expect(receive?.ssrc).toBe(ssrc);
      // SIPp sent all 100 of each SSRC; the recorder received them all (loopback), and stored those not
      // sent while paused (the pcap's gap is where the pause is, so normally all of them).
      expect(receive?.packets).toBe(2 * HALF);
      expect(receive?.lost).toBe(0);
      expect((stream?.packets ?? 0) + (stream?.rejected ?? 0)).toBe(2 * HALF);
      expect(stream?.packets).toBeGreaterThanOrEqual(HALF);
    }
    expect(siprec.stats().rtpUnrouted).toBe(0);
  }, 60_000);
});
