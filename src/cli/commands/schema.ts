/** `callrec schema`: the scenario format as JSON Schema, for editor completion. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { renderScenarioJsonSchema } from '../../scenario/json-schema.ts';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (docs/scenario.schema.json)')
    .option('--write <file>', 'write it to <file> instead of printing')
    .action((options: { write?: string }) => {
      const text = renderScenarioJsonSchema();
      if (options.write === undefined) {
        process.stdout.write(text);
        return;
      }
      writeFileSync(options.write, text);
      console.log(`wrote ${options.write}`);
    });
}
