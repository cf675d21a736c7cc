import { compareText } from '../core/text-order.js';
import { intervalSetText } from '../core/net.js';
import { mergePorts } from '../core/ports.js';
import { nftListingFast, nftListingSchema, parseHostJson } from './host-data.js';

/**
 * A canonical, order-free listing of table inet vprov, built two ways: from the desired
 * state, and from what `nft -j list table inet vprov` returns. Equal listings = no drift.
 * Anything in the table that vprov would not write shows up as an unknown line (drift).
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface NftMatch {
  /** "ip.saddr", "tcp.dport", "meta.l4proto", "ct.state", … */
  left: string;
  /** values, already canonical and sorted */
  right: string[];
}

export interface NftRuleSpec {
  matches: NftMatch[];
  verdict: 'accept' | 'drop';
  comment: string | null;
}

export function ruleLine(r: NftRuleSpec): string {
  const m = r.matches.map((x) => `${x.left} == ${canonicalValues(x.left, x.right)}`).join(' && ');
  return `rule input: ${m} ${r.verdict}${r.comment ? ` # ${r.comment}` : ''}`;
}

export function setLine(name: string, type: string, elements: string[]): string {
  return `set ${name} ${type} { ${elements.length ? elementsText(elements) : ''} }`;
}

/** Addresses as an interval set; anything else a host listed (not an address) as sorted text: it shows as a difference. */
function elementsText(elements: string[]): string {
  try {
    return intervalSetText(elements);
  } catch {
    return sortValues(elements).join(', ');
  }
}

/**
 * Addresses and ports compared as interval sets, not as text: nft merges overlapping and
 * adjacent elements of anonymous sets and may print a prefix where we wrote a range.
 */
function canonicalValues(left: string, right: string[]): string {
  if (right.some((v) => v.startsWith('@'))) return sortValues(right).join(',');
  try {
    if (left.endsWith('.saddr') || left.endsWith('.daddr')) return intervalSetText(right);
    if (left.endsWith('.dport') || left.endsWith('.sport')) return mergePorts(right).join(',');
  } catch {
    // not an address or port (a foreign rule): keep the text, it shows as a difference
  }
  return sortValues(right).join(',');
}

export function chainLine(policy: string): string {
  return `chain input hook input prio 0 policy ${policy}`;
}

/**
 * Sorted big lists by content: the sets of every host of a role hold the same addresses, so a
 * 1,000-host run sorts each distinct set once instead of twice per host. Bounded.
 */
const sortedLists = new Map<string, string[]>();

/** Sort numerically by leading number when values are ports, else lexically. */
export function sortValues(values: string[]): string[] {
  if (values.length < 32) return sortUncached(values);
  // Code-unit order (fast, native) makes the key independent of the order the values came in.
  const key = JSON.stringify([...values].sort());
  let sorted = sortedLists.get(key);
  if (!sorted) {
    if (sortedLists.size >= 64) sortedLists.clear();
    sorted = sortUncached(values);
    sortedLists.set(key, sorted);
  }
  return [...sorted];
}

function sortUncached(values: string[]): string[] {
  // Keys computed once per value, not per comparison.
  const keyed = values.map((v) => ({ v, n: /^\d/.test(v) ? Number.parseInt(v, 10) : Number.NaN }));
  keyed.sort((a, b) => (!Number.isNaN(a.n) && !Number.isNaN(b.n) && a.n - b.n) || compareText(a.v, b.v));
  return keyed.map((k) => k.v);
}

/** The objects of `nft -j list ruleset` (or of one table's listing); throws on unparsable text. */
export function rulesetItems(listing: string): Record<string, Json>[] {
  // Checked against the listing's schema (host-data.ts): throws HostDataError on what is not nft's listing.
  if (listing.trim() === '') return [];
  return parseHostJson('nft -j listing', listing, nftListingSchema, nftListingFast).nftables as Record<string, Json>[];
}

/** A JSON object's field as an object, or null: host data is read without assuming its shape. */
function obj(v: Json | undefined): Record<string, Json> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

function inVprov(item: Record<string, Json>): boolean {
  const o = Object.values(item)[0] as Record<string, Json> | undefined;
  if (!o || typeof o !== 'object') return false;
  return o.family === 'inet' && ('table' in item ? o.name === 'vprov' : o.table === 'vprov');
}

/** Elements of one set of table inet vprov, as listed (empty when the set is absent). */
export function vprovSetElements(items: Record<string, Json>[], name: string): string[] {
  const set = items
    .filter(inVprov)
    .map((i) => i.set as Record<string, Json> | undefined)
    .find((s) => s?.name === name);
  return ((set?.elem as Json[] | undefined) ?? []).map(value);
}

