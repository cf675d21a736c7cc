/** `vprov plan` and `vprov apply`: thin — parse, call the use case, print, return the exit code. */
import type { Argv } from 'yargs';
import { type Output, writeChunks } from '../output.js';
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
  inventory?: string;
  limit?: string;
  roleMap?: string[];
  forks: number;
  format: 'text' | 'json';
  check?: boolean;
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
  /** plan --out FILE: save the plan */
  out?: string;
  /** apply PLANFILE: apply exactly that saved plan */
  planFile?: string;
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

/**
 * apply --take-over: explicit, per run, recorded in the report and the audit log. No default (absent
 * is false): given beside a plan file, it is refused, as the plan fixed it.
 */
export const takeOverOption = {
  type: 'boolean',
  describe: "apply to hosts another site owns (their record names that site), making them this site's; recorded in the audit log",
} as const;

const removeAccountsOption = {
  type: 'boolean',
  describe: 'also remove accounts vprov created that no role of their host needs any more (never done without this flag; homes are kept)',
} as const;

export function convergeOptions<T>(y: Argv<T>, inventoryRequired = true) {
  return y
    .option('inventory', inventoryRequired ? inventoryOption : { ...inventoryOption, demandOption: false })
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
    (yy) =>
      pruneOptions(convergeOptions(yy))
        .option('out', {
          type: 'string',
          describe: 'save the plan to this file (0600; replaced if it exists): vprov apply FILE applies exactly it, refusing hosts that changed since',
        })
        .option('take-over', {
          ...takeOverOption,
          describe: 'plan as apply --take-over would: hosts another site owns are planned as taken over (nothing is taken by plan)',
        })
        .option('remove-accounts', {
          ...removeAccountsOption,
          describe: 'plan as apply --remove-accounts would: accounts no role needs any more are planned for removal',
        }),
    (a) => done(runConverge({ ...a, check: true, diff: true }, io, interrupt)),
  );

export const applyCommand: AddCommand = (y, { io, done, interrupt }) =>
  y.command(
    'apply [plan-file]',
    'bring hosts to the desired state (-i INVENTORY), or apply exactly a saved plan (vprov plan --out PLANFILE; vprov apply PLANFILE)',
    (yy) =>
      pruneOptions(convergeOptions(yy, false))
        .positional('plan-file', {
          type: 'string',
          describe: 'a plan saved by vprov plan --out: applied exactly, each host refused when its facts changed since (instead of -i)',
        })
        .option('check', { type: 'boolean', describe: 'change nothing; report what would change' })
        .option('diff', { type: 'boolean', default: false, describe: 'show file diffs' })
        .option('reboot', {
          type: 'boolean',
          default: false,
          describe: 'reboot hosts whose SELinux change needs it (never without this flag), wait for SSH, verify',
        })
        .option('reboot-timeout', { type: 'number', default: 600, describe: 'seconds a rebooted host may take to answer SSH again' })
        .option('take-over', takeOverOption)
        .option('remove-accounts', removeAccountsOption),
    (a) => done(runApply(a, io, interrupt)),
  );

export const verifyCommand: AddCommand = (y, { io, done, interrupt }) =>
  y.command(
    'verify',
    'read-only: is every host in the desired state? optionally probe TCP reachability from source hosts',
    (yy) => convergeOptions(yy).option('connectivity', { type: 'boolean', default: false, describe: 'TCP-connect from source hosts to every opened port' }),
    (a) => done(runConverge({ ...a, check: true, diff: false, command: 'verify' }, io, interrupt)),
  );

/** Options a saved plan fixes: given beside a plan file they would be ignored, so they are refused. */
const PLAN_TIME_OPTIONS: [keyof ConvergeArgs, string][] = [
  ['inventory', '-i/--inventory'],
  ['limit', '--limit'],
  ['roleMap', '--role-map'],
  ['catalog', '--catalog'],
  ['takeOver', '--take-over'],
  ['removeAccounts', '--remove-accounts'],
  ['prune', '--prune'],
  ['pruneInventory', '--prune-inventory'],
  ['check', '--check'],
];

