/**
 * One host, end to end: connect → facts (1 round trip) → plan → [check: stop] →
 * one batched apply script (under the host's lock), which prints the changed resources' facts
 * again after its changes (same round trip) → the plan from them must be empty, else "not
 * converged". A change that may cut SSH is confirmed, and its facts read, over a new connection
 * instead. A host that runs out of time has its connections closed and no further step started;
 * a connection lost after the apply script started leaves its state "unknown", never guessed.
 */
import { describeError, HostError, StateUnknownError, UnreachableError } from '../core/errors.js';
import type { HostDesired } from '../core/types.js';
import type { ResourcePlan } from '../resources/index.js';
import { resourcesFor } from '../resources/registry.js';
import { planFromParsed, planFromRaw } from '../resources/plan.js';
import { parseFacts } from '../resources/module.js';
import { nftFactsOf } from '../resources/firewall.js';
import { checkedFacts, factsBody, factsScript, gatherFacts, wholeFacts, type Facts } from '../resources/facts.js';
import type { Connection } from '../transport/types.js';
import type { HostReport, ResourceReport } from '../core/report.js';
import { applyScript, parseApplyOutput, type ApplyRun } from './apply-script.js';
import { currentRun, lockOwner, recordController, type RunIdentity } from './run-identity.js';
import { foreignOf, LISTENERS_SCRIPT, LISTENERS_SECTION } from '../resources/foreign.js';
import { HOST_RECORD, newRecord, ownerOf, writtenAfter, type HostRecord, type Ownership } from '../resources/host-record.js';
import { whenStoppedNow } from './interrupt.js';
import { factsChangedSince, planDiffersFrom, refusedMessage } from './saved-plan.js';
import type { SavedHost } from './plan-file.js';
import { q, RUN_VAR } from '../resources/shell.js';

export interface ConvergeOptions {
  check: boolean;
  /** the inventory's site: recorded on the hosts it applies; another site's hosts are refused */
  site: string;
  /** apply --take-over: take hosts another site owns (audited) */
  takeOver?: boolean;
  connect: (desired: HostDesired) => Promise<Connection>;
  /** per-host limit for the whole pipeline */
  timeoutMs?: number;
  /** reboot hosts whose converged state needs it (SELinux disabled ↔ enabled); never done otherwise */
  reboot?: boolean;
  /** who applies: the lock owner line and last-apply.json */
  run?: RunIdentity;
  /** how long an apply waits for another run's lock on the host */
  lockWaitSeconds?: number;
  /** how long a rebooted host may take to answer SSH again (default 10 minutes) */
  rebootTimeoutMs?: number;
  /** pause between SSH attempts while a host reboots */
  rebootPollMs?: number;
  /** the run was interrupted and hosts in flight must stop now (reason: the signal's name) */
  stopNow?: AbortSignal;
  /** apply FILE: this host as the saved plan has it; its facts must still be the plan's */
  saved?: SavedHost;
  /** plan --out: each host's facts, for the saved plan */
  onFacts?: (host: string, facts: Facts) => void;
}

export const DEFAULT_LOCK_WAIT_S = 120;
/** The host changed under us this many times while we waited for its lock: give up. */
const STALE_ATTEMPTS = 3;

/** Detached, so the SSH channel closes cleanly before the host goes down. */
export const REBOOT_SCRIPT = `setsid sh -c 'sleep 2; systemctl reboot 2>/dev/null || reboot' </dev/null >/dev/null 2>&1 &\necho scheduled`;
/** The kernel's id of this boot: a new one proves the host really rebooted. */
export const BOOT_ID_SCRIPT = 'cat /proc/sys/kernel/random/boot_id';
const REBOOT_TIMEOUT_MS = 600_000;

/** What one host's pipeline has done so far: a timeout reports from it and stops it. */
interface HostRun {
  report: HostReport;
  phase: 'connect' | 'facts' | 'apply' | 'after-apply' | 'reboot';
  /** resources whose change the apply script may have started */
  applying: ResourcePlan[];
  connections: Connection[];
  aborted: boolean;
  /** the apply script ran, but could not write the host record: the host fails with it */
  recordError?: string;
}

