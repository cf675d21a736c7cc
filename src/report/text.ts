/** Human-readable report: per-host changes and diffs, then an Ansible-style recap. */
import type { ForeignItem, HostReport, ResourceReport, RunReport } from '../core/report.js';
import { terminalLines } from './neutral.js';

const LABEL: Record<ResourceReport['status'], string> = {
  ok: 'ok',
  changed: 'changed',
  pending: 'pending',
  failed: 'FAILED',
  'not-applicable': 'not applicable',
  unknown: 'UNKNOWN (run plan)',
};

const DRIFT_LABEL: Partial<Record<ResourceReport['status'], string>> = { ok: 'in sync', pending: 'DRIFTED' };

export function renderText(report: RunReport, opts: { diff?: boolean } = {}): string {
  return textHead(report) + report.hosts.map((h) => hostText(h, report.command, opts)).join('') + textTail(report);
}

/** The report's first lines: what ran, and the warnings not acknowledged. */
export function textHead(report: RunReport): string {
  const out: string[] = [`site ${report.site}: vprov ${report.command} of ${report.inventory}`, ''];
  // Acknowledged in the inventory (acknowledge:): counted in the recap, not repeated.
  const shown = report.warnings.filter((w) => !w.acknowledged);
  for (const w of shown) out.push(...terminalLines(`warning: ${w.message}`, 3));
  if (shown.length) out.push('');
  return out.map((l) => `${l}\n`).join('');
}

/** One host's block and the blank line after it: it depends on that host alone. */
export function hostText(h: HostReport, command: RunReport['command'], opts: { diff?: boolean } = {}): string {
  // Host text is neutralised line by line: no control character, no line at column 0 but the header.
  return [...hostBlock(h, opts.diff ?? true, command === 'drift').flatMap((l) => terminalLines(l, 6)), ''].map((l) => `${l}\n`).join('');
}

/** Connectivity and the recap: what needs every host (the recap needs only their counts). */
export function textTail(report: RunReport): string {
  const out: string[] = [];
  if (report.connectivity) out.push(...connectivityBlock(report).flatMap((l) => terminalLines(l, 6)), '');
  out.push(...recap(report));
  return `${out.join('\n')}\n`;
}

function hostBlock(h: HostReport, diff: boolean, drift: boolean): string[] {
  const label = (s: ResourceReport['status']) => (drift ? DRIFT_LABEL[s] : undefined) ?? LABEL[s];
  const hostStatus = drift && h.status === 'pending' ? 'drifted' : drift && h.status === 'ok' ? 'in sync' : h.status;
  const lines = [`== ${h.host}: ${hostStatus}${h.managed ? '' : ' (managed: false: never changed; its flows are checked by verify --connectivity)'}`];
  if (h.error) lines.push(`   error: ${h.error}`);
  for (const n of h.notes ?? []) lines.push(`   note: ${n}`);
  if (h.rebooting) lines.push(h.rebooted ? '   rebooted (--reboot); SSH back, state verified after the boot' : '   reboot scheduled (--reboot)');
  for (const r of h.resources) {
    lines.push(`   ${r.resource.padEnd(9)} ${label(r.status)}${r.rebootRequired ? ' (reboot required)' : ''}`);
    if (r.error) lines.push(...indent(r.error, 6));
    for (const c of r.changes) lines.push(`      ${c}`);
    if (diff && r.diff && r.status !== 'ok') lines.push(...indent(r.diff.replace(/^=+\n/m, ''), 6));
    for (const n of r.notes) lines.push(`      note: ${n}`);
    for (const w of r.warnings) lines.push(`      warning: ${w}`);
  }
  const f = h.foreign;
  if (f && (f.items.length > 0 || f.notes.length > 0 || f.errors?.length)) {
    lines.push(`   other access (not vprov's: reported, never changed, not drift)`);
    for (const n of f.notes) lines.push(`      note: ${n}`);
    for (const i of f.items) lines.push(`      ${foreignLine(i)}`);
    for (const e of f.errors ?? []) lines.push(`      error: ${e}`);
  }
  return lines;
}

