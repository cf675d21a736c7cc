/**
 * The one script an apply sends to a host (pure). It is
 * - read whole before it runs (one brace group): a connection lost while it is sent never
 *   leaves half a script executed;
 * - deaf to the controller going away (SIGPIPE, SIGHUP ignored): once started it finishes,
 *   and every write in it is temp + rename, so each file is either old or new;
 * - run under the host's apply lock (flock on /run/vprov/lock), held for the whole write
 *   phase: a second run waits up to a bound, then gives up naming the holder;
 * - run only if the facts the plan was computed from still hold once the lock is taken;
 *   otherwise it prints the fresh facts and changes nothing (the controller plans again);
 * - the writer of /var/lib/vprov/last-apply.json (atomically) when it is done;
 * - the verifier's source: after its end marker, still under the lock, it runs the facts script
 *   of the resources it changed and prints its output in section "verify", so the controller checks
 *   the result without another round trip (not when a change is commit-confirmed: only a new
 *   connection proves that).
 * Temp names carry the run id; whatever a failed resource left is removed at the end.
 */
import type { ResourcePlan } from '../resources/types.js';
import { ensureDir, q, RUN_VAR, runTemp, sectionMarker, splitSections, TEMP_TAG } from '../resources/shell.js';
import { SUM_SECTION } from '../resources/facts-integrity.js';
import { LAST_APPLY, writeRecordScript, type HostRecord, type WrittenByResult } from '../resources/host-record.js';

export { LAST_APPLY };
export const LOCK_DIR = '/run/vprov';
export const LOCK_FILE = `${LOCK_DIR}/lock`;
export const LOCK_OWNER = `${LOCK_DIR}/lock.owner`;
/** The section after the apply script's end that holds the facts read after the changes. */
const VERIFY = 'verify';
/** Directories whose run temp files are swept at the end (depth 3 reaches /etc/firewalld/ipsets/*). */
const TEMP_ROOTS = ['/etc', '/var/lib/vprov'];

export interface ApplyRun {
  /** [0-9a-f]+, unique per run */
  runId: string;
  /** "controller/pid since time": what a waiting run reports */
  owner: string;
  lockWaitSeconds: number;
  /** the facts script's sections the plan came from (factsBody: without their checksum), and the sha256 of what they printed */
  factsScript: string;
  factsDigest: string;
  /** run after the changes, its output in section "verify": the facts the controller verifies from */
  verifyScript?: string;
  /** last-apply.json without `results` (filled in on the host from each resource's exit code) */
  record: Record<string, unknown>;
  /** /etc/vprov/host.json as this run leaves it (owner site, controller), written under the lock */
  hostRecord?: HostRecord;
  /** entries of the record's `written` list that depend on a resource's exit code */
  writtenByResult?: WrittenByResult[];
}

export function applyScript(plans: readonly ResourcePlan[], run: ApplyRun): string {
  if (!/^[0-9a-f]+$/.test(run.runId) || !/^[0-9a-f]{64}$/.test(run.factsDigest)) throw new Error('apply script: bad run id or digest');
  const pending = plans.filter((p) => p.status === 'pending');
  const wait = Math.max(0, Math.floor(run.lockWaitSeconds));
  const body = [
    `trap '' PIPE HUP`,
    `${RUN_VAR}=${run.runId}`,
    `if ! command -v flock >/dev/null 2>&1; then ${sectionMarker('locked')}; echo 'flock (util-linux) is not installed: vprov cannot take the apply lock'; exit 0; fi`,
    `if ! flock -w ${wait} 9; then vprov_holder=$(cat ${LOCK_OWNER} 2>/dev/null); ${sectionMarker('locked')}; echo "locked by \${vprov_holder:-a holder that is not a vprov run in progress (${LOCK_OWNER} is empty)} (waited ${wait} s for ${LOCK_FILE})"; exit 0; fi`,
    // The owner line names the holder while it holds the lock, and is cleared however the script ends.
    `printf '%s\\n' ${q(run.owner)} > ${LOCK_OWNER}; trap ': > ${LOCK_OWNER}' EXIT`,
    `vprov_facts=$( {\n${run.factsScript}\n} 2>/dev/null )`,
    // The fresh facts of a stale run go back sealed as the facts script seals them (facts-integrity.ts).
    `vprov_sum=$(printf '%s' "$vprov_facts" | sha256sum)`,
    `if [ "$vprov_sum" != '${run.factsDigest}  -' ]; then ${sectionMarker('stale')}; printf '%s\\n' "$vprov_facts"; ${sectionMarker(SUM_SECTION)}; printf '%s\\n' "$vprov_sum"; exit 0; fi`,
    ...pending.map((p) => `${sectionMarker(`apply-${p.resource}`)}\n( set -e\n${p.script}\n) 2>&1\nrc_${p.resource}=$?\necho "rc=$rc_${p.resource}"`),
    ...(run.hostRecord ? [sectionMarker('record'), writeRecordScript(run.hostRecord, run.writtenByResult)] : []),
    ...(pending.length > 0
      ? [
          lastApplyCmd(pending, run.record),
          // Only a resource that failed can leave a temp file (each one renames its own on success).
          `case "${pending.map((p) => `$rc_${p.resource}`).join(' ')}" in *[1-9]*) find ${TEMP_ROOTS.join(' ')} -maxdepth 3 -name "*.$${RUN_VAR}.${TEMP_TAG}" -exec rm -f {} + 2>/dev/null ;; esac`,
        ]
      : []),
    sectionMarker('end'),
    // A subshell: nothing the facts script sets leaks; its output is what a new round trip would print.
    ...(run.verifyScript !== undefined ? [sectionMarker(VERIFY), `( {\n${run.verifyScript}\n} ) 2>/dev/null`] : []),
    // Cleared while still held (an exit above clears it in the trap, also before the descriptor closes).
    `: > ${LOCK_OWNER}; trap - EXIT`,
  ];
  return `${lockDirScript()}\n{\n${body.join('\n')}\n} 9>>${LOCK_FILE}\n`;
}