function newReport(desired: HostDesired): HostReport {
  return { host: desired.name, status: 'ok', managed: desired.managed, resources: [], rebootRequired: false, roundTrips: 0, durationMs: 0 };
}

export async function convergeHost(desired: HostDesired, opts: ConvergeOptions): Promise<HostReport> {
  const started = Date.now();
  const run: HostRun = { report: newReport(desired), phase: 'connect', applying: [], connections: [], aborted: false };
  const pipeline = convergeHostNow(desired, opts, run);
  // --timeout bounds the work on the host; waiting for a reboot has its own bound on top.
  const limitMs = opts.timeoutMs && (opts.reboot ? opts.timeoutMs + (opts.rebootTimeoutMs ?? REBOOT_TIMEOUT_MS) : opts.timeoutMs);
  if (!limitMs && !opts.stopNow) return pipeline;
  let timer: NodeJS.Timeout | undefined;
  let stopListening: (() => void) | undefined;
  const stopped = new Promise<HostReport>((resolve) => {
    // No further step starts, every connection of this host is closed, the report says where it stopped.
    const abort = (why: string) => {
      if (run.aborted) return;
      run.aborted = true;
      for (const c of run.connections) c.close();
      if (run.phase === 'apply' || run.phase === 'after-apply') markUnknown(run, `${why} after the apply script started`);
      else if (run.phase === 'reboot') fail(run.report, new HostError(`${why} while waiting for the host to come back from the reboot (--reboot)`));
      else fail(run.report, new HostError(`${why} while ${run.phase === 'connect' ? 'connecting' : 'reading facts'}; connection closed, nothing changed`));
      finish(run, started);
      resolve(structuredClone(run.report)); // a copy: the stopped pipeline may still unwind
    };
    if (limitMs) timer = setTimeout(() => abort(`timed out after ${Math.round(limitMs / 1000)} s (--timeout)`), limitMs);
    stopListening = whenStoppedNow(opts.stopNow, abort);
  });
  try {
    return await Promise.race([pipeline, stopped]);
  } finally {
    clearTimeout(timer);
    stopListening?.();
  }
}

