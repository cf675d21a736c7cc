/**
 * A report written to a reader slower than vprov (a pipe to a busy process) waits for it between
 * chunks instead of queueing the whole report in memory; a reader that goes away ends the wait.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PassThrough, Writable } from 'node:stream';
import { streamOutput, writeChunks } from '../../src/cli/output.js';

/** A reader that takes one chunk per timer tick, like a pipe whose reader is busy elsewhere. */
function slowReader(highWaterMark: number) {
  let peak = 0;
  const received: string[] = [];
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _enc, callback) {
      received.push(chunk);
      setTimeout(callback, 0);
    },
  });
  const out = new Proxy(stream, {
    get(target, prop, receiver) {
      if (prop === 'write')
        return (chunk: string) => {
          const ok = target.write(chunk);
          peak = Math.max(peak, target.writableLength);
          return ok;
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { out, received, peak: () => peak };
}

describe('a slow reader', () => {
  it('never has more than one chunk queued beyond its buffer, and gets every byte in order (generated)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 512 }),
        async (chunks, hwm) => {
          const reader = slowReader(hwm);
          const io = streamOutput(reader.out, new PassThrough(), false);
          await writeChunks(io, chunks);
          await new Promise<void>((resolve) => reader.out.end(resolve));
          expect(reader.received.join('')).toBe(chunks.join(''));
          const longest = Math.max(...chunks.map((c) => c.length));
          expect(reader.peak()).toBeLessThanOrEqual(hwm + longest);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a reader that closes ends the wait: the writer does not hang', async () => {
    const out = new Writable({ highWaterMark: 1, write: () => undefined }); // never takes anything
    const io = streamOutput(out, new PassThrough(), false);
    const written = writeChunks(io, ['first chunk', 'second chunk']);
    setTimeout(() => out.destroy(), 10);
    await expect(written).resolves.toBeUndefined();
  });
});
