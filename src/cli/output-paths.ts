/**
 * Report and result files are checked before a run starts, so a long run never ends with "cannot write":
 * a folder where a file is wanted, a file where a folder is wanted, or a place that cannot be written is
 * refused up front with one line (exit 2). Missing folders are created here, which proves they can be.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { SimError } from '../errors.ts';

function refuse(flag: string, path: string, why: string): never {
  throw new SimError('SIM_ERR_INVALID_ARGUMENT', `${flag} ${path}: ${why}.`, { details: { flag, path } });
}

function kindOf(path: string): 'file' | 'dir' | 'other' | 'missing' {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    // ENOTDIR: a file is in the way somewhere above; reported by the ancestor walk below.
    return 'missing';
  }
}

/** The folder `path` must be: created when missing, refused when a file is in the way or it is not writable. */
export function prepareOutputDir(flag: string, path: string, asked: string = path): void {
  let existing = resolve(path);
  while (kindOf(existing) === 'missing' && dirname(existing) !== existing) existing = dirname(existing);
  const kind = kindOf(existing);
  if (kind !== 'dir') {
    const where = existing === resolve(asked) ? 'it' : existing;
    refuse(
      flag,
      asked,
      `${where} is ${kind === 'file' ? 'a file' : 'not a folder'}, so no folder can be made there`,
    );
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    refuse(flag, asked, `${existing} is not writable`);
  }
  // One level at a time: a recursive mkdir loops for ever under some virtual file systems (/proc).
  let made = existing;
  for (const part of relative(existing, resolve(path))
    .split(sep)
    .filter((p) => p !== '')) {
    made = join(made, part);
    try {
      mkdirSync(made);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      refuse(flag, asked, `cannot create the folder ${made} (${code})`);
    }
  }
}

/** A file that will be written after the run: its folder is prepared, and it must not be a folder itself. */
export function prepareOutputFile(flag: string, path: string): void {
  const kind = kindOf(path);
  if (kind === 'dir') refuse(flag, path, 'is a folder; give a file name');
  prepareOutputDir(flag, dirname(path), path);
  if (kind === 'file') {
    try {
      accessSync(path, constants.W_OK);
    } catch {
      refuse(flag, path, 'the file is not writable');
    }
  }
}