async function convergeHostNow(desired: HostDesired, opts: ConvergeOptions, run: HostRun): Promise<HostReport> {
  const started = Date.now();
  const report = run.report;
  if (!desired.managed) {
    // Not vprov's to change, nor to log into: its flows are checked by `verify --connectivity`.
    report.status = 'skipped';
    return finish(run, started);
  }
  const connect = async (d: HostDesired): Promise<Connection> => {
    checkTime(run);
    const c = await opts.connect(d);
    run.connections.push(c);
    if (run.aborted) c.close();
    checkTime(run);
    return c;
  };
  try {
    const conn = await connect(desired);
    run.phase = 'facts';
    // A check also reads the listening sockets, in the same round trip: "is anything else open?"
    const facts = await gatherFacts(conn, resourcesFor(desired), desired, opts.check ? [{ name: LISTENERS_SECTION, script: LISTENERS_SCRIPT }] : []);
    opts.onFacts?.(desired.name, facts);
    const changed = opts.saved && factsChangedSince(opts.saved, facts);
    if (changed) throw new HostError(refusedMessage(changed));
    const owner = ownerOf(desired.name, facts.record, { site: opts.site, takeOver: opts.takeOver ?? false });
    // Another site's host: its rules are not this inventory's drift, nor this apply's to replace.
    if (owner.kind === 'refused') throw new HostError(owner.message);
    noteOwnership(report, owner);
    // Each resource's facts parsed once: the plan and the foreign-state report read the same.
    const parsed = resourcesFor(desired).map((r) => ({ r, facts: parseFacts(r, facts.raw[r.kind] ?? '', desired) }));
    const plans = parsed.map((p) => planFromParsed(p.r, p.facts, desired, facts.host));
    const other = opts.saved && planDiffersFrom(opts.saved, plans);
    if (other) throw new HostError(other);
    report.resources = plans.map((p) => toReport(p, p.status));
    if (opts.check) report.foreign = foreignOf(facts.raw, facts.host, desired, nftFactsOf(parsed.find((p) => p.r.kind === 'firewall')?.facts));
    if (!opts.check && (plans.some((p) => p.status === 'pending') || owner.write)) {
      report.resources = await applyPlans(conn, connect, desired, plans, facts, owner, opts, run);
    }
    report.status = hostStatus(report.resources);
    if (run.recordError) {
      report.status = 'failed';
      report.error = run.recordError;
    }
    if (opts.reboot && !opts.check && report.status !== 'failed' && report.resources.some((r) => r.rebootRequired)) {
      checkTime(run);
      const bootId = await readBootId(conn);
      await conn.runScript(REBOOT_SCRIPT);
      report.rebooting = true;
      run.phase = 'reboot';
      conn.close();
      const back = await waitForReboot(desired, { ...opts, connect }, bootId, () => run.aborted);
      report.rebooted = true;
      report.resources = verifyAfterReboot(report.resources, await planHost(back, desired));
      report.status = hostStatus(report.resources);
    }
  } catch (err) {
    if (run.aborted) return report; // the time limit already reported this host
    if (run.applying.length > 0 && (run.phase === 'apply' || run.phase === 'after-apply')) {
      const why =
        err instanceof StateUnknownError
          ? err.message
          : err instanceof UnreachableError
            ? `the connection was lost after the apply script started (${describeError(err)})`
            : `${describeError(err)} after the apply script started`;
      markUnknown(run, why);
    } else {
      fail(report, err);
    }
  } finally {
    for (const c of run.connections) c.close();
  }
  return finish(run, started);
}

/** Adoption and take-over are said in the report (and the take-over goes to the audit log). */
function noteOwnership(report: HostReport, owner: Extract<Ownership, { kind: 'mine' }>): void {
  const notes = owner.note ? [owner.note] : [];
  if (notes.length > 0) report.notes = notes;
  else delete report.notes;
  if (owner.takenFrom) report.takenOver = { site: owner.takenFrom.site, controller: owner.takenFrom.controller, updated: owner.takenFrom.updated };
  else delete report.takenOver;
}

function checkTime(run: HostRun): void {
  if (run.aborted) throw new HostError('stopped: the host ran out of time');
}

function fail(report: HostReport, err: unknown): void {
  report.status = err instanceof UnreachableError ? 'unreachable' : 'failed';
  report.error = describeError(err);
}

/** Every resource the apply may have touched is "unknown": only a new plan can tell. */
function markUnknown(run: HostRun, why: string): void {
  const report = run.report;
  const touched = new Set(run.applying.map((p) => p.resource));
  report.status = 'failed';
  report.error = `unknown: ${why.replace(/^unknown: /, '')}; run plan to see the host's state`;
  report.resources = report.resources.map((r) => (touched.has(r.resource) && r.status !== 'failed' ? { ...r, status: 'unknown' } : r));
}

function finish(run: HostRun, started: number): HostReport {
  const report = run.report;
  report.roundTrips = run.connections.reduce((n, c) => n + c.roundTrips, 0);
  report.rebootRequired = report.resources.some((r) => r.rebootRequired);
  report.durationMs = Date.now() - started;
  return report;
}

/** Each resource's plan; a fact the host could not read fails that resource, naming it, and no other. */
function planFrom(facts: Facts, desired: HostDesired, resources = resourcesFor(desired)): ResourcePlan[] {
  return resources.map((r) => planFromRaw(r, facts.raw[r.kind] ?? '', desired, facts.host));
}

