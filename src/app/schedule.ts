/**
 * `vprov schedule`: a systemd service + timer or a cron file on the controller that runs
 * `vprov drift` unattended; and a Kubernetes Indexed CronJob running one shard per pod.
 * Rendering is pure; install/remove/status do the file and systemctl work.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { InputError } from '../core/errors.js';
import { render } from '../core/templates.js';
import { writeAtomic } from './output-file.js';

export interface Every {
  text: string;
  seconds: number;
  onCalendar: string;
  cron: string;
  /** RandomizedDelaySec: a tenth of the period, at most 5 minutes, so a fleet does not start at once */
  delaySeconds: number;
}

export function parseEvery(spec: string): Every {
  const m = /^(\d+)(m|h|d)$/.exec(spec);
  const n = Number(m?.[1]);
  if (!m || n < 1) throw new InputError(`--every: expected Nm, Nh or Nd (e.g. 15m, 1h, 1d), got "${spec}"`);
  const unit = m[2] as 'm' | 'h' | 'd';
  const seconds = n * { m: 60, h: 3600, d: 86400 }[unit];
  const delaySeconds = Math.min(300, Math.floor(seconds / 10));
  if (unit === 'm') {
    if (60 % n !== 0) throw new InputError(`--every ${spec}: minutes must divide an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)`);
    return { text: spec, seconds, onCalendar: `*-*-* *:00/${n}:00`, cron: `*/${n} * * * *`, delaySeconds };
  }
  if (unit === 'h') {
    if (24 % n !== 0) throw new InputError(`--every ${spec}: hours must divide a day (1, 2, 3, 4, 6, 8, 12, 24)`);
    return { text: spec, seconds, onCalendar: n === 1 ? 'hourly' : `*-*-* 00/${n}:00:00`, cron: n === 1 ? '0 * * * *' : `0 */${n} * * *`, delaySeconds };
  }
  if (n !== 1) throw new InputError(`--every ${spec}: days other than 1d are not supported; use 1d`);
  return { text: spec, seconds, onCalendar: 'daily', cron: '0 0 * * *', delaySeconds };
}

export interface ScheduleSpec {
  name: string;
  inventory: string;
  every: Every;
  /** extra drift options: --format, --output, --history, --on-drift */
  driftArgs: string[];
  user: string;
}

const VPROV_BIN = fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));

/** What `--name` may be: it becomes a file name under /etc/systemd/system or /etc/cron.d. */
export const SCHEDULE_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function checkScheduleName(name: string): void {
  if (!SCHEDULE_NAME.test(name)) throw new InputError(`--name "${name}": expected 1 to 64 letters, digits, '_' or '-' (${SCHEDULE_NAME.source})`);
}

/**
 * Kubernetes object names are RFC 1123 subdomains (lowercase letters, digits, '-' and '.',
 * alphanumeric at both ends); the API server refuses anything else only when the manifest is
 * applied, so vprov refuses it when printing. A CronJob's name is at most 52 characters: its
 * Jobs append an 11-character suffix.
 */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkKubernetesName(option: string, value: string, max: number): void {
  if (value.length > max || !K8S_NAME.test(value))
    throw new InputError(
      `--${option} ${JSON.stringify(value)}: expected a Kubernetes name of at most ${max} characters: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`,
    );
}

/**
 * POSIX sh quoting, with every `%` left outside the quotes: then no `%` follows a backslash, so
 * cron's rule (`\%` is a literal %, a bare % ends the command) can be met by prefixing each `%`.
 */
