/** Building blocks for the sh scripts sent to hosts. Pure string functions. */
import { UnreadableFactError } from '../core/errors.js';

/** Single-quote for sh. */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Write `content` exactly (base64 survives any byte) to the file a sh word names. A write that fails (full disk, read-only
 * file system) removes what it left and ends the resource's script: never half a file.
 */
export function writeFileToWord(word: string, content: string): string {
  return `if ! printf '%s' ${q(Buffer.from(content, 'utf8').toString('base64'))} | base64 -d > ${word}; then rm -f ${word}; exit 3; fi`;
}

/** mkdir -p only when the directory is missing: each process a host starts costs it about a millisecond. */
export function ensureDir(dir: string): string {
  return `{ [ -d ${q(dir)} ] || mkdir -p ${q(dir)}; }`;
}

/** Set by every apply script to a value unique to the run (see app/apply-script.ts). */
export const RUN_VAR = 'VPROV_RUN';
export const TEMP_TAG = 'vprov-new';

/** A temp name beside `path`, unique per run, as one sh word: two runs never share a temp file. */
export function runTemp(path: string): string {
  return `${q(`${path}.`)}"\${${RUN_VAR}:-0}"${q(`.${TEMP_TAG}`)}`;
}

/**
 * Appended to a file fact when the file exists but reading it failed (permissions, I/O error):
 * '!' is no base64 character, so no content can end with it.
 */
export const UNREADABLE_MARK = '!unreadable';
/** sh: base64 of the file named by the sh word `word`, or the unreadable mark after what was read. */
export function base64OfFile(word: string): string {
  return `{ base64 -w0 < ${word} || printf '%s' '${UNREADABLE_MARK}'; }`;
}

/**
 * Print `key=` and a file's bytes as one base64 line, or `key=absent`. No \$(…) around it: the
 * subshell would cost a fork on every run, for the same bytes.
 */
export function readFileFact(key: string, path: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(key)) throw new Error(`readFileFact: bad key ${key}`);
  return `if [ -f ${q(path)} ]; then printf ${key}=; ${base64OfFile(q(path))}; echo; else echo ${key}=absent; fi`;
}

/** A base64 fact's text (an absent one: ''). The one decoder of base64 facts. */
export function decodeBase64Fact(value: string | undefined): string {
  return Buffer.from(value?.trim() ?? '', 'base64').toString('utf8');
}

/**
 * A file fact's content, or null when the file is absent. A file that exists but could not be
 * read is an error naming it, never an empty file.
 */
export function decodeFileFact(line: string | undefined, path: string): string | null {
  if (line === undefined || line.trim() === 'absent') return null;
  if (line.trim().endsWith(UNREADABLE_MARK)) throw new UnreadableFactError(`cannot read ${path} on the host: it exists, but reading it failed`);
  return decodeBase64Fact(line);
}

export const SECTION = '@@vprov:';

/** Marker lines that cut one script's output into named sections. */
export function sectionMarker(name: string): string {
  return `echo '${SECTION}${name}@@'`;
}

export function splitSections(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | null = null;
  let buf: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^@@vprov:([a-z0-9:_-]+)@@$/.exec(line);
    if (m) {
      if (current) out[current] = buf.join('\n');
      current = m[1]!;
      buf = [];
    } else if (current) buf.push(line);
  }
  if (current) out[current] = buf.join('\n');
  return out;
}

/** "key=value" lines → record (first '=' splits). */
/**
 * A yes/no fact as the facts script prints it; a line that is there with anything else (cut
 * short, garbled) is `undefined`: a fact that cannot be read, never a "no". A missing line is
 * `missing` (the caller's default, as before: the section's end marker catches cut output).
 */
export function yesNo(kv: Record<string, string>, key: string, missing = false): boolean | undefined {
  const v = kv[key];
  return v === undefined ? missing : v === 'yes' ? true : v === 'no' ? false : undefined;
}

/** Why a yes/no fact could not be read, for the resource's error. */
export function unreadableYesNo(kv: Record<string, string>, key: string, what: string): string {
  const v = kv[key] ?? '';
  return `cannot read ${what} from the host's facts: "${key}=${v.length > 40 ? `${v.slice(0, 40)}…` : v}" is neither yes nor no`;
}

export function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
