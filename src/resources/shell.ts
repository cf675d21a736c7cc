/** Building blocks for the sh scripts sent to hosts. Pure string functions. */

/** Single-quote for sh. */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A command that writes `content` to `path` exactly (base64 survives any byte). */
export function writeFileCmd(path: string, content: string): string {
  return `printf '%s' ${q(Buffer.from(content, 'utf8').toString('base64'))} | base64 -d > ${q(path)}`;
}

/** Print a file's bytes as one base64 line, or the word "absent". */
export function readFileCmd(path: string): string {
  return `if [ -f ${q(path)} ]; then base64 -w0 < ${q(path)}; echo; else echo absent; fi`;
}

export function decodeFileFact(line: string | undefined): string | null {
  if (line === undefined || line.trim() === 'absent') return null;
  return Buffer.from(line.trim(), 'base64').toString('utf8');
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
export function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
