/**
 * `callrec sink --sip-port 0` picks a free SIP port, prints it beside the ws URL, and answers SIP on it
 * (an OPTIONS gets 200 with what a recorder allows); SIGTERM stops it cleanly.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSipDatagram } from '../../src/protocol/sip/parse-sip.ts';
import { headerValue, textBody } from '../../src/protocol/sip/sip-message.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('callrec sink --sip-port', () => {
  it('prints the SIPREC URI it picked and answers SIP there', async () => {
    const child = spawn(
      process.execPath,
      // tsx in this process (not bin/callrec.js, whose wrapper does not forward SIGTERM).
      [
        '--import',
        'tsx',
        join(ROOT, 'src/cli/main.ts'),
        'sink',
        '--port',
        '0',
        '--db',
        ':memory:',
        '--sip-port',
        '0',
      ],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let stdout = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      const uri = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          stdout += String(d);
          const m = /SIPREC: (sip:srs@127\.0\.0\.1:(\d+))/.exec(stdout);
          if (m !== null) resolve(m[1] as string);
        });
        child.once('exit', () => reject(new Error(`sink exited: ${stdout}`)));
      });
      expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(stream ws:/);
      const port = Number(uri.split(':').at(-1));
      expect(port).toBeGreaterThan(0);
      const socket = createSocket('udp4');
      const answer = await new Promise<Uint8Array>((resolve) => {
        socket.on('message', (m) => resolve(m));
        socket.bind(0, '127.0.0.1', () => {
          const local = socket.address().port;
          const options = [
            `OPTIONS ${uri} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-cli-1`,
            'Max-Forwards: 70',
            `From: <sip:probe@127.0.0.1>;tag=cli-1`,
            `To: <${uri}>`,
            'Call-ID: cli-options-1@127.0.0.1',
            'CSeq: 1 OPTIONS',
            'Content-Length: 0',
            '',
            '',
          ].join('\r\n');
          socket.send(textBody(options), port, '127.0.0.1');
        });
      });
      socket.close();
      const parsed = parseSipDatagram(answer);
      expect(parsed.ok && parsed.message.kind === 'response' && parsed.message.status).toBe(200);
      expect(parsed.ok && headerValue(parsed.message, 'Supported')).toBe('siprec');
    } finally {
      child.kill('SIGTERM');
      const code = await exited;
      clearTimeout(guard);
      expect(code).toBe(0);
    }
  }, 40_000);
});
