/**
 * The convergence oracle: what a host's firewall must accept, computed from the catalog
 * export and the inventory document alone — written apart from src/compile and src/core/net
 * (its own address arithmetic, its own flow selection) so that a shared mistake cannot hide.
 *
 * An accepted set is a list of boxes (family, protocol, source interval, port interval);
 * `normalForm` turns any list of boxes into one canonical text, so two lists accept exactly
 * the same packets iff their normal forms are equal.
 */
import type { ExportedRule } from '../../src/catalog/export.js';

/** An exported rule, with the inventory `ports:` key that overrides its ports (from the catalog file). */
export type OracleRule = ExportedRule & { param: string | null };

export interface Box {
  family: 4 | 6;
  protocol: 'tcp' | 'udp' | 'icmp';
  lo: bigint;
  hi: bigint;
  /** port interval; [0, 0] for ICMP */
  pLo: number;
  pHi: number;
}

/** The inventory fields the oracle reads (the generated document, before any normalisation). */
type Selection = { platform: string; method?: string; options?: Record<string, boolean> }[];

export interface OracleInventory {
  /** one product (unqualified roles), or `products:` — a site, roles written PRODUCT/ROLE */
  product?: string;
  platforms?: Selection;
  ports?: Record<string, string[]>;
  products?: Record<string, { platforms: Selection; ports?: Record<string, string[]> }>;
  /** the site's own flows: from/to a role or a network (or a list), in the catalog's shape */
  flows?: { from: string | string[]; to: string | string[]; protocol: 'tcp' | 'udp' | 'icmp'; ports?: string[] }[];
  controllers?: string[];
  networks?: Record<string, string[]>;
  hosts: Record<string, { address: string; roles: string[]; platform?: string; managed?: boolean; firewall?: { inputPolicy?: string; sshAdmins?: string[] } }>;
}

export function ipRange(text: string): { family: 4 | 6; lo: bigint; hi: bigint } {
  const [ip, len] = text.split('/') as [string, string?];
  let family: 4 | 6;
  let n: bigint;
  if (ip.includes(':')) {
    family = 6;
    n = v6(ip);
  } else {
    family = 4;
    n = v4(ip);
  }
  let bits = len === undefined ? (family === 4 ? 32 : 128) : parseInt(len, 10);
  // ::ffff:a.b.c.d/96+ is the IPv4 address a.b.c.d: such packets arrive as IPv4.
  if (family === 6 && n >> 32n === 0xffffn && bits >= 96) {
    family = 4;
    n &= 0xffffffffn;
    bits -= 96;
  }
  const width = family === 4 ? 32 : 128;
  const span = (1n << BigInt(width - bits)) - 1n;
  return { family, lo: n - (n & span), hi: n - (n & span) + span };
}

function v4(ip: string): bigint {
  const o = ip.split('.').map((x) => BigInt(parseInt(x, 10)));
  return (o[0]! << 24n) + (o[1]! << 16n) + (o[2]! << 8n) + o[3]!;
}

