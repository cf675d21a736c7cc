/**
 * Read-only readings of a host for `vprov evidence`: which sources the live firewall accepts
 * on which ports (vprov's own objects), and which `sudo -l -U USER` grant covers a command
 * (the sudoers resource gathers and parses that listing). Pure.
 */
import type { Protocol } from '../core/types.js';
import { cidrContains } from '../core/net.js';
import type { Grant } from './sudo-effect.js';
import { ruleLine, tableFromJson, type NftRuleSpec } from './nft-canonical.js';
import { POLICY } from './firewall-firewalld.js';
import type { NftFacts } from './firewall-nftables.js';

/** One accept rule of the live firewall, as data. `protocol`/`ports` null: any. */
export interface AcceptRule {
  sources: string[];
  protocol: Protocol | null;
  ports: string[] | null;
  /** the rule as the backend lists it, for the report */
  text: string;
}

const ANY = ['0.0.0.0/0', '::/0'];

/** Accept rules of `table inet vprov` (parsed nftables facts); [] when the table is absent. */
export function nftAcceptRules(facts: Pick<NftFacts, 'items'>): AcceptRule[] {
  // The facts list the whole ruleset; tableFromJson keeps table inet vprov.
  const table = tableFromJson(facts.items);
  if (!table) return [];
  return table.rules.filter((r) => r.verdict === 'accept').flatMap((r) => nftRule(r, table.sets) ?? []);
}

function nftRule(r: NftRuleSpec, sets: Record<string, string[]>): AcceptRule | null {
  let sources: string[] = ANY;
  let protocol: Protocol | null = null;
  let ports: string[] | null = null;
  for (const m of r.matches) {
    if (m.left === 'ip.saddr' || m.left === 'ip6.saddr') sources = m.right.flatMap((v) => (v.startsWith('@') ? (sets[v.slice(1)] ?? []) : [v]));
    else if (m.left === 'tcp.dport' || m.left === 'udp.dport') {
      protocol = m.left === 'tcp.dport' ? 'tcp' : 'udp';
      ports = m.right;
    } else if (m.left === 'meta.l4proto' && m.right.every((v) => v === 'icmp' || v === 'ipv6-icmp')) protocol = 'icmp';
    // ct state, iif, icmpv6 type, anything else: not an accept for new connections from a source.
    else return null;
  }
  return { sources, protocol, ports, text: ruleLine(r).replace(/^rule input: /, '') };
}

/** Accept rules of policy vprov-in (firewalld's runtime state, as its probe read it). */
export function firewalldAcceptRules(state: { ipsets?: Record<string, { entries: string[] }>; policies?: Record<string, { rules: string[] }> }): AcceptRule[] {
  const out: AcceptRule[] = [];
  for (const rule of state.policies?.[POLICY]?.rules ?? []) {
    const attr = (re: RegExp) => re.exec(rule)?.[1];
    if (!/ accept$/.test(rule)) continue;
    const ipset = attr(/source ipset="([^"]+)"/);
    const address = attr(/source address="([^"]+)"/);
    const port = attr(/port port="([^"]+)"/);
    const proto = attr(/ protocol="([a-z]+)"/) ?? attr(/protocol value="([a-z0-9-]+)"/);
    const sources = ipset ? (state.ipsets?.[ipset]?.entries ?? []) : address ? [address] : ANY;
    const protocol: Protocol | null = proto === 'tcp' || proto === 'udp' ? proto : proto === 'icmp' || proto === 'ipv6-icmp' ? 'icmp' : null;
    out.push({ sources, protocol, ports: port ? [port] : null, text: rule });
  }
  return out;
}

/** The rule(s) admitting `source` on every port of `spec` ("22", "a-b", or null for ICMP); null when not admitted. */
export function admittingRules(rules: readonly AcceptRule[], source: string, protocol: Protocol, spec: string | null): AcceptRule[] | null {
  const from = rules.filter((r) => (r.protocol === null || r.protocol === protocol) && r.sources.some((s) => cidrContains(s, source)));
  if (spec === null) return from.length > 0 ? [from[0]!] : null;
  const anyPort = from.find((r) => r.ports === null);
  if (anyPort) return [anyPort];
  const [lo, hi = lo] = spec.split('-').map(Number) as [number, number?];
  const covering = from.filter((r) => r.ports!.some((p) => interval(p)[0] <= hi && lo <= interval(p)[1]));
  // Sweep the sorted intervals: every port lo..hi must be in one of them.
  let next = lo;
  for (const [a, b] of covering.flatMap((r) => r.ports!.map(interval)).sort((x, y) => x[0] - y[0])) {
    if (a > next) break;
    next = Math.max(next, b + 1);
  }
  return next > hi ? covering : null;
}

/** "22" → [22, 22]; "a-b" (nft) or "a:b" → [a, b]. */
function interval(p: string): [number, number] {
  const [a, b] = p.split(/[-:]/).map(Number) as [number, number?];
  return [a, b ?? a];
}

/** The grant that lets the user run `command` as root, if any (ALL covers every command). */
export function grantFor(grants: readonly Grant[], command: string): Grant | undefined {
  const asRoot = (g: Grant) =>
    g.runas
      .split(':')[0]!
      .split(',')
      .map((s) => s.trim())
      .some((u) => u === 'root' || u === 'ALL');
  return grants.find((g) => asRoot(g) && (g.command === command || g.command === 'ALL'));
}
