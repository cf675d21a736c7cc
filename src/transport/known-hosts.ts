/**
 * OpenSSH known_hosts matching (plain, [host]:port and hashed |1| entries) and the
 * three host-key policies: strict, accept-new (TOFU into vprov's own file), off.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
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
}

/** A file's entries: plain names indexed (one lookup per host), hashed ones tried in turn. */
interface Parsed {
  plain: Map<string, Entry[]>;
  hashed: Entry[];
}

/**
 * Parsed files by path, reused while the file is unchanged: every host of a run reads the same
 * files, and reading and parsing them per host made a 1,000-host run quadratic (CPU, and 100 MB
 * of garbage). The file is stat'ed each time (inode, size, change times in ns), so an entry
 * appended meanwhile (accept-new, another process, an edit) is seen.
 */
const parsedFiles = new Map<string, { version: string; text: string; parsed: Parsed }>();

function entriesFor(file: string, name: string): Entry[] {
  let st;
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
      const parsed: Parsed = { plain: new Map(), hashed: [] };
      for (const { entry, names } of parse(text)) {
        if (!names) parsed.hashed.push(entry);
        for (const n of names ?? []) parsed.plain.set(n, [...(parsed.plain.get(n) ?? []), entry]);
      }
      cached = { version, text, parsed };
    } else {
      cached = { ...cached, version };
    }
    parsedFiles.set(file, cached);
  }
  return [...(cached.parsed.plain.get(name) ?? []), ...cached.parsed.hashed.filter((e) => e.match(name))];
}

/** Entries in file order; `names` for plain entries (null for hashed ones). */
function parse(text: string): { entry: Entry; names: string[] | null }[] {
  const entries: { entry: Entry; names: string[] | null }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    if (parts[0]?.startsWith('@')) continue; // @cert-authority / @revoked: not supported, never trusted
    const [hosts, keyType, key] = parts;
    if (!hosts || !keyType || !key) continue;
    entries.push({ entry: { match: matcher(hosts), keyType, key }, names: hosts.startsWith('|1|') ? null : hosts.split(',') });
  }
  return entries;
}

function matcher(hosts: string): (name: string) => boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    return (name) => createHmac('sha1', Buffer.from(salt ?? '', 'base64')).update(name).digest('base64') === hash;
  }
  const names = hosts.split(',');
  return (name) => names.includes(name);
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
}): HostKeyVerdict {
  if (opts.policy === 'off') return { ok: true };
  const name = hostPattern(opts.host, opts.port);
  const presented = opts.keyBlob.toString('base64');
  const vprovFile = opts.vprovFile ?? DEFAULT_VPROV_KNOWN_HOSTS;
  const files = [opts.userFile ?? join(homedir(), '.ssh', 'known_hosts'), vprovFile];
  const known = files.flatMap((f) => entriesFor(f, name));
  const keyType = keyTypeOf(opts.keyBlob);
  const fp = fingerprint(opts.keyBlob);
  if (known.some((e) => e.key === presented)) return { ok: true };
  const sameType = known.filter((e) => e.keyType === keyType);
  if (sameType.length > 0) {
    return {
      ok: false,
      reason: `host key for ${name} CHANGED (now ${keyType} ${fp}); refusing. If the change is expected, remove the old entry (ssh-keygen -R '${name}' -f FILE) from ${files.join(' or ')}`,
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
