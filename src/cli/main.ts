#!/usr/bin/env node
/** `callrec`: the command-line entry point. The only module family that touches argv, console and exit. */
import { Command, CommanderError } from 'commander';
import { isSimError } from '../errors.ts';
import { endQuietlyOnClosedPipe } from './closed-pipe.ts';
import { registerCommands } from './commands/index.ts';
import { EXIT } from './exit-codes.ts';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('callrec')
    .description(
      'Simulate call recording for Webex Calling users through Dubber: replay scenarios (QA), explore the ' +
        'call state machine (engineers), and model the start-of-call audio delay (performance analysts).',
    )
    .version('0.1.0')
    .showHelpAfterError('(run "callrec --help" for usage)')
    .exitOverride();
  registerCommands(program);
  let subcommand: string | null = null;
  program.hook('preAction', (_program, action) => {
    subcommand = action.name();
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isSimError(error)) {
      const help =
        error.code === 'SIM_ERR_USAGE' && subcommand !== null
          ? `\n(run "callrec ${subcommand} --help" for usage)`
          : '';
      console.error(`error ${error.code}: ${error.message}${help}`);
      if (error.code === 'SIM_ERR_INTERNAL') return EXIT.internal;
      const runFailures = [
        'SIM_ERR_STORAGE',
        'SIM_ERR_SINK_UNAVAILABLE',
        'SIM_ERR_SINK_PROTOCOL',
        'SIM_ERR_SINK_AUTH',
      ];
      return runFailures.includes(error.code) ? EXIT.failed : EXIT.usage;
    }
    console.error('internal error:', error);
    return EXIT.internal;
  }
}

endQuietlyOnClosedPipe();
const code = await main(process.argv.slice(2));
process.exitCode = code;
