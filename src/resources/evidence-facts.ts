/**
 * Read-only readings of a host for `vprov evidence`: which sources the live firewall accepts
 * on which ports (vprov's own objects), and what `sudo -l -U USER` grants. Scripts only read;
 * parsers are pure.
 */
import type { Protocol } from '../core/types.js';
import { cidrContains } from '../core/net.js';
import { keyValues, q } from './shell.js';
import { ruleLine, tableFromJson, type NftRuleSpec } from './nft-canonical.js';
import { POLICY } from './firewall-firewalld.js';

/** One accept rule of the live firewall, as data. `protocol`/`ports` null: any. */
export interface AcceptRule {
  sources: string[];
  protocol: Protocol | null;
  ports: string[] | null;
  /** the rule as the backend lists it, for the report */
  text: string;
}

const ANY = ['0.0.0.0/0', '::/0'];

/** Accept rules of `table inet vprov` (nftables facts section); [] when the table is absent. */
export function nftAcceptRules(raw: string): AcceptRule[] {
  const kv = keyValues(raw);
  // The facts section lists the whole ruleset; tableFromJson keeps table inet vprov.
  const listing = Buffer.from(kv.ruleset ?? kv.table ?? '', 'base64').toString('utf8');
  const table = tableFromJson(listing);
  if (!table) return [];
  return table.rules.filter((r) => r.verdict === 'accept').flatMap((r) => nftRule(r, table.sets) ?? []);
}

function nftRule(r: NftRuleSpec, sets: Record<string, string[]>): AcceptRule | null {
  let sources: string[] = ANY;
  let protocol: Protocol | null = null;
  let ports: string[] | null = null;
  for (const m of r.matches) {
    if (m.left === 'ip.saddr' || m.left === 'ip6.saddr') sources = m.right.flatMap((v) => (v.startsWith('@') ? sets[v.slice(1)] ?? [] : [v]));
    else if (m.left === 'tcp.dport' || m.left === 'udp.dport') {
      protocol = m.left === 'tcp.dport' ? 'tcp' : 'udp';
      ports = m.right;
    } else if (m.left === 'meta.l4proto' && m.right.every((v) => v === 'icmp' || v === 'ipv6-icmp')) protocol = 'icmp';
    // ct state, iif, icmpv6 type, anything else: not an accept for new connections from a source.
    else return null;
  }
  return { sources, protocol, ports, text: ruleLine(r).replace(/^rule input: /, '') };
}

/** Accept rules of policy vprov-in (firewalld facts section, runtime read through firewalld's client). */
export function firewalldAcceptRules(raw: string): AcceptRule[] {
  let state: { ipsets?: Record<string, { entries: string[] }>; policies?: Record<string, { rules: string[] }> };
  try {
    state = JSON.parse(Buffer.from(keyValues(raw).runtime ?? '', 'base64').toString('utf8') || '{}');
  } catch {
    return [];
  }
  const out: AcceptRule[] = [];
  for (const rule of state.policies?.[POLICY]?.rules ?? []) {
    const attr = (re: RegExp) => re.exec(rule)?.[1];
    if (!/ accept$/.test(rule)) continue;
    const ipset = attr(/source ipset="([^"]+)"/);
    const address = attr(/source address="([^"]+)"/);
    const port = attr(/port port="([^"]+)"/);
    const proto = attr(/ protocol="([a-z]+)"/) ?? attr(/protocol value="([a-z0-9-]+)"/);
    const sources = ipset ? state.ipsets?.[ipset]?.entries ?? [] : address ? [address] : ANY;
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

/** sh: what sudo grants `user`, as sudo itself resolves it (includes, aliases, ignored files). */
export function sudoListScript(user: string): string {
  return `if command -v sudo >/dev/null 2>&1; then LC_ALL=C sudo -l -U ${q(user)} 2>&1; echo "rc=$?"; else echo "sudo is not installed"; echo rc=127; fi`;
}

export interface SudoGrant {
  runas: string;
  /** "NOPASSWD: " and the like, as printed */
  tags: string;
  command: string;
  /** the privilege line as sudo printed it */
  line: string;
}

/** Parse `sudo -l -U USER`: the commands it may run; `error` when sudo could not tell. */
export function parseSudoList(text: string): { grants: SudoGrant[]; error?: string } {
  const lines = text.split('\n');
  const rc = lines.map((l) => /^rc=(\d+)$/.exec(l)?.[1]).find((x) => x !== undefined);
  const body = lines.filter((l) => !/^rc=\d+$/.test(l));
  if (body.some((l) => /is not allowed to run sudo/.test(l))) return { grants: [] };
  const start = body.findIndex((l) => /may run the following commands/.test(l));
  if (start < 0) return { grants: [], error: body.join(' ').trim().slice(0, 300) || `sudo -l gave no answer (exit ${rc ?? '?'})` };
  const grants: SudoGrant[] = [];
  for (const line of body.slice(start + 1)) {
    const m = /^\s+\(([^)]*)\)\s*(.*)$/.exec(line);
    if (!m) continue;
    const tags = /^(?:[A-Z_]+:\s*)*/.exec(m[2]!)![0];
    const commands = m[2]!.slice(tags.length);
    for (const command of commands.split(/,\s*/).map((c) => c.trim()).filter(Boolean)) grants.push({ runas: m[1]!.trim(), tags, command, line: line.trim() });
  }
  return { grants };
}

/** The grant that lets the user run `command` as root, if any (ALL covers every command). */
export function grantFor(grants: readonly SudoGrant[], command: string): SudoGrant | undefined {
  const asRoot = (g: SudoGrant) => g.runas.split(':')[0]!.split(',').map((s) => s.trim()).some((u) => u === 'root' || u === 'ALL');
  return grants.find((g) => asRoot(g) && (g.command === command || g.command === 'ALL'));
}
