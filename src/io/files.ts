// Small local files named on the command line (a jsonpath-file template): one line for each failure.

import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.ts';

export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UsageError(`${what} ${path}: ${why}`);
  }
}