/** Lines for everything in table inet vprov of a listing; null when the table does not exist. */
export function canonicalFromJson(listing: string | Record<string, Json>[]): string[] | null {
  let items: Record<string, Json>[];
  if (typeof listing === 'string') {
    if (listing.trim() === '') return null;
    try {
      items = rulesetItems(listing);
    } catch {
      return ['unparsable listing'];
    }
  } else items = listing;
  const lines: string[] = [];
  let found = false;
  for (const item of items.filter(inVprov)) {
    if ('table' in item) found = true;
    else if ('set' in item) {
      const s = item.set as Record<string, Json>;
      const flags = Array.isArray(s.flags) ? s.flags : [];
      const type = `${String(s.type)}${flags.length ? ` flags ${flags.join(',')}` : ''}`;
      lines.push(setLine(String(s.name), type, ((s.elem as Json[]) ?? []).map(value)));
    } else if ('chain' in item) {
      const c = item.chain as Record<string, Json>;
      if (c.name === 'input' && c.hook === 'input' && c.prio === 0 && c.type === 'filter') lines.push(chainLine(String(c.policy)));
      else lines.push(`foreign chain ${String(c.name)} ${JSON.stringify({ hook: c.hook, prio: c.prio, policy: c.policy })}`);
    } else if ('rule' in item) {
      const r = item.rule as Record<string, Json>;
      lines.push(
        r.chain === 'input'
          ? ruleFromExpr(r.expr as Json[], (r.comment as string) ?? null)
          : `foreign rule in chain ${String(r.chain)}: ${JSON.stringify(r.expr)}`,
      );
    } else if (!('metainfo' in item)) {
      lines.push(`foreign object ${JSON.stringify(item)}`);
    }
  }
  return found ? lines.sort() : null;
}

function ruleFromExpr(expr: Json[], comment: string | null): string {
  const matches: NftMatch[] = [];
  let verdict: 'accept' | 'drop' | null = null;
  for (const e of expr) {
    if (e && typeof e === 'object' && !Array.isArray(e)) {
      if ('match' in e) {
        const m = obj(e.match) ?? {};
        const left = leftName(m.left ?? null);
        if (left && (m.op === '==' || m.op === 'in')) {
          matches.push({ left, right: values(m.right ?? null) });
          continue;
        }
      } else if ('accept' in e && verdict === null) {
        verdict = 'accept';
        continue;
      } else if ('drop' in e && verdict === null) {
        verdict = 'drop';
        continue;
      }
    }
    return `unknown rule: ${JSON.stringify(expr)}${comment ? ` # ${comment}` : ''}`;
  }
  if (!verdict) return `unknown rule: ${JSON.stringify(expr)}`;
  return ruleLine({ matches, verdict, comment });
}

function leftName(left: Json): string | null {
  if (!left || typeof left !== 'object' || Array.isArray(left)) return null;
  const payload = obj(left.payload);
  if (payload) return `${String(payload.protocol)}.${String(payload.field)}`;
  const meta = obj(left.meta);
  if (meta) return `meta.${String(meta.key)}`;
  const ct = obj(left.ct);
  if (ct) return `ct.${String(ct.key)}`;
  return null;
}

function values(right: Json): string[] {
  if (Array.isArray(right)) return right.map(value);
  const set = obj(right)?.set;
  if (Array.isArray(set)) return set.map(value);
  return [value(right)];
}

function value(v: Json): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  const o = obj(v);
  if (o) {
    const prefix = obj(o.prefix);
    if (prefix) return `${String(prefix.addr)}/${String(prefix.len)}`;
    if (Array.isArray(o.range) && o.range.length === 2) return `${value(o.range[0]!)}-${value(o.range[1]!)}`;
    const elem = obj(o.elem);
    if (elem) return value(elem.val ?? null);
  }
  return JSON.stringify(v);
}

/** The listed table as data (sets by name, rules of chain input), for evidence; null when absent or unparsable. */
export function tableFromJson(listing: string | Record<string, Json>[]): { sets: Record<string, string[]>; rules: NftRuleSpec[] } | null {
  let all: Record<string, Json>[];
  try {
    all = typeof listing === 'string' ? rulesetItems(listing) : listing;
  } catch {
    return null;
  }
  const items = all.filter(inVprov);
  if (!items.some((i) => 'table' in i)) return null;
  const sets: Record<string, string[]> = {};
  const rules: NftRuleSpec[] = [];
  for (const item of items) {
    if ('set' in item) {
      const s = item.set as Record<string, Json>;
      sets[String(s.name)] = ((s.elem as Json[]) ?? []).map(value);
    } else if ('rule' in item) {
      const r = item.rule as Record<string, Json>;
      if (r.chain !== 'input') continue;
      const matches: NftMatch[] = [];
      let verdict: NftRuleSpec['verdict'] | null = null;
      for (const e of (r.expr as Json[]) ?? []) {
        if (!e || typeof e !== 'object' || Array.isArray(e)) continue;
        if ('match' in e) {
          const m = obj(e.match) ?? {};
          // An unknown or negated match makes the rule narrower than anything we can read: never count it.
          const left = leftName(m.left ?? null);
          matches.push(left && (m.op === '==' || m.op === 'in') ? { left, right: values(m.right ?? null) } : { left: 'unknown', right: [] });
        } else if ('accept' in e) verdict ??= 'accept';
        else if ('drop' in e) verdict ??= 'drop';
      }
      if (verdict) rules.push({ matches, verdict, comment: (r.comment as string) ?? null });
    }
  }
  return { sets, rules };
}
