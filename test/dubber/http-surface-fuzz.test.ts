/**
 * The raw HTTP surface over a plain TCP socket: request lines, request-targets and headers that no HTTP
 * client would send. Every request gets an HTTP answer, none takes the sink down, and the health endpoint
 * still answers afterwards. Timeouts are hang guards only.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createSinkServer, type SinkServer, type SinkServerEvent } from '../../src/dubber/server.ts';
import { createVirtualClock } from '../../src/time/virtual-clock.ts';
import { ALL_KEYS } from '../harness/helpers.ts';

const SEED = 20_261_204;
const RUNS = 150;

const servers: SinkServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start() {
  const clock = createVirtualClock();
  const events: SinkServerEvent[] = [];
  const server = await createSinkServer({ clock, keys: ALL_KEYS, onEvent: (e) => events.push(e) });
  servers.push(server);
  return { server, events };
}

/** Sends raw bytes and returns the first line of the answer ('' when the sink closed without one). */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 5 s to ${JSON.stringify(bytes.slice(0, 200))}`));
    }, 5_000);
    const done = () => {
      clearTimeout(guard);
      socket.destroy();
      resolve(answer.split('\r\n')[0] ?? '');
    };
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', done);
    socket.write(bytes, 'latin1');
  });
}

const health = (port: number) =>
  rawRequest(port, 'GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');

const TARGETS = [
  '//',
  '///',
  '/\\]',
  'http://',
  'http://sink',
  '//x/v1/stream',
  '/v1/stream',
  '*',
  '/v1/health',
];
const target = fc.oneof(
  fc.constantFrom(...TARGETS),
  fc.string({
    unit: fc.constantFrom('/', '\\', ']', '[', ':', '@', '%', '?', '#', 'a', '.', ' ', '\t', '\u00ff'),
    maxLength: 12,
  }),
  fc.string({ unit: 'binary-ascii', maxLength: 24 }).map((s) => `/${s}`),
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'OPTIONS', 'DELETE', 'BREW', 'get', '');
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', 'http/1.1', '');
const header = fc.oneof(
  fc.constantFrom(
    'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Content-Length: 0',
    'Authorization: Bearer AAAAAAAAAAAAAAAAAAAA',
    'X-API-KEY: acme-key',
    'Host:',
  ),
  fc
    .tuple(
      fc.string({
        unit: fc.constantFrom('a', 'x', '-', ':', ' ', '\u0000', '\u007f'),
        minLength: 1,
        maxLength: 8,
      }),
      fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((v) => v.replace(/[\r\n]/g, ' ')),
    )
    .map(([name, value]) => `${name}: ${value}`),
);
const request = fc
  .record({ method, target, version, headers: fc.array(header, { maxLength: 4 }) })
  .map(
    ({ method, target, version, headers }) =>
      `${method} ${target} ${version}\r\n${['Host: sink', ...headers, 'Connection: close'].join('\r\n')}\r\n\r\n`,
  );

describe('raw HTTP surface', () => {
  it.each(['//', '///', '/\\]', 'http://'])(
    'answers 400 to the request-target %s, as a request and as an upgrade, and stays up',
    async (bad) => {
      const { server } = await start();
      expect(
        await rawRequest(server.port, `GET ${bad} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
      ).toBe('HTTP/1.1 400 Bad Request');
      expect(
        await rawRequest(
          server.port,
          `GET ${bad} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
        ),
      ).toBe('HTTP/1.1 400 Bad Request');
      expect(await health(server.port)).toBe('HTTP/1.1 200 OK');
    },
  );

  it('answers every fuzzed request with an HTTP status line and is healthy afterwards', async () => {
    const { server, events } = await start();
    await fc.assert(
      fc.asyncProperty(request, async (bytes) => {
        const line = await rawRequest(server.port, bytes);
        expect(line, `request ${JSON.stringify(bytes)}`).toMatch(/^HTTP\/1\.1 [1-5]\d\d /);
        expect(line).not.toMatch(/^HTTP\/1\.1 5/);
      }),
      { seed: SEED, numRuns: RUNS, verbose: true },
    );
    expect(await health(server.port)).toBe('HTTP/1.1 200 OK');
    expect(events.filter((e) => e.type === 'request-error')).toEqual([]);
  });
});

describe('request body limit', () => {
  it('answers 413 to a provisioning body over maxHttpBodyBytes before closing, and stays up', async () => {
    const clock = createVirtualClock();
    const server = await createSinkServer({ clock, keys: ALL_KEYS, limits: { maxHttpBodyBytes: 1_000 } });
    servers.push(server);
    const body = 'x'.repeat(20_000);
    const line = await rawRequest(
      server.port,
      `POST /v1/provision HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(line).toBe('HTTP/1.1 413 Payload Too Large');
    expect(await health(server.port)).toBe('HTTP/1.1 200 OK');
  });
});
