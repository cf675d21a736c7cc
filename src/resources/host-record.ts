/**
 * The host record, /etc/vprov/host.json (root-owned, 0600): which site owns the host and which
 * controller wrote it last (`site`, `controller`, `updated`, `runId`), and what vprov wrote there
 * (`written`, kept as found by writers that do not compute it). Written by the apply script under
 * the apply lock; read in the facts round trip (host section) and parsed here. A record that
 * cannot be read or parsed is a failed read with its cause, never "no owner".
 */
import * as z from 'zod';
import { SITE_NAME } from '../core/site.js';
import { decodeFileFact, ensureDir, q, readFileFact, runTemp } from './shell.js';

export const HOST_RECORD = '/etc/vprov/host.json';
/** Written by every apply since before host records existed: "vprov applied this host before". */
export const LAST_APPLY = '/var/lib/vprov/last-apply.json';

/**
 * One thing vprov wrote on the host: what it may remove when no role needs it any more (a file
 * only while its content is still the `sha256` vprov wrote). Kinds: account (created by vprov),
 * sudoers, firewall-nftables, firewall-firewalld.
 */
const writtenSchema = z
  .object({
    kind: z.string().min(1),
    path: z.string().optional(),
    name: z.string().optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .loose();
export type WrittenEntry = z.infer<typeof writtenSchema>;

export const hostRecordSchema = z.object({
  version: z.literal(1),
  site: z.string().regex(SITE_NAME, 'not a site name'),
  /** "user@hostname" of the machine vprov ran on */
  controller: z.string().min(1),
  updated: z.iso.datetime({ offset: true }),
  runId: z.string().regex(/^[0-9a-f]+$/, 'not a run id'),
  written: z.array(writtenSchema).default([]),
});

export type HostRecord = z.infer<typeof hostRecordSchema>;

/** What the facts say about the record. */
export type RecordFact = { state: 'absent'; appliedBefore: boolean } | { state: 'present'; record: HostRecord } | { state: 'unreadable'; error: string };

/** Lines of the facts script's host section (key=value). */
export function recordFactsScript(): string {
  return [readFileFact('record', HOST_RECORD), `if [ -f ${LAST_APPLY} ]; then echo applied_before=yes; fi`].join('\n');
}

/** The record from the host section's key=values. */
export function readRecordFact(kv: Record<string, string>): RecordFact {
  let text: string | null;
  try {
    text = decodeFileFact(kv.record, HOST_RECORD);
  } catch (err) {
    return { state: 'unreadable', error: (err as Error).message };
  }
  if (text === null) return { state: 'absent', appliedBefore: kv.applied_before === 'yes' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { state: 'unreadable', error: `${HOST_RECORD} on the host is not JSON (${(err as Error).message})` };
  }
  const parsed = hostRecordSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { state: 'unreadable', error: `${HOST_RECORD} on the host is not a vprov host record: ${i.path.join('.') || '(top level)'}: ${i.message}` };
  }
  return { state: 'present', record: parsed.data };
}

/** Who asks: the site of the inventory and whether --take-over was given. */
export interface Claimant {
  site: string;
  takeOver: boolean;
}

export type Ownership =
  /** another site owns the host: nothing is planned or changed for it */
  | { kind: 'refused'; message: string }
  /**
   * the host is, or becomes, this site's. `write`: the record must be written even when no
   * resource changes (adoption, take-over, a host never recorded); `note` says why.
   */
  | { kind: 'mine'; write: boolean; note?: string; takenFrom?: HostRecord; previous?: HostRecord };

export function ownerOf(host: string, fact: RecordFact, who: Claimant): Ownership {
  if (fact.state === 'unreadable') return { kind: 'refused', message: `cannot tell who owns ${host}: ${fact.error}` };
  if (fact.state === 'absent') {
    return fact.appliedBefore
      ? { kind: 'mine', write: true, note: `adopted by site ${who.site}: vprov applied this host before it recorded owners (${HOST_RECORD})` }
      : { kind: 'mine', write: true };
  }
  const r = fact.record;
  if (r.site === who.site) return { kind: 'mine', write: false, previous: r };
  if (!who.takeOver) return { kind: 'refused', message: managedBy(host, r) };
  return { kind: 'mine', write: true, note: `taken over from site ${r.site} (from ${r.controller}, ${r.updated}) with --take-over`, takenFrom: r, previous: r };
}

export function managedBy(host: string, r: HostRecord): string {
  return `${host} is managed by site ${r.site} (from ${r.controller}, ${r.updated}): merge the inventories, or pass --take-over`;
}

/** The record this run writes: the claimant's site and identity; `written` kept as it was. */
export function newRecord(site: string, controller: string, runId: string, updated: string, previous?: HostRecord): HostRecord {
  return { version: 1, site, controller, updated, runId, written: previous?.written ?? [] };
}

/**
 * sh: write the record atomically, root-only from its first byte (umask before the temp file
 * exists, so it is never readable by others, even for a moment). Prints `record_rc=N`.
 */
export function writeRecordScript(record: HostRecord, byResult: readonly WrittenByResult[] = []): string {
  const tmp = runTemp(HOST_RECORD);
  if (byResult.length > 0) return writeRecordByResultScript(record, byResult, tmp);
  const b64 = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8').toString('base64');
  return [
    `( umask 077; ${ensureDir('/etc/vprov')} && printf '%s' ${q(b64)} | base64 -d > ${tmp} && chmod 600 ${tmp} && mv -f ${tmp} ${q(HOST_RECORD)} ) 2>/dev/null`,
    `vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f ${tmp}; echo "record_rc=$vprov_record_rc"`,
  ].join('\n');
}

/**
 * A resource whose change this run applies: its entries of `kinds` in `written` become `ok`
 * when its script exited 0 (read from `$rc_RESOURCE` on the host), else stay `failed` (what was
 * recorded before): the record never claims a write or a removal that did not happen.
 */
export interface WrittenByResult {
  resource: string;
  ok: WrittenEntry[];
  failed: WrittenEntry[];
}

function writeRecordByResultScript(record: HostRecord, byResult: readonly WrittenByResult[], tmp: string): string {
  const items = (list: readonly WrittenEntry[]) => list.map((e) => JSON.stringify(e)).join(',');
  const json = JSON.stringify({ ...record, written: ['@@W@@'] });
  const [head, tail] = json.split('"@@W@@"') as [string, string];
  const lines = [`vprov_w=${q(items(record.written))}`];
  for (const r of byResult) {
    if (!/^[a-z-]+$/.test(r.resource)) throw new Error(`host record: bad resource name ${r.resource}`);
    lines.push(`if [ "$rc_${r.resource.replace(/-/g, '_')}" = 0 ]; then vprov_add=${q(items(r.ok))}; else vprov_add=${q(items(r.failed))}; fi`);
    lines.push('[ -z "$vprov_add" ] || vprov_w="${vprov_w:+$vprov_w,}$vprov_add"');
  }
  return [
    ...lines,
    `( umask 077; ${ensureDir('/etc/vprov')} && printf '%s%s%s\\n' ${q(head)} "$vprov_w" ${q(tail)} > ${tmp} && chmod 600 ${tmp} && mv -f ${tmp} ${q(HOST_RECORD)} ) 2>/dev/null`,
    `vprov_record_rc=$?; [ "$vprov_record_rc" = 0 ] || rm -f ${tmp}; echo "record_rc=$vprov_record_rc"`,
  ].join('\n');
}

/**
 * The record's `written` list after this run, as far as the controller knows it before the
 * apply: each resource that states what it owns (`owns`, for its `kinds`) replaces its entries;
 * the others keep theirs. Resources whose change is applied now are returned apart, to be
 * decided on the host by their exit code.
 */
export function writtenAfter(
  previous: readonly WrittenEntry[],
  plans: readonly { resource: string; status: string; owns?: { kinds: string[]; entries: WrittenEntry[] } }[],
): { fixed: WrittenEntry[]; byResult: WrittenByResult[] } {
  let fixed = [...previous];
  const byResult: WrittenByResult[] = [];
  for (const p of plans) {
    if (!p.owns || p.status === 'failed') continue;
    const kinds = new Set(p.owns.kinds);
    const before = fixed.filter((e) => kinds.has(e.kind));
    fixed = fixed.filter((e) => !kinds.has(e.kind));
    if (p.status === 'pending') byResult.push({ resource: p.resource, ok: p.owns.entries, failed: before });
    else fixed.push(...p.owns.entries);
  }
  return { fixed, byResult };
}

/** The recorded entry of `kind` for `path` (or `name`), if vprov recorded one. */
export function recordedEntry(written: readonly WrittenEntry[] | null, kind: string, key: { path?: string; name?: string }): WrittenEntry | undefined {
  return (written ?? []).find((e) => e.kind === kind && (key.path === undefined || e.path === key.path) && (key.name === undefined || e.name === key.name));
}
