/**
 * Text kept on disk instead of the heap: each finished host's part of a report, written once
 * and read back in the report's order at the end. The file is unlinked as soon as it is open
 * (nothing is left behind, whatever happens to the process) and private to the user. Where no
 * temporary file can be made or written, the text stays in memory: a report is never lost to it.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Spool {
  private fd: number | null = null;
  private size = 0;
  /** index → [offset, length] in the file, or the text itself when it could not be written */
  private readonly at = new Map<number, [number, number] | string>();

  constructor() {
    try {
      const dir = mkdtempSync(join(tmpdir(), 'vprov-spool-'));
      const file = join(dir, 'spool');
      try {
        this.fd = openSync(file, 'w+', 0o600);
      } finally {
        try {
          unlinkSync(file);
        } catch {
          // not created
        }
        rmdirSync(dir);
      }
    } catch {
      this.fd = null;
    }
  }

  put(index: number, text: string): void {
    if (this.fd !== null) {
      const bytes = Buffer.from(text, 'utf8');
      try {
        if (writeSync(this.fd, bytes, 0, bytes.length, this.size) === bytes.length) {
          this.at.set(index, [this.size, bytes.length]);
          this.size += bytes.length;
          return;
        }
      } catch {
        // a full disk: this one stays in memory
      }
    }
    this.at.set(index, text);
  }

  has(index: number): boolean {
    return this.at.has(index);
  }

  get(index: number): string {
    const where = this.at.get(index);
    if (where === undefined) throw new Error(`spool: nothing kept for #${index}`);
    if (typeof where === 'string') return where;
    const [offset, length] = where;
    const bytes = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd!, bytes, done, length - done, offset + done);
      if (n === 0) throw new Error(`spool: short read of #${index}`);
      done += n;
    }
    return bytes.toString('utf8');
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.at.clear();
  }
}
