/**
 * A saved plan (`plan --out FILE`, `apply FILE`): the file's format, checked by a strict schema
 * and a checksum when read, and written atomically, 0600. It holds what the plan was made from
 * (fingerprints of the inventory and catalog, the options that change the outcome, vprov's
 * version) and, per host, the desired state, the facts digest and the changes shown. No secret:
 * the sudo password never reaches it, and the inventory holds none (a key is a path).
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as z from 'zod';
import { InputError } from '../core/errors.js';
import type { Inventory } from '../inventory/load.js';

export const PLAN_FORMAT = 'vprov-plan';
const FORMAT_VERSION = 1;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 (64 hex digits)');
const digests = z.record(z.string().min(1), sha256Hex);

/** What a file input looked like when the plan was made: one digest per section, to name what changed. */
const fingerprintSchema = z.object({ file: z.string().min(1), sha256: sha256Hex, sections: digests }).strict();

const savedResourceSchema = z
  .object({
    resource: z.string().min(1),
    status: z.enum(['ok', 'pending', 'not-applicable']),
    changes: z.array(z.string()),
  })
  .strict();

const savedHostSchema = z
  .object({
    name: z.string().min(1),
    managed: z.boolean(),
    /** what the plan showed for the host */
    status: z.enum(['ok', 'pending', 'skipped']),
    /** the facts digest the plan came from (the one the apply script checks under the lock), per section too */
    facts: z.object({ sha256: sha256Hex, sections: digests }).strict().optional(),
    resources: z.array(savedResourceSchema),
    /** the desired state the plan came from (compared with the one the inventory gives at apply time) */
    desired: z.looseObject({ name: z.string().min(1), managed: z.boolean() }),
  })
  .strict()
  .refine((h) => !h.managed || h.facts !== undefined, { message: 'a managed host needs its facts digest', path: ['facts'] })
  .refine((h) => h.desired.name === h.name && h.desired.managed === h.managed, { message: 'desired state of another host', path: ['desired'] });

export const planOptionsSchema = z
  .object({
    limit: z.string().optional(),
    takeOver: z.boolean(),
    removeAccounts: z.boolean(),
    prune: z.array(z.string().min(1)),
    roleMap: z.array(z.string()),
    connection: z.enum(['ssh', 'local']),
  })
  .strict();

export const planFileSchema = z
  .object({
    format: z.literal(PLAN_FORMAT),
    formatVersion: z.literal(FORMAT_VERSION),
    vprovVersion: z.string().min(1),
    createdAt: z.iso.datetime({ offset: true }),
    site: z.string().min(1),
    inventory: fingerprintSchema,
    /** the inventory --prune's hosts were applied with */
    pruneInventory: fingerprintSchema.optional(),
    catalog: z.object({ dir: z.string().min(1).optional(), sha256: sha256Hex, files: digests }).strict(),
    options: planOptionsSchema,
    hosts: z.array(savedHostSchema).min(1, 'a plan holds at least one host'),
    /** sha256 of the canonical JSON of every other field: an edited or damaged file is refused */
    checksum: sha256Hex,
  })
  .strict();

export type PlanFile = z.infer<typeof planFileSchema>;
export type SavedHost = PlanFile['hosts'][number];
export type PlanOptions = z.infer<typeof planOptionsSchema>;
export type Fingerprint = z.infer<typeof fingerprintSchema>;

/** A plan file as read: what it holds, where it is, and the sha256 of its bytes (named in the reports). */
export interface SavedPlan {
  file: string;
  sha256: string;
  plan: PlanFile;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with keys sorted at every level: the same data always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function checksumOf(plan: Omit<PlanFile, 'checksum'>): string {
  const { checksum: _ignored, ...rest } = plan as PlanFile;
  return sha256(canonicalJson(rest));
}

/** The loaded inventory, section by section: every top-level key, each host on its own, and the site. */
export function inventoryFingerprint(inv: Inventory): Fingerprint {
  const sections: Record<string, string> = { site: sha256(inv.site) };
  for (const [key, value] of Object.entries(inv.data)) {
    if (key === 'hosts') continue;
    if (value !== undefined) sections[key] = sha256(canonicalJson(value));
  }
  for (const [name, host] of Object.entries(inv.data.hosts)) sections[`hosts.${name}`] = sha256(canonicalJson(host));
  return { file: resolve(inv.file), sha256: sha256(canonicalJson(sections)), sections };
}

/** The catalog files the inventory's products come from, by their bytes. */
export function catalogFingerprint(inv: Inventory, dir: string | undefined): PlanFile['catalog'] {
  const files: Record<string, string> = {};
  for (const p of inv.products) files[basename(p.product.file)] = sha256(readFileSync(p.product.file));
  return { ...(dir ? { dir: resolve(dir) } : {}), sha256: sha256(canonicalJson(files)), files };
}

/** Section names whose digest differs, was added or went away: "hosts.node2", "networks (added)". */
export function changedSections(before: Record<string, string>, now: Record<string, string>): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
  return names.flatMap((n) => (before[n] === now[n] ? [] : before[n] === undefined ? [`${n} (added)`] : now[n] === undefined ? [`${n} (removed)`] : [n]));
}