function shellWord(s: string): string {
  const piece = (p: string) => (p === '' ? '' : /^[A-Za-z0-9_./=:@+,-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);
  return s === '' ? "''" : s.split('%').map(piece).join('%');
}

/** systemd's ExecStart syntax: one double-quoted word, C escapes, `%%` for a specifier's %, `$$` for a literal $. */
function systemdWord(s: string): string {
  if (/^[A-Za-z0-9_./=:@+,-]+$/.test(s)) return s;
  return `"${s.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/** Unit-file text that is not a command (Description=): only specifiers are expanded there. */
const systemdText = (s: string) => s.replace(/%/g, '%%');

function driftArgv(spec: ScheduleSpec): string[] {
  const argv = [process.execPath, VPROV_BIN, 'drift', '-i', resolve(spec.inventory), ...spec.driftArgs];
  // A line break cannot be written into a cron line, and one in a unit file would end the setting.
  const bad = argv.find((a) => /[\x00-\x1f\x7f]/.test(a));
  if (bad !== undefined) throw new InputError(`schedule: control characters (line breaks, tabs) cannot be scheduled: ${JSON.stringify(bad)}`);
  return argv;
}

/** The command as shown to the user and run by sh: exactly what the unit and the cron line run. */
export function driftCommand(spec: ScheduleSpec): string {
  return driftArgv(spec).map(shellWord).join(' ');
}

export function renderSystemd(spec: ScheduleSpec): { service: string; timer: string } {
  const ctx = {
    name: spec.name,
    inventory: systemdText(resolve(spec.inventory)),
    every: spec.every.text,
    onCalendar: spec.every.onCalendar,
    delay: spec.every.delaySeconds,
    exec: driftArgv(spec).map(systemdWord).join(' '),
    user: spec.user,
  };
  return { service: render('vprov-drift.service.hbs', ctx), timer: render('vprov-drift.timer.hbs', ctx) };
}

export function renderCron(spec: ScheduleSpec): string {
  return render('vprov-drift.cron.hbs', {
    name: spec.name,
    inventory: resolve(spec.inventory),
    every: spec.every.text,
    cron: spec.every.cron,
    user: spec.user,
    exec: driftCommand(spec).replace(/%/g, '\\%'),
  });
}

export interface InstallResult {
  files: string[];
  notes: string[];
}

const systemdRunning = () => existsSync('/run/systemd/system');

/** A user the unit and the cron line can name: POSIX, nothing a unit file or crontab would read otherwise. */
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/i;

/** The user's home, from the passwd database; unknown user = bad input. */
function homeOf(user: string): string {
  if (!USER_NAME.test(user)) throw new InputError(`--user ${JSON.stringify(user)}: expected a user name (letters, digits, _ and -)`);
  const r = spawnSync('getent', ['passwd', user], { encoding: 'utf8' });
  const home = r.status === 0 ? r.stdout.split(':')[5] : undefined;
  if (!home) throw new InputError(`--user ${user}: no such user on this machine`);
  return home;
}

/** The cron file's PATH: the environment a cron run gets, with HOME, USER, LOGNAME and SHELL. */
export const CRON_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface VerifyRun {
  code: number | null;
  output: string;
  /** how it was run, for the message */
  how: string;
}

/**
 * Runs the scheduled command once as the schedule's user, in the environment its runs get: a
 * transient systemd service with the same User= where systemd runs it, else the cron
 * environment through runuser (root) or directly (the same user).
 */
export function tryScheduledRun(spec: ScheduleSpec, kind: 'systemd' | 'cron'): VerifyRun {
  const argv = driftArgv(spec);
  const home = homeOf(spec.user);
  const me = process.getuid?.() === 0 ? 'root' : (process.env.USER ?? '');
  const limits = {
    encoding: 'utf8' as const,
    timeout: 30 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
  };
  let r: SpawnSyncReturns<string>;
  let how: string;
  if (kind === 'systemd' && systemdRunning()) {
    how = `as a transient service with User=${spec.user}`;
    r = spawnSync('systemd-run', ['--quiet', '--wait', '--pipe', '--collect', '-p', `User=${spec.user}`, '-p', 'Type=oneshot', '--', ...argv], limits);
  } else {
    const env = [`HOME=${home}`, `USER=${spec.user}`, `LOGNAME=${spec.user}`, 'SHELL=/bin/sh', `PATH=${CRON_PATH}`];
    const command = driftCommand(spec);
    if (process.getuid?.() === 0 && spec.user !== 'root') {
      how = `as ${spec.user} (runuser) in the ${kind === 'cron' ? 'cron' : 'unit'}'s environment`;
      r = spawnSync('runuser', ['-u', spec.user, '--', 'env', '-i', ...env, '/bin/sh', '-c', command], limits);
    } else if (spec.user === me || process.getuid?.() === 0) {
      how = `as ${spec.user} in the ${kind === 'cron' ? 'cron' : 'unit'}'s environment`;
      r = spawnSync('env', ['-i', ...env, '/bin/sh', '-c', command], limits);
    } else {
      throw new InputError(`--user ${spec.user}: only root can try a schedule as another user; run schedule install as root, or add --no-verify`);
    }
  }
  if (r.error) throw new InputError(`schedule install: cannot try the scheduled command (${r.error.message}); add --no-verify to install it untried`);
  return { code: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, how };
}

