/** vprov CLI: yargs commands only. Typed errors are caught here, in one place, and mapped to exit codes. */
import yargs from 'yargs';
import { InputError, describeError } from '../core/errors.js';
import { EXIT_HOST_FAILED, EXIT_INPUT } from '../core/exit.js';
import { vprovVersion } from '../app/run-identity.js';
import { processOutput, type Output } from './output.js';
import { forksOption, timeoutOption, wholeNumber } from './values.js';
import { convergeOptions, runConverge } from './commands/converge.js';
import { catalogExport, catalogLint, catalogList, catalogShow } from './commands/catalog.js';
import { inventoryCheck, inventoryGraph } from './commands/inventory.js';
import { runDrift } from './commands/drift.js';
import { runExplain } from './commands/explain.js';
import { runEvidence } from './commands/evidence.js';
import { reportMerge, scheduleExport, scheduleInstall, scheduleRemove, scheduleStatusCmd } from './commands/schedule.js';

/**
 * yargs lays out the whole help text after every command, to print it should the command fail
 * later; vprov's fail handler never prints it, and the layout was ≈20 ms of every run. `--help`
 * and usage errors render their help when asked, as before.
 */
function withoutHelpCache(cli: ReturnType<typeof yargs>): void {
  const internals = cli as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = internals.getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

export async function main(argv: string[], io: Output = processOutput): Promise<number> {
  let code = 0;
  const set = (p: Promise<number>) => p.then((c) => void (code = c));
  try {
    const cli = yargs(argv);
    withoutHelpCache(cli);
    await cli
      .scriptName('vprov')
      .usage('$0 <command> [options]\n\nProvision documented firewall flows, the vprotect account, sudoers and SELinux over SSH.')
      .command(
        'plan',
        'show what apply would change (= apply --check --diff); exit 2 when changes are pending',
        (y) => convergeOptions(y),
        (a) => set(runConverge({ ...a, check: true, diff: true }, io)),
      )
      .command(
        'apply',
        'bring hosts to the desired state',
        (y) =>
          convergeOptions(y)
            .option('check', { type: 'boolean', default: false, describe: 'change nothing; report what would change' })
            .option('diff', { type: 'boolean', default: false, describe: 'show file diffs' })
            .option('reboot', { type: 'boolean', default: false, describe: 'reboot hosts whose SELinux change needs it (never without this flag), wait for SSH, verify' })
            .option('reboot-timeout', { type: 'number', default: 600, describe: 'seconds a rebooted host may take to answer SSH again' }),
        (a) => set(runConverge(a, io)),
      )
      .command(
        'verify',
        'read-only: is every host in the desired state? optionally probe TCP reachability from source hosts',
        (y) => convergeOptions(y).option('connectivity', { type: 'boolean', default: false, describe: 'TCP-connect from source hosts to every opened port' }),
        (a) => set(runConverge({ ...a, check: true, diff: false, command: 'verify' }, io)),
      )
      .command(
        'drift',
        'read-only drift check of every host; exit 2 on drift',
        (y) =>
          y
            .option('inventory', { alias: 'i', type: 'string', describe: 'inventory file (YAML or Ansible INI/YAML)' })
            .option('limit', { alias: 'l', type: 'string', describe: 'only these hosts: names, groups, globs, !exclusions, &intersections, comma-separated' })
            .option('forks', { ...forksOption, describe: 'hosts read at once (1-1000)' })
            .option('format', { choices: ['text', 'json', 'junit', 'prometheus', 'html'] as const, default: 'text' as const, describe: 'report format' })
            .option('output', { alias: 'o', type: 'string', describe: 'write the report here (atomically) instead of stdout' })
            .option('history', { type: 'string', describe: 'keep a timestamped JSON report in this directory' })
            .option('since', { type: 'string', describe: 'with --history: what changed between runs in this period (e.g. 7d)' })
            .option('shard', { type: 'string', describe: 'i/n: only this deterministic share of the hosts' })
            .option('on-drift', { type: 'string', describe: 'run this shell command with the JSON report on stdin when drift is found' })
            .option('role-map', { type: 'string', array: true, describe: 'Ansible inventories: group=role (repeatable)' })
            .option('timeout', { type: 'number', default: 600, describe: 'seconds one host may take; then its connection is closed' })
            .option('audit-log', { type: 'string', describe: 'append one JSON line per host and run to this file' })
            .option('catalog', { type: 'string', hidden: true, describe: 'catalog directory (default: the shipped catalog)' }),
        (a) => set(runDrift(a, io)),
      )
      .command(
        'explain [target]',
        'why a port is open on a host (HOST[:PORT[/PROTO]]), or with --from HOST what that host may reach: each flow with its document and section',
        (y) =>
          y
            .positional('target', { type: 'string', describe: 'HOST, HOST:PORT, HOST:PORT/PROTO or HOST/icmp' })
            .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory file' })
            .option('from', { type: 'string', describe: 'the reverse question: what this host may reach, where and why' })
            .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text for people, one JSON document for scripts' })
            .option('role-map', { type: 'string', array: true, describe: 'Ansible inventories: group=role (repeatable)' })
            .option('catalog', { type: 'string', hidden: true }),
        (a) => set(runExplain(a, io)),
      )
      .command(
        'evidence',
        'read-only: every applicable requirement proven on its host (found, verdict, document and section); exit 2 when one is not met',
        (y) =>
          y
            .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory file' })
            .option('format', { choices: ['md', 'html', 'json'] as const, default: 'md' as const, describe: 'Markdown, self-contained HTML (prints on A4) or JSON (docs/evidence.schema.json)' })
            .option('output', { alias: 'o', type: 'string', describe: 'write the report here (atomically) instead of stdout' })
            .option('forks', { ...forksOption, describe: 'hosts read at once (1-1000)' })
            .option('connection', { alias: 'c', choices: ['ssh', 'local'] as const, default: 'ssh' as const, describe: 'local: read this machine without SSH' })
            .option('ask-become-pass', { alias: 'K', type: 'boolean', default: false, describe: 'prompt for the sudo password (or set VPROV_BECOME_PASSWORD)' })
            .option('timeout', { ...timeoutOption, describe: 'seconds one host may take' })
            .option('role-map', { type: 'string', array: true, describe: 'Ansible inventories: group=role (repeatable)' })
            .option('catalog', { type: 'string', hidden: true }),
        (a) => set(runEvidence(a, io)),
      )
      .command('schedule', 'run drift unattended (systemd timer, cron, Kubernetes)', (y) =>
        y
          .option('name', { type: 'string', default: 'vprov-drift', describe: 'unit / cron file / CronJob name' })
          .option('dir', { type: 'string', describe: 'write units here instead of /etc/systemd/system or /etc/cron.d (nothing is enabled)' })
          .command(
            'install',
            'install a systemd service + timer (default) or a cron file running vprov drift',
            (yy) =>
              yy
                .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory file the scheduled drift check reads' })
                .option('every', { type: 'string', default: '1h', describe: 'how often: Nm, Nh or 1d' })
                .option('systemd', { type: 'boolean', describe: 'a systemd service + timer (the default)' })
                .option('cron', { type: 'boolean', describe: 'a file in /etc/cron.d instead of systemd units' })
                .option('format', { choices: ['text', 'json', 'junit', 'prometheus', 'html'] as const, describe: 'report format of each run' })
                .option('output', { alias: 'o', type: 'string', describe: 'file each run writes its report to (atomically)' })
                .option('history', { type: 'string', describe: 'directory each run keeps its JSON report in' })
                .option('on-drift', { type: 'string', describe: 'shell command run with the JSON report on stdin when drift is found' }),
            (a) => set(scheduleInstall(a, io)),
          )
          .command('remove', 'remove the schedule', {}, (a) => set(scheduleRemove(a as never, io)))
          .command('status', 'show the schedule', {}, (a) => set(scheduleStatusCmd(a as never, io)))
          .command(
            'export',
            'print a Kubernetes Indexed CronJob that runs one shard per pod',
            (yy) =>
              yy
                .option('kubernetes', { type: 'boolean', demandOption: true, describe: 'print Kubernetes manifests (the only export format)' })
                .option('shards', { type: 'number', default: 1, coerce: wholeNumber('shards', 1, 1000), describe: 'pods, each checking one deterministic share of the hosts' })
                .option('every', { type: 'string', default: '1h', describe: 'how often: Nm, Nh or 1d' })
                .option('image', { type: 'string', default: 'vprov:latest', describe: 'container image with vprov' })
                .option('config-map', { type: 'string', default: 'vprov-inventory', describe: 'ConfigMap holding the inventory' })
                .option('ssh-secret', { type: 'string', default: 'vprov-ssh', describe: 'Secret holding the SSH key and known_hosts' })
                .option('reports-claim', { type: 'string', default: 'vprov-reports', describe: 'PersistentVolumeClaim the shard reports are written to' }),
            (a) => set(scheduleExport(a, io)),
          )
          .demandCommand(1, 'name a schedule command'),
      )
      .command('report', 'work with JSON reports', (y) =>
        y
          .command(
            'merge <files..>',
            'join shard JSON reports into one',
            (yy) =>
              yy
                .positional('files', { type: 'string', array: true, demandOption: true, describe: 'JSON reports of the shards' })
                .option('format', { choices: ['text', 'json'] as const, default: 'json' as const, describe: 'format of the merged report' }),
            (a) => set(reportMerge(a.files as string[], a.format, io)),
          )
          .demandCommand(1, 'name a report command'),
      )
      .command('catalog', 'read the catalog', (y) =>
        y
          .option('catalog', { type: 'string', hidden: true, describe: 'catalog directory (default: the shipped catalog)' })
          .command('list', 'products, platforms, methods, roles', {}, (a) => set(catalogList(io, a.catalog as string | undefined)))
          .command(
            'show <product>',
            'the flows and host requirements of a product, as a table',
            (yy) =>
              yy
                .positional('product', { type: 'string', demandOption: true, describe: 'product id (see catalog list)' })
                .option('platform', { type: 'string', describe: 'only this platform of the product' }),
            (a) => set(catalogShow(io, a.product, a.platform, a.catalog as string | undefined)),
          )
          .command('lint', 'validate the catalog and report the quirks of its source documents', {}, (a) => set(catalogLint(io, a.catalog as string | undefined)))
          .command(
            'export',
            'every flow as JSON',
            (yy) => yy.option('format', { choices: ['json'] as const, default: 'json' as const, describe: 'output format' }),
            (a) => set(catalogExport(io, a.catalog as string | undefined)),
          )
          .demandCommand(1, 'name a catalog command'),
      )
      .command('inventory', 'validate inventories', (y) =>
        y
          .option('catalog', { type: 'string', hidden: true, describe: 'catalog directory (default: the shipped catalog)' })
          .option('role-map', { type: 'string', array: true, describe: 'Ansible inventories: group=role (repeatable)' })
          .command(
            'check',
            'validate an inventory against the catalog; print warnings',
            (yy) => yy.option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory file (YAML or Ansible INI/YAML)' }),
            (a) => set(inventoryCheck(io, a.inventory, a.roleMap as string[] | undefined, a.catalog as string | undefined)),
          )
          .command(
            'graph',
            'hosts × roles × flows: who reaches whom, on which ports',
            (yy) =>
              yy
                .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory file (YAML or Ansible INI/YAML)' })
                .option('format', { choices: ['text', 'json', 'dot'] as const, default: 'text' as const, describe: 'text, JSON or Graphviz dot' }),
            (a) => set(inventoryGraph(io, a.inventory, a.format, a.roleMap as string[] | undefined, a.catalog as string | undefined)),
          )
          .demandCommand(1, 'name an inventory command'),
      )
      .demandCommand(1, 'name a command (see --help)')
      .strict()
      .exitProcess(false)
      .fail((msg, err) => {
        // yargs' own errors (unknown option, a value refused by a coerce check) are bad input.
        if (!err || err.name === 'YError') throw new InputError(msg ?? err?.message ?? 'invalid arguments');
        throw err;
      })
      .completion('completion', 'print a bash/zsh completion script (add `source <(vprov completion)` to ~/.bashrc or ~/.zshrc)')
      .help('help', 'show help (every command has its own: vprov COMMAND --help)')
      // Given, not guessed: yargs would look for a package.json above its own file, which in the bundle is not ours.
      .version(vprovVersion())
      .describe('version', 'show the version of vprov')
      .parseAsync();
  } catch (err) {
    if (err instanceof InputError) {
      io.err(`error: ${err.message}\n`);
      for (const d of err.details.slice(1)) io.err(`error: ${d}\n`);
      return EXIT_INPUT;
    }
    // Not bad input: a failure of vprov itself or of its environment, maybe after hosts were
    // contacted. Exit 1 would claim nothing was touched; bit 4 says "failed", with context.
    const frame = err instanceof Error ? /\n\s+at (.+)/.exec(err.stack ?? '')?.[1] : undefined;
    io.err(`error: vprov failed unexpectedly (${err instanceof Error ? err.name : typeof err}: ${describeError(err)}${frame ? `, at ${frame}` : ''})\n`);
    return EXIT_HOST_FAILED;
  }
  return code;
}
