/** Bounded concurrency over hosts; a slow or unreachable host never holds up the others. */
import type { Interrupt } from './interrupt.js';

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

/**
 * forEachBounded over a run's hosts that takes the operator's interrupt: after the first signal
 * no host starts, each one left gets `notStarted`; `interrupted` says which signal and how many
 * were left (the run's reports carry it, the exit code gets bit 4). Every command that works on
 * hosts runs them through this.
 */
export async function forEachHost<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  interrupt: Interrupt | undefined,
  notStarted: (item: T, index: number) => R,
): Promise<{ results: R[]; interrupted?: { signal: string; notStarted: number } }> {
  let left = 0;
  const stop = interrupt && { signal: interrupt.stopStarting, notStarted: (item: T, i: number) => (left++, notStarted(item, i)) };
  const results = await forEachBounded(items, limit, fn, stop);
  return { results, ...(interrupt?.signal ? { interrupted: { signal: interrupt.signal, notStarted: left } } : {}) };
}

/** Plain line output on stderr: for pipes, CI and logs (no TTY). */
export function lineProgress(write: (text: string) => void): Progress {
  return {
    start: (host) => write(`… ${host}\n`),
    done: (host, summary) => write(`${summary.padEnd(11)} ${host}\n`),
  };
}

export const silentProgress: Progress = { start: () => undefined, done: () => undefined };
