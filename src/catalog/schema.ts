/** zod schema of one catalog file (catalog/*.yaml), docs/design.md §3. */
import * as z from 'zod';

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

/**
 * A user or group name as useradd takes it and sudo reads it: no dot (sudo silently skips a
 * drop-in whose name has one), no slash (the name is also the drop-in's file name), no newline.
 */
export const posixName = z
  .string()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a POSIX user/group name: a-z or _ first, then a-z 0-9 _ -, at most 32 characters');

/** Why `p` is not one plain absolute path of a file, or null. Values reach root scripts and sudoers. */
export function absolutePathProblem(p: string): string | null {
  if (!p.startsWith('/')) return 'must be an absolute path';
  if (/\s/.test(p)) return 'must not contain whitespace';
  if (p.includes(',')) return 'must not contain "," (in sudoers it starts another command)';
  if (/[*?[\]]/.test(p)) return 'must not contain a glob (* ? [ ])';
  if (p.includes('\\')) return 'must not contain a backslash';
  if (p.length > 1 && p.endsWith('/')) return 'must name a file, not end in "/"';
  if (p.split('/').some((seg, i) => i > 0 && (seg === '..' || seg === '.' || seg === ''))) return 'must not contain "..", "." or "//" segments';
  const bad = /[^A-Za-z0-9._+@/-]/.exec(p);
  if (bad) return `must not contain ${JSON.stringify(bad[0])} (letters, digits and . _ + @ - / only)`;
  return null;
}

const pathSchema = (what: string, extra?: (p: string) => string | null) =>
  z.string().superRefine((p, ctx) => {
    const problem = absolutePathProblem(p) ?? extra?.(p) ?? null;
    if (problem) ctx.addIssue({ code: 'custom', message: `${what} ${JSON.stringify(p)} ${problem}` });
  });

/** home directories, shells */
export const absolutePath = pathSchema('path');

/** A sudo command: one file, never a list, a pattern or the ALL keyword. */
export const sudoCommand = pathSchema('sudo command', (p) => (p.split('/').includes('ALL') ? 'must not contain ALL (sudo reads it as "any command")' : null));

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
    commands: z.array(sudoCommand).min(1),
    sources: z.array(z.string()).min(1),
    /** heading of the document the list was transcribed from */
    section: z.string().min(1).optional(),
  })
  .strict();

export const catalogFileSchema = z
  .object({
    // "site" names an inventory's own flows in every report and rule comment.
    product: id.refine((p) => p !== 'site', '"site" is reserved for an inventory\'s own flows (site: FILE:LINE); name the product otherwise'),
    title: z.string().min(1),
    documents: z.record(z.string(), z.string()),
    roles: z.record(id, z.string()),
    conditions: z.record(id, z.string()).default({}),
    params: z.record(id, z.object({ default: z.array(portSpec).min(1), description: z.string() }).strict()).default({}),
    platforms: z.array(platformSchema).min(1),
    requirements: z
      .object({
        account: z
          .object({
            user: posixName,
            groups: z.array(posixName),
            /** the home and shell the document asks for, when it does (else the inventory's, or /home/USER and /bin/bash) */
            home: absolutePath.optional(),
            shell: absolutePath.optional(),
            sources: z.array(z.string()).min(1),
            section: z.string().min(1).optional(),
          })
          .strict()
          .optional(),
        sudo: z.record(id, sudoSchema).default({}),
        /** commands that give root to whoever may run them: flagged by lint and plan */
        rootEquivalent: z.array(sudoCommand).default([]),
        /**
         * Host requirements beyond ports, each checked (and where it can be, applied) by the
         * resource module named in `resource`: the statement is the document's own sentence.
         */
        host: z
          .array(
            z
              .object({
                resource: id,
                id,
                roles: z.array(id).min(1),
                statement: z.string().min(1),
                sources: z.array(z.string()).min(1),
                section: z.string().min(1).optional(),
              })
              .strict(),
          )
          .default([]),
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
      .default({ sudo: {}, rootEquivalent: [], host: [] }),
  })
  .strict();

export type CatalogFile = z.infer<typeof catalogFileSchema>;
