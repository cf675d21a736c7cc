/** listr2 progress for a terminal: one line per host, updated as hosts start and finish. */
import { Listr } from 'listr2';
import type { Progress } from './runner.js';

export interface TtyProgress extends Progress {
  /** resolves once the renderer has drawn the last state */
  finished: Promise<void>;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export function ttyProgress(hosts: readonly string[]): TtyProgress {
  const starts = new Map(hosts.map((h) => [h, deferred<void>()]));
  const dones = new Map(hosts.map((h) => [h, deferred<string>()]));
  const list = new Listr(
    hosts.map((host) => ({
      title: `${host}: queued`,
      task: async (_ctx: unknown, task: { title: string }) => {
        await starts.get(host)!.promise;
        task.title = `${host}: running`;
        const summary = await dones.get(host)!.promise;
        task.title = `${host}: ${summary}`;
        if (summary === 'failed' || summary === 'unreachable') throw new Error(`${host}: ${summary}`);
      },
    })),
    { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: true } },
  );
  const finished = list.run().then(
    () => undefined,
    () => undefined,
  );
  return {
    finished,
    start: (host) => starts.get(host)?.resolve(),
    done: (host, summary) => dones.get(host)?.resolve(summary),
  };
}
