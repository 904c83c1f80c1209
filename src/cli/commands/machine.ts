/** `callrec machine`: the call state machine as a diagram or a transition table. */
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { callMachine } from '../../../machines/call-machine.ts';
import { renderCallMachineDoc } from '../../call/machine-doc.ts';
import { listTransitions, toMermaid } from '../../call/machine-graph.ts';

export function registerMachine(program: Command): void {
  program
    .command('machine')
    .description(
      'print the call state machine: a Mermaid diagram (default), the transition table, or the doc page',
    )
    .addOption(new Option('--mermaid', 'print a Mermaid stateDiagram (default)').conflicts(['table']))
    .addOption(
      new Option('--table', 'print every transition: source, event [guard] -> target').conflicts(['mermaid']),
    )
    .addOption(
      new Option(
        '--write-docs [file]',
        'write the generated machine page to [file] (default docs/call-machine.md)',
      ).conflicts(['mermaid', 'table']),
    )
    .action((options: { mermaid?: boolean; table?: boolean; writeDocs?: string | boolean }) => {
      if (options.writeDocs !== undefined && options.writeDocs !== false) {
        const file = typeof options.writeDocs === 'string' ? options.writeDocs : 'docs/call-machine.md';
        writeFileSync(file, renderCallMachineDoc());
        console.log(`wrote ${file}`);
        return;
      }
      if (options.table) {
        for (const t of listTransitions(callMachine)) {
          const guard = t.guard ? ` [${t.guard}]` : '';
          const target = t.targetIds.length > 0 ? t.targetIds.join(', ') : '(stays)';
          console.log(`${t.sourceId}  ${t.event}${guard}  ->  ${target}`);
        }
        return;
      }
      console.log(toMermaid(callMachine));
    });
}
