/**
 * `callrec load merge part…`: the parts a sharded live load's generator processes wrote (`callrec load
 * --shard i/n --out part.json`) joined into one report (load-parts.ts): refused with exit 2 when parts are
 * of different runs, a shard is given twice or one is missing (unless --allow-partial, and then the report
 * names the missing ones and is not a pass); exit 0 only when the merged run passes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { SimError } from '../../errors.ts';
import { type LoadPart, mergeParts, parsePart } from '../../load/load-parts.ts';
import { formatMerged, mergedJson, mergedPass } from '../../load/merge-report.ts';
import { checkThresholds, parseThreshold } from '../../load/thresholds.ts';
import { prepareOutputFile } from '../output-paths.ts';

interface MergeOptions {
  readonly out?: string;
  readonly allowPartial?: boolean;
}

function readPart(file: string): LoadPart {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SimError(
      'SIM_ERR_INVALID_ARGUMENT',
      `Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): give the files that callrec load --shard i/n --out wrote.`,
      { details: { file } },
    );
  }
  return parsePart(file, text);
}

export function registerLoadMerge(load: Command): void {
  load
    .command('merge')
    .description(
      "join the parts of a sharded live load (callrec load --shard i/n --out) into the run's report",
    )
    .argument('<parts...>', 'the part files, one per shard, in any order')
    .addOption(new Option('--out <file>', 'also write the merged report as JSON'))
    .addOption(
      new Option(
        '--allow-partial',
        'merge even when shards are missing: the report names them and is not a pass (exit 1)',
      ),
    )
    .addHelpText(
      'after',
      [
        '',
        "Counts are summed; the generators' send-lateness histograms are added (exact percentiles); every",
        "generator is judged (send p99 above the run's --max-send-lag: it fell behind, not a pass). The run's",
        "thresholds are checked on the merged figures; receive-lateness percentiles are the worst shard's",
        '(an upper bound of the merged value), as each shard measured its own sink.',
        'Refused (exit 2): parts of different runs (seed, calls, connections, duration, warm-up, run id, shard',
        'count or thresholds differ), a shard given twice, a missing shard without --allow-partial.',
        'Exit code 0 when the run passes, 1 when it does not (or is partial), 2 for refused input.',
        '',
        'Example:',
        '  callrec load merge part1.json part2.json --out report.json',
      ].join('\n'),
    )
    .action((files: string[], own: MergeOptions) => {
      // `load` has an --out of its own, and commander hands it every --out of the line: it is this one.
      const opts = { ...own, out: own.out ?? (load.opts() as MergeOptions).out };
      if (opts.out !== undefined) prepareOutputFile('--out', opts.out);
      const parts = files.map(readPart);
      const merged = mergeParts(parts, files, { allowPartial: opts.allowPartial === true });
      const outcomes = checkThresholds(merged, merged.run.thresholds.map(parseThreshold));
      console.log(formatMerged(merged, outcomes));
      if (opts.out !== undefined) {
        writeFileSync(opts.out, `${JSON.stringify(mergedJson(merged, outcomes), null, 2)}\n`);
        console.error(`callrec load merge: report written to ${opts.out}`);
      }
      if (!mergedPass(merged, outcomes)) process.exitCode = 1;
    });
}
