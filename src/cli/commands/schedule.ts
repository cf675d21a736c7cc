/** `vprov schedule …`: run drift unattended (systemd timer, cron, Kubernetes). */
import { userInfo } from 'node:os';
import type { Output } from '../output.js';
import { InputError } from '../../core/errors.js';
import { inventoryOption, outputOption, type AddCommand } from '../options.js';
import { DRIFT_FORMATS } from './drift.js';
import { wholeNumber } from '../values.js';

const EVERY = { type: 'string', default: '1h', describe: 'how often: Nm, Nh or 1d' } as const;

export const scheduleCommand: AddCommand = (y, { io, done }) =>
  y.command('schedule', 'run drift unattended (systemd timer, cron, Kubernetes)', (yy) =>
    yy
      .option('name', { type: 'string', default: 'vprov-drift', describe: 'unit / cron file / CronJob name' })
      .option('dir', { type: 'string', describe: 'write units here instead of /etc/systemd/system or /etc/cron.d (nothing is enabled)' })
      .command(
        'install',
        'install a systemd service + timer (default) or a cron file running vprov drift',
        (c) =>
          c
            .option('inventory', { ...inventoryOption, describe: 'inventory file the scheduled drift check reads' })
            .option('every', EVERY)
            .option('systemd', { type: 'boolean', describe: 'a systemd service + timer (the default)' })
            .option('cron', { type: 'boolean', describe: 'a file in /etc/cron.d instead of systemd units' })
            .option('format', { choices: DRIFT_FORMATS, describe: 'report format of each run' })
            .option('output', { ...outputOption, describe: 'file each run writes its report to (atomically)' })
            .option('history', { type: 'string', describe: 'directory each run keeps its JSON report in' })
            .option('on-drift', { type: 'string', describe: 'shell command run with the JSON report on stdin when drift is found' })
            .option('user', { type: 'string', describe: 'user the unit and the cron line run as (default: the user running schedule install)' })
            .option('verify', {
              type: 'boolean',
              default: true,
              describe: 'run the scheduled command once as that user before installing, and refuse when it fails (--no-verify: install untried)',
            }),
        (a) => done(scheduleInstall(a, io)),
      )
      .command('remove', 'remove the schedule', {}, (a) => done(scheduleRemove(a as never, io)))
      .command('status', 'show the schedule', {}, (a) => done(scheduleStatusCmd(a as never, io)))
      .command(
        'export',
        'print a Kubernetes Indexed CronJob that runs one shard per pod, or Prometheus alerting rules for the drift metrics',
        (c) =>
          c
            .option('kubernetes', { type: 'boolean', describe: 'print Kubernetes manifests' })
            .option('prometheus-rules', {
              type: 'boolean',
              describe:
                'print Prometheus alerting rules for the textfile metrics (drift, unreachable, failed, evidence not met, runs missing); --every sets how late a run may be',
            })
            .option('shards', {
              type: 'number',
              default: 1,
              coerce: wholeNumber('shards', 1, 1000),
              describe: 'pods, each checking one deterministic share of the hosts',
            })
            .option('every', EVERY)
            .option('image', { type: 'string', default: 'vprov:latest', describe: 'container image with vprov' })
            .option('config-map', { type: 'string', default: 'vprov-inventory', describe: 'ConfigMap holding the inventory' })
            .option('ssh-secret', { type: 'string', default: 'vprov-ssh', describe: 'Secret holding the SSH key and known_hosts' })
            .option('reports-claim', { type: 'string', default: 'vprov-reports', describe: 'PersistentVolumeClaim the shard reports are written to' }),
        (a) => done(scheduleExport(a, io)),
      )
      .demandCommand(1, 'name a schedule command'),
  );

export interface ScheduleArgs {
  inventory?: string;
  every: string;
  name: string;
  systemd?: boolean;
  cron?: boolean;
  dir?: string;
  format?: string;
  output?: string;
  history?: string;
  onDrift?: string;
  user?: string;
  verify?: boolean;
}

function driftArgs(a: ScheduleArgs): string[] {
  const out: string[] = [];
  if (a.format) out.push('--format', a.format);
  if (a.output) out.push('--output', a.output);
  if (a.history) out.push('--history', a.history);
  if (a.onDrift) out.push('--on-drift', a.onDrift);
  return out;
}

export async function scheduleInstall(a: ScheduleArgs, io: Output): Promise<number> {
  const s = await import('../../app/schedule.js');
  if (!a.inventory) throw new InputError('schedule install needs -i INVENTORY');
  if (a.systemd && a.cron) throw new InputError('choose one of --systemd and --cron');
  const spec = { name: a.name, inventory: a.inventory, every: s.parseEvery(a.every), driftArgs: driftArgs(a), user: a.user ?? userInfo().username };
  const result = s.installSchedule(spec, a.cron ? 'cron' : 'systemd', a.dir, a.verify !== false);
  for (const f of result.files) io.out(`wrote ${f}\n`);
  for (const n of result.notes) io.out(`${n}\n`);
  return 0;
}

export async function scheduleRemove(a: ScheduleArgs, io: Output): Promise<number> {
  const s = await import('../../app/schedule.js');
  const result = s.removeSchedule(a.name, a.dir);
  for (const f of result.files) io.out(`removed ${f}\n`);
  for (const n of result.notes) io.out(`${n}\n`);
  return 0;
}

export async function scheduleStatusCmd(a: ScheduleArgs, io: Output): Promise<number> {
  const s = await import('../../app/schedule.js');
  io.out(s.scheduleStatus(a.name, a.dir));
  return 0;
}

export async function scheduleExport(
  a: ScheduleArgs & {
    kubernetes?: boolean;
    prometheusRules?: boolean;
    shards: number;
    image: string;
    configMap: string;
    sshSecret: string;
    reportsClaim: string;
  },
  io: Output,
): Promise<number> {
  const s = await import('../../app/schedule.js');
  if (!!a.kubernetes === !!a.prometheusRules) throw new InputError('schedule export: choose one of --kubernetes and --prometheus-rules');
  if (a.prometheusRules) {
    const every = s.parseEvery(a.every);
    io.out((await import('../../report/prometheus-rules.js')).prometheusRules({ periodSeconds: every.seconds, everyText: every.text }));
    return 0;
  }
  if (!Number.isInteger(a.shards) || a.shards < 1 || a.shards > 1000) throw new InputError('--shards: a whole number from 1 to 1000');
  io.out(
    s.kubernetesManifest({
      name: a.name,
      shards: a.shards,
      schedule: s.parseEvery(a.every).cron,
      image: a.image,
      inventoryConfigMap: a.configMap,
      sshSecret: a.sshSecret,
      reportsClaim: a.reportsClaim,
    }),
  );
  return 0;
}