/** The file vprov writes: the checksum over the rest, and nothing a person could mistake for a report. */
export function planFileText(plan: Omit<PlanFile, 'checksum'>): string {
  return `${JSON.stringify({ ...plan, checksum: checksumOf(plan) }, null, 2)}\n`;
}

/**
 * Written 0600 (it names hosts, users and key paths) to a temp file beside it, synced, then
 * renamed over FILE: a reader sees the old plan or the new one, never half of one. An existing
 * plan file is replaced, as `terraform plan -out` does (docs/decisions.md).
 */
export function writePlanFile(file: string, plan: Omit<PlanFile, 'checksum'>): SavedPlan {
  const text = planFileText(plan);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was created
    }
    throw new InputError(`--out ${file}: cannot write the plan file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, file);
  }
  return { file, sha256: sha256(text), plan: JSON.parse(text) as PlanFile };
}

/**
 * Why a plan file's owner and mode make it untrusted, or undefined. Its checksum is no seal (any
 * writer recomputes it), so what is applied must be a file only its user (or root) could have
 * written since the plan: vprov writes it 0600, as ssh wants a private key.
 */
export function untrustedBecause(st: { uid: number; mode: number }, uid: number | undefined): string | undefined {
  const mode = `mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}`;
  if (uid !== undefined && st.uid !== uid && st.uid !== 0) return `owned by uid ${st.uid}, not by you (uid ${uid}) or root`;
  if (st.mode & 0o002) return `writable by others (${mode})`;
  if (st.mode & 0o020) return `writable by its group (${mode})`;
  return undefined;
}

/**
 * The plan file's bytes, from the file itself: not through a link (O_NOFOLLOW), nothing but a
 * regular file (a FIFO or device would block or never end; O_NONBLOCK opens a FIFO without a
 * writer), owner and mode checked on what was opened, so nothing changes between check and read.
 */
function readOwnFile(file: string): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${file}: not a regular file: a plan file is the file vprov plan --out wrote`, file);
    const why = untrustedBecause(st, process.geteuid?.());
    if (why) throw new InputError(`${file}: ${why}: anyone who can write a plan file can change what apply does; make a new plan (vprov writes it 0600)`, file);
    return readFileSync(fd);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new InputError(`${file}: a symbolic link: give the plan file itself`, file);
    throw new InputError(`${file}: cannot read the plan file: ${code ?? (err as Error).message}`, file);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Read and check a plan file before anything else happens: readable, JSON, a vprov plan, made by
 * this vprov version, every field as vprov writes it, the checksum right. Each problem is bad
 * input naming the file (and field): nothing is touched.
 */
export function readPlanFile(file: string, version: string): SavedPlan {
  const bytes = readOwnFile(file);
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new InputError(`${file}: not a vprov plan file: ${(err as Error).message} (cut short or damaged?): make a new plan with vprov plan --out`, file);
  }
  const head = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  if (head.format !== PLAN_FORMAT) throw new InputError(`${file}: format: not a vprov plan file (expected "${PLAN_FORMAT}")`, file);
  if (head.vprovVersion !== version)
    throw new InputError(
      `${file}: vprovVersion: the plan was made by vprov ${JSON.stringify(head.vprovVersion)}, this is vprov ${version}: a plan is applied by the version that made it; make a new plan`,
      file,
    );
  const parsed = planFileSchema.safeParse(data);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${file}: ${i.path.map(String).join('.') || '(top)'}: ${i.message}`);
    throw new InputError(details[0]!, file, details);
  }
  if (checksumOf(parsed.data) !== parsed.data.checksum)
    throw new InputError(`${file}: checksum: the plan file was changed after vprov wrote it: make a new plan with vprov plan --out`, file);
  return { file, sha256: sha256(bytes), plan: parsed.data };
}
