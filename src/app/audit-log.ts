/**
 * --audit-log FILE: one JSON line per host and run, appended (O_APPEND, one write per line, so
 * concurrent runs never interleave within a line). It says who ran what from where, what
 * changed and how it ended; never a secret (the sudo password is not in any report).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { dirname } from 'node:path';
import type { HostReport, RunReport } from '../core/report.js';
import type { RunIdentity } from './run-identity.js';

export function auditLines(report: RunReport, run: RunIdentity): string[] {
  return report.hosts.map((h) => auditLine(report, run, auditHostPart(h)));
}

/** A host's part of its audit line (from "host" on): it depends on that host alone, so it is kept as hosts finish. */
export function auditHostPart(h: HostReport): string {
  return JSON.stringify({
    host: h.host,
    result: h.status,
    // an explicit --take-over: whose host it was until this run
    ...(h.takenOver ? { takeOver: { from: h.takenOver.site, controller: h.takenOver.controller, updated: h.takenOver.updated } } : {}),
    ...(h.error ? { error: h.error } : {}),
    changed: Object.fromEntries(h.resources.filter((r) => r.status === 'changed').map((r) => [r.resource, r.changes])),
    ...(h.resources.some((r) => r.status !== 'changed' && r.status !== 'ok' && r.status !== 'not-applicable')
      ? { resources: Object.fromEntries(h.resources.filter((r) => r.status !== 'ok').map((r) => [r.resource, r.status])) }
      : {}),
    durationMs: h.durationMs,
  });
}

/** The whole line: the run's fields (its end time is known only at the end), then the host's part. */
export function auditLine(report: RunReport, run: RunIdentity, hostPart: string): string {
  const head = JSON.stringify({
    time: new Date(Date.parse(report.startedAt) + report.durationMs).toISOString(),
    startedAt: report.startedAt,
    runId: run.runId,
    command: report.command,
    site: report.site,
    controller: run.controller,
    user: run.user,
    pid: run.pid,
    vprovVersion: run.version,
    inventory: report.inventory,
    // apply FILE: which reviewed plan this was
    ...(report.planFile ? { planFile: report.planFile.path, planSha256: report.planFile.sha256 } : {}),
  });
  return `${head.slice(0, -1)},${hostPart.slice(1)}`;
}

export function appendAuditLog(file: string, report: RunReport, run: RunIdentity, lines = auditLines(report, run)): void {
  mkdirSync(dirname(file), { recursive: true });
  if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`, { mode: 0o640 });
}

/** Checked before any host is contacted: an audit log that cannot be written is bad input. */
export function checkAuditLog(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, '', { mode: 0o640 });
  } catch (err) {
    throw new InputError(`--audit-log ${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
