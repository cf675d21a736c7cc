/**
 * Schemas for the structured values a host prints (its firewalld runtime as JSON, nft's JSON
 * listing): a host is not trusted to print what the code expects. A value that does not fit is
 * a failed read naming where it does not fit, never a crash of the run or of another host.
 */
import * as z from 'zod';
import type { Json } from './nft-canonical.js';

/** The host printed something that does not have the expected shape. */
export class HostDataError extends Error {}

/** Parse `text` as JSON and check it against `schema`; throws HostDataError naming what does not fit. */
export function parseHostJson<T>(what: string, text: string, schema: z.ZodType<T>, fast?: (doc: unknown) => T | undefined): T {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new HostDataError(`${what}: not JSON (${(err as Error).message}): ${JSON.stringify(text.slice(0, 200))}`);
  }
  // A hand-written check of the usual shape, giving exactly what the schema gives; anything it
  // does not accept goes through the schema, for the schema's answer and message.
  const quick = fast?.(doc);
  if (quick !== undefined) return quick;
  const r = schema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new HostDataError(`${what}: unexpected shape at ${issue.path.length ? issue.path.join('.') : 'the top'}: ${issue.message}`);
  }
  return r.data;
}

const strings = z.array(z.string());

/**
 * What the firewalld runtime probe prints (firewall-firewalld.ts RUNTIME_PY). What it may leave
 * out takes firewalld's own defaults (as its client library does); what it prints must have its type.
 */
export const firewalldRuntimeSchema = z.object({
  version: z.string().default('unknown'),
  ipsets: z.record(z.string(), z.object({ type: z.string(), family: z.string().default('inet'), entries: strings.default([]) })).default({}),
  policies: z
    .record(
      z.string(),
      z.object({
        target: z.string().default('CONTINUE'),
        priority: z.number().int().default(-1),
        ingress: strings.default([]),
        egress: strings.default([]),
        rules: strings.default([]),
      }),
    )
    .default({}),
});
export type FirewalldRuntime = z.infer<typeof firewalldRuntimeSchema>;

const json: z.ZodType<Json> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]));
const object = z.record(z.string(), json);

/**
 * One object of `nft -j list ruleset`: the fields vprov reads are typed, the rest is any JSON.
 * Values inside sets and rules (addresses, ranges, prefixes) stay JSON: nft-canonical reads any
 * of them without throwing.
 */
const nftItem = z.union([
  z.object({ table: z.object({ family: z.string(), name: z.string() }).loose() }).loose(),
  z
    .object({
      set: z
        .object({
          family: z.string(),
          table: z.string(),
          name: z.string(),
          type: json.optional(),
          flags: z.array(json).optional(),
          elem: z.array(json).optional(),
        })
        .loose(),
    })
    .loose(),
  z.object({ chain: z.object({ family: z.string(), table: z.string(), name: z.string() }).loose() }).loose(),
  z
    .object({ rule: z.object({ family: z.string(), table: z.string(), chain: z.string(), expr: z.array(object), comment: z.string().optional() }).loose() })
    .loose(),
  // metainfo, maps, flowtables, counters, …: read as they are (shown as foreign in vprov's table)
  z.record(z.string(), object).refine((o) => !['table', 'set', 'chain', 'rule'].some((k) => k in o), 'malformed table, set, chain or rule'),
]);

export const nftListingSchema = z.object({ nftables: z.array(nftItem) }).loose();

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** zod drops a "__proto__" key when it copies an object: such a listing takes the schema's path. */
const PROTO = '__proto__';

/** Any value JSON.parse gives, checked as `json` checks it (everything but a "__proto__" key). */
function plainJson(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(plainJson);
  if (isObject(v)) {
    if (Object.hasOwn(v, PROTO)) return false;
    for (const k in v) if (!plainJson(v[k])) return false;
  }
  return true;
}

/** `.loose()` object output: the shape's keys present, in the shape's order, then the others in theirs. */
function loose(o: Obj, known: readonly string[], values: Obj): Obj {
  const out: Obj = {};
  for (const k of known) if (Object.hasOwn(values, k)) out[k] = values[k];
  for (const k in o) if (!known.includes(k)) out[k] = o[k];
  return out;
}

const allStrings = (o: Obj, keys: readonly string[]) => keys.every((k) => typeof o[k] === 'string');
const TABLE = ['family', 'name'];
const SET = ['family', 'table', 'name', 'type', 'flags', 'elem'];
const CHAIN = ['family', 'table', 'name'];
const RULE = ['family', 'table', 'chain', 'expr', 'comment'];
const KINDS = ['table', 'set', 'chain', 'rule'];

/** One item as nftItem's first matching branch gives it, or undefined where none does. */
function nftItemFast(item: unknown): Obj | undefined {
  if (!isObject(item) || Object.hasOwn(item, PROTO)) return undefined;
  const wrap = (key: string, inner: Obj) => loose(item, [key], { [key]: inner });
  const t = item.table;
  if (isObject(t) && allStrings(t, TABLE) && plainJson(t)) return wrap('table', loose(t, TABLE, t));
  const s = item.set;
  if (
    isObject(s) &&
    allStrings(s, ['family', 'table', 'name']) &&
    (s.flags === undefined || Array.isArray(s.flags)) &&
    (s.elem === undefined || Array.isArray(s.elem)) &&
    plainJson(s)
  )
    return wrap('set', loose(s, SET, s));
  const c = item.chain;
  if (isObject(c) && allStrings(c, CHAIN) && plainJson(c)) return wrap('chain', loose(c, CHAIN, c));
  const r = item.rule;
  if (
    isObject(r) &&
    allStrings(r, ['family', 'table', 'chain']) &&
    Array.isArray(r.expr) &&
    r.expr.every(isObject) &&
    (r.comment === undefined || typeof r.comment === 'string') &&
    plainJson(r)
  )
    return wrap('rule', loose(r, RULE, r));
  if (!KINDS.some((k) => k in item) && Object.values(item).every(isObject) && plainJson(item)) return item;
  return undefined;
}

/**
 * nftListingSchema's result without zod, for listings every item of which fits (zod's recursive
 * union costs most of the CPU a facts round trip takes on the controller); undefined otherwise.
 */
export function nftListingFast(doc: unknown): z.infer<typeof nftListingSchema> | undefined {
  if (!isObject(doc) || Object.hasOwn(doc, PROTO) || !Array.isArray(doc.nftables)) return undefined;
  const items: Obj[] = [];
  for (const item of doc.nftables) {
    const fast = nftItemFast(item);
    if (!fast) return undefined;
    items.push(fast);
  }
  return loose(doc, ['nftables'], { nftables: items }) as z.infer<typeof nftListingSchema>;
}