function indent(text: string, n: number): string[] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `${' '.repeat(n)}${l}`);
}

export function recap(report: RunReport): string[] {
  const width = Math.max(4, ...report.hosts.map((h) => h.host.length));
  const lines = ['RECAP'];
  const pendingWord = report.command === 'drift' ? 'drifted' : 'pending';
  for (const h of report.hosts) {
    const count = (s: ResourceReport['status']) => h.resources.filter((r) => r.status === s).length;
    lines.push(
      `${h.host.padEnd(width)} : ok=${count('ok') + count('not-applicable')} changed=${count('changed')} ${pendingWord}=${count('pending')} failed=${failedCount(h, count)} unreachable=${h.status === 'unreachable' ? 1 : 0} skipped=${h.status === 'skipped' ? 1 : 0}${h.rebootRequired ? ' reboot-required' : ''}${confirmedSuffix(h)}`,
    );
  }
  const by = (s: HostReport['status']) => report.hosts.filter((h) => h.status === s).length;
  const acknowledged = report.warnings.filter((w) => w.acknowledged).length;
  if (acknowledged) lines.push(`warnings: ${report.warnings.length} (${acknowledged} acknowledged in the inventory, not shown)`);
  if (report.interrupted)
    lines.push(
      `INTERRUPTED by ${report.interrupted.signal}: ${report.interrupted.notStarted} host(s) not started; hosts stopped in flight say so (see their errors)`,
    );
  if (report.planFile)
    lines.push(
      report.command === 'apply'
        ? `applied from plan file ${report.planFile.path} (sha256 ${report.planFile.sha256})`
        : `plan saved to ${report.planFile.path} (sha256 ${report.planFile.sha256}): vprov apply ${report.planFile.path} applies exactly it`,
    );
  lines.push(
    `hosts: ${report.hosts.length} ok=${by('ok')} changed=${by('changed')} ${pendingWord}=${by('pending')} failed=${by('failed')} unreachable=${by('unreachable')} skipped=${by('skipped')} (${(report.durationMs / 1000).toFixed(1)}s)`,
  );
  return lines;
}

/** A host that failed before any resource was looked at still counts as one failure. */
function failedCount(h: HostReport, count: (s: ResourceReport['status']) => number): number {
  const n = count('failed') + count('unknown');
  return n === 0 && h.status === 'failed' ? 1 : n;
}

function connectivityBlock(report: RunReport): string[] {
  const probes = report.connectivity ?? [];
  const lines = [`CONNECTIVITY (TCP, from source hosts; "refused" = reachable, nothing listening)`];
  for (const p of probes)
    lines.push(
      `   ${p.result === 'filtered' || p.result === 'unknown' ? '✗' : '✓'} ${p.from} → ${p.to} ${p.address}:${p.port} ${p.result}${p.detail ? ` (${p.detail})` : ''} [${p.flow}]`,
    );
  const bad = probes.filter((p) => p.result === 'filtered' || p.result === 'unknown').length;
  lines.push(`   ${probes.length - bad}/${probes.length} reachable`);
  return lines;
}

/** One line per item of "other access". */
export function foreignLine(i: ForeignItem): string {
  const why = i.required
    ? 'open, also required by a document or site flow'
    : i.kind === 'listener' && !i.open
      ? 'listening, required by no document or site flow'
      : 'open, required by no document or site flow';
  return `${i.source}: ${i.what} — ${why}`;
}

/**
 * A commit-confirmed change in the recap: how long its rollback stayed armed before the new
 * connection confirmed it, or that the rollback restored the previous state first.
 */
function confirmedSuffix(h: HostReport): string {
  const seconds = h.resources.flatMap((r) => (r.confirmedAfterSeconds === undefined ? [] : [r.confirmedAfterSeconds]));
  const rolledBack = h.resources.some((r) => r.rolledBack) ? ' rolled-back' : '';
  return `${seconds.length ? ` confirmed-after=${Math.max(...seconds)}s` : ''}${rolledBack}`;
}
