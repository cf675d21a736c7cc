/**
 * Saved plans, both ends. `plan --out` records, per host, the facts digest the plan came from
 * and what it showed; `apply FILE` applies exactly that:
 * - before any host: the inventory and catalog must be what the plan was made from (section
 *   digests), and the desired state they give now must be the plan's (exit 1 otherwise, naming
 *   what changed). The hosts are then worked on with that desired state, which passed the
 *   inventory's validation like any other: a plan file is never a way around it;
 * - per host: the facts read in the one facts round trip must have the plan's digest, and the
 *   plan made from them must show the saved changes, else that host is refused (failed, naming
 *   the facts sections that changed) and the others go on. Under the apply lock the apply script
 *   checks the same digest again (the plan/apply race check), and a host that changed meanwhile
 *   is refused instead of planned again.
 */
import { InputError } from '../core/errors.js';
import type { HostDesired } from '../core/types.js';
import type { HostReport, RunReport } from '../core/report.js';
import type { Facts } from '../resources/facts.js';
import type { ResourcePlan } from '../resources/types.js';
import type { Inventory } from '../inventory/load.js';
import {
  canonicalJson,
  catalogFingerprint,
  changedSections,
  inventoryFingerprint,
  PLAN_FORMAT,
  type PlanFile,
  type PlanOptions,
  type SavedHost,
  type SavedPlan,
} from './plan-file.js';

/** How a facts section is named to the operator (the rest are the resources' own names). */
const SECTION_NAMES: Record<string, string> = { host: 'host record' };

/** What changed between the plan's facts and these ("firewall, sudoers"); undefined when nothing did. */
export function factsChangedSince(saved: SavedHost, facts: Pick<Facts, 'digest' | 'sectionDigests'>): string | undefined {
  if (!saved.facts || saved.facts.sha256 === facts.digest) return undefined;
  const names = changedSections(saved.facts.sections, facts.sectionDigests).map((n) => n.replace(/^[a-z0-9-]+/, (s) => SECTION_NAMES[s] ?? s));
  return `facts changed since the plan: ${names.join(', ') || 'the facts output'}`;
}

/** A host whose facts are not the plan's: refused, nothing changed on it. */
export function refusedMessage(changed: string, when = ''): string {
  return `${changed}${when}; this host is not changed: make a new plan to review its current state`;
}

/**
 * The plan made now, from facts with the plan's digest, must show what the saved one showed:
 * the same facts and desired state give the same plan, unless something outside the digest
 * differs (the controller's address a drop policy keeps SSH open for, another vprov).
 */
export function planDiffersFrom(saved: SavedHost, plans: readonly ResourcePlan[]): string | undefined {
  const now = new Map(plans.map((p) => [p.resource as string, { status: p.status === 'pending' ? 'pending' : p.status, changes: p.changes }]));
  const differ: string[] = [];
  for (const r of saved.resources) {
    const n = now.get(r.resource);
    if (!n || n.status !== r.status || canonicalJson(n.changes) !== canonicalJson(r.changes)) differ.push(r.resource);
  }
  for (const [resource] of now) if (!saved.resources.some((r) => r.resource === resource)) differ.push(resource);
  return differ.length === 0
    ? undefined
    : `the plan made now from the same facts differs from the saved plan in: ${differ.join(', ')} (the controller's address or SSH port differ?); this host is not changed: make a new plan`;
}

/**
 * apply FILE, before any host: the inputs the plan was made from are unchanged, and so is the
 * desired state of each of its hosts (else exit 1, naming what changed).
 */
export function checkPlanInputs(saved: SavedPlan, now: { inv: Inventory; previous?: Inventory; catalogDir?: string; hosts: readonly HostDesired[] }): void {
  const { file, plan } = saved;
  const problems: string[] = [];
  const inventory = inventoryFingerprint(now.inv);
  if (inventory.sha256 !== plan.inventory.sha256)
    problems.push(
      `${file}: the inventory ${plan.inventory.file} changed since the plan: ${changedSections(plan.inventory.sections, inventory.sections).join(', ')}`,
    );
  if (plan.pruneInventory && now.previous) {
    const previous = inventoryFingerprint(now.previous);
    if (previous.sha256 !== plan.pruneInventory.sha256)
      problems.push(
        `${file}: the --prune-inventory ${plan.pruneInventory.file} changed since the plan: ${changedSections(plan.pruneInventory.sections, previous.sections).join(', ')}`,
      );
  }
  const catalog = catalogFingerprint(now.inv, now.catalogDir);
  if (catalog.sha256 !== plan.catalog.sha256)
    problems.push(`${file}: the catalog changed since the plan: ${changedSections(plan.catalog.files, catalog.files).join(', ')}`);
  if (problems.length === 0) {
    // Same inputs, yet another desired state: the controller's side differs (DNS, ~/.ssh/config, user).
    const byName = new Map(now.hosts.map((h) => [h.name, h]));
    for (const h of plan.hosts) {
      const d = byName.get(h.name);
      if (!d) {
        problems.push(`${file}: host ${h.name}: no longer selected by the inventory and options the plan was made with`);
        continue;
      }
      const fields = [...new Set([...Object.keys(h.desired), ...Object.keys(d)])]
        .sort()
        .filter((k) => canonicalJson((h.desired as Record<string, unknown>)[k]) !== canonicalJson((d as unknown as Record<string, unknown>)[k]));
      if (fields.length > 0)
        problems.push(
          `${file}: host ${h.name}: its desired state computed now differs from the plan's in: ${fields.join(', ')} (resolved addresses, ~/.ssh/config?)`,
        );
    }
    for (const d of now.hosts) if (!plan.hosts.some((h) => h.name === d.name)) problems.push(`${file}: host ${d.name}: selected now, not in the plan`);
  }
  if (problems.length > 0) {
    const details = [...problems, `${file}: nothing was touched: make a new plan (vprov plan -i ${plan.inventory.file} --out ${file})`];
    throw new InputError(details[0]!, file, details);
  }
}

