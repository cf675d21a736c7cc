/**
 * The firewall resource: picks the backend (auto = firewalld if running, else nftables), plans
 * it, and removes vprov's objects of every backend that is not the effective one. Each backend
 * has the same shape (detect, probe, parse, plan, remove); a new one is one more entry in
 * BACKENDS. Its evidence: one row per documented flow and destination host.
 */
import { FIREWALL_BACKENDS, type FirewallBackend, type Flow, type HostDesired, type Protocol } from '../core/types.js';
import { firewallDesired, type FirewallDesired } from './firewall-desired.js';
import { UnreadableFactError } from '../core/errors.js';
import { NFT_FILE, planNftables, nftFactsScript, readNftFacts, removeNftables, type NftFacts } from './firewall-nftables.js';
import {
  FIREWALLD_RUNTIME_PROBE,
  firewalldFailed,
  firewalldFilesScript,
  firewalldHostScript,
  parseFirewalldStatus,
  planFirewalld,
  readFirewalldFacts,
  removeFirewalld,
  type FirewalldFacts,
  type FirewalldStatus,
} from './firewall-firewalld.js';
import { admittingRules, firewalldAcceptRules, nftAcceptRules, type AcceptRule } from './evidence-facts.js';
import { keyValues } from './shell.js';
import { effectiveFlow, flowSelection, noSourceReason, siteConditionOn, takesPart } from '../compile/select.js';
import { emptyPlan, failedPlan, type HostFacts, type ResourcePlan } from './types.js';
import type { JudgeContext, NotApplied, ResourceModule, RowBase } from './module.js';

declare module '../core/types.js' {
  interface DesiredSlices {
    firewall: FirewallDesired;
  }
}

type Backend = Exclude<FirewallBackend, 'auto' | 'none'>;

/** One firewall backend: how vprov reads, plans and removes what it owns there. */
interface BackendModule<F> {
  name: Backend;
  /** does `auto` pick it on this host? (asked in BACKENDS order; the last one is the fallback) */
  detect(status: FirewalldStatus): boolean;
  /** sh fragment for the firewall section; `auto`: the backend may be this one */
  probe(fw: FirewallDesired): string;
  parse(kv: Record<string, string>): F | UnreadableFactError;
  plan(facts: F, fw: FirewallDesired, host: HostFacts, status: FirewalldStatus): ResourcePlan;
  /** removal of everything vprov wrote with this backend; null when nothing is there */
  remove(facts: F, host: HostFacts, status: FirewalldStatus, why: string): { changes: string[]; script: string } | null;
  /** accept rules of vprov's objects in the live firewall, for evidence */
  acceptRules(facts: F): AcceptRule[] | UnreadableFactError;
}

const firewalld: BackendModule<FirewalldFacts> = {
  name: 'firewalld',
  // where it runs or is starting, or where its unit failed: that host was meant to run it, and the firewalld plan says why it cannot
  detect: (status) => status.running || firewalldFailed(status),
  probe: (fw) =>
    // firewalld's runtime is read only where it runs and may be the backend (its probe starts
    // Python, and waits for a firewalld that is starting: not for an nftables host).
    [
      firewalldFilesScript(),
      ...(fw.backend === 'firewalld' || fw.backend === 'auto' ? [`if [ -n "$VPROV_FIREWALLD" ]; then\n${FIREWALLD_RUNTIME_PROBE}\nfi`] : []),
    ].join('\n'),
  parse: readFirewalldFacts,
  plan: (facts, fw, _host, status) => planFirewalld(facts, fw, status),
  remove: (facts, _host, status) => removeFirewalld(facts, status.running),
  acceptRules: (facts) =>
    facts.runtime === null ? [] : 'error' in facts.runtime ? new UnreadableFactError(facts.runtime.error) : firewalldAcceptRules(facts.runtime),
};

const nftables: BackendModule<NftFacts> = {
  name: 'nftables',
  detect: () => true,
  probe: () => nftFactsScript(),
  parse: readNftFacts,
  plan: (facts, fw, host, status) => {
    const plan = planNftables(facts, fw, host);
    plan.notes.unshift('backend: nftables (table inet vprov)');
    if (status.running)
      plan.notes.push("firewalld runs on this host: its zones reject what they do not allow, whatever vprov's table accepts; consider firewall: firewalld");
    return plan;
  },
  remove: (facts, host, _status, why) => removeNftables(facts, host.systemd, why),
  acceptRules: (facts) => nftAcceptRules(facts),
};