/** The lines of a failed run that say why: errors, unreachable hosts, refused keys. */
export function causeLines(output: string): string[] {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const telling = lines.filter((l) =>
    /error|unreachable|failed|cannot|refus|denied|permission|host key|known_hosts|identity|authenticat|EACCES|ENOENT/i.test(l),
  );
  return [...new Set(telling.length ? telling : lines.slice(-5))].slice(0, 12);
}

export function installSchedule(spec: ScheduleSpec, kind: 'systemd' | 'cron', dir?: string, verify = true): InstallResult {
  checkScheduleName(spec.name);
  if (!existsSync(resolve(spec.inventory))) throw new InputError(`${spec.inventory}: no such inventory`);
  homeOf(spec.user);
  const notes: string[] = [`runs: ${driftCommand(spec)}`, `as user: ${spec.user}`];
  if (verify) {
    // Tried before anything is written: a schedule that would fail is never installed.
    const run = tryScheduledRun(spec, kind);
    if (run.code !== 0 && run.code !== 2) {
      const head = `schedule install: the scheduled command failed when tried ${run.how} (exit ${run.code ?? 'killed'}); nothing installed`;
      const fix = `fix the cause (key path, known_hosts, permissions of what ${spec.user} reads), or add --no-verify to install it untried`;
      throw new InputError(head, undefined, [head, ...causeLines(run.output).map((l) => `  ${l}`), fix]);
    }
    notes.push(`tried once ${run.how}: exit ${run.code}${run.code === 2 ? ' (drift found: a finding, not a failure)' : ''}`);
  } else {
    notes.push('not tried (--no-verify)');
  }
  if (kind === 'cron') {
    const path = `${dir ?? '/etc/cron.d'}/${spec.name}`;
    writeAtomic(path, renderCron(spec));
    return { files: [path], notes };
  }
  const unitDir = dir ?? '/etc/systemd/system';
  const { service, timer } = renderSystemd(spec);
  const files = [`${unitDir}/${spec.name}.service`, `${unitDir}/${spec.name}.timer`];
  writeAtomic(files[0]!, service);
  writeAtomic(files[1]!, timer);
  if (!dir && systemdRunning()) {
    // systemctl's "Created symlink" chatter stays out of our output; its stderr is in the error if it fails.
    execFileSync('systemctl', ['daemon-reload'], { stdio: 'pipe' });
    execFileSync('systemctl', ['enable', '--now', `${spec.name}.timer`], { stdio: 'pipe' });
    notes.push(`enabled and started ${spec.name}.timer`);
  } else {
    notes.push(`systemd is not running here (or --dir was given): enable with systemctl enable --now ${spec.name}.timer`);
  }
  return { files, notes };
}

