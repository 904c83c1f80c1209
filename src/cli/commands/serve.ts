/**
 * `callrec serve`: a Webex-compatible HTTP API for call-recording settings and call control, in front of
 * the same domain rules and call machines the scenario runner uses, until SIGINT/SIGTERM.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { SinkTarget } from '../../platform/sink-target.ts';
import { startEmbeddedSink } from '../../scenario/embedded-sink.ts';
import { loadScenarioFile } from '../../scenario/load-scenario.ts';
import { createRealClock, createVirtualClock, wallClockEpochMs } from '../../time/index.ts';
import { startWebexServer } from '../../webex/webex-server.ts';
import { BUILT_IN_SCENARIO, fixtureFromScenario } from '../../webex/world-fixture.ts';

interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly printTokens?: boolean;
  readonly virtualTime?: boolean;
  readonly tokenSecret?: string;
  readonly webhooksAnyHost?: boolean;
  readonly sink: boolean;
  readonly db: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is 0–65535.');
  return port;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the Webex call-recording API (person settings, org/location/vendor, call control, webhooks)',
    )
    .argument(
      '[world]',
      'a scenario file whose orgs, admins and users make the served world (its steps are not run)',
    )
    .option('--port <port>', 'TCP port (0 picks a free one and prints it)', parsePort, 8790)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--print-tokens', 'print the bearer token of every admin and user, and the simulator token')
    .option('--virtual-time', 'time moves only by POST /v1/simulator/clock/advance (default: real time)')
    .option(
      '--token-secret <secret>',
      'derive the tokens from this secret, so restarts hand out the same ones',
    )
    .option('--webhooks-any-host', 'deliver webhooks to any host (default: loopback addresses only)')
    .option(
      '--db <file>',
      "SQLite file of the fake Dubber behind the API (':memory:' keeps nothing)",
      ':memory:',
    )
    .option('--no-sink', 'no fake Dubber: calls are recorded in the world only')
    .addHelpText(
      'after',
      '\nPaths, fields, status codes and errors follow the published Webex API descriptions (docs/webex-api.md,\n' +
        'src/webex/openapi/). Without [world], one organisation "acme" with admin@acme.example and the users\n' +
        "alice and bob is served. Control Hub's settings page for one person is at /control-hub/<personId>\n" +
        '(sign in as one of the admins the server issued a token to; it reads and writes through the API).\n' +
        'Examples:\n' +
        '  callrec serve --print-tokens\n' +
        '  callrec serve scenarios/account/first-enable-creates-account.yaml --port 0 --virtual-time --print-tokens',
    )
    .action(async (world: string | undefined, options: ServeOptions) => {
      const scenario = world === undefined ? BUILT_IN_SCENARIO : loadScenarioFile(world).scenario;
      const virtual = options.virtualTime ? createVirtualClock() : undefined;
      const sink: SinkTarget | undefined = options.sink
        ? await startEmbeddedSink(options.db, { realTime: true })
        : undefined;
      const server = await startWebexServer({
        ...(sink === undefined ? {} : { dubber: { sink, scenario, seed: 'callrec' } }),
        fixture: fixtureFromScenario(scenario),
        clock: virtual ?? createRealClock(),
        ...(virtual === undefined ? {} : { virtualClock: virtual }),
        epochMs: wallClockEpochMs(),
        port: options.port,
        host: options.host,
        ...(options.tokenSecret === undefined ? {} : { tokenSecret: options.tokenSecret }),
        ...(options.webhooksAnyHost ? { allowAnyWebhookTarget: true } : {}),
      }).catch(async (error: unknown) => {
        await sink?.close();
        throw error;
      });
      console.log(
        `callrec serve: Webex API on ${server.url}/v1 (${virtual ? 'virtual time' : 'real time'}), world "${scenario.name}"`,
      );
      console.log(
        sink === undefined
          ? '  no fake Dubber (--no-sink)'
          : `  ended calls' recordings go to the fake Dubber at ${sink.streamUrl} (database ${options.db})`,
      );
      console.log(`  Control Hub settings page: ${server.url}/control-hub/<personId>`);
      if (options.printTokens) {
        for (const token of server.tokens.list()) {
          console.log(`  ${token.label.padEnd(40)} ${token.token}  ${token.scopes.join(' ')}`);
        }
      } else {
        console.log('  (run with --print-tokens to see the bearer tokens)');
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          console.log(`callrec serve: ${signal}, closing`);
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      await sink?.close();
      console.log('callrec serve: stopped');
    });
}