/** In `auto` order: the first whose detect() holds is the backend. Probes run in the reverse order (as before: nftables first). */
const BACKENDS = [firewalld, nftables] as unknown as readonly BackendModule<unknown>[];
const byName = (name: Backend) => BACKENDS.find((b) => b.name === name)!;

export interface FirewallFacts {
  firewalld: FirewalldStatus;
  /** each backend's facts, or why they cannot be read */
  backends: Record<Backend, unknown>;
}

/** The backend in effect on a host: `auto` is the first backend that detects itself. */
export function effectiveBackend(backend: FirewallBackend, status: FirewalldStatus): Exclude<FirewallBackend, 'auto'> {
  return backend === 'auto' ? BACKENDS.find((b) => b.detect(status))!.name : backend;
}

/**
 * The nftables backend's facts inside the firewall module's parsed facts (or why they cannot be
 * read); undefined when the firewall section itself could not be parsed.
 */
export function nftFactsOf(parsed: unknown): NftFacts | UnreadableFactError | undefined {
  if (parsed instanceof UnreadableFactError || !parsed) return undefined;
  return (parsed as FirewallFacts).backends.nftables as NftFacts | UnreadableFactError;
}

/** The backend in effect on a host, from its firewall facts section (what evidence lists per host). */
export function backendOf(desired: HostDesired, raw: string): Exclude<FirewallBackend, 'auto'> {
  return effectiveBackend(desired.firewall.backend, parseFirewalldStatus(keyValues(raw)));
}

export type FlowRow = RowBase & { kind: 'flow'; flow: Flow; sourceHosts: string[]; sourceNetworks: string[]; addresses: string[] };

export function flowLabel(f: Flow): string {
  return `${f.from} → ${f.to} ${f.protocol}${f.ports.length ? `/${f.ports.join(',')}` : ''} (${f.purpose})`;
}

