/** `vprov plan` and `vprov apply`: thin — parse, call the use case, print, return the exit code. */
import type { Argv } from 'yargs';
import type { Output } from '../output.js';
import { forksOption, seconds, timeoutOption } from '../values.js';

export interface ConvergeArgs {
  inventory: string;
  limit?: string;
  roleMap?: string[];
  forks: number;
  format: 'text' | 'json';
  check: boolean;
  diff: boolean;
  command?: 'plan' | 'apply' | 'verify';
  reboot?: boolean;
  rebootTimeout?: number;
  connection?: 'ssh' | 'local';
  askBecomePass?: boolean;
  timeout?: number;
  lockWait?: number;
  auditLog?: string;
  connectivity?: boolean;
  catalog?: string;
}

export function convergeOptions<T>(y: Argv<T>) {
  return y
    .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory file (YAML)' })
    .option('limit', { alias: 'l', type: 'string', describe: 'only these hosts: names, groups, globs, !exclusions, &intersections, comma-separated' })
    .option('role-map', { type: 'string', array: true, describe: 'Ansible inventories: group=role (repeatable)' })
    .option('forks', { ...forksOption, describe: 'hosts worked on at once (1-1000)' })
    .option('connection', { alias: 'c', choices: ['ssh', 'local'] as const, default: 'ssh' as const, describe: 'local: run on this machine without SSH' })
    .option('ask-become-pass', { alias: 'K', type: 'boolean', default: false, describe: 'prompt for the sudo password (or set VPROV_BECOME_PASSWORD)' })
    .option('timeout', { ...timeoutOption, describe: 'seconds one host may take, all steps together; then its connection is closed and no further step starts' })
    .option('lock-wait', { type: 'number', default: 120, coerce: seconds('lock-wait', 86_400), describe: "apply: seconds to wait for another run's lock on a host" })
    .option('audit-log', { type: 'string', describe: 'append one JSON line per host and run to this file' })
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text for people, json: one JSON document on stdout' })
    .option('catalog', { type: 'string', describe: 'catalog directory (default: the shipped catalog)', hidden: true });
}

export async function runConverge(args: ConvergeArgs, io: Output): Promise<number> {
  const [{ convergeAll }, { exitCodeOf }, { renderText }, { jsonChunks }, { lineProgress }] = await Promise.all([
    import('../../app/converge-all.js'),
    import('../../app/exit-code.js'),
    import('../../report/text.js'),
    import('../../report/json.js'),
    import('../../app/runner.js'),
  ]);
  const json = args.format === 'json';
  // listr2 is only loaded when a terminal will show it.
  const tty = !json && io.isTTY ? (await import('../../app/progress-tty.js')).ttyProgress : undefined;
  const becomePassword = await (await import('../become-password.js')).becomePassword(args.askBecomePass);
  let finished: Promise<void> = Promise.resolve();
  const report = await convergeAll({
    inventory: args.inventory,
    catalogDir: args.catalog,
    check: args.check,
    command: args.command,
    connectivity: args.connectivity,
    reboot: args.reboot,
    rebootTimeoutMs: args.rebootTimeout ? args.rebootTimeout * 1000 : undefined,
    limit: args.limit,
    roleMap: args.roleMap,
    forks: args.forks,
    connection: args.connection,
    becomePassword,
    hostTimeoutMs: args.timeout ? args.timeout * 1000 : undefined,
    lockWaitSeconds: args.lockWait,
    auditLog: args.auditLog,
    onWarning: json ? undefined : (m) => io.err(`warning: ${m}\n`),
    progress: json
      ? undefined
      : tty
        ? (hosts) => {
            const p = tty(hosts);
            finished = p.finished;
            return p;
          }
        : () => lineProgress(io.err),
  });
  await finished;
  const code = exitCodeOf(report);
  if (json) for (const chunk of jsonChunks(report, code)) io.out(chunk);
  else io.out(renderText({ ...report, warnings: [] }, { diff: args.diff }));
  return code;
}
