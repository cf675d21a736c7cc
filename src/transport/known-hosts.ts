/**
 * OpenSSH known_hosts matching (plain, [host]:port and hashed |1| entries) and the
 * three host-key policies: strict, accept-new (TOFU into vprov's own file), off.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, type BigIntStats, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import type { HostKeyPolicy } from '../core/types.js';

export const DEFAULT_VPROV_KNOWN_HOSTS = join(homedir(), '.config', 'vprov', 'known_hosts');

export interface HostKeyVerdict {
  ok: boolean;
  /** why it was refused, with the fingerprint and how to accept it */
  reason?: string;
  /** set when accept-new recorded a new key */
  recorded?: string;
}

export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export function hostPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

interface Entry {
  match: (name: string) => boolean;
  keyType: string;
  key: string;
  /** an `@revoked` line: this key is never accepted for the hosts it names */
  revoked: boolean;
}

/** A file's entries: plain names indexed (one lookup per host), hashed and wildcard ones tried in turn. */
interface Parsed {
  plain: Map<string, Entry[]>;
  scanned: Entry[];
}

/**
 * Parsed files by path, reused while the file is unchanged: every host of a run reads the same
 * files, and reading and parsing them per host made a 1,000-host run quadratic (CPU, and 100 MB
 * of garbage). The file is stat'ed each time (inode, size, change times in ns), so an entry
 * appended meanwhile (accept-new, another process, an edit) is seen.
 */
const parsedFiles = new Map<string, { version: string; text: string; parsed: Parsed }>();

function entriesFor(file: string, name: string): Entry[] {
  let st: BigIntStats;
  try {
    st = statSync(file, { bigint: true });
  } catch {
    return [];
  }
  const version = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  let cached = parsedFiles.get(file);
  if (cached?.version !== version) {
    const text = readFileSync(file, 'utf8');
    if (cached?.text !== text) {
      const parsed: Parsed = { plain: new Map(), scanned: [] };
      for (const { entry, names } of parse(text)) {
        if (!names) parsed.scanned.push(entry);
        for (const n of names ?? []) parsed.plain.set(n, [...(parsed.plain.get(n) ?? []), entry]);
      }
      cached = { version, text, parsed };
    } else {
      cached = { ...cached, version };
    }
    parsedFiles.set(file, cached);
  }
  return [...(cached.parsed.plain.get(name) ?? []), ...cached.parsed.scanned.filter((e) => e.match(name))];
}

/**
 * Entries in file order; `names` for plain entries of exact names (null for hashed ones and for
 * patterns with wildcards or negation, which are matched one by one).
 */
function parse(text: string): { entry: Entry; names: string[] | null }[] {
  const entries: { entry: Entry; names: string[] | null }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    const marker = parts[0]?.startsWith('@') ? parts.shift() : undefined;
    if (marker !== undefined && marker !== '@revoked') continue; // @cert-authority: not supported, never trusted
    const [hosts, keyType, key] = parts;
    if (!hosts || !keyType || !key) continue;
    const exact = !hosts.startsWith('|1|') && !/[*?!]/.test(hosts);
    entries.push({ entry: { match: matcher(hosts), keyType, key, revoked: marker === '@revoked' }, names: exact ? hosts.split(',') : null });
  }
  return entries;
}

function matcher(hosts: string): (name: string) => boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    return (name) =>
      createHmac('sha1', Buffer.from(salt ?? '', 'base64'))
        .update(name)
        .digest('base64') === hash;
  }
  // OpenSSH patterns: `*` and `?` wildcards; a matching `!pattern` excludes the host whatever else matches.
  const patterns = hosts.split(',').map((p) => ({ negated: p.startsWith('!'), re: glob(p.replace(/^!/, '')) }));
  return (name) => !patterns.some((p) => p.negated && p.re.test(name)) && patterns.some((p) => !p.negated && p.re.test(name));
}

function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Decide on a presented host key. Reads the files; writes only for accept-new. */
export function verifyHostKey(opts: {
  policy: HostKeyPolicy;
  host: string;
  port: number;
  keyBlob: Buffer;
  /** vprov's own file (accept-new writes here); also read in strict mode */
  vprovFile?: string;
  userFile?: string;
  /**
   * The inventory's ssh.knownHostsFile: like OpenSSH's UserKnownHostsFile it REPLACES the
   * default files (~/.ssh/known_hosts and vprov's own): the only file read, and the one
   * accept-new records into. A stale entry elsewhere no longer blocks the host.
   */
  knownHostsFile?: string;
}): HostKeyVerdict {
  const name = hostPattern(opts.host, opts.port);
  const presented = opts.keyBlob.toString('base64');
  const vprovFile = opts.knownHostsFile ?? opts.vprovFile ?? DEFAULT_VPROV_KNOWN_HOSTS;
  const files = opts.knownHostsFile !== undefined ? [opts.knownHostsFile] : [opts.userFile ?? join(homedir(), '.ssh', 'known_hosts'), vprovFile];
  const entries = files.flatMap((f) => entriesFor(f, name));
  const keyType = keyTypeOf(opts.keyBlob);
  const fp = fingerprint(opts.keyBlob);
  // A revoked key is refused whatever the policy, as OpenSSH does (even with checking off).
  if (entries.some((e) => e.revoked && e.key === presented)) {
    return {
      ok: false,
      reason: `host key for ${name} is REVOKED (${keyType} ${fp}, marked @revoked in ${files.join(' or ')}); refusing. The host must get a new key; verify it, then add that key`,
    };
  }
  if (opts.policy === 'off') return { ok: true };
  const known = entries.filter((e) => !e.revoked);
  if (known.some((e) => e.key === presented)) return { ok: true };
  // Known under another key type counts as changed: otherwise an attacker offering only a type
  // not yet recorded would be trusted on first use (accept-new) under a name we already know.
  if (known.length > 0) {
    const was = [...new Set(known.map((e) => e.keyType))].join(', ');
    return {
      ok: false,
      reason: `host key for ${name} CHANGED (now ${keyType} ${fp}); refusing (known as ${was}). If the change is expected, remove the old entry (ssh-keygen -R '${name}' -f FILE) from ${files.join(' or ')}`,
    };
  }
  if (opts.policy === 'strict') {
    return {
      ok: false,
      reason: `unknown host key for ${name}: ${keyType} ${fp}. Verify it, then add it to ${files[0]} (ssh-keyscan -p ${opts.port} ${opts.host}) or set ssh.hostKeys: accept-new`,
    };
  }
  mkdirSync(dirname(vprovFile), { recursive: true, mode: 0o700 });
  appendFileSync(vprovFile, `${name} ${keyType} ${presented}\n`, { mode: 0o600 });
  return { ok: true, recorded: `${name} ${keyType} ${fp}` };
}

/** The key type is the first string inside the SSH wire-format key blob. */
function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('ascii');
}