/** The resources an apply changes: the ones whose facts it prints again to be verified. */
function changing(desired: HostDesired, pending: readonly ResourcePlan[]) {
  return resourcesFor(desired).filter((r) => pending.some((p) => p.resource === r.kind));
}

async function readBootId(conn: Connection): Promise<string> {
  const r = await conn.runScript(BOOT_ID_SCRIPT);
  const id = r.stdout.trim();
  if (r.code !== 0 || !id) throw new HostError(`cannot read the boot id before rebooting (exit ${r.code}): ${r.stderr.trim()}`);
  return id;
}

/**
 * SSH again until the host answers with a new boot id (the old one: not down yet), within a
 * bound; `stopped` ends the wait early (the host's time limit already reported it).
 */
export async function waitForReboot(
  desired: HostDesired,
  opts: Pick<ConvergeOptions, 'connect' | 'rebootTimeoutMs' | 'rebootPollMs'>,
  before: string,
  stopped: () => boolean = () => false,
): Promise<Connection> {
  const timeoutMs = opts.rebootTimeoutMs ?? REBOOT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline && !stopped()) {
    await new Promise((r) => setTimeout(r, opts.rebootPollMs ?? 5000));
    let conn: Connection | undefined;
    try {
      conn = await opts.connect(desired);
      const id = (await conn.runScript(BOOT_ID_SCRIPT)).stdout.trim();
      if (id && id !== before) return conn;
      last = 'still running the boot it had before the reboot';
    } catch (err) {
      last = describeError(err);
    }
    conn?.close();
  }
  throw new HostError(`rebooted (--reboot) but SSH did not come back within ${Math.round(timeoutMs / 1000)} s; last attempt: ${last}`);
}

/** After the reboot, every resource must be in sync with nothing left for a reboot to do. */
function verifyAfterReboot(before: ResourceReport[], after: ResourcePlan[]): ResourceReport[] {
  return before.map((r) => {
    const again = after.find((a) => a.resource === r.resource);
    if (!again || r.status === 'failed') return r;
    if (again.status === 'pending' || again.rebootRequired) {
      const left = [...again.changes, ...(again.rebootRequired ? ['still needs a reboot'] : [])];
      return { ...r, status: 'failed', rebootRequired: again.rebootRequired, error: `not converged after the reboot: ${left.join('; ')}` };
    }
    return { ...r, rebootRequired: false, notes: [...r.notes, ...(r.rebootRequired ? ['verified after the reboot'] : [])] };
  });
}

async function planHost(conn: Connection, desired: HostDesired): Promise<ResourcePlan[]> {
  return planFrom(await gatherFacts(conn, resourcesFor(desired), desired), desired);
}

/**
 * Send the apply script; when the host changed while we waited for its lock, plan again from
 * the fresh facts it printed (another run may have done the work already).
 */
