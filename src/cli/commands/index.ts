/** Every `callrec` sub-command, each in its own file with a `register(program)` function. */
import type { Command } from 'commander';
import { registerDemo } from './demo.ts';
import { registerMachine } from './machine.ts';

export function registerCommands(program: Command): void {
  registerDemo(program);
  registerMachine(program);
}
