/**
 * The other half of the convergence oracle (test/helpers/oracle.ts): what a table loaded into a
 * real nft accepts, read from `nft -j` output with no help from vprov's parser, and the catalog
 * export's rules as the oracle reads them. Shared by the generated convergence suite (tables
 * loaded in a network namespace) and the generated lifecycle suite (tables on lab hosts).
 */
import { catalog } from './catalog.js';
import { ipRange, type Box, type OracleRule } from './oracle.js';
import { exportRules } from '../../src/catalog/export.js';

// The export has no `param` (DESIGN.md §3): the overridable rows are found in the catalog files.
export function oracleRules(): OracleRule[] {
  return exportRules(catalog).map((r) => ({
    ...r,
    param:
      catalog.products
        .get(r.product)!
        .flows.find(
          (f) =>
            f.platform === r.platform &&
            f.method === r.method &&
            f.from === r.from &&
            f.to === r.to &&
            f.protocol === r.protocol &&
            f.purpose === r.purpose &&
            f.ports.join() === r.ports.join() &&
            f.condition === r.condition,
        )?.param ?? null,
  }));
}

type Item = Record<string, any>;

/** What a loaded table accepts, read from nft's JSON with no help from vprov's parser. */
export function acceptedBoxes(listing: string): { boxes: Box[]; housekeeping: string[]; unsourced: string[] } {
  const items: Item[] = JSON.parse(listing).nftables;
  const sets = new Map<string, unknown[]>(items.filter((i) => i.set).map((i) => [i.set.name, i.set.elem ?? []]));
  const boxes: Box[] = [];
  const housekeeping: string[] = [];
  const unsourced: string[] = [];
  const elems = (right: any): unknown[] => (typeof right === 'string' && right.startsWith('@') ? sets.get(right.slice(1))! : (right?.set ?? [right]));
  const range = (v: any): { family: 4 | 6; lo: bigint; hi: bigint } => {
    if (v?.elem) return range(v.elem.val);
    if (v?.prefix) return ipRange(`${v.prefix.addr}/${v.prefix.len}`);
    if (v?.range) {
      const a = ipRange(v.range[0]);
      return { ...a, hi: ipRange(v.range[1]).hi };
    }
    return ipRange(String(v));
  };
  const ports = (v: any): [number, number] => (v?.range ? [v.range[0], v.range[1]] : [Number(v), Number(v)]);
  for (const { rule } of items.filter((i) => i.rule)) {
    const expr: Item[] = rule.expr;
    if (!('accept' in expr[expr.length - 1]!)) throw new Error(`non-accept rule in vprov's table: ${JSON.stringify(expr)}`);
    let src: { family: 4 | 6; lo: bigint; hi: bigint }[] | null = null;
    let protocol: Box['protocol'] | null = null;
    let portList: [number, number][] = [[0, 0]];
    const other: string[] = [];
    for (const e of expr.slice(0, -1)) {
      const left = e.match?.left;
      const field = left?.payload ? `${left.payload.protocol}.${left.payload.field}` : left?.meta ? `meta.${left.meta.key}` : JSON.stringify(left);
      if (field === 'ip.saddr' || field === 'ip6.saddr') src = elems(e.match.right).map(range);
      else if (field === 'tcp.dport' || field === 'udp.dport') {
        protocol = field.slice(0, 3) as 'tcp' | 'udp';
        portList = elems(e.match.right).map(ports);
      } else if (field === 'meta.l4proto' && ['icmp', 'ipv6-icmp'].includes(e.match.right)) protocol = 'icmp';
      else other.push(JSON.stringify(e));
    }
    if (src === null) {
      if (protocol !== null) unsourced.push(JSON.stringify(expr));
      else housekeeping.push(other.join(' '));
      continue;
    }
    if (protocol === null || other.length > 0) throw new Error(`unexpected rule shape: ${JSON.stringify(expr)}`);
    for (const s of src) for (const [pLo, pHi] of portList) boxes.push({ ...s, protocol, pLo, pHi });
  }
  return { boxes, housekeeping, unsourced };
}
