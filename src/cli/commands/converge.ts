/** `vprov plan` and `vprov apply`: thin — parse, call the use case, print, return the exit code. */
import type { Argv } from 'yargs';
import type { Output } from '../output.js';
import type { Interrupt } from '../../app/interrupt.js';
import { seconds } from '../values.js';
import {
  askBecomePassOption,
  auditLogOption,
  catalogOption,
  connectionOption,
  forksOption,
  formatOption,
  inventoryOption,
  limitOption,
  roleMapOption,
  timeoutOption,
  type AddCommand,
} from '../options.js';

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
  takeOver?: boolean;
  removeAccounts?: boolean;
  prune?: string[];
  pruneInventory?: string;
}

/** plan/apply: hosts that left the inventory, named explicitly, with the inventory they were applied with. */
function pruneOptions<T>(y: Argv<T>) {
  return y
    .option('prune', { type: 'string', array: true, describe: 'hosts that left the inventory: remove what vprov wrote there (needs --prune-inventory)' })
    .option('prune-inventory', {
      type: 'string',
      describe: 'the inventory the pruned hosts were applied with (their connection data); alone, lists the hosts that left',
    });
}

async function checkPrune(args: ConvergeArgs): Promise<void> {
  const { InputError } = await import('../../core/errors.js');
  if (args.prune && args.prune.length > 0 && !args.pruneInventory)
    throw new InputError('--prune needs --prune-inventory FILE: the inventory the hosts were applied with (how to reach them)');
  if (args.prune?.some((h) => h.trim() === '')) throw new InputError('--prune: empty host name');
}

/** apply --take-over: explicit, per run, recorded in the report and the audit log. */
export const takeOverOption = {
  type: 'boolean',
  default: false,
  describe: "apply to hosts another site owns (their record names that site), making them this site's; recorded in the audit log",
} as const;

export function convergeOptions<T>(y: Argv<T>) {
  return y
    .option('inventory', inventoryOption)
    .option('limit', limitOption)
    .option('role-map', roleMapOption)
    .option('forks', forksOption)
    .option('connection', connectionOption)
    .option('ask-become-pass', askBecomePassOption)
    .option('timeout', {
      ...timeoutOption,
      describe: 'seconds one host may take, all steps together; then its connection is closed and no further step starts',
    })
    .option('lock-wait', {
      type: 'number',
      default: 120,
      coerce: seconds('lock-wait', 86_400),
      describe: "apply: seconds to wait for another run's lock on a host",
    })
    .option('audit-log', auditLogOption)
    .option('format', formatOption(['text', 'json'], 'text', 'text for people, json: one JSON document on stdout'))
    .option('catalog', catalogOption);
}

export const planCommand: AddCommand = (y, { io, done, interrupt }) =>
  y.command(
    'plan',
    'show what apply would change (= apply --check --diff); exit 2 when changes are pending',
    (yy) => pruneOptions(convergeOptions(yy)),
    (a) => done(runConverge({ ...a, check: true, diff: true }, io, interrupt)),
  );

export const applyCommand: AddCommand = (y, { io, done, interrupt }) =>
  y.command(
    'apply',
    'bring hosts to the desired state',
    (yy) =>
      pruneOptions(convergeOptions(yy))
        .option('check', { type: 'boolean', default: false, describe: 'change nothing; report what would change' })
        .option('diff', { type: 'boolean', default: false, describe: 'show file diffs' })
        .option('reboot', {
          type: 'boolean',
          default: false,
          describe: 'reboot hosts whose SELinux change needs it (never without this flag), wait for SSH, verify',
        })
        .option('reboot-timeout', { type: 'number', default: 600, describe: 'seconds a rebooted host may take to answer SSH again' })
        .option('take-over', takeOverOption)
        .option('remove-accounts', {
          type: 'boolean',
          default: false,
          describe: 'also remove accounts vprov created that no role of their host needs any more (never done without this flag; homes are kept)',
        }),
    (a) => done(runConverge(a, io, interrupt)),
  );

export const verifyCommand: AddCommand = (y, { io, done, interrupt }) =>
  y.command(
    'verify',
    'read-only: is every host in the desired state? optionally probe TCP reachability from source hosts',
    (yy) => convergeOptions(yy).option('connectivity', { type: 'boolean', default: false, describe: 'TCP-connect from source hosts to every opened port' }),
    (a) => done(runConverge({ ...a, check: true, diff: false, command: 'verify' }, io, interrupt)),
  );

export async function runConverge(args: ConvergeArgs, io: Output, interrupt?: () => Interrupt): Promise<number> {
  // Caught from the start: a signal while the inventory loads still ends with the report (every host not started).
  const stop = interrupt?.();
  const [{ convergeAll }, { exitCodeOf }, { renderText }, { jsonChunks }, { lineProgress }] = await Promise.all([
    import('../../app/converge-all.js'),
    import('../../app/exit-code.js'),
    import('../../report/text.js'),
    import('../../report/json.js'),
    import('../../app/runner.js'),
  ]);
  await checkPrune(args);
  const json = args.format === 'json';
  // listr2 is only loaded when a terminal will show it.
  const tty = !json && io.isTTY ? (await import('../../app/progress-tty.js')).ttyProgress : undefined;
  const becomePassword = await (await import('../become-password.js')).becomePassword(args.askBecomePass);
  let finished: Promise<void> = Promise.resolve();
  const report = await convergeAll({
    interrupt: stop,
    inventory: args.inventory,
    catalogDir: args.catalog,
    check: args.check,
    command: args.command,
    connectivity: args.connectivity,
    reboot: args.reboot,
    takeOver: args.takeOver,
    removeAccounts: args.removeAccounts,
    prune: args.prune,
    pruneInventory: args.pruneInventory,
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