async function runApply(
  conn: Connection,
  desired: HostDesired,
  first: ResourcePlan[],
  facts: Facts,
  firstOwner: Extract<Ownership, { kind: 'mine' }>,
  opts: ConvergeOptions,
  run: HostRun,
) {
  const identity = opts.run ?? currentRun('apply');
  let plans = first;
  let owner = firstOwner;
  for (let attempt = 1; ; attempt++) {
    const pending = plans.filter((p) => p.status === 'pending');
    if (pending.length === 0 && !owner.write)
      return { plans, facts, results: new Map<string, { rc: string | undefined; output: string }>(), runId: identity.runId };
    checkTime(run);
    run.phase = 'apply';
    run.applying = pending;
    // The record goes with every change (which site and controller wrote last), and alone when
    // the host becomes this site's (adoption, take-over).
    const record = newRecord(opts.site, recordController(identity), identity.runId, identity.startedAt, owner.previous);
    // What vprov wrote, as this apply leaves it: a resource's entries change only if its script succeeds.
    const written = writtenAfter(record.written, plans);
    record.written = written.fixed;
    const script = applyScript(plans, { ...applyRun(identity, desired, facts, pending, opts, record), writtenByResult: written.byResult });
    const res = await conn.runScript(script);
    const outcome = parseApplyOutput(res.stdout, plans);
    switch (outcome.kind) {
      case 'done':
        if (outcome.recordRc !== '0')
          run.recordError = `cannot write the host record ${HOST_RECORD} (exit ${outcome.recordRc ?? 'unknown'}): this host's owner is not recorded`;
        return { plans, facts, results: outcome.results, verifyFacts: outcome.verifyFacts, runId: identity.runId };
      case 'locked':
        run.applying = [];
        throw new HostError(outcome.message);
      case 'not-started':
        run.applying = [];
        throw new HostError(`apply script did not run (exit ${res.code}): ${res.stderr.trim() || 'no output'}; nothing changed`);
      case 'unfinished':
        throw new StateUnknownError(
          `the apply script started and stopped before its end (exit ${res.code}${res.stderr.trim() ? `: ${res.stderr.trim()}` : ''})`,
        );
      case 'stale':
        run.applying = [];
        run.phase = 'facts';
        if (attempt >= STALE_ATTEMPTS)
          throw new HostError(
            `the host kept changing while this run waited for its apply lock (${attempt} times); nothing changed by this run, run apply again`,
          );
        facts = checkedFacts(outcome.facts, facts.raw.ssh);
        if (opts.saved) {
          // A saved plan is applied as reviewed or not at all: never planned again from other facts.
          const changed = factsChangedSince(opts.saved, facts);
          if (changed) throw new HostError(refusedMessage(changed, ' (seen under the apply lock)'));
        }
        {
          // Another controller may have recorded another site meanwhile: checked again, from what the lock saw.
          const again = ownerOf(desired.name, facts.record, { site: opts.site, takeOver: opts.takeOver ?? false });
          if (again.kind === 'refused')
            throw new HostError(`${again.message} (recorded while this run waited for the host's apply lock; nothing changed by this run)`);
          owner = again;
          noteOwnership(run.report, owner);
        }
        plans = planFrom(facts, desired);
    }
  }
}

