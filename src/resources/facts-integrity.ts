/**
 * The facts output proves it arrived whole. Parsers read a key=value line that is not there as
 * its default ("no such user", "not installed"), so a garbled key or a cut output would pass as a
 * fact; a section's end marker only catches the cut.
 *
 * - The facts script keeps its output in a variable and prints it, then section `sum` with the
 *   sha256sum of it (coreutils, which the apply script's digest check already needs): the
 *   controller refuses any output whose checksum does not match, and one cut before its checksum.
 * - The unprivileged prelude (SSH_CONNECTION: which address and port must stay reachable) runs in
 *   the login shell, which may be rbash with a PATH of its own: no tool there, so it prints its
 *   one line twice, and the two copies must be equal.
 *
 * Not an authentication: a host can print anything and a matching checksum. It proves the bytes
 * were not damaged on the way (a channel cut short, a terminal, a broken multiplexer).
 */
import { createHash } from 'node:crypto';

export const SUM_SECTION = 'sum';
const SUM_MARKER = `@@vprov:${SUM_SECTION}@@`;
const HOST_MARKER = '@@vprov:host@@';
const SSH_MARKER = '@@vprov:ssh@@';

/** Runs unprivileged before sudo, which would strip SSH_CONNECTION. */
export const FACTS_PRELUDE = `echo '${SSH_MARKER}'; echo "ssh=$SSH_CONNECTION"; echo "ssh_again=$SSH_CONNECTION"`;

/**
 * The facts script around its `body`: the body's output (as sh's $(…) keeps it, without trailing
 * newlines), then its checksum. One subshell and one sha256sum per gathering (a few ms).
 */
export function sealedFactsScript(body: string): string {
  return [
    `vprov_facts_out=$( {\n${body}\n} 2>/dev/null )`,
    `printf '%s\\n' "$vprov_facts_out"`,
    `echo '${SUM_MARKER}'`,
    `printf '%s' "$vprov_facts_out" | sha256sum`,
  ].join('\n');
}

/**
 * Why the facts output (from the host section on; with `prelude`, also the prelude's section
 * before it) did not arrive intact, or undefined when it did. `stdout` is the text as the
 * controller decoded it (UTF-8), as the facts digest is computed.
 */
export function factsDamage(stdout: string, prelude: boolean): string | undefined {
  const start = stdout.indexOf(`${HOST_MARKER}\n`);
  if (start < 0) return `no facts section in the output (${stdout.length} bytes arrived)`;
  if (prelude) {
    const why = preludeDamage(stdout.slice(0, start));
    if (why) return why;
  }
  const text = stdout.slice(start);
  const at = text.lastIndexOf(`\n${SUM_MARKER}\n`);
  if (at < 0) return `the output was cut short or garbled: it has no checksum line (${text.length} bytes of facts arrived)`;
  const line = text.slice(at + SUM_MARKER.length + 2);
  const sum = /^([0-9a-f]{64}) {2}-\n$/.exec(line)?.[1];
  if (sum === undefined) {
    if (line === '' || line === '\n') return 'the host printed no checksum of its facts (is sha256sum from coreutils installed?)';
    return `the output's checksum line is garbled or cut short: "${clip(line)}"`;
  }
  const body = text.slice(0, at);
  const actual = createHash('sha256').update(body, 'utf8').digest('hex');
  if (actual === sum) return undefined;
  return body.includes('\uFFFD')
    ? `the output does not match its checksum: it is not valid UTF-8 (garbled on the way, or a fact with bytes that are not text); sha256 ${actual.slice(0, 12)}…, the host's ${sum.slice(0, 12)}…`
    : `the output does not match its checksum (garbled on the way): sha256 ${actual.slice(0, 12)}…, the host's ${sum.slice(0, 12)}…`;
}

/** The prelude's section: exactly its marker and its line twice, equal. */
function preludeDamage(before: string): string | undefined {
  const at = before.lastIndexOf(`${SSH_MARKER}\n`);
  if (at < 0) return 'the output was garbled: the SSH connection section is missing';
  const lines = before.slice(at + SSH_MARKER.length + 1).split('\n');
  const [one, two, end, ...rest] = lines;
  const ok = one?.startsWith('ssh=') && two?.startsWith('ssh_again=') && one.slice(4) === two.slice(10) && end === '' && rest.length === 0;
  return ok ? undefined : `the output was garbled: the SSH connection section's two copies differ: "${clip(lines.join('\\n'))}"`;
}

function clip(s: string): string {
  const t = s.replace(/[^\x20-\x7e]/g, '?');
  return t.length > 80 ? `${t.slice(0, 80)}…` : t;
}