/**
 * The lock is vprov's alone: /run/vprov must be a directory owned by root, not a symlink (else the
 * host fails naming it), and is made 0700 with the lock file 0600, so no other user can open the
 * lock (flock works on a file opened read-only) and block every apply.
 */
function lockDirScript(): string {
  return [
    `[ -e ${LOCK_DIR} ] || [ -L ${LOCK_DIR} ] || mkdir -m 0700 ${LOCK_DIR} 2>/dev/null`,
    `if [ -L ${LOCK_DIR} ] || [ ! -d ${LOCK_DIR} ] || [ "$(stat -c %u ${LOCK_DIR})" != 0 ]; then ${sectionMarker('locked')}; echo "${LOCK_DIR} is not vprov's: $(ls -ld ${LOCK_DIR} 2>&1) (a directory owned by root, not a symlink, expected): vprov takes no apply lock there"; exit 0; fi`,
    `chmod 0700 ${LOCK_DIR}; if [ -f ${LOCK_FILE} ]; then chmod 0600 ${LOCK_FILE}; fi`,
  ].join('\n');
}

/** printf fills each resource's exit code into the JSON; the rest is built here, escaped for printf. */
function lastApplyCmd(pending: readonly ResourcePlan[], record: Record<string, unknown>): string {
  const json = JSON.stringify(record).slice(0, -1).replace(/\\/g, '\\\\').replace(/%/g, '%%');
  const format = `${json},"results":{${pending.map((p) => `"${p.resource}":%d`).join(',')}}}\\n`;
  const args = pending.map((p) => `"$rc_${p.resource}"`).join(' ');
  const tmp = runTemp(LAST_APPLY);
  return `{ ${ensureDir(LAST_APPLY.slice(0, LAST_APPLY.lastIndexOf('/')))} && printf ${q(format)} ${args} > ${tmp} && mv -f ${tmp} ${LAST_APPLY}; } 2>/dev/null || rm -f ${tmp}`;
}

export type ApplyOutcome =
  | { kind: 'locked'; message: string }
  | { kind: 'stale'; facts: string }
  /**
   * the script ran to its end: each resource's output and exit code, and what the facts script
   * printed after the changes (when asked for; it may be cut short if the connection was lost)
   */
  | { kind: 'done'; results: Map<string, { rc: string | undefined; output: string }>; verifyFacts?: string; recordRc?: string }
  /** no resource started (the script could not run at all) */
  | { kind: 'not-started' }
  /** it started and stopped without reaching its end: what happened on the host is unknown */
  | { kind: 'unfinished' };

export function parseApplyOutput(output: string, plans: readonly ResourcePlan[]): ApplyOutcome {
  // The facts printed after the end marker have sections of their own (their own "end" too).
  const cut = output.indexOf(`\n${sectionStart(VERIFY)}\n`);
  const stdout = cut < 0 ? output : output.slice(0, cut + 1);
  const sections = splitSections(stdout);
  if (sections.locked !== undefined) return { kind: 'locked', message: sections.locked.trim() };
  if (sections.stale !== undefined)
    return { kind: 'stale', facts: stdout.slice(stdout.indexOf(`${sectionStart('stale')}\n`) + sectionStart('stale').length + 1) };
  const started = Object.keys(sections).some((k) => k.startsWith('apply-'));
  if (sections.end === undefined) return started ? { kind: 'unfinished' } : { kind: 'not-started' };
  const results = new Map<string, { rc: string | undefined; output: string }>();
  for (const p of plans.filter((x) => x.status === 'pending')) {
    const out = sections[`apply-${p.resource}`] ?? '';
    const rc = /(?:^|\n)rc=(\d+)\s*$/.exec(out)?.[1];
    results.set(p.resource, { rc, output: out.replace(/(?:^|\n)rc=\d+\s*$/, '').trim() });
  }
  const recordRc = sections.record === undefined ? undefined : (/record_rc=(\d+)/.exec(sections.record)?.[1] ?? 'unknown');
  return {
    kind: 'done',
    results,
    ...(cut < 0 ? {} : { verifyFacts: output.slice(cut + sectionStart(VERIFY).length + 2) }),
    ...(recordRc !== undefined ? { recordRc } : {}),
  };
}

function sectionStart(name: string): string {
  return `@@vprov:${name}@@`;
}