export const firewallResource: ResourceModule<'firewall', FirewallFacts, FlowRow> = {
  kind: 'firewall',
  evidence: { kind: 'flow', group: 'flows', title: 'Firewall flows (per destination host)' },
  everyHost: true,
  desired: firewallDesired,

  probe(desired) {
    // Every backend's facts: `auto` is decided from the same round trip, and a backend not in
    // use is checked for vprov objects left behind. firewalld's status comes first: it sets
    // $VPROV_FIREWALLD for the runtime probe.
    return [firewalldHostScript(), ...[...BACKENDS].reverse().map((b) => b.probe(desired.firewall))].join('\n');
  },

  parse(raw) {
    const kv = keyValues(raw);
    const backends = Object.fromEntries(BACKENDS.map((b) => [b.name, b.parse(kv)])) as Record<Backend, unknown>;
    return { firewalld: parseFirewalldStatus(kv), backends };
  },

  plan(facts, desired, host) {
    const plan = planFirewall(facts, desired, host);
    // A site's rules cite every product, document and section they serve.
    if (plan.status !== 'not-applicable' && desired.firewall.provenance) plan.notes.push(...desired.firewall.provenance);
    return plan;
  },

  requirements(ctx, host) {
    if (host) return { rows: [], notApplied: [] };
    const { inv, edges } = ctx;
    const rows: FlowRow[] = edges.map((e) => ({
      id: `flow:${e.flow.id}@${e.dest}`,
      kind: 'flow',
      host: e.dest,
      managed: inv.data.hosts[e.dest]!.managed,
      documents: e.flow.sources,
      section: e.flow.section,
      flow: e.flow,
      sourceHosts: e.sourceHosts,
      sourceNetworks: e.sourceNetworks,
      addresses: e.addresses,
    }));
    // Documented flows of the selected platforms that open nothing here, and why.
    const notApplied: NotApplied[] = [];
    const opened = new Set(edges.map((e) => e.flow.id));
    const hosts = Object.values(inv.data.hosts);
    for (const sp of inv.products) {
      const { product } = sp;
      for (const raw of product.flows) {
        const selection = flowSelection(sp, raw);
        if (selection === 'platform-not-selected') continue;
        const flow = effectiveFlow(sp, raw);
        if (opened.has(flow.id)) continue;
        const base = {
          kind: 'flow',
          requirement: `${flowLabel(flow)} — ${[flow.platformTitle, flow.method].filter(Boolean).join(' / ')}`,
          status: 'not applied' as const,
          documents: flow.sources,
          section: flow.section,
        };
        const hasDest = hosts.some((h) => takesPart(h, flow.to, flow));
        const at = sp.prefix ? `products.${product.id}.platforms` : 'platforms';
        if (selection === 'method-not-selected') notApplied.push({ ...base, reason: `method "${flow.method}" is not selected (${at}[].method)` });
        else if (selection === 'condition-off')
          notApplied.push({ ...base, reason: `condition "${flow.condition}" is off (${product.conditions[flow.condition!] ?? flow.condition})` });
        else if (!hasDest) notApplied.push({ ...base, reason: `no host with role "${flow.to}" in the inventory` });
        else notApplied.push({ ...base, reason: `${noSourceReason(inv.data, flow)} (never widened to any)` });
      }
    }
    // The site's own flows that open nothing, and why.
    for (const flow of inv.siteFlows) {
      if (opened.has(flow.id)) continue;
      const base = {
        kind: 'flow',
        requirement: `${flowLabel(flow)} — the site's own flow`,
        status: 'not applied' as const,
        documents: flow.sources,
        section: flow.section,
      };
      if (!siteConditionOn(inv, flow.condition)) notApplied.push({ ...base, reason: `condition "${flow.condition}" is off` });
      else if (!hosts.some((h) => takesPart(h, flow.to, flow))) notApplied.push({ ...base, reason: `no host with role "${flow.to}" in the inventory` });
      else notApplied.push({ ...base, reason: `${noSourceReason(inv.data, flow)} (never widened to any)` });
    }
    return { rows, notApplied };
  },

  describe: (row) => ({
    requirement: flowLabel(row.flow),
    sources: [...row.sourceHosts, ...row.sourceNetworks],
    protocol: row.flow.protocol,
    ports: row.flow.ports,
    platform: row.flow.platformTitle ?? row.flow.platform,
    method: row.flow.method,
    condition: row.flow.condition,
  }),

  foundElsewhere: (row, ctx) => probesOf(row, ctx).lines,

  judge(row, facts, ctx) {
    const probes = probesOf(row, ctx);
    const backend = effectiveBackend(ctx.desired.firewall.backend, facts.firewalld);
    if (backend === 'none')
      return { verdict: 'not verifiable', found: probes.lines, reason: `firewall: none: vprov does not manage the firewall of ${row.host}` };
    const own = facts.backends[backend];
    const rules = own instanceof UnreadableFactError ? own : byName(backend).acceptRules(own);
    if (rules instanceof UnreadableFactError) return { verdict: 'not verifiable', found: probes.lines, reason: rules.message };
    const found: string[] = [];
    const missing: string[] = [];
    const byRule = new Map<string, string[]>();
    for (const source of row.addresses) {
      const label = ctx.labelOf(source);
      const who = label ? `${label} (${source})` : source;
      for (const spec of row.flow.protocol === 'icmp' ? [null] : row.flow.ports) {
        const admitting = admittingRules(rules, source, row.flow.protocol, spec);
        const what = `${row.flow.protocol}${spec ? `/${spec}` : ''}`;
        if (!admitting) missing.push(`${who} ${what}`);
        else for (const r of admitting) byRule.set(r.text, [...new Set([...(byRule.get(r.text) ?? []), who])]);
      }
    }
    for (const [text, who] of byRule) found.push(`${backend}: ${text} — admits ${who.join(', ')}`);
    if (missing.length > 0) found.push(`${backend}: no vprov accept rule for ${missing.join('; ')}`);
    found.push(...probes.lines);
    if (missing.length > 0) return { verdict: 'not met', found, reason: `no accept rule in the live firewall for ${missing.join('; ')}` };
    if (probes.filtered.length > 0)
      return {
        verdict: 'not met',
        found,
        reason: `rule present, but filtered from ${probes.filtered.join(', ')} (dropped elsewhere: another table, zone or the network)`,
      };
    if (probes.unknown.length > 0) return { verdict: 'not verifiable', found, reason: `reachability from ${probes.unknown.join(', ')} could not be probed` };
    return { verdict: 'met', found };
  },
};