/** apply: from the inventory, or exactly a saved plan (with the plan's own inputs and options). */
export async function runApply(args: ConvergeArgs, io: Output, interrupt?: () => Interrupt): Promise<number> {
  const { InputError } = await import('../../core/errors.js');
  if (args.planFile === undefined) {
    if (!args.inventory) throw new InputError('apply needs -i INVENTORY, or a saved plan: vprov apply PLANFILE (made by vprov plan --out PLANFILE)');
    return runConverge({ ...args, check: args.check ?? false }, io, interrupt);
  }
  const given = PLAN_TIME_OPTIONS.filter(([k]) => args[k] !== undefined).map(([, name]) => name);
  if (given.length > 0)
    throw new InputError(
      `apply ${args.planFile}: ${given.join(', ')} cannot be given with a plan file: the plan fixed its inventory and options when it was made (${args.inventory ? 'give either a plan file or -i INVENTORY, not both' : 'make a new plan to change them'})`,
    );
  const [{ readPlanFile }, { planRunOptions }, { vprovVersion }] = await Promise.all([
    import('../../app/plan-file.js'),
    import('../../app/saved-plan.js'),
    import('../../app/run-identity.js'),
  ]);
  const saved = readPlanFile(args.planFile, vprovVersion());
  const fixed = planRunOptions(saved.plan);
  if (args.connection === 'local' && fixed.connection !== 'local')
    throw new InputError(`apply ${args.planFile}: --connection local: the plan was made over SSH; make a new plan with --connection local`);
  return runConverge({ ...args, ...fixed, check: false }, io, interrupt, saved);
}

export async function runConverge(
  args: ConvergeArgs,
  io: Output,
  interrupt?: () => Interrupt,
  savedPlan?: import('../../app/plan-file.js').SavedPlan,
): Promise<number> {
  // Caught from the start: a signal while the inventory loads still ends with the report (every host not started).
  const stop = interrupt?.();
  const [{ convergeAll }, { exitCodeOf }, { ReportFold }, { renderText }, { jsonChunks }, { lineProgress }] = await Promise.all([
    import('../../app/converge-all.js'),
    import('../../app/exit-code.js'),
    import('../../app/report-fold.js'),
    import('../../report/text.js'),
    import('../../report/json.js'),
    import('../../app/runner.js'),
  ]);
  await checkPrune(args);
  const recorder = args.out ? await planRecorder(args) : undefined;
  const json = args.format === 'json';
  // listr2 is only loaded when a terminal will show it.
  const tty = !json && io.isTTY ? (await import('../../app/progress-tty.js')).ttyProgress : undefined;
  const becomePassword = await (await import('../become-password.js')).becomePassword(args.askBecomePass);
  let finished: Promise<void> = Promise.resolve();
  // Each host's part of the report is rendered as it finishes: memory does not grow with the fleet.
  // plan --out needs every host's changes to write the plan file: that run keeps whole reports.
  const fold = recorder
    ? undefined
    : new ReportFold(args.command ?? (args.check ? 'plan' : 'apply'), {
        ...(json ? { json: true } : { text: { diff: args.diff } }),
        audit: Boolean(args.auditLog),
      });
  try {
    const report = await convergeAll({
      fold,
      interrupt: stop,
      planRecorder: recorder,
      savedPlan,
      inventory: args.inventory!,
      catalogDir: args.catalog,
      check: args.check ?? false,
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
    if (recorder && args.out) {
      // Only a plan that read every selected host is saved: one to apply as reviewed.
      const built = recorder.build(report);
      if ('plan' in built) {
        const written = (await import('../../app/plan-file.js')).writePlanFile(args.out, built.plan);
        report.planFile = { path: args.out, sha256: written.sha256 };
      } else io.err(`error: no plan written to ${args.out}: ${built.error}\n`);
    }
    const code = exitCodeOf(report);
    const text = { ...report, warnings: [] };
    if (fold) await writeChunks(io, json ? fold.jsonChunks(report, code) : fold.textChunks(text));
    else if (json) await writeChunks(io, jsonChunks(report, code));
    else io.out(renderText(text, { diff: args.diff }));
    return code;
  } finally {
    fold?.close();
  }
}

/** plan --out: checked writable before any host is touched; records what the plan is made from. */
async function planRecorder(args: ConvergeArgs) {
  const [{ checkWritable }, { PlanRecorder }, { vprovVersion }] = await Promise.all([
    import('../../app/output-file.js'),
    import('../../app/saved-plan.js'),
    import('../../app/run-identity.js'),
  ]);
  checkWritable(args.out!, '--out');
  return new PlanRecorder(
    {
      ...(args.limit !== undefined ? { limit: args.limit } : {}),
      takeOver: args.takeOver ?? false,
      removeAccounts: args.removeAccounts ?? false,
      prune: args.prune ?? [],
      roleMap: args.roleMap ?? [],
      connection: args.connection ?? 'ssh',
    },
    vprovVersion(),
  );
}
