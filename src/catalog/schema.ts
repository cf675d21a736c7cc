/** zod schema of one catalog file (catalog/*.yaml), docs/design.md §3. */
import { z } from 'zod';

const portRe = /^(\d{1,5})(?:-(\d{1,5}))?$/;

export const portSpec = z
  .string()
  .regex(portRe, 'must be a port "N" or a range "A-B"')
  .refine((s) => {
    const [a, b] = s.split('-').map(Number);
    return a! >= 1 && a! <= 65535 && (b === undefined || (b >= 1 && b <= 65535));
  }, 'port out of range 1-65535')
  .refine((s) => {
    const [a, b] = s.split('-').map(Number);
    return b === undefined || a! < b;
  }, 'inverted or empty range: start must be below end');

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lower-case id (a-z, 0-9, -)');

export const flowSchema = z
  .object({
    from: id,
    to: id,
    protocol: z.enum(['tcp', 'udp', 'icmp']),
    ports: z.array(portSpec).default([]),
    purpose: z.string().min(1),
    condition: id.optional(),
    /** inventory key that overrides the documented default ports (e.g. keystone) */
    param: id.optional(),
    sources: z.array(z.string()).optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((f) => (f.protocol === 'icmp' ? f.ports.length === 0 : f.ports.length > 0), {
    message: 'tcp/udp flows need ports; icmp flows take none',
    path: ['ports'],
  });

const methodSchema = z
  .object({
    title: z.string().nullable().default(null),
    section: z.string().optional(),
    sources: z.array(z.string()).optional(),
    flows: z.array(flowSchema).min(1),
  })
  .strict();

const platformSchema = z
  .object({
    id,
    title: z.string().min(1),
    sources: z.array(z.string()).min(1),
    methods: z.array(methodSchema).min(1),
  })
  .strict();

const sudoSchema = z
  .object({
    commands: z.array(z.string().regex(/^\/\S*$/, 'must be an absolute command path')).min(1),
    sources: z.array(z.string()).min(1),
    /** heading of the document the list was transcribed from */
    section: z.string().min(1).optional(),
  })
  .strict();

export const catalogFileSchema = z
  .object({
    product: id,
    title: z.string().min(1),
    documents: z.record(z.string(), z.string()),
    roles: z.record(id, z.string()),
    conditions: z.record(id, z.string()).default({}),
    params: z
      .record(id, z.object({ default: z.array(portSpec).min(1), description: z.string() }).strict())
      .default({}),
    platforms: z.array(platformSchema).min(1),
    requirements: z
      .object({
        account: z
          .object({ user: z.string().min(1), groups: z.array(z.string()), sources: z.array(z.string()).min(1), section: z.string().min(1).optional() })
          .strict()
          .optional(),
        sudo: z.record(id, sudoSchema).default({}),
        /** commands that give root to whoever may run them: flagged by lint and plan */
        rootEquivalent: z.array(z.string()).default([]),
        selinux: z
          .object({
            mode: z.enum(['permissive', 'enforcing', 'disabled']),
            allowed: z.array(z.enum(['permissive', 'enforcing', 'disabled'])),
            reason: z.string(),
            sources: z.array(z.string()).min(1),
            section: z.string().min(1).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ sudo: {}, rootEquivalent: [] }),
  })
  .strict();

export type CatalogFile = z.infer<typeof catalogFileSchema>;
