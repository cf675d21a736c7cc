/**
 * Other nftables tables' input-hook chains, as the foreign-state report and the drop-policy plan
 * read them: their accept rules (in nft-like text) and whether anything drops inbound traffic. Pure.
 */
import type { Json } from './nft-canonical.js';

const portOf = (s: string) => /^\d+(-\d+)?$/.test(s);
type Obj = Record<string, Json>;
const isObj = (x: Json | undefined): x is Obj => !!x && typeof x === 'object' && !Array.isArray(x);

function valueText(v: Json): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  if (isObj(v)) {
    if (isObj(v.set) || Array.isArray(v.set)) return `{ ${valueText(v.set as Json)} }`;
    if (isObj(v.prefix)) return `${valueText(v.prefix.addr ?? null)}/${valueText(v.prefix.len ?? null)}`;
    if (Array.isArray(v.range)) return `${valueText(v.range[0] ?? null)}-${valueText(v.range[1] ?? null)}`;
    if (isObj(v.payload)) return `${String(v.payload.protocol)} ${String(v.payload.field)}`;
    if (isObj(v.meta)) return `meta ${String(v.meta.key)}`;
    if (isObj(v.ct)) return `ct ${String(v.ct.key)}`;
  }
  return JSON.stringify(v);
}

/** nft-like text of a rule's expressions, and the ports its dport match names. */
function describeRule(expr: Json[]): { text: string; protocol?: string; ports: string[]; verdict: string | null; jump?: string } {
  const parts: string[] = [];
  let protocol: string | undefined;
  let ports: string[] = [];
  let verdict: string | null = null;
  let jump: string | undefined;
  for (const e of expr) {
    if (!isObj(e)) continue;
    if (isObj(e.match)) {
      const m = e.match;
      const left = valueText(m.left ?? null);
      const right = valueText(m.right ?? null);
      parts.push(`${left} ${m.op === '==' || m.op === 'in' ? '' : `${String(m.op)} `}${right}`);
      const p = isObj(m.left) && isObj(m.left.payload) ? m.left.payload : null;
      if (p && p.field === 'dport' && (m.op === '==' || m.op === 'in')) {
        protocol = String(p.protocol);
        ports = right
          .replace(/[{}]/g, '')
          .split(',')
          .map((x) => x.trim())
          .filter(portOf);
      }
    } else if ('accept' in e) verdict = 'accept';
    else if ('drop' in e) verdict = 'drop';
    else if ('reject' in e) verdict = 'reject';
    else if (isObj(e.jump)) jump = String(e.jump.target);
    else if (isObj(e.goto)) jump = String(e.goto.target);
    else if (isObj(e.xt)) {
      const name = String(e.xt.name ?? '').toUpperCase();
      if (name === 'ACCEPT' || name === 'DROP' || name === 'REJECT') verdict = name.toLowerCase();
      else parts.push(`xt ${String(e.xt.type ?? '')} ${String(e.xt.name ?? '')}`.trim());
    } else if (!('counter' in e) && !('log' in e)) parts.push(Object.keys(e)[0] ?? '?');
  }
  const text = [...parts, verdict ?? (jump ? `jump ${jump}` : '')].filter(Boolean).join(' ');
  return { text, ...(protocol ? { protocol } : {}), ports, verdict, ...(jump ? { jump } : {}) };
}

/**
 * Other tables' input-hook chains (and the chains they jump to): their accept rules, and whether
 * anything there or in vprov's table drops or rejects inbound traffic.
 */
export function nftForeign(items: Obj[]): { accepts: { table: string; chain: string; text: string; protocol?: string; ports: string[] }[]; filters: boolean } {
  const chains = items.map((i) => i.chain).filter(isObj);
  const rules = items.map((i) => i.rule).filter(isObj);
  const key = (family: Json | undefined, table: Json | undefined, chain: Json | undefined) => `${String(family)} ${String(table)} ${String(chain)}`;
  const byChain = new Map<string, Obj[]>();
  for (const r of rules) {
    const k = key(r.family, r.table, r.chain);
    byChain.set(k, [...(byChain.get(k) ?? []), r]);
  }
  const accepts: { table: string; chain: string; text: string; protocol?: string; ports: string[] }[] = [];
  let filters = false;
  for (const c of chains.filter((x) => x.hook === 'input')) {
    if (c.policy === 'drop') filters = true;
    const vprov = c.family === 'inet' && c.table === 'vprov';
    // the input chain, then the chains it jumps to (one level: libvirt, docker, fail2ban)
    const seen = new Set<string>();
    const walk = (chain: string, depth: number) => {
      const k = key(c.family, c.table, chain);
      if (seen.has(k)) return;
      seen.add(k);
      for (const r of byChain.get(k) ?? []) {
        const d = describeRule((r.expr as Json[]) ?? []);
        if (d.verdict === 'drop' || d.verdict === 'reject') filters = true;
        if (!vprov && d.verdict === 'accept')
          accepts.push({
            table: `${String(c.family)} ${String(c.table)}`,
            chain,
            text: d.text,
            ...(d.protocol ? { protocol: d.protocol } : {}),
            ports: d.ports,
          });
        if (d.jump && depth < 1) walk(d.jump, depth + 1);
      }
    };
    walk(String(c.name), 0);
  }
  return { accepts, filters };
}
