/** `vprov schedule …` and `vprov report merge`. */
import { userInfo } from 'node:os';
import type { Output } from '../output.js';
import { InputError } from '../../core/errors.js';

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
  const spec = { name: a.name, inventory: a.inventory, every: s.parseEvery(a.every), driftArgs: driftArgs(a), user: userInfo().username };
  const result = s.installSchedule(spec, a.cron ? 'cron' : 'systemd', a.dir);
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
  a: ScheduleArgs & { kubernetes?: boolean; shards: number; image: string; configMap: string; sshSecret: string; reportsClaim: string },
  io: Output,
): Promise<number> {
  const s = await import('../../app/schedule.js');
  if (!a.kubernetes) throw new InputError('schedule export: only --kubernetes is supported');
  if (!Number.isInteger(a.shards) || a.shards < 1 || a.shards > 1000) throw new InputError('--shards: a whole number from 1 to 1000');
  io.out(s.kubernetesManifest({ name: a.name, shards: a.shards, schedule: s.parseEvery(a.every).cron, image: a.image, inventoryConfigMap: a.configMap, sshSecret: a.sshSecret, reportsClaim: a.reportsClaim }));
  return 0;
}

export async function reportMerge(files: string[], format: string, io: Output): Promise<number> {
  const [{ mergeReports, readReport }, { exitCodeOf }, { renderJson }, { renderText }] = await Promise.all([
    import('../../app/merge.js'),
    import('../../app/exit-code.js'),
    import('../../report/json.js'),
    import('../../report/text.js'),
  ]);
  const merged = mergeReports(files.map(readReport));
  const code = exitCodeOf(merged);
  io.out(format === 'json' ? renderJson(merged, code) : renderText(merged));
  return code;
}
