/** Write a file atomically (temp in the same directory + rename): readers never see half a report. */
import { accessSync, closeSync, constants, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { basename, dirname, join } from 'node:path';

export function writeAtomic(path: string, text: string | Iterable<string>): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  // A dot-name: the textfile collector only reads *.prom, so the temp file is never scraped.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
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
}

/** Checked before a run: a report that could not be written later is bad input now. */
export function checkWritable(path: string): void {
  try {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new InputError(`--output ${path}: cannot write there (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
