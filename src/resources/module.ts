/**
 * The resource module contract: one module owns its whole slice of vprov — its part of a host's
 * desired state, the facts probe that reads it, the only parser of those facts, the pure plan,
 * its evidence rows and their verdicts. The registry (registry.ts) lists the modules; resource
 * kinds, report and evidence schemas and evidence groups derive from it.
 *
 * A module declares its slice of HostDesired by augmentation, in its own file:
 *   declare module '../core/types.js' { interface DesiredSlices { mykind: MyDesired | null } }
 * which also makes 'mykind' a ResourceKind.
 */
import type { HostDesired, ResourceKind } from '../core/types.js';
import type { Probe } from '../core/report.js';
import type { Inventory } from '../inventory/load.js';
import type { Edge } from '../compile/edges.js';
import type { SliceContext } from '../compile/compile.js';
import { describeError, UnreadableFactError } from '../core/errors.js';
import type { HostFacts, ResourcePlan } from './types.js';

/** Common part of an evidence row: what is proven, on which host, from which document. */
export interface RowBase {
  /** stable id: kind, what and host */
  id: string;
  /** the evidence row kind (the module's `evidence.kind`) */
  kind: string;
  /** the host the requirement is proven on (the destination, for a flow) */
  host: string;
  managed: boolean;
  documents: string[];
  section: string;
}

/** A documented requirement vprov did not apply (or applied, flagged for an auditor), with why. */
export interface NotApplied {
  kind: string;
  requirement: string;
  /** not applied: vprov did nothing for it; flagged: applied as documented, but worth an auditor's eye */
  status: 'not applied' | 'flagged';
  reason: string;
  documents: string[];
  section: string;
}

export interface RequirementsContext {
  inv: Inventory;
  hosts: readonly HostDesired[];
  edges: readonly Edge[];
}

export type Verdict = 'met' | 'not met' | 'not applicable' | 'not verifiable';

/** What a module says of one row: the label and fields the report shows (beside id, kind, host, documents, section). */
export interface RowDescription {
  requirement: string;
  sources?: string[];
  protocol?: 'tcp' | 'udp' | 'icmp';
  ports?: string[];
  platform?: string | null;
  method?: string | null;
  condition?: string | null;
  rootEquivalent?: boolean;
}

export interface Judgement {
  verdict: Verdict;
  found: string[];
  reason?: string;
}

/** Everything of the run a verdict may look at beyond its own host's facts. */
export interface JudgeContext {
  desired: HostDesired;
  host: HostFacts;
  /** the name of the host with this address, for "node1 (192.0.2.5)" */
  labelOf: (address: string) => string | undefined;
  /** TCP probes made from the managed source hosts */
  probes: readonly Probe[];
  /** is this inventory host managed (vprov logs in to it)? */
  isManaged: (host: string) => boolean;
}

export interface ResourceModule<K extends ResourceKind = ResourceKind, F = unknown, R extends RowBase = RowBase> {
  kind: K;
  /**
   * Its slice of a host's desired state, from catalog × inventory and what compile shares (pure);
   * null: nothing wanted on this host, and (unless `everyHost`) the module is left out of the
   * host's facts, plan and report.
   */
  desired(ctx: SliceContext): HostDesired[K];
  /** planned and reported on every host, its slice null or not (what vprov wrote is removed where nothing is wanted) */
  everyHost?: boolean;
  /** sh fragment printing what this resource needs to know; its output is section `kind`. '' when nothing to read. */
  probe(desired: HostDesired): string;
  /** The only parser of this module's facts section: its facts, or why they cannot be read. */
  parse(raw: string, desired: HostDesired): F | UnreadableFactError;
  /** Pure: the parsed facts against the desired slice (desired absent = remove what vprov wrote). */
  plan(facts: F, desired: HostDesired, host: HostFacts): ResourcePlan;
  /**
   * Evidence rows and documented requirements not applied. Called once for the whole deployment
   * (`host` undefined: rows that span hosts, such as flows) and once per host.
   */
  requirements(ctx: RequirementsContext, host?: HostDesired): { rows: R[]; notApplied: NotApplied[] };
  /** The report's label of a row. */
  describe(row: R): RowDescription;
  /** What was found for a row without its host's facts (a host not read): e.g. probes from the sources. */
  foundElsewhere?(row: R, ctx: JudgeContext): string[];
  /** The verdict of one row against this host's parsed facts. Pure. */
  judge(row: R, facts: F, ctx: JudgeContext): Judgement;
  /** The evidence row kind of this module and the report's group for it (in registry order). */
  evidence: { kind: string; group: string; title: string };
}

/** A module of any kind, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: the registry holds modules of every facts/desired type
export type AnyModule = ResourceModule<ResourceKind, any, any>;

/** The products that ask something of this host (it holds one of their sudo roles). */
export function askingProducts(inv: Inventory, h: HostDesired): Inventory['products'] {
  return inv.products.filter((sp) => h.roles.some((r) => r.startsWith(sp.prefix) && r.slice(sp.prefix.length) in sp.product.requirements.sudo));
}

/** One list's items as they are; several lists' merged and sorted. */
export function union(lists: string[][]): string[] {
  return lists.length === 1 ? lists[0]! : [...new Set(lists.flat())].sort();
}

/** parse() that never throws: an error it throws is returned like one it returns. */
export function parseFacts<F>(m: ResourceModule<ResourceKind, F, RowBase>, raw: string, desired: HostDesired): F | UnreadableFactError {
  try {
    return m.parse(raw, desired);
  } catch (err) {
    if (err instanceof UnreadableFactError) return err;
    return new UnreadableFactError(`cannot read the ${m.kind} facts: ${describeError(err)}`);
  }
}
