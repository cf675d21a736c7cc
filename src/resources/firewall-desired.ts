/**
 * The firewall's slice of a host's desired state: the inventory's firewall setting, and one named
 * source set per (role, family, members) with the accept rules of the flows that reach the host.
 * Pure; same input, same output (sorted, stable names).
 */
import { compareText } from '../core/text-order.js';
import { familyOf, normalizeSources } from '../core/net.js';
import { mergePorts } from '../core/ports.js';
import type { Family, FirewallBackend, Flow, Protocol } from '../core/types.js';
import type { SliceContext } from '../compile/compile.js';
import type { Edge } from '../compile/edges.js';
import type { FirewallSetting } from '../inventory/schema.js';

/** A named set of source addresses of one family, owned by vprov on the host. */
export interface SourceSet {
  name: string;
  family: Family;
  /** canonical addresses or CIDRs, sorted */
  elements: string[];
}

/** One inbound accept rule: sources in `set` may reach `ports` over `protocol`. */
export interface FirewallRule {
  set: string;
  family: Family;
  protocol: Protocol;
  /** sorted, merged; "22" or "a-b"; empty for ICMP */
  ports: string[];
  /** flow ids the rule comes from (provenance for plan output) */
  flows: string[];
  purposes: string[];
}

export interface FirewallDesired {
  backend: FirewallBackend;
  /** accept: vprov only adds accepts; drop: vprov's chain drops all else (keeping SSH for admins) */
  inputPolicy: 'accept' | 'drop';
  sets: SourceSet[];
  rules: FirewallRule[];
  /** sources that keep SSH when inputPolicy is drop */
  sshAdminSources: string[];
  /** seconds before an unconfirmed risky change is rolled back on the host */
  confirmTimeout: number;
  /**
   * A site's hosts (several products, or site flows): per rule, every product, document and
   * section it serves, for the plan. Absent for one product alone, whose plan names the flows.
   */
  provenance?: string[];
}

interface Wanted {
  role: string;
  family: Family;
  elements: string[];
  flow: Flow;
}

/** The host's firewall: its setting (or the inventory default) and the flows whose destination it is. */
export function firewallDesired({ inv, host, inbound, flows }: SliceContext): FirewallDesired {
  const { data } = inv;
  const setting = data.hosts[host.name]!.firewall ?? data.defaults.firewall;
  const firewall = buildFirewall(normalizeFirewall(setting, data.controllers), wantedOf(inbound));
  if (inv.products.length > 1 || inv.siteFlows.length > 0) firewall.provenance = provenanceOf(firewall, flows);
  return firewall;
}

/** Per inbound edge and family, the source elements the host admits (edge order, IPv4 first). */
function wantedOf(inbound: readonly Edge[]): Wanted[] {
  const wanted: Wanted[] = [];
  for (const e of inbound) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const elements = byFamily(e.addresses)[family];
      if (elements.length > 0) wanted.push({ role: e.flow.from, family, elements, flow: e.flow });
    }
  }
  return wanted;
}

/** Destinations of one flow share one source list: it is split by family once, not per host. */
const split = new WeakMap<readonly string[], Record<Family, string[]>>();

function byFamily(addresses: readonly string[]): Record<Family, string[]> {
  let r = split.get(addresses);
  if (!r) {
    r = { ipv4: [], ipv6: [] };
    for (const a of new Set(addresses)) r[familyOf(a) ?? 'ipv4'].push(a);
    // As nft stores an interval set: a network that covers a host, or two adjacent
    // networks, become one interval (nft refuses overlapping elements in one command).
    // Frozen: every destination host's set shares this array (one copy, not one per host).
    r.ipv4 = Object.freeze(normalizeSources(r.ipv4)) as string[];
    r.ipv6 = Object.freeze(normalizeSources(r.ipv6)) as string[];
    split.set(addresses, r);
  }
  return r;
}

