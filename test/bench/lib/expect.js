// What each simulated host must earn in a benchmark's report, from its fault (lib/sim-ssh.js's
// FAULTS) — the bench's per-host check, so a faulty host reported ok or in sync is a problem.
import { createReadStream, rmSync } from 'node:fs';
import { JSONParser } from '@streamparser/json';

/** Faults a host can meet and still end as it should (late, within every limit). */
export const HARMLESS = new Set(['slow']);
/** Faults whose apply started but never finished: the host stays fresh, the drift after finds it pending. */
const UNCONVERGED = new Set(['reset-apply', 'stall-apply', 'over-time']);

/**
 * The status a host must have: 'changed' (apply) / 'ok' (drift) when healthy; 'pending' in a
 * drift after an apply its fault cut short (`afterFaultyApply`); otherwise its fault fires and
 * it must be failed or unreachable — never ok, changed or pending.
 * @returns {string[]}
 */
export function expectedStatuses(fault, phase, { afterFaultyApply = false } = {}) {
  if (!fault || HARMLESS.has(fault)) return [phase === 'apply' ? 'changed' : 'ok'];
  if (phase === 'drift' && UNCONVERGED.has(fault)) return [afterFaultyApply ? 'pending' : 'ok'];
  return ['failed', 'unreachable'];
}

/**
 * Every host once, each with the status its fault deserves. `got`: Map(host → report host) or
 * null (no report); `plan`: Map(host → fault). Returns the problems found (empty: all as expected).
 */
export function checkHosts(what, got, names, plan, phase, { afterFaultyApply = false, code = null, stderr = '' } = {}) {
  if (!got) return [`${what}: no JSON report (exit ${code}): ${stderr.slice(0, 300)}`];
  const problems = [];
  if (got.size !== names.length) problems.push(`${what}: ${got.size} hosts in the report, not ${names.length}`);
  const bad = [];
  for (const name of names) {
    const rep = got.get(name);
    const fault = plan.get(name);
    const want = expectedStatuses(fault, phase, { afterFaultyApply });
    if (!rep) bad.push(`${name} missing`);
    else if (!want.includes(rep.status))
      bad.push(`${name}${fault ? ` (${fault})` : ''} ${rep.status}, not ${want.join('/')}${rep.error ? `: ${rep.error.slice(0, 120)}` : ''}`);
  }
  if (bad.length) problems.push(`${what}: ${bad.length} hosts not as expected, e.g. ${bad.slice(0, 4).join('; ')}`);
  return problems;
}

/**
 * host → { host, status, error } of a JSON report file, read host by host (a 10,000-host report
 * can be longer than V8's longest string); null when it is no whole report. `remove`: the file is
 * deleted afterwards.
 */
export async function reportHosts(file, { remove = false } = {}) {
  const hosts = new Map();
  const parser = new JSONParser({ paths: ['$.hosts.*'], keepStack: false });
  parser.onValue = ({ value }) => hosts.set(value.host, { host: value.host, status: value.status, error: value.error });
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      bytes += chunk.length;
      parser.write(chunk);
    }
    if (bytes === 0) return null;
    // The parser ends by itself once the document closes; a cut document has not.
    if (!parser.isEnded) parser.end();
  } catch {
    return null;
  } finally {
    if (remove) rmSync(file, { force: true });
  }
  return parser.isEnded ? hosts : null;
}