function planFirewall(facts: FirewallFacts, desired: HostDesired, host: HostFacts): ResourcePlan {
  const fw = desired.firewall;
  const backend = effectiveBackend(fw.backend, facts.firewalld);
  if (backend === 'none') return planNone(facts, host, desired.retired?.why);
  const mine = byName(backend);
  const own = facts.backends[backend];
  // firewalld down: its plan says why, whatever its files say
  if (own instanceof UnreadableFactError && !(backend === 'firewalld' && !facts.firewalld.running)) return failedPlan('firewall', own.message);
  let plan = owning(mine.plan(own, fw, host, facts.firewalld), backend, fw);
  if (plan.status === 'failed' || plan.changes.some((c) => c.startsWith('!'))) return plan;
  // Written once: every backend that is not the effective one loses what vprov wrote there.
  for (const other of BACKENDS.filter((b) => b.name !== backend)) {
    const f = facts.backends[other.name];
    if (f instanceof UnreadableFactError) {
      // nftables facts unreadable on a firewalld host: nothing of ours can be told there (as before)
      if (other.name === 'nftables') continue;
      return failedPlan('firewall', f.message);
    }
    const cleanup = other.remove(f, host, facts.firewalld, `the backend is ${backend} now`);
    if (cleanup)
      plan = { ...plan, status: 'pending', changes: [...plan.changes, ...cleanup.changes], script: [plan.script, cleanup.script].filter(Boolean).join('\n') };
  }
  return plan;
}

/**
 * firewall: none (or a host pruned from the inventory) — vprov manages no firewall here, so what
 * of its own is still there (its table, unit and persisted file; its firewalld objects) is a
 * planned removal, shown and verified. Only vprov's own namespace is touched.
 */
function planNone(facts: FirewallFacts, host: HostFacts, retired?: string): ResourcePlan {
  const why = retired ?? 'firewall: none in the inventory';
  const plan = emptyPlan('firewall', 'not-applicable');
  plan.notes.push(`not applicable: ${why}`);
  plan.owns = { kinds: [...OWNED_KINDS], entries: [] };
  const removals = [...BACKENDS].reverse().flatMap((b) => {
    const f = facts.backends[b.name];
    // a state that cannot be read is an error with its cause, never "nothing there"
    if (f instanceof UnreadableFactError) throw f;
    const r = b.remove(f, host, facts.firewalld, why);
    return r ? [r] : [];
  });
  if (removals.length === 0) return plan;
  return {
    ...plan,
    status: 'pending',
    changes: removals.flatMap((r) => r.changes.map((c) => c.replace("this host's backend is not firewalld", why))),
    script: removals.map((r) => r.script).join('\n'),
  };
}

const OWNED_KINDS = ['firewall-nftables', 'firewall-firewalld'] as const;

/** The host record's firewall entries once the plan is applied: the backend in effect, when it has objects. */
function owning(plan: ResourcePlan, backend: string, fw: FirewallDesired): ResourcePlan {
  const has = backend === 'firewalld' || fw.rules.length > 0 || fw.inputPolicy === 'drop';
  const entry =
    backend === 'nftables' ? { kind: 'firewall-nftables', name: 'table inet vprov', path: NFT_FILE } : { kind: `firewall-${backend}`, name: 'vprov-*' };
  return { ...plan, owns: { kinds: [...OWNED_KINDS], entries: has ? [entry] : [] } };
}

/** Probes of this flow to this destination, from its managed sources (as `verify --connectivity`). */
function probesOf(row: FlowRow, ctx: JudgeContext) {
  const mine = ctx.probes.filter((p) => p.flow === row.flow.id && p.to === row.host);
  const lines = mine.map(
    (p) =>
      `tcp connect from ${p.from} to ${p.address}:${p.port}: ${p.result}${p.result === 'refused' ? ' (reachable; nothing listens)' : ''}${p.detail && p.result === 'unknown' ? ` (${p.detail})` : ''}`,
  );
  if (row.flow.protocol === 'tcp' && mine.length === 0 && row.sourceHosts.length > 0) {
    const unmanaged = row.sourceHosts.filter((s) => !ctx.isManaged(s));
    if (unmanaged.length === row.sourceHosts.length) lines.push(`not probed: no managed source host (${unmanaged.join(', ')})`);
  }
  if (row.flow.protocol !== 'tcp') lines.push(`${row.flow.protocol}: no connect to probe it; the rule is the evidence`);
  return {
    lines,
    filtered: [...new Set(mine.filter((p) => p.result === 'filtered').map((p) => p.from))],
    unknown: [...new Set(mine.filter((p) => p.result === 'unknown').map((p) => p.from))],
  };
}

export { FIREWALL_BACKENDS, type Protocol };
