/** `vprov drift`: the unattended, read-only check, in the formats people and monitoring read. */
import { spawn } from 'node:child_process';
import { type Output, writeChunks } from '../output.js';
import type { Interrupt } from '../../app/interrupt.js';
import { InputError } from '../../core/errors.js';
import { EXIT_PENDING } from '../../core/exit.js';
import {
  auditLogOption,
  catalogOption,
  forksOption,
  formatOption,
  inventoryOption,
  limitOption,
  outputOption,
  roleMapOption,
  timeoutOption,
  type AddCommand,
} from '../options.js';

export const DRIFT_FORMATS = ['text', 'json', 'junit', 'prometheus', 'html'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

export interface DriftArgs {
  inventory?: string;
  limit?: string;
  forks: number;
  format: DriftFormat;
  output?: string;
  history?: string;
  since?: string;
  shard?: string;
  onDrift?: string;
  roleMap?: string[];
  catalog?: string;
  timeout?: number;
  auditLog?: string;
}

export const driftCommand: AddCommand = (y, { io, done, interrupt }) =>
  y.command(
    'drift',
    'read-only drift check of every host; exit 2 on drift',
    (yy) =>
      yy
        // not demanded: --history DIR --since D compares earlier runs without an inventory
        .option('inventory', { ...inventoryOption, demandOption: false })
        .option('limit', limitOption)
        .option('forks', forksOption)
        .option('format', formatOption(DRIFT_FORMATS, 'text', 'report format'))
        .option('output', outputOption)
        .option('history', { type: 'string', describe: 'keep a timestamped JSON report in this directory' })
        .option('since', { type: 'string', describe: 'with --history: what changed between runs in this period (e.g. 7d)' })
        .option('shard', { type: 'string', describe: 'i/n: only this deterministic share of the hosts' })
        .option('on-drift', { type: 'string', describe: 'run this shell command with the JSON report on stdin when drift is found' })
        .option('role-map', roleMapOption)
        .option('timeout', timeoutOption)
        .option('audit-log', auditLogOption)
        .option('catalog', catalogOption),
    (a) => done(runDrift(a, io, interrupt)),
  );

export async function runDrift(args: DriftArgs, io: Output, interrupt?: () => Interrupt): Promise<number> {
  if (args.since) {
    if (!args.history) throw new InputError('--since needs --history DIR (where earlier runs were kept)');
    const { loadHistory, parseSince, renderHistory } = await import('../../app/history.js');
    io.out(renderHistory(loadHistory(args.history, parseSince(args.since))));
    return 0;
  }
  if (!args.inventory) throw new InputError('drift needs -i INVENTORY (or --history DIR --since DURATION to compare earlier runs)');
  // Caught from the start: a signal while the inventory loads still ends with the report (every host not started).
  const stop = interrupt?.();
  // Where the report goes is checked before any host is contacted (exit 1 = nothing touched).
  if (args.output) (await import('../../app/output-file.js')).checkWritable(args.output);
  // JSON and text reports are folded as hosts finish (memory does not grow with the fleet);
  // JUnit, Prometheus and HTML are rendered from the whole run.
  const { ReportFold } = await import('../../app/report-fold.js');
  const fold =
    args.format === 'json' || args.format === 'text'
      ? new ReportFold('drift', {
          json: args.format === 'json' || Boolean(args.history) || Boolean(args.onDrift),
          ...(args.format === 'text' ? { text: { diff: true } } : {}),
          audit: Boolean(args.auditLog),
        })
      : undefined;
  try {
    return await driftWith({ ...args, inventory: args.inventory }, io, stop, fold);
  } finally {
    fold?.close();
  }
}

async function driftWith(
  args: DriftArgs & { inventory: string },
  io: Output,
  stop: Interrupt | undefined,
  fold: import('../../app/report-fold.js').ReportFold | undefined,
): Promise<number> {
  const [{ convergeAll }, { exitCodeOf }, { renderJson }, { parseShard }, { becomePassword }] = await Promise.all([
    import('../../app/converge-all.js'),
    import('../../app/exit-code.js'),
    import('../../report/json.js'),
    import('../../app/shard.js'),
    import('../become-password.js'),
  ]);
  const quiet = args.format !== 'text' && !args.output;
  const report = await convergeAll({
    fold,
    interrupt: stop,
    inventory: args.inventory,
    catalogDir: args.catalog,
    check: true,
    command: 'drift',
    limit: args.limit,
    shard: args.shard ? parseShard(args.shard) : undefined,
    roleMap: args.roleMap,
    forks: args.forks,
    becomePassword: await becomePassword(false),
    hostTimeoutMs: args.timeout ? args.timeout * 1000 : undefined,
    auditLog: args.auditLog,
    onWarning: quiet ? undefined : (m) => io.err(`warning: ${m}\n`),
  });
  const code = exitCodeOf(report);
  // Read back from the fold each time it is written: never the whole document in memory.
  const json: Iterable<string> = fold ? { [Symbol.iterator]: () => fold.jsonChunks(report, code) } : [renderJson(report, code)];
  const body: Iterable<string> =
    args.format === 'json' ? json : fold ? { [Symbol.iterator]: () => fold.textChunks(report) } : [await renderAs(args.format, report, code)];
  if (args.output) {
    const { writeAtomic } = await import('../../app/output-file.js');
    writeAtomic(args.output, body);
    const drifted = report.hosts.filter((h) => h.status === 'pending').length;
    const stopped = report.interrupted ? ` (interrupted by ${report.interrupted.signal}: ${report.interrupted.notStarted} not started)` : '';
    io.out(`drift: ${report.hosts.length} hosts, ${drifted} drifted, exit ${code}${stopped}; ${args.format} report written to ${args.output}\n`);
  } else {
    await writeChunks(io, body);
  }
  if (args.history) {
    const { saveHistory } = await import('../../app/history.js');
    saveHistory(args.history, json, report.startedAt);
  }
  if (args.onDrift && code & EXIT_PENDING) await runHook(args.onDrift, json, io);
  return code;
}

async function renderAs(format: DriftFormat, report: import('../../core/report.js').RunReport, code: number): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('../../report/json.js')).renderJson(report, code);
    case 'junit':
      return (await import('../../report/junit.js')).renderJunit(report);
    case 'prometheus':
      return (await import('../../report/prometheus.js')).renderPrometheus(report);
    case 'html':
      return (await import('../../report/html.js')).renderHtml(report, code);
    default:
      return (await import('../../report/text.js')).renderText(report);
  }
}

/** --on-drift CMD: the JSON report on its stdin. Its failure is reported, never hides the drift. */
function runHook(command: string, json: Iterable<string>, io: Output): Promise<void> {
  return new Promise((resolve) => {
    // The hook gets the report on stdin, never vprov's secrets in its environment.
    const { VPROV_BECOME_PASSWORD: _secret, ...env } = process.env;
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'], env });
    child.on('error', (err) => {
      io.err(`warning: --on-drift: ${err.message}\n`);
      resolve();
    });
    child.on('close', (rc) => {
      if (rc !== 0) io.err(`warning: --on-drift command exited ${rc}\n`);
      resolve();
    });
    child.stdin.on('error', () => undefined);
    for (const chunk of json) child.stdin.write(chunk);
    child.stdin.end();
  });
}
