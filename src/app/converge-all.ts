/** The plan / apply use case over an inventory: load, compile, converge every selected host. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { localUserName } from './local-user.js';
import { join } from 'node:path';
import { connectLocal } from '../transport/local.js';
import { parseSshConfig } from '../transport/ssh-config.js';
import { loadCatalog } from '../catalog/load.js';
import { compile, compileFleet, type CompileOptions, type CompileResult, type FleetCompile, type HostHead } from '../compile/compile.js';
import type { HostDesired, Warning } from '../core/types.js';
import { loadInventory, type Inventory } from '../inventory/load.js';
import { selectHosts } from '../inventory/limit.js';
import { connectSsh } from '../transport/ssh.js';
import type { Connection } from '../transport/types.js';
import { probesFor, runProbes } from './connectivity.js';
import { inShard, type Shard } from './shard.js';
import type { HostReport, RunReport } from '../core/report.js';
import { forEachHost, type Progress, silentProgress } from './runner.js';
import { currentRun } from './run-identity.js';
import { appendAuditLog, checkAuditLog } from './audit-log.js';
import { notStartedError, type Interrupt } from './interrupt.js';
import type { ReportFold } from './report-fold.js';
import { resolveHostAddresses } from './resolve.js';
import { hostsThatLeft, prunedHosts } from './prune.js';
import type { SavedPlan } from './plan-file.js';
import type { PlanRecorder } from './saved-plan.js';

/** A host's whole pipeline, when --timeout does not say: nothing waits forever. */
export const DEFAULT_HOST_TIMEOUT_S = 600;

export interface ConvergeAllOptions {
  inventory: string;
  catalogDir?: string;
  check: boolean;
  /** the name the report carries (plan, apply, verify, drift) */
  command?: RunReport['command'];
  /** apply --reboot */
  reboot?: boolean;
  /** apply --take-over: take hosts another site owns (recorded in the report and the audit log) */
  takeOver?: boolean;
  /** apply --reboot-timeout: how long a rebooted host may take to answer SSH again */
  rebootTimeoutMs?: number;
  /** verify: also probe TCP reachability from source hosts */
  connectivity?: boolean;
  limit?: string;
  /** apply: remove accounts vprov created that no role of their host needs any more */
  removeAccounts?: boolean;
  /** hosts that left the inventory, to clean (their connection data from `pruneInventory`) */
  prune?: string[];
  /** the inventory the pruned hosts were applied with */
  pruneInventory?: string;
  /** drift at scale: only the hosts of this shard */
  shard?: Shard;
  /** group=role pairs for Ansible inventories */
  roleMap?: string[];
  forks?: number;
  /** progress display, made once the selected hosts are known */
  progress?: (hosts: string[]) => Progress;
  /** ssh (default) or local: run on this machine without SSH */
  connection?: 'ssh' | 'local';
  /** sudo password, from VPROV_BECOME_PASSWORD or --ask-become-pass; never printed */
  becomePassword?: string;
  /** limit for one host's whole pipeline (default DEFAULT_HOST_TIMEOUT_S) */
  hostTimeoutMs?: number;
  /** apply: how long to wait for another run's lock on a host */
  lockWaitSeconds?: number;
  /** append one JSON line per host to this file */
  auditLog?: string;
  /** ~/.ssh/config to honour (default: the user's, when present) */
  sshConfigFile?: string;
  /** for tests: how to reach a host */
  connect?: (desired: HostDesired) => Promise<Connection>;
  onWarning?: (message: string) => void;
  /** SIGINT/SIGTERM: no new host starts, hosts in flight stop after a grace period */
  interrupt?: Interrupt;
  /** plan --out: collects what the saved plan holds */
  planRecorder?: PlanRecorder;
  /** apply FILE: the plan applied (its inputs and options are the ones above, taken from it) */
  savedPlan?: SavedPlan;
  /**
   * The reports, folded as hosts finish (report-fold.ts): the run keeps each host's slim copy,
   * and the audit log is written from the fold's lines.
   */
  fold?: ReportFold;
}

/**
 * A host as the run holds it until its turn: its desired state is made then (`desired()`) and
 * dropped when the host is done, so that a run's memory does not grow with its fleet.
 */
interface RunHost {
  name: string;
  managed: boolean;
  hostKeys: HostDesired['ssh']['hostKeys'];
  desired(): HostDesired;
}