/** The plan-time options as convergeAll takes them, for apply FILE. */
export function planRunOptions(plan: PlanFile) {
  const o = plan.options;
  return {
    inventory: plan.inventory.file,
    catalogDir: plan.catalog.dir,
    limit: o.limit,
    takeOver: o.takeOver,
    removeAccounts: o.removeAccounts,
    prune: o.prune.length > 0 ? o.prune : undefined,
    pruneInventory: plan.pruneInventory?.file,
    roleMap: o.roleMap.length > 0 ? o.roleMap : undefined,
    connection: o.connection,
  };
}

/** What `plan --out` collects while the plan runs: the inputs once, each host's facts as they come. */
export class PlanRecorder {
  private inputs?: { inv: Inventory; previous?: Inventory; catalogDir?: string; hosts: readonly HostDesired[] };
  private readonly facts = new Map<string, Pick<Facts, 'digest' | 'sectionDigests'>>();

  constructor(
    private readonly options: PlanOptions,
    private readonly version: string,
  ) {}

  recordInputs(inputs: { inv: Inventory; previous?: Inventory; catalogDir?: string; hosts: readonly HostDesired[] }): void {
    this.inputs = inputs;
  }

  recordFacts(host: string, facts: Facts): void {
    this.facts.set(host, { digest: facts.digest, sectionDigests: facts.sectionDigests });
  }

  /**
   * The plan file's content, or why there is none: a plan that could not read every selected host
   * (failed, unreachable, interrupted) is not one to apply.
   */
  build(report: RunReport): { plan: Omit<PlanFile, 'checksum'> } | { error: string } {
    const inputs = this.inputs;
    if (!inputs) return { error: 'no plan was made' };
    if (report.interrupted) return { error: `the plan was interrupted (${report.interrupted.signal})` };
    const bad = report.hosts.filter((h) => h.status === 'failed' || h.status === 'unreachable');
    if (bad.length > 0)
      return {
        error: `${bad.length} host(s) could not be planned (${bad.map((h) => `${h.host}: ${h.status}`).join(', ')}): fix them, or leave them out with --limit`,
      };
    const reports = new Map(report.hosts.map((h) => [h.host, h]));
    const hosts: SavedHost[] = [];
    for (const d of inputs.hosts) {
      const r = reports.get(d.name);
      const f = this.facts.get(d.name);
      if (!r || (d.managed && !f)) return { error: `host ${d.name} was not planned` };
      hosts.push(savedHost(d, r, f));
    }
    if (hosts.length === 0) return { error: 'no host selected' };
    return {
      plan: {
        format: PLAN_FORMAT,
        formatVersion: 1,
        vprovVersion: this.version,
        createdAt: report.startedAt,
        site: inputs.inv.site,
        inventory: inventoryFingerprint(inputs.inv),
        ...(inputs.previous ? { pruneInventory: inventoryFingerprint(inputs.previous) } : {}),
        catalog: catalogFingerprint(inputs.inv, inputs.catalogDir),
        options: this.options,
        hosts,
      },
    };
  }
}

function savedHost(d: HostDesired, r: HostReport, f: Pick<Facts, 'digest' | 'sectionDigests'> | undefined): SavedHost {
  return {
    name: d.name,
    managed: d.managed,
    status: r.status === 'pending' ? 'pending' : r.status === 'skipped' ? 'skipped' : 'ok',
    ...(f ? { facts: { sha256: f.digest, sections: f.sectionDigests } } : {}),
    resources: r.resources.map((x) => ({
      resource: x.resource,
      status: x.status === 'pending' ? 'pending' : x.status === 'not-applicable' ? 'not-applicable' : 'ok',
      changes: x.changes,
    })),
    // A plain-data copy, as JSON keeps it (no undefined fields), so it compares with the file's.
    desired: JSON.parse(JSON.stringify(d)) as SavedHost['desired'],
  };
}
