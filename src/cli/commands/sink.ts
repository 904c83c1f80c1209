/** `callrec sink`: runs the fake Dubber (WebSocket ingest, provisioning, portal) until SIGINT/SIGTERM. */
import { randomBytes } from 'node:crypto';
import { type Command, InvalidArgumentError } from 'commander';
import { createSinkServer } from '../../dubber/index.ts';
import { messageOf } from '../../errors.ts';
import { PLATFORM_ORG, type SinkKey } from '../../protocol/index.ts';
import { createEpochClock, createVirtualClock, type SimClock } from '../../time/index.ts';

interface SinkOptions {
  readonly port: number;
  readonly host: string;
  readonly db: string;
  readonly key: readonly SinkKey[];
  readonly synchronous: 'NORMAL' | 'FULL';
  readonly at: string;
  readonly sipPort?: number;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is 0–65535.');
  return port;
}

/** `--key id:secret[:orgId]`; without an org it is a platform key that acts for every organisation. */
function parseKey(value: string, previous: readonly SinkKey[]): SinkKey[] {
  const [keyId, secret, orgId] = value.split(':');
  if (!keyId || !secret || secret.length < 16) {
    throw new InvalidArgumentError('use id:secret[:orgId] with a secret of at least 16 characters.');
  }
  return [...previous, { keyId, secret, orgId: orgId || PLATFORM_ORG }];
}

export function registerSink(program: Command): void {
  program
    .command('sink')
    .description(
      'run the fake Dubber: signed WebSocket ingest at /v1/stream, provisioning at /v1/provision, portal at /v1/portal',
    )
    .option('--port <port>', 'TCP port (0 picks a free one)', parsePort, 8787)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--db <file>', "SQLite database file (':memory:' keeps nothing)", 'callrec-sink.db')
    .option(
      '--key <id:secret[:org]>',
      'an API key (repeatable); a random platform key is made when none is given',
      parseKey,
      [],
    )
    .option(
      '--synchronous <mode>',
      'SQLite synchronous: NORMAL survives kill -9, FULL also power loss',
      'NORMAL',
    )
    .option(
      '--sip-port <port>',
      'also accept SIPREC recording sessions (SIP over UDP and TCP, RTP per stream) on this port; 0 picks one',
      parsePort,
    )
    .option(
      '--at <time>',
      "the sink's clock: 'now' (real time), or 'last-recording' to browse a persisted `callrec run --db` database at the virtual time its newest recording was made (time then stands still)",
      'now',
    )
    .action(async (options: SinkOptions) => {
      if (options.at !== 'now' && options.at !== 'last-recording') {
        throw new InvalidArgumentError("--at is 'now' or 'last-recording'.");
      }
      if (options.synchronous !== 'NORMAL' && options.synchronous !== 'FULL') {
        throw new InvalidArgumentError('--synchronous is NORMAL or FULL.');
      }
      const keys =
        options.key.length > 0
          ? options.key
          : [{ keyId: 'dev', secret: randomBytes(24).toString('base64url'), orgId: PLATFORM_ORG }];
      // Epoch-based time so what the database stores stays meaningful across restarts; a persisted run's
      // database keeps the run's virtual time instead, so it is browsed at its own moment.
      const virtual = options.at === 'last-recording' ? createVirtualClock() : undefined;
      const clock: SimClock = virtual ?? createEpochClock();
      const server = await createSinkServer({
        port: options.port,
        host: options.host,
        dbPath: options.db,
        synchronous: options.synchronous,
        clock,
        keys,
        ...(options.sipPort === undefined ? {} : { siprec: { port: options.sipPort } }),
        onEvent: (event) => {
          if (event.type === 'storage-error') console.error(`sink: storage error: ${event.message}`);
          if (event.type === 'request-error') console.error(`sink: request failed: ${event.message}`);
        },
      });
      if (virtual !== undefined) {
        virtual.advanceTo(Math.max(0, ...server.store.listRecordings({}).map((r) => r.createdAtMs)));
      }
      console.log(
        `callrec sink listening on ${server.url} (stream ${server.streamUrl}), database ${options.db}`,
      );
      console.log(`  portal: ${server.url}/portal (sign in as any identity the sink knows)`);
      if (server.siprec !== undefined) {
        console.log(
          `  SIPREC: ${server.siprec.uri} (SIP over UDP and TCP; RTP on ${server.siprec.host}, one port per stream)`,
        );
      }
      if (options.key.length === 0)
        console.log(`  platform key: id=${keys[0]?.keyId} secret=${keys[0]?.secret}`);
      // A rejection nobody awaited (a request handler failing in a way the sink did not foresee) is logged;
      // the sink keeps serving every other connection instead of exiting.
      const keepServing = (reason: unknown) =>
        console.error(`sink: unexpected failure, still serving: ${messageOf(reason)}`);
      process.on('unhandledRejection', keepServing);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          console.log(`callrec sink: ${signal}, closing`);
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.off('unhandledRejection', keepServing);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      console.log('callrec sink: stopped');
    });
}
