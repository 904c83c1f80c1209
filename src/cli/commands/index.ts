/** Every `callrec` sub-command, each in its own file with a `register(program)` function. */
import type { Command } from 'commander';
import { registerDelay } from './delay.ts';
import { registerDemo } from './demo.ts';
import { registerDiff } from './diff.ts';
import { registerLoad } from './load.ts';
import { registerMachine } from './machine.ts';
import { registerRecordings } from './recordings.ts';
import { registerRun } from './run.ts';
import { registerSchema } from './schema.ts';
import { registerServe } from './serve.ts';
import { registerSink } from './sink.ts';

export function registerCommands(program: Command): void {
  registerDemo(program);
  registerDiff(program);
  registerDelay(program);
  registerLoad(program);
  registerMachine(program);
  registerRecordings(program);
  registerRun(program);
  registerSchema(program);
  registerServe(program);
  registerSink(program);
  // A usage error points at the sub-command's own help, where its options are.
  for (const command of program.commands) {
    command.showHelpAfterError(`(run "callrec ${command.name()} --help" for usage)`);
  }
}
