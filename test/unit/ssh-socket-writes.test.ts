/**
 * The SSH socket sends the writes of one tick together: one writev in order, nothing lost or
 * reordered across ticks, and nothing held back past its tick (the peer gets every byte without
 * any further write).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createServer, Socket, type Server } from 'node:net';
import { writesPerTick } from '../../src/transport/ssh.js';

let server: Server | undefined;
afterEach(() => server?.close());

/** A connected socket pair on loopback; the peer collects all it receives. */
async function pair(): Promise<{ sock: Socket; received: () => Buffer; bytes: (n: number) => Promise<Buffer> }> {
  const chunks: Buffer[] = [];
  const waiting: (() => void)[] = [];
  server = createServer((peer) =>
    peer.on('data', (d) => {
      chunks.push(d);
      for (const w of waiting.splice(0)) w();
    }),
  );
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const sock = new Socket();
  await new Promise<void>((r) => sock.connect((server!.address() as { port: number }).port, '127.0.0.1', r));
  const received = () => Buffer.concat(chunks);
  const bytes = async (n: number) => {
    while (received().length < n) await new Promise<void>((r) => waiting.push(r));
    return received();
  };
  return { sock, received, bytes };
}

describe('SSH packet writes', () => {
  it("one tick's writes leave in one writev, in order; later ticks' follow; every byte arrives", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.uint8Array({ minLength: 1, maxLength: 3000 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        async (ticks) => {
          const { sock, bytes } = await pair();
          writesPerTick(sock);
          const calls: number[] = [];
          const writev = sock._writev!.bind(sock);
          const write1 = sock._write.bind(sock);
          sock._writev = (chunks, cb) => {
            calls.push(chunks.length);
            writev(chunks, cb);
          };
          sock._write = (chunk, enc, cb) => {
            calls.push(1);
            write1(chunk, enc, cb);
          };
          for (const tick of ticks) {
            for (const w of tick) sock.write(Buffer.from(w));
            await new Promise((r) => setImmediate(r));
          }
          const all = Buffer.concat(ticks.flat().map((w) => Buffer.from(w)));
          expect((await bytes(all.length)).equals(all)).toBe(true);
          // each tick's writes went down as one call (the socket may already be writing: then queued ones join the next)
          expect(calls.length).toBeLessThanOrEqual(ticks.length * 2);
          expect(calls.reduce((a, b) => a + b, 0)).toBe(ticks.flat().length);
          sock.destroy();
          server!.close();
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a tick with many writes is one system call instead of one per write', async () => {
    const { sock, bytes } = await pair();
    writesPerTick(sock);
    const calls: number[] = [];
    const writev = sock._writev!.bind(sock);
    sock._writev = (chunks, cb) => {
      calls.push(chunks.length);
      writev(chunks, cb);
    };
    for (let i = 0; i < 20; i++) sock.write(Buffer.alloc(100, i));
    await bytes(2000);
    expect(calls).toEqual([20]);
    sock.destroy();
  });
});
