/**
 * The evidence report (version 1), in zod: the type the code builds, what tests validate
 * `--format json` with, and the source of docs/evidence.schema.json.
 */
import * as z from 'zod';
import { foreignSchema } from '../core/report.js';
import { EVIDENCE_KINDS } from '../resources/registry.js';

export const VERDICTS = ['met', 'not met', 'not applicable', 'not verifiable'] as const;

const requirement = z.object({
  id: z.string().describe('stable id: kind, what, @host'),
  kind: z.enum(EVIDENCE_KINDS),
  host: z.string().describe('the host the requirement is proven on (for a flow: its destination)'),
  requirement: z.string().describe('what the document requires, in one line'),
  sources: z.array(z.string()).optional().describe('flows: source hosts and networks'),
  protocol: z.enum(['tcp', 'udp', 'icmp']).optional(),
  ports: z.array(z.string()).optional(),
  platform: z.string().nullable().optional(),
  method: z.string().nullable().optional(),
  condition: z.string().nullable().optional(),
  rootEquivalent: z.boolean().optional().describe('sudo: the command gives root to whoever may run it'),
  found: z.array(z.string()).describe('what was read on the host (and, for TCP flows, probed from each managed source)'),
  verdict: z.enum(VERDICTS),
  reason: z.string().optional().describe('why the verdict, when it is not met'),
  documents: z.array(z.string()),
  section: z.string(),
});

const notApplied = z.object({
  kind: z.enum(EVIDENCE_KINDS),
  requirement: z.string(),
  status: z.enum(['not applied', 'flagged']),
  reason: z.string(),
  documents: z.array(z.string()),
  section: z.string(),
});

const host = z.object({
  host: z.string(),
  address: z.string(),
  roles: z.array(z.string()),
  managed: z.boolean(),
  status: z.enum(['read', 'unreachable', 'failed', 'not managed']),
  firewall: z.string().optional().describe('backend in effect: nftables, firewalld or none'),
  error: z.string().optional(),
  roundTrips: z.number().int(),
  foreign: foreignSchema.optional().describe("what else is open on the host: not vprov's, reported, never changed"),
  owner: z.string().optional().describe('the site the host record names (/etc/vprov/host.json), when the host has one'),
});

export const evidenceSchema = z.object({
  version: z.literal(1),
  kind: z.literal('evidence'),
  exitCode: z.number().int(),
  verdict: z
    .union([z.enum(['met', 'not met', 'incomplete']), z.string().regex(/^met except [1-9]\d* not verifiable$/)])
    .describe(
      'not met: some requirement is not met; incomplete: none is, but a host could not be read; met except N not verifiable: every requirement read is met, N could not be verified; met: every applicable requirement is met',
    ),
  counts: z.object({ met: z.number().int(), notMet: z.number().int(), notApplicable: z.number().int(), notVerifiable: z.number().int() }),
  inventory: z.string(),
  site: z.string().describe('the site the inventory describes'),
  product: z.object({ id: z.string(), title: z.string() }),
  catalog: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).describe('the catalog file the requirements come from, by content hash'),
  products: z
    .array(z.object({ id: z.string(), title: z.string(), catalog: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }) }))
    .optional()
    .describe('a site of several products: each product and its catalog file (product and catalog then name the site and its first catalog)'),
  controller: z.object({ host: z.string(), user: z.string() }),
  generatedAt: z.string(),
  durationMs: z.number(),
  platforms: z.array(z.object({ platform: z.string(), method: z.string().nullable(), options: z.array(z.string()) })),
  documents: z.array(z.object({ file: z.string(), title: z.string() })),
  hosts: z.array(host),
  requirements: z.array(requirement),
  notApplied: z.array(notApplied),
  warnings: z.array(z.string()),
  interrupted: z
    .object({ signal: z.string(), notStarted: z.number().int() })
    .optional()
    .describe('the run was stopped by a signal (SIGINT, SIGTERM): hosts not started or stopped in flight are failed, saying so'),
});

export type EvidenceReport = z.infer<typeof evidenceSchema>;
export type EvidenceRow = EvidenceReport['requirements'][number];
export type Verdict = (typeof VERDICTS)[number];
