/** Bounded concurrency over hosts; a slow or unreachable host never holds up the others. */

export interface Progress {
  start(host: string): void;
  done(host: string, summary: string): void;
}

/**
 * `fn` over every item, at most `limit` at once, results in the items' order. Once `stop` is
 * aborted no further item starts: each one left gets `notStarted(item)` as its result.
 */
export async function forEachBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  stop?: { signal: AbortSignal; notStarted: (item: T, index: number) => R },
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop?.signal.aborted) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  for (; next < items.length; next++) results[next] = stop!.notStarted(items[next]!, next);
  return results;
}

/** Plain line output on stderr: for pipes, CI and logs (no TTY). */
export function lineProgress(write: (text: string) => void): Progress {
  return {
    start: (host) => write(`… ${host}\n`),
    done: (host, summary) => write(`${summary.padEnd(11)} ${host}\n`),
  };
}

export const silentProgress: Progress = { start: () => undefined, done: () => undefined };
