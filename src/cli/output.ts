/** Where the CLI writes: stdout for results, stderr for warnings and progress. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  /** Resolves once the reader has taken what out() queued (absent where nothing queues). */
  drained?(): Promise<void>;
}

/**
 * An Output on two streams; `drained` waits for the results stream's 'drain' when it asked for one.
 * A reader that goes away (EPIPE: `vprov … | head`, a monitoring agent that died) is no failure of
 * the run: the stream's 'error' is handled here (unhandled, it would crash the process after hosts
 * were contacted), later writes to that stream are dropped, and stderr says once that the report on
 * stdout was cut. Every other report (--output, --history, --audit-log) and the exit code are as usual.
 */
export function streamOutput(
  out: NodeJS.WritableStream & Partial<{ writableNeedDrain: boolean; destroyed: boolean }>,
  err: NodeJS.WritableStream & Partial<{ destroyed: boolean }>,
  isTTY: boolean,
): Output {
  let outGone = false;
  let errGone = false;
  const toErr = (t: string) => void (errGone || err.destroyed || err.write(t));
  err.on('error', () => {
    errGone = true;
  });
  out.on('error', (e: NodeJS.ErrnoException) => {
    if (outGone) return;
    outGone = true;
    toErr(
      `warning: stdout: the reader went away (${e.code ?? e.message}); the rest of the report on stdout is lost, other reports and the exit code are as usual\n`,
    );
  });
  return {
    out: (t) => void (outGone || out.destroyed || out.write(t)),
    err: toErr,
    isTTY,
    drained: () =>
      new Promise<void>((resolve) => {
        if (outGone || !out.writableNeedDrain || out.destroyed) return resolve();
        // A reader that goes away ends the wait as well as one that catches up.
        const done = () => {
          out.off('drain', done);
          out.off('close', done);
          out.off('error', done);
          resolve();
        };
        out.on('drain', done);
        out.on('close', done);
        out.on('error', done);
      }),
  };
}

export const processOutput: Output = streamOutput(process.stdout, process.stderr, Boolean(process.stdout.isTTY) && !process.env.CI);

/**
 * Writes a report chunk by chunk, waiting for a slow reader between chunks: a report read back
 * from the fold stays on disk until the reader takes it, instead of queueing whole in memory
 * (a 10,000-host report to a pipe nobody drained grew to 1.3 GB and ended in ENOBUFS).
 */
export async function writeChunks(io: Output, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    io.out(chunk);
    if (io.drained) await io.drained();
  }
}
