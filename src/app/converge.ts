/**
 * One host, end to end: connect → facts (1 round trip) → plan → [check: stop] →
 * one batched apply script → facts again → the plan must be empty, else "not converged".
 */
import { describeError, HostError, NotConvergedError, UnreachableError } from '../core/errors.js';
import type { HostDesired } from '../core/types.js';
import { RESOURCES, type ResourcePlan } from '../resources/index.js';
import { gatherFacts } from '../resources/facts.js';
import { keyValues, sectionMarker, splitSections } from '../resources/shell.js';
import type { Connection } from '../transport/types.js';
import type { HostReport, ResourceReport } from '../core/report.js';

export interface ConvergeOptions {
  check: boolean;
  connect: (desired: HostDesired) => Promise<Connection>;
  /** per-host limit for the whole pipeline */
  timeoutMs?: number;
  /** reboot hosts whose converged state needs it (SELinux disabled ↔ enabled); never done otherwise */
  reboot?: boolean;
}

/** Detached, so the SSH channel closes cleanly before the host goes down. */
export const REBOOT_SCRIPT = `setsid sh -c 'sleep 2; systemctl reboot 2>/dev/null || reboot' </dev/null >/dev/null 2>&1 &\necho scheduled`;

function newReport(desired: HostDesired): HostReport {
  return { host: desired.name, status: 'ok', managed: desired.managed, resources: [], rebootRequired: false, roundTrips: 0, durationMs: 0 };
}

export async function convergeHost(desired: HostDesired, opts: ConvergeOptions): Promise<HostReport> {
  const limitMs = opts.timeoutMs;
  if (!limitMs) return convergeHostNow(desired, opts);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<HostReport>((resolve) => {
    timer = setTimeout(
      () => resolve({ ...newReport(desired), status: 'failed', durationMs: limitMs, error: `timed out after ${Math.round(limitMs / 1000)} s (--timeout)` }),
      limitMs,
    );
  });
  try {
    return await Promise.race([convergeHostNow(desired, opts), limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function convergeHostNow(desired: HostDesired, opts: ConvergeOptions): Promise<HostReport> {
  const started = Date.now();
  const report = newReport(desired);
  if (!desired.managed) {
    // Not vprov's to change, nor to log into: its flows are checked by `verify --connectivity`.
    report.status = 'skipped';
    report.durationMs = Date.now() - started;
    return report;
  }
  let conn: Connection | undefined;
  try {
    conn = await opts.connect(desired);
    const plans = await planHost(conn, desired);
    report.resources = plans.map((p) => toReport(p, p.status));
    if (!opts.check && plans.some((p) => p.status === 'pending')) {
      report.resources = await applyPlans(conn, opts.connect, desired, plans);
    }
    report.status = hostStatus(report.resources);
    if (opts.reboot && !opts.check && report.status !== 'failed' && report.resources.some((r) => r.rebootRequired)) {
      await conn.runScript(REBOOT_SCRIPT);
      report.rebooting = true;
    }
  } catch (err) {
    report.status = err instanceof UnreachableError ? 'unreachable' : 'failed';
    report.error = describeError(err);
  } finally {
    report.roundTrips = conn?.roundTrips ?? 0;
    conn?.close();
  }
  report.rebootRequired = report.resources.some((r) => r.rebootRequired);
  report.durationMs = Date.now() - started;
  return report;
}

async function planHost(conn: Connection, desired: HostDesired): Promise<ResourcePlan[]> {
  const facts = await gatherFacts(conn, RESOURCES, desired);
  return RESOURCES.map((r) => r.plan(facts.raw[r.kind] ?? '', desired, facts.host));
}

/** One round trip for every change; each resource in its own subshell so one failure spares the rest. */
export function applyScript(plans: readonly ResourcePlan[]): string {
  return plans
    .filter((p) => p.status === 'pending')
    .map((p) => `${sectionMarker(`apply-${p.resource}`)}\n( set -e\n${p.script}\n) 2>&1\necho "rc=$?"`)
    .join('\n') + `\n${sectionMarker('end')}\n`;
}

async function applyPlans(conn: Connection, connect: ConvergeOptions['connect'], desired: HostDesired, plans: ResourcePlan[]): Promise<ResourceReport[]> {
  const res = await conn.runScript(applyScript(plans));
  const sections = splitSections(res.stdout);
  if (sections.end === undefined) throw new HostError(`apply script did not finish (exit ${res.code}): ${res.stderr.trim()}`);
  const failed = new Map<string, string>();
  for (const p of plans.filter((x) => x.status === 'pending')) {
    const out = sections[`apply-${p.resource}`] ?? '';
    const rc = keyValues(out).rc;
    if (rc !== '0') failed.set(p.resource, out.replace(/\nrc=\d+\s*$/, '').replace(/^rc=\d+\s*$/, '').trim() || `exit ${rc}`);
  }
  const confirm = plans.filter((p) => p.status === 'pending' && p.confirmScript && !failed.has(p.resource));
  let check = conn;
  if (confirm.length > 0) {
    // Commit-confirmed: only a NEW connection proves the change kept SSH open.
    try {
      check = await connect(desired);
    } catch (err) {
      throw new HostError(`lost SSH access after the firewall change (${describeError(err)}); the rollback armed on the host restores the previous table within ${desired.firewall.confirmTimeout} s`);
    }
  }
  let after: ResourcePlan[];
  try {
    if (check !== conn) await check.runScript(confirm.map((p) => p.confirmScript).join('\n'));
    after = await planHost(check, desired);
  } finally {
    if (check !== conn) check.close();
  }
  return plans.map((before) => {
    if (before.status !== 'pending') return toReport(before, before.status);
    const error = failed.get(before.resource);
    if (error) return { ...toReport(before, 'failed'), error };
    const again = after.find((a) => a.resource === before.resource)!;
    if (again.status === 'pending') {
      const err = new NotConvergedError(`not converged: still differs after apply: ${again.changes.join('; ')}`);
      return { ...toReport(before, 'failed'), error: err.message };
    }
    return { ...toReport(before, 'changed'), rebootRequired: again.rebootRequired };
  });
}

function toReport(p: ResourcePlan, status: ResourceReport['status']): ResourceReport {
  return {
    resource: p.resource,
    status,
    changes: p.changes,
    ...(p.diff ? { diff: p.diff } : {}),
    warnings: p.warnings,
    notes: p.notes,
    rebootRequired: p.rebootRequired,
  };
}

function hostStatus(resources: ResourceReport[]): HostReport['status'] {
  if (resources.some((r) => r.status === 'failed')) return 'failed';
  if (resources.some((r) => r.status === 'changed')) return 'changed';
  if (resources.some((r) => r.status === 'pending')) return 'pending';
  return 'ok';
}
