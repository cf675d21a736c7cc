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
export function parseHostJson<T>(what: string, text: string, schema: z.ZodType<T>): T {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new HostDataError(`${what}: not JSON (${(err as Error).message}): ${JSON.stringify(text.slice(0, 200))}`);
  }
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