/** "rule @set proto/ports serves: PRODUCT flow (documents — section); …", one line per rule. */
function provenanceOf(fw: FirewallDesired, byId: ReadonlyMap<string, Flow>): string[] {
  return fw.rules.map((r) => {
    const cites = r.flows.map((id) => {
      const f = byId.get(id)!;
      return f.product === 'site' ? `site flow ${id} (${f.sources.join(', ')})` : `${f.product} ${id} (${f.sources.join(', ')} — ${f.section})`;
    });
    return `rule @${r.set} ${r.protocol}${r.ports.length ? `/${r.ports.join(',')}` : ''} serves: ${cites.join('; ')}`;
  });
}

type FirewallBase = Pick<FirewallDesired, 'backend' | 'inputPolicy' | 'sshAdminSources' | 'confirmTimeout'>;

function normalizeFirewall(setting: FirewallSetting, controllers: readonly string[]): FirewallBase {
  if (typeof setting === 'string') return { backend: setting, inputPolicy: 'accept', sshAdminSources: normalizeSources(controllers), confirmTimeout: 60 };
  return {
    backend: setting.backend,
    inputPolicy: setting.inputPolicy,
    // The inventory's controllers and admins, as one interval set per family (as nft stores it).
    sshAdminSources: normalizeSources([...controllers, ...setting.sshAdmins]),
    confirmTimeout: setting.confirmTimeout,
  };
}

function buildFirewall(base: FirewallBase, wanted: Wanted[]): FirewallDesired {
  // One named set per distinct (role, family, members); names are stable for the same input.
  // A set's elements are the source list itself, shared by every host that wants it.
  const byKey = new Map<string, Wanted>();
  for (const w of wanted) if (!byKey.has(setKey(w))) byKey.set(setKey(w), w);
  const setKeys = [...byKey.keys()].sort();
  const names = new Map<string, string>();
  const used = new Map<string, number>();
  for (const key of setKeys) {
    const { role, family } = byKey.get(key)!;
    // nft names start with a letter: a role id such as "1node" gets a leading "r"; storware/node is storware_node.
    const base = `${/^[a-z]/.test(role) ? '' : 'r'}${role.replace(/[-/]/g, '_')}_${family === 'ipv4' ? 'v4' : 'v6'}`;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    names.set(key, n === 1 ? base : `${base}_${n}`);
  }
  const sets: SourceSet[] = setKeys.map((key) => {
    const { family, elements } = byKey.get(key)!;
    return { name: names.get(key)!, family, elements };
  });
  const byRule = new Map<string, FirewallRule>();
  for (const w of wanted) {
    const set = names.get(setKey(w))!;
    const id = `${set}|${w.flow.protocol}`;
    const rule = byRule.get(id) ?? { set, family: w.family, protocol: w.flow.protocol, ports: [], flows: [], purposes: [] };
    rule.ports = mergePorts([...rule.ports, ...w.flow.ports]);
    if (!rule.flows.includes(w.flow.id)) rule.flows.push(w.flow.id);
    if (!rule.purposes.includes(w.flow.purpose)) rule.purposes.push(w.flow.purpose);
    byRule.set(id, rule);
  }
  const rules = [...byRule.values()]
    .map((r) => ({ ...r, flows: r.flows.sort(), purposes: r.purposes.sort() }))
    .sort((a, b) => compareText(a.set, b.set) || compareText(a.protocol, b.protocol));
  return { ...base, sets, rules };
}

/**
 * The key of a source list per role and family, made once per list: every destination host of
 * a flow looks it up, and a fresh key per host was a copy of the whole list (O(hosts²) text).
 */
const setKeyCache = new WeakMap<readonly string[], Map<string, string>>();

function setKey({ role, family, elements }: Wanted): string {
  let keys = setKeyCache.get(elements);
  if (!keys) setKeyCache.set(elements, (keys = new Map()));
  const own = `${role}|${family}`;
  let key = keys.get(own);
  if (key === undefined) keys.set(own, (key = `${own}|${elements.join(',')}`));
  return key;
}
