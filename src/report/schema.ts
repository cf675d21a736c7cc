/**
 * The JSON report's schema (version 1), in zod: the same definition validates reports in
 * tests, reads them back for history and merge, and is exported as docs/report.schema.json.
 */
import * as z from 'zod';
import { RESOURCE_KINDS } from '../resources/registry.js';

const resource = z.object({
  resource: z.enum(RESOURCE_KINDS),
  status: z.enum(['ok', 'changed', 'pending', 'failed', 'not-applicable', 'unknown']),
  changes: z.array(z.string()),
  diff: z.string().optional(),
  warnings: z.array(z.string()),
  notes: z.array(z.string()),
  rebootRequired: z.boolean(),
  error: z.string().optional(),
  confirmedAfterSeconds: z.number().optional(),
});

/** "Is anything else open?": what lets traffic in besides vprov's objects; reported, never drift. */
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
      open: z.boolean().optional(),
    }),
  ),
  notes: z.array(z.string()),
  errors: z.array(z.string()).optional().describe('what could not be read, with its cause'),
});

const host = z.object({
  host: z.string(),
  status: z.enum(['ok', 'changed', 'pending', 'failed', 'unreachable', 'skipped']),
  managed: z.boolean(),
  resources: z.array(resource),
  error: z.string().optional(),
  rebootRequired: z.boolean(),
  rebooting: z.boolean().optional(),
  rebooted: z.boolean().optional(),
  notes: z.array(z.string()).optional().describe('how this run came to own the host: adopted, taken over'),
  foreign: foreignSchema.optional().describe("plan, drift, verify: what else is open on the host, not vprov's, never changed"),
  takenOver: z
    .object({ site: z.string(), controller: z.string(), updated: z.string() })
    .optional()
    .describe('apply --take-over: the site that owned the host until this run'),
  roundTrips: z.number().int(),
  durationMs: z.number(),
});

export const reportSchema = z.object({
  version: z.literal(1),
  exitCode: z.number().int(),
  command: z.enum(['plan', 'apply', 'verify', 'drift']),
  site: z.string().optional().describe('the site the inventory describes (absent in reports written before sites were named)'),
  inventory: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  shard: z.string().optional(),
  warnings: z.array(
    z.object({ code: z.string(), message: z.string(), host: z.string().optional(), flow: z.string().optional(), acknowledged: z.boolean().optional() }),
  ),
  hosts: z.array(host),
  connectivity: z
    .array(
      z.object({
        from: z.string(),
        to: z.string(),
        address: z.string(),
        port: z.number(),
        flow: z.string(),
        result: z.enum(['open', 'refused', 'filtered', 'unknown']),
        detail: z.string().optional(),
      }),
    )
    .optional(),
  interrupted: z.object({ signal: z.string(), notStarted: z.number().int() }).optional(),
  /** plan --out: the plan file written; apply FILE: the plan file applied (path and sha256 of its bytes) */
  planFile: z.object({ path: z.string(), sha256: z.string() }).optional(),
});

export type ReportDocument = z.infer<typeof reportSchema>;