/** What a run keeps of its input: not the inventory, its YAML document or the compiled fleet. */
interface RunInputs {
  site: string;
  warnings: Warning[];
  hosts: RunHost[];
  /** verify --connectivity: the probes (they span hosts) and every host's desired state, made once */
  connectivity?: { probes: ReturnType<typeof probesFor>; desired: HostDesired[] };
}

export async function convergeAll(opts: ConvergeAllOptions): Promise<RunReport> {
  const started = Date.now();
  const { site, warnings, hosts, connectivity: probing } = await runInputs(opts);
  const saved = new Map(opts.savedPlan?.plan.hosts.map((h) => [h.name, h]));
  const progress = opts.progress?.(hosts.map((h) => h.name)) ?? silentProgress;
  if (opts.connection === 'local' && hosts.length > 1)
    opts.onWarning?.(`--connection local runs every selected host's plan on this machine (${hosts.length} hosts): use --limit`);
  // Host-key notices belong in the report too (the JSON document is all a --format json run prints).
  const notices: Warning[] = [];
  const notice = (code: string, host: string, message: string) => {
    notices.push({ code, host, message: `${host}: ${message}` });
    opts.onWarning?.(`${host}: ${message}`);
  };
  const connect = connector({
    ...opts,
    onHostNotice: (host, message) => notice(/^recorded new host key/.test(message) ? 'host-key-recorded' : 'ssh-notice', host, message),
  });
  for (const h of hosts) if (h.hostKeys === 'off') notice('host-keys-off', h.name, 'host key checking is off (lab use only)');
  const early = dialEarly(hosts, opts.forks ?? 25, connect);
  // Loaded while the first connections are set up: resources, templates and diff are not needed before facts arrive.
  const { convergeHost } = await import('./converge.js');
  const command = opts.command ?? (opts.check ? 'plan' : 'apply');
  const run = currentRun(command);
  const interrupt = opts.interrupt;
  const fold = opts.fold;
  const keep = (r: HostReport, index: number): HostReport => (fold ? fold.keep(r, index) : r);
  const notStarted = (h: RunHost, index: number): HostReport =>
    keep(
      {
        host: h.name,
        status: h.managed ? 'failed' : 'skipped',
        managed: h.managed,
        resources: [],
        ...(h.managed ? { error: notStartedError(interrupt?.signal) } : {}),
        rebootRequired: false,
        roundTrips: 0,
        durationMs: 0,
      },
      index,
    );
  const { results: reports, interrupted } = await forEachHost(
    hosts,
    opts.forks ?? 25,
    async (h, index) => {
      progress.start(h.name);
      const r = await convergeHost(h.desired(), {
        check: opts.check,
        site,
        takeOver: opts.takeOver,
        connect: early.connect,
        reboot: opts.reboot,
        rebootTimeoutMs: opts.rebootTimeoutMs,
        timeoutMs: opts.hostTimeoutMs ?? DEFAULT_HOST_TIMEOUT_S * 1000,
        run,
        lockWaitSeconds: opts.lockWaitSeconds,
        stopNow: interrupt?.stopNow,
        saved: saved.get(h.name),
        onFacts: opts.planRecorder && ((host, facts) => opts.planRecorder?.recordFacts(host, facts)),
      });
      progress.done(h.name, r.status);
      return keep(r, index);
    },
    interrupt,
    notStarted,
  ).finally(early.unused);
  const connectivity = probing && !interrupted ? await runProbes(probing.probes, probing.desired, connect, opts.forks ?? 25) : undefined;
  const report: RunReport = {
    command,
    site,
    inventory: opts.inventory,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    warnings: [...warnings, ...notices],
    hosts: reports,
    ...(opts.shard ? { shard: `${opts.shard.index}/${opts.shard.count}` } : {}),
    ...(connectivity ? { connectivity } : {}),
    ...(interrupted ? { interrupted } : {}),
    ...(opts.savedPlan ? { planFile: { path: opts.savedPlan.file, sha256: opts.savedPlan.sha256 } } : {}),
  };
  if (opts.auditLog) {
    try {
      appendAuditLog(opts.auditLog, report, run, fold?.auditLines(report, run));
    } catch (err) {
      opts.onWarning?.(`--audit-log ${opts.auditLog}: ${(err as Error).message}`);
    }
  }
  return report;
}