function v6(ip: string): bigint {
  let s = ip.toLowerCase();
  const m = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (m) {
    const x = v4(m.slice(1).join('.'));
    s = `${s.slice(0, m.index)}${(x >> 16n).toString(16)}:${(x & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length > 1 ? [...left, ...new Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n);
}

function portRange(spec: string): [number, number] {
  const [a, b] = spec.split('-').map((x) => parseInt(x, 10));
  return [a!, b ?? a!];
}

/**
 * What `host` must accept: every selected flow to one of its roles, from every other source —
 * for each product of a site with its roles qualified (PRODUCT/ROLE), and the site's own flows.
 */
export function expectedBoxes(inv: OracleInventory, rules: readonly OracleRule[], host: string, controller: string | null, sshPort: number): Box[] {
  const me = inv.hosts[host]!;
  const boxes: Box[] = [];
  const chosen = inv.products
    ? Object.entries(inv.products).map(([id, p]) => ({ id, prefix: `${id}/`, platforms: p.platforms, ports: p.ports ?? {} }))
    : [{ id: inv.product!, prefix: '', platforms: inv.platforms!, ports: inv.ports ?? {} }];
  // A flow as the oracle sees it: qualified ends, the ports it opens, the platform it belongs to.
  const wanted: { from: string; to: string; protocol: Box['protocol']; ports: string[]; platform: string | null }[] = [];
  for (const c of chosen) {
    for (const r of rules) {
      if (r.product !== c.id) continue;
      if (
        !c.platforms.some(
          (p) => p.platform === r.platform && (p.method === undefined || p.method === r.method) && (r.condition === null || p.options?.[r.condition] === true),
        )
      )
        continue;
      const ports = r.param && c.ports[r.param] ? c.ports[r.param]! : r.ports;
      wanted.push({ from: c.prefix + r.from, to: c.prefix + r.to, protocol: r.protocol, ports, platform: r.platform });
    }
  }
  for (const f of inv.flows ?? []) {
    for (const from of [f.from].flat()) for (const to of [f.to].flat()) wanted.push({ from, to, protocol: f.protocol, ports: f.ports ?? [], platform: null });
  }
  const joins = (h: OracleInventory['hosts'][string], role: string, platform: string | null) =>
    h.roles.includes(role) && (h.platform === undefined || platform === null || h.platform === platform);
  for (const r of wanted) {
    if (!joins(me, r.to, r.platform)) continue;
    const sources = [
      ...Object.entries(inv.hosts)
        .filter(([name, h]) => name !== host && joins(h, r.from, r.platform))
        .map(([, h]) => h.address),
      ...(inv.networks?.[r.from] ?? []),
    ];
    const ports = r.protocol === 'icmp' ? [[0, 0] as [number, number]] : r.ports.map(portRange);
    for (const src of sources) {
      const ip = ipRange(src);
      for (const [pLo, pHi] of ports) boxes.push({ ...ip, protocol: r.protocol, pLo, pHi });
    }
  }
  if (me.firewall?.inputPolicy === 'drop') {
    for (const src of [...(inv.controllers ?? []), ...(me.firewall.sshAdmins ?? []), ...(controller ? [controller] : [])]) {
      boxes.push({ ...ipRange(src), protocol: 'tcp', pLo: sshPort, pHi: sshPort });
    }
  }
  return boxes;
}

/** Canonical text of the union of boxes: per family × protocol, source segments with their merged ports. */
export function normalForm(boxes: readonly Box[]): string[] {
  const out: string[] = [];
  const groups = new Map<string, Box[]>();
  for (const b of boxes) groups.set(`${b.family}/${b.protocol}`, [...(groups.get(`${b.family}/${b.protocol}`) ?? []), b]);
  for (const key of [...groups.keys()].sort()) {
    const list = groups.get(key)!;
    const cuts = [...new Set(list.flatMap((b) => [b.lo, b.hi + 1n]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let prev: { lo: bigint; hi: bigint; ports: string } | null = null;
    const segments: { lo: bigint; hi: bigint; ports: string }[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const lo = cuts[i]!;
      const hi = cuts[i + 1]! - 1n;
      const ports = mergedPorts(list.filter((b) => b.lo <= lo && hi <= b.hi));
      if (!ports) {
        prev = null;
        continue;
      }
      if (prev && prev.ports === ports && prev.hi + 1n === lo) prev.hi = hi;
      else {
        prev = { lo, hi, ports };
        segments.push(prev);
      }
    }
    for (const s of segments) out.push(`${key} ${s.lo.toString(16)}-${s.hi.toString(16)} ports ${s.ports}`);
  }
  return out;
}

function mergedPorts(boxes: readonly Box[]): string {
  const iv = boxes.map((b) => [b.pLo, b.pHi] as [number, number]).sort((a, b) => a[0] - b[0]);
  const m: [number, number][] = [];
  for (const [a, b] of iv) {
    const last = m[m.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else m.push([a, b]);
  }
  return m.map(([a, b]) => `${a}-${b}`).join(',');
}
