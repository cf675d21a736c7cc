/** Write a file atomically (temp in the same directory + rename): readers never see half a report. */
import { accessSync, closeSync, constants, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { basename, dirname, join } from 'node:path';

export function writeAtomic(path: string, text: string | Iterable<string>): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  // A dot-name: the textfile collector only reads *.prom, so the temp file is never scraped.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  try {
    if (typeof text === 'string') writeFileSync(tmp, text);
    else {
      // Chunk by chunk (a report read back from its fold): never the whole document in memory.
      const fd = openSync(tmp, 'w');
      try {
        for (const chunk of text) writeSync(fd, chunk);
      } finally {
        closeSync(fd);
      }
    }
    renameSync(tmp, path);
  } catch (err) {
    // A full disk or a path taken meanwhile: no half-written temp file is left beside it.
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw err;
  }
}

/**
 * Checked before a run: a report that could not be written later is bad input now. A directory at
 * the path would only fail at the end (the rename over it), after every host, losing the report.
 */
export function checkWritable(path: string, option = '--output'): void {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // nothing there yet: the usual case
  }
  if (isDir) throw new InputError(`${option} ${path}: a directory: name a file (it is written as a whole, replacing one that exists)`);
  try {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new InputError(`${option} ${path}: cannot write there (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