async function applyPlans(
  conn: Connection,
  connect: ConvergeOptions['connect'],
  desired: HostDesired,
  firstPlans: ResourcePlan[],
  facts: Facts,
  owner: Extract<Ownership, { kind: 'mine' }>,
  opts: ConvergeOptions,
  run: HostRun,
): Promise<ResourceReport[]> {
  const { plans, results, verifyFacts, facts: planned, runId } = await runApply(conn, desired, firstPlans, facts, owner, opts, run);
  const appliedAt = Date.now();
  if (results.size === 0) return plans.map((p) => toReport(p, p.status)); // another run did it meanwhile
  run.phase = 'after-apply';
  const failed = new Map<string, string>();
  for (const [resource, r] of results) if (r.rc !== '0') failed.set(resource, r.output || `exit ${r.rc ?? 'unknown'}`);
  run.applying = run.applying.filter((p) => !failed.has(p.resource));
  const confirm = plans.filter((p) => p.status === 'pending' && p.confirmScript && !failed.has(p.resource));
  let check = conn;
  if (confirm.length > 0) {
    // Commit-confirmed: only a NEW connection proves the change kept SSH open.
    try {
      check = await connect(desired);
    } catch (err) {
      if (run.aborted) throw err;
      throw new HostError(
        `lost SSH access after the firewall change (${describeError(err)}); the rollback armed on the host restores the previous table within ${desired.firewall.confirmTimeout} s`,
      );
    }
  }
  // Each confirm script prints "confirmed" when it cancelled its rollback in time, else says the
  // rollback already restored the previous state: both are shown (report note, recap), never guessed.
  let confirmation: { seconds: number; confirmed: boolean; message: string } | undefined;
  if (check !== conn) {
    // The run's id, as in its apply script: a confirmation cancels this run's rollback only.
    const r = await check.runScript([`${RUN_VAR}=${q(runId)}`, ...confirm.map((p) => p.confirmScript)].join('\n'));
    const seconds = Math.round((Date.now() - appliedAt) / 100) / 10;
    const confirmed = r.code === 0 && r.stdout.split('\n').filter((l) => l.trim() === 'confirmed').length === confirm.length;
    confirmation = {
      seconds,
      confirmed,
      message: confirmed
        ? `commit-confirmed: a new SSH connection confirmed the change after ${seconds} s; the rollback armed on the host is cancelled`
        : `rolled back: the confirmation came ${seconds} s after the change, too late for the ${desired.firewall.confirmTimeout} s rollback timer, which restored the previous state (${(r.stderr || r.stdout).trim() || `exit ${r.code}`})`,
    };
  }
  checkTime(run);
  // The apply script printed the facts after its changes; read them anew only when they did not
  // come whole, or when the new connection must have its say (commit-confirmed).
  const folded = check === conn ? wholeFacts(verifyFacts, planned.raw.ssh) : undefined;
  const after = folded
    ? planFrom(
        folded,
        desired,
        changing(
          desired,
          plans.filter((p) => p.status === 'pending'),
        ),
      )
    : await planHost(check, desired);
  return plans.map((before) => {
    if (before.status !== 'pending') return toReport(before, before.status);
    const error = failed.get(before.resource);
    if (error) return { ...toReport(before, 'failed'), error };
    const confirmed = confirmation && before.confirmScript ? confirmation : undefined;
    if (confirmed && !confirmed.confirmed) return { ...toReport(before, 'failed'), error: confirmed.message, rolledBack: true };
    if (confirmed) before.notes.push(confirmed.message);
    const again = after.find((a) => a.resource === before.resource)!;
    if (again.status === 'failed') return { ...toReport(again, 'failed'), changes: before.changes };
    if (again.status === 'pending') {
      return { ...toReport(before, 'failed'), error: `not converged: still differs after apply: ${again.changes.join('; ')}` };
    }
    return {
      ...toReport(before, 'changed'),
      rebootRequired: again.rebootRequired,
      ...(confirmed ? { confirmedAfterSeconds: confirmed.seconds } : {}),
    };
  });
}

function applyRun(identity: RunIdentity, desired: HostDesired, facts: Facts, pending: ResourcePlan[], opts: ConvergeOptions, hostRecord: HostRecord): ApplyRun {
  return {
    hostRecord,
    runId: identity.runId,
    owner: lockOwner(identity),
    lockWaitSeconds: opts.lockWaitSeconds ?? DEFAULT_LOCK_WAIT_S,
    factsScript: factsBody(resourcesFor(desired), desired),
    factsDigest: facts.digest,
    // A commit-confirmed change is verified over the new connection that confirms it.
    ...(pending.some((p) => p.confirmScript) || pending.length === 0 ? {} : { verifyScript: factsScript(changing(desired, pending), desired) }),
    record: {
      runId: identity.runId,
      time: new Date().toISOString(),
      controller: identity.controller,
      user: identity.user,
      pid: identity.pid,
      vprovVersion: identity.version,
      host: desired.name,
      site: opts.site,
      changes: Object.fromEntries(pending.map((p) => [p.resource, p.changes])),
    },
  };
}

function toReport(p: ResourcePlan, status: ResourceReport['status']): ResourceReport {
  return {
    resource: p.resource,
    status,
    ...(p.error ? { error: p.error } : {}),
    changes: p.changes,
    ...(p.diff ? { diff: p.diff } : {}),
    warnings: p.warnings,
    notes: p.notes,
    rebootRequired: p.rebootRequired,
  };
}

function hostStatus(resources: ResourceReport[]): HostReport['status'] {
  if (resources.some((r) => r.status === 'failed' || r.status === 'unknown')) return 'failed';
  if (resources.some((r) => r.status === 'changed')) return 'changed';
  if (resources.some((r) => r.status === 'pending')) return 'pending';
  return 'ok';
}