export function removeSchedule(name: string, dir?: string): InstallResult {
  checkScheduleName(name);
  const notes: string[] = [];
  const candidates = dir
    ? [`${dir}/${name}.service`, `${dir}/${name}.timer`, `${dir}/${name}`]
    : [`/etc/systemd/system/${name}.service`, `/etc/systemd/system/${name}.timer`, `/etc/cron.d/${name}`];
  const present = candidates.filter((f) => existsSync(f));
  if (!dir && systemdRunning() && present.some((f) => f.endsWith('.timer'))) {
    execFileSync('systemctl', ['disable', '--now', `${name}.timer`], { stdio: 'ignore' });
    notes.push(`disabled ${name}.timer`);
  }
  for (const f of present) rmSync(f);
  if (!dir && systemdRunning()) execFileSync('systemctl', ['daemon-reload']);
  if (present.length === 0) notes.push(`no schedule named ${name}`);
  return { files: present, notes };
}

export function scheduleStatus(name: string, dir?: string): string {
  checkScheduleName(name);
  const candidates = dir ? [`${dir}/${name}.timer`, `${dir}/${name}`] : [`/etc/systemd/system/${name}.timer`, `/etc/cron.d/${name}`];
  const lines: string[] = [];
  for (const f of candidates.filter((x) => existsSync(x))) {
    const text = readFileSync(f, 'utf8');
    const when = /^OnCalendar=(.*)$/m.exec(text)?.[1] ?? /^([^#\sA-Z][^\n]*?) \S+ \/.*$/m.exec(text)?.[1];
    const unit = f.endsWith('.timer') && existsSync(f.replace(/\.timer$/, '.service')) ? readFileSync(f.replace(/\.timer$/, '.service'), 'utf8') : text;
    const user = /^User=(\S+)$/m.exec(unit)?.[1] ?? /^[^#\sA-Z]\S* \S+ \S+ \S+ \S+ (\S+) /m.exec(text)?.[1] ?? 'root';
    lines.push(`${f}: every ${/every (\S+?)[;\n]/.exec(text)?.[1] ?? '?'} (${when ?? '?'}) as ${user}`);
  }
  if (!dir && systemdRunning() && lines.some((l) => l.includes('.timer'))) {
    try {
      lines.push(execFileSync('systemctl', ['list-timers', `${name}.timer`, '--no-pager'], { encoding: 'utf8' }).trim());
    } catch {
      /* the files above say enough */
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : `no schedule named ${name}\n`;
}

/** The image's user (non-root) and where it keeps what it reads: see Containerfile. */
export const POD_USER = 65532;
/**
 * A shard pod's memory limit: a drift of 10,000 simulated hosts in one process (the whole
 * inventory loaded, every host run) peaked at 194 MB of RSS, `report merge` of 40,000 hosts
 * at 209 MB; twice that is kept as headroom (docs/kubernetes.md "Memory").
 */
export const SHARD_MEMORY_LIMIT = '384Mi';
const POD_HOME = '/home/vprov';

/**
 * What each pod of the Indexed Job runs (`sh -c`), shard k of n (k = JOB_COMPLETION_INDEX):
 * drift on its share of the hosts, the JSON report into the run's directory, its textfile
 * metrics beside the other shards' (the shard label keeps them apart), and, by the last shard
 * to finish, the run's shards merged into /reports/latest.json. Exit codes: 1 (bad input,
 * nothing checked) fails the index without a retry (podFailurePolicy); drift (2), failed or
 * unreachable hosts (4) and reboots (8) are findings in the report, not pod failures, so one
 * host never stops the other shards; anything that left no report (a crash) exits 3: retried.
 */
export function shardCommand(shards: number): string {
  return [
    'k=$JOB_COMPLETION_INDEX; run=/reports/runs/$JOB_NAME',
    'mkdir -p "$run" /reports/metrics || exit 3',
    'rm -f "$run/shard-$k.json"',
    `vprov drift -i /etc/vprov/inventory.yaml --shard $((k + 1))/${shards} --format json --output "$run/shard-$k.json"; rc=$?`,
    '[ "$rc" -ne 1 ] || exit 1',
    '[ -s "$run/shard-$k.json" ] || exit 3',
    'vprov report merge "$run/shard-$k.json" --format prometheus --output "/reports/metrics/shard-$k.prom" >/dev/null; [ "$?" -ne 1 ] || exit 3',
    `if [ "$(ls "$run" | grep -c '^shard-[0-9]*\\.json$')" -eq ${shards} ]; then vprov report merge "$run"/shard-*.json --format json --output /reports/latest.json >/dev/null; [ "$?" -ne 1 ] || exit 3; fi`,
    'exit 0',
  ].join('\n');
}

/**
 * Kubernetes: an Indexed CronJob. Each of the N pods runs shardCommand with the inventory from a
 * ConfigMap, the SSH key and known_hosts from a Secret and the reports on a volume, as a
 * non-root user on a read-only root filesystem.
 */
export function kubernetesManifest(opts: {
  name: string;
  shards: number;
  schedule: string;
  image: string;
  inventoryConfigMap: string;
  sshSecret: string;
  reportsClaim: string;
}): string {
  checkKubernetesName('name', opts.name, 52);
  checkKubernetesName('config-map', opts.inventoryConfigMap, 253);
  checkKubernetesName('ssh-secret', opts.sshSecret, 253);
  checkKubernetesName('reports-claim', opts.reportsClaim, 253);
  // An image reference is one word: no whitespace or control characters can reach the YAML.
  if (!/^[\x21-\x7e]{1,4096}$/.test(opts.image))
    throw new InputError(`--image ${JSON.stringify(opts.image)}: expected an image reference (printable, no spaces)`);
  const job = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: opts.name, labels: { 'app.kubernetes.io/name': 'vprov', 'app.kubernetes.io/component': 'drift' } },
    spec: {
      schedule: opts.schedule,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          completionMode: 'Indexed',
          completions: opts.shards,
          parallelism: opts.shards,
          // Each shard on its own: a crashed pod is retried once for its index; the others run on.
          backoffLimitPerIndex: 1,
          podFailurePolicy: {
            rules: [
              // Bad input (exit 1) fails the same way on a retry.
              { action: 'FailIndex', onExitCodes: { containerName: 'drift', operator: 'In', values: [1] } },
              // A node drained or a pod preempted is no failure of vprov's.
              { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
            ],
          },
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': 'vprov' } },
            spec: {
              restartPolicy: 'Never',
              securityContext: { runAsNonRoot: true, runAsUser: POD_USER, runAsGroup: POD_USER, fsGroup: POD_USER, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'drift',
                  image: opts.image,
                  command: ['/bin/sh', '-c'],
                  args: [shardCommand(opts.shards)],
                  env: [
                    { name: 'HOME', value: POD_HOME },
                    // The run's directory: every pod of one Job writes into the same one.
                    { name: 'JOB_NAME', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-name']" } } },
                  ],
                  securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
                  volumeMounts: [
                    { name: 'inventory', mountPath: '/etc/vprov', readOnly: true },
                    { name: 'ssh', mountPath: `${POD_HOME}/.ssh`, readOnly: true },
                    { name: 'reports', mountPath: '/reports' },
                    // The code cache and temp files; the root filesystem is read-only.
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: SHARD_MEMORY_LIMIT } },
                },
              ],
              volumes: [
                { name: 'inventory', configMap: { name: opts.inventoryConfigMap } },
                // Group-readable for fsGroup: the files are root's, the pod's user reads them through its group.
                { name: 'ssh', secret: { secretName: opts.sshSecret, defaultMode: 0o440 } },
                { name: 'reports', persistentVolumeClaim: { claimName: opts.reportsClaim } },
                { name: 'tmp', emptyDir: {} },
              ],
            },
          },
        },
      },
    },
  };
  return stringify(job);
}