/**
 * Load, check and compile the input, select the run's hosts, check a saved plan against them.
 * plan --out, apply FILE and verify --connectivity need every host's desired state at once (the
 * saved plan holds them; the probes span hosts); any other run makes each when its turn comes.
 */
async function runInputs(opts: ConvergeAllOptions): Promise<RunInputs> {
  const whole = Boolean(opts.planRecorder || opts.savedPlan || opts.connectivity);
  const { inv, compiled, fleet } = whole ? { ...(await prepareRun(opts)), fleet: undefined } : { ...(await prepareFleet(opts)), compiled: undefined };
  if (opts.auditLog) checkAuditLog(opts.auditLog);
  const selected = new Set(selectHosts(inv.data, opts.limit));
  const take = (name: string) => selected.has(name) && inShard(name, opts.shard);
  const current = new Set((compiled?.hosts ?? fleet?.heads ?? []).map((h) => h.name));
  const { hosts: pruned, previous } = opts.pruneInventory ? await previousHosts(opts, inv, current) : { hosts: [] };
  const removeAccounts = opts.removeAccounts ?? false;
  if (fleet) {
    const hosts = lazyHosts(
      fleet.heads.filter((h) => take(h.name)),
      fleet.desired,
      removeAccounts,
    );
    return { site: inv.site, warnings: fleet.warnings, hosts: [...hosts, ...pruned.map(madeHost)] };
  }
  const all = [...compiled!.hosts.filter((h) => take(h.name)).map((h) => withRemoveAccount(h, removeAccounts)), ...pruned];
  const planInputs = { inv, previous, catalogDir: opts.catalogDir, hosts: all };
  opts.planRecorder?.recordInputs(planInputs);
  if (opts.savedPlan) (await import('./saved-plan.js')).checkPlanInputs(opts.savedPlan, planInputs);
  const managed = new Set(all.filter((h) => h.managed).map((h) => h.name));
  return {
    site: inv.site,
    warnings: compiled!.warnings,
    hosts: all.map(madeHost),
    ...(opts.connectivity ? { connectivity: { probes: probesFor(compiled!, managed), desired: all } } : {}),
  };
}

/** A host whose desired state is already made. */
function madeHost(d: HostDesired): RunHost {
  return { name: d.name, managed: d.managed, hostKeys: d.ssh.hostKeys, desired: () => d };
}

/** Hosts whose desired state is made when asked; in a scope of their own, their closures keep nothing else of the set-up. */
function lazyHosts(heads: readonly HostHead[], desired: (name: string) => HostDesired, removeAccounts: boolean): RunHost[] {
  return heads.map((h) => ({ ...h, desired: () => withRemoveAccount(desired(h.name), removeAccounts) }));
}

/** apply --remove-accounts: the one explicit way an account vprov created and no role needs goes. */
function withRemoveAccount(h: HostDesired, removeAccounts: boolean): HostDesired {
  return removeAccounts && h.retired?.account ? { ...h, retired: { ...h.retired, removeAccount: true } } : h;
}

export type RunInput = Pick<ConvergeAllOptions, 'inventory' | 'catalogDir' | 'roleMap' | 'sshConfigFile' | 'onWarning'>;

/**
 * Load, validate and compile: everything that can be wrong with the input fails here, before
 * any host is touched. Warnings go to `onWarning`.
 */
export async function prepareRun(opts: RunInput): Promise<{ inv: Inventory; compiled: CompileResult }> {
  const { inv, options } = await loadForCompile(opts);
  const compiled = compile(inv, options);
  for (const w of compiled.warnings) if (!w.acknowledged) opts.onWarning?.(w.message);
  return { inv, compiled };
}

/** prepareRun for a run that makes each host's desired state when its turn comes (compileFleet). */
async function prepareFleet(opts: RunInput): Promise<{ inv: Inventory; fleet: FleetCompile }> {
  const { inv, options } = await loadForCompile(opts);
  const fleet = compileFleet(inv, options);
  for (const w of fleet.warnings) if (!w.acknowledged) opts.onWarning?.(w.message);
  return { inv, fleet };
}

