/** `callrec diff a.json b.json`: what changed between two runs' JSON reports. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SimError } from '../../errors.ts';
import { diffReports, isEmptyDiff, parseRunReport, renderRunDiff } from '../../scenario/report-diff.ts';
import { EXIT } from '../exit-codes.ts';

function read(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SimError('SIM_ERR_USAGE', `Cannot read ${file}: check the path.`, { cause });
  }
  return parseRunReport(text, file);
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('show what changed between two JSON run reports (callrec run --json)')
    .argument('<before>', 'the earlier report.json')
    .argument('<after>', 'the later report.json')
    .addHelpText(
      'after',
      '\nLists scenarios that flipped between pass and fail, scenarios added or gone, expectations whose\n' +
        'actual value moved (or that started or stopped failing), and measured call values that moved.\n\n' +
        'Exit codes: 0 no differences, 1 differences found, 2 a file is missing or not a run report.',
    )
    .action((before: string, after: string) => {
      const diff = diffReports(read(before), read(after));
      console.log(renderRunDiff(diff, { before, after }));
      process.exitCode = isEmptyDiff(diff) ? EXIT.ok : EXIT.failed;
    });
}
