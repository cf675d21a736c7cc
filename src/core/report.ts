/**
 * Results of a run, per host and per resource: what reports render and exit codes derive from.
 * Typed once, in zod: the types below are inferred from the schemas, and the JSON report's
 * schema (src/report/schema.ts, docs/report.schema.json) is made from the same ones with the
 * registry's resource kinds (core does not know the registry).
 */
import * as z from 'zod';
import type { ResourceKind } from './types.js';

export const warningSchema = z.object({
  code: z.string(),
  message: z.string(),
  host: z.string().optional(),
  flow: z.string().optional(),
  /** the inventory's acknowledge: names this flow: counted, not repeated */
  acknowledged: z.boolean().optional(),
});
export type Warning = z.infer<typeof warningSchema>;

/** verify --connectivity: one TCP connect from a source host to a destination port. */
export const probeSchema = z.object({
  from: z.string(),
  to: z.string(),
  address: z.string(),
  port: z.number(),
  flow: z.string(),
  result: z.enum(['open', 'refused', 'filtered', 'unknown']),
  detail: z.string().optional(),
});
export type Probe = z.infer<typeof probeSchema>;
export type ProbeResult = Probe['result'];

/** "Is anything else open?": what lets traffic in besides vprov's objects; reported, never drift, never changed. */
export const foreignSchema = z.object({
  filtered: z.boolean().nullable().describe('false: nothing filters inbound traffic at all (policy accept and no drop anywhere); null: unknown'),
  items: z.array(
    z.object({
      kind: z.enum(['accept-rule', 'zone-target', 'zone-service', 'zone-port', 'zone-rich-rule', 'zone-source', 'listener']),
      source: z.string().describe('another nftables table and chain, a firewalld zone, or "listening"'),
      what: z.string(),
      protocol: z.string().optional(),
      ports: z.array(z.string()).optional(),
      required: z.boolean().describe('every port it opens is also required by a document or site flow'),
      /** a listener where nothing filters inbound traffic: open to anyone who reaches the host */
      open: z.boolean().optional(),
    }),
  ),
  notes: z.array(z.string()),
  errors: z.array(z.string()).optional().describe('what could not be read, with its cause'),
});
export type ForeignState = z.infer<typeof foreignSchema>;
export type ForeignItem = ForeignState['items'][number];

/**
 * The run's schemas over the resource kinds given (the registry's, in src/report/schema.ts).
 * `site` is required of a run; the JSON document (with version and exit code) reads it as
 * optional, for reports written before sites were named.
 */
export function runSchemas<K extends string>(kinds: readonly [K, ...K[]]) {
  const resource = z.object({
    resource: z.enum(kinds),
    /** unknown: the apply script started and the connection was lost; only a new plan can tell */
    status: z.enum(['ok', 'changed', 'pending', 'failed', 'not-applicable', 'unknown']),
    changes: z.array(z.string()),
    diff: z.string().optional(),
    warnings: z.array(z.string()),
    notes: z.array(z.string()),
    rebootRequired: z.boolean(),
    error: z.string().optional(),
    /** a commit-confirmed change: seconds from the change to the new connection that confirmed it */
    confirmedAfterSeconds: z.number().optional(),
    /** a commit-confirmed change whose confirmation came after the host's rollback timer had restored the previous state */
    rolledBack: z.boolean().optional(),
  });
  const host = z.object({
    host: z.string(),
    status: z.enum(['ok', 'changed', 'pending', 'failed', 'unreachable', 'skipped']),
    managed: z.boolean(),
    resources: z.array(resource),
    error: z.string().optional(),
    rebootRequired: z.boolean(),
    /** apply --reboot scheduled a reboot of this host */
    rebooting: z.boolean().optional(),
    /** the host came back after that reboot (new boot id) and its state was verified again */
    rebooted: z.boolean().optional(),
    notes: z.array(z.string()).optional().describe('how this run came to own the host: adopted, taken over'),
    foreign: foreignSchema.optional().describe("plan, drift, verify: what else is open on the host, not vprov's, never changed"),
    takenOver: z
      .object({ site: z.string(), controller: z.string(), updated: z.string() })
      .optional()
      .describe('apply --take-over: the site that owned the host until this run'),
    /** commands sent over the connection (facts = 1) */
    roundTrips: z.number().int(),
    durationMs: z.number(),
  });
  const run = z.object({
    command: z.enum(['plan', 'apply', 'verify', 'drift']),
    /** the site the inventory describes: in every report, so two sites' reports never look alike */
    site: z.string(),
    inventory: z.string(),
    startedAt: z.string(),
    durationMs: z.number(),
    /** --shard i/n this report covers */
    shard: z.string().optional(),
    warnings: z.array(warningSchema),
    hosts: z.array(host),
    /** verify --connectivity: TCP probes from source hosts to the ports their flows open */
    connectivity: z.array(probeSchema).optional(),
    /** the run was stopped by a signal: no host started after it (notStarted of them) */
    interrupted: z.object({ signal: z.string(), notStarted: z.number().int() }).optional(),
    /** plan --out: the plan file written; apply FILE: the plan file applied (path and sha256 of its bytes) */
    planFile: z.object({ path: z.string(), sha256: z.string() }).optional(),
  });
  // The document: version and exit code first, then the run's fields in the run's order.
  const document = z.object({
    version: z.literal(1),
    exitCode: z.number().int(),
    ...run.shape,
    site: z.string().optional().describe('the site the inventory describes (absent in reports written before sites were named)'),
  });
  return { resource, host, run, document };
}

type Schemas = ReturnType<typeof runSchemas<ResourceKind>>;
export type ResourceReport = z.infer<Schemas['resource']>;
export type HostReport = z.infer<Schemas['host']>;
export type RunReport = z.infer<Schemas['run']>;
export type ResourceStatus = ResourceReport['status'];
export type HostStatus = HostReport['status'];