async function loadForCompile(opts: RunInput): Promise<{ inv: Inventory; options: CompileOptions }> {
  const inv = loadInventoryWithCatalog(opts);
  const resolved = await resolveHostAddresses(inv);
  const sshConfigFile = opts.sshConfigFile ?? join(homedir(), '.ssh', 'config');
  const sshConfig = existsSync(sshConfigFile) ? parseSshConfig(readFileSync(sshConfigFile, 'utf8')) : undefined;
  // The resource modules, each making its slice of every host (loaded here: not needed before the input is valid).
  const { RESOURCES } = await import('../resources/registry.js');
  return { inv, options: { modules: RESOURCES, resolved, local: { user: localUserName(), home: homedir() }, sshConfig } };
}

/**
 * --prune-inventory OLD: the hosts --prune names, from OLD (their connection data), planned for
 * removal of what vprov wrote; without --prune, the hosts that left are only listed (a warning).
 */
async function previousHosts(opts: ConvergeAllOptions, inv: Inventory, current: ReadonlySet<string>): Promise<{ hosts: HostDesired[]; previous: Inventory }> {
  const file = opts.pruneInventory!;
  const previous = await prepareRun({ ...opts, inventory: file, onWarning: undefined });
  if (opts.prune && opts.prune.length > 0)
    return { hosts: prunedHosts(opts.prune, previous.compiled.hosts, current, file, opts.removeAccounts ?? false), previous: previous.inv };
  const left = hostsThatLeft(previous.compiled.hosts, current);
  if (left.length > 0)
    opts.onWarning?.(
      `hosts in ${file} that left ${inv.file}, not changed: ${left.join(', ')}; apply --prune ${left.join(' ')} --prune-inventory ${file} removes what vprov wrote there`,
    );
  return { hosts: [], previous: previous.inv };
}

/** How hosts are reached: the test's `connect`, this machine (--connection local) or SSH. */
export function connector(
  opts: Pick<ConvergeAllOptions, 'connect' | 'connection' | 'becomePassword' | 'onWarning'> & { onHostNotice?: (host: string, message: string) => void },
): (d: HostDesired) => Promise<Connection> {
  const onHostNotice = opts.onHostNotice ?? ((host: string, m: string) => opts.onWarning?.(`${host}: ${m}`));
  return (
    opts.connect ??
    (opts.connection === 'local'
      ? async (d: HostDesired) => connectLocal(d.ssh, opts.becomePassword)
      : (d: HostDesired) => connectSsh(d.ssh, { becomePassword: opts.becomePassword, onNotice: (m) => onHostNotice(d.name, m) }))
  );
}

/**
 * Connection set-up overlapped with the work before the first host needs it: the first `forks`
 * managed hosts (the ones the workers take first) are dialled now. Each early connection is
 * handed out once, to that host's pipeline, which awaits it and reports its failure; any later
 * connect (the commit-confirm check, other hosts) dials anew. `unused()` closes the ones no
 * pipeline took (one that gave up before connecting), so none keeps the process alive.
 */
function dialEarly(
  hosts: readonly RunHost[],
  forks: number,
  connect: (d: HostDesired) => Promise<Connection>,
): { connect: (d: HostDesired) => Promise<Connection>; unused: () => void } {
  const early = new Map<string, Promise<Connection>>();
  for (const h of hosts.filter((x) => x.managed).slice(0, Math.max(1, forks))) {
    const dialling = connect(h.desired());
    dialling.catch(() => undefined); // handled where the host's pipeline awaits it
    early.set(h.name, dialling);
  }
  return {
    connect: (d) => {
      const dialling = early.get(d.name);
      if (!dialling) return connect(d);
      early.delete(d.name);
      return dialling;
    },
    unused: () => {
      for (const dialling of early.values())
        dialling.then(
          (c) => c.close(),
          () => undefined,
        );
      early.clear();
    },
  };
}

/** The inventory names its product: load just that product's catalog file when it can. */
function loadInventoryWithCatalog(opts: RunInput): Inventory {
  const product = peekProduct(opts.inventory);
  const load = (catalog: ReturnType<typeof loadCatalog>) => loadInventory(opts.inventory, catalog, { roleMap: opts.roleMap, onNotice: opts.onWarning });
  if (product) {
    try {
      return load(loadCatalog(opts.catalogDir, product));
    } catch {
      // Whatever went wrong, the full catalog gives the complete, exact error.
    }
  }
  return load(loadCatalog(opts.catalogDir));
}

function peekProduct(file: string): string | undefined {
  try {
    return /^product:\s*["']?([a-z0-9-]+)["']?\s*$/m.exec(readFileSync(file, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}
