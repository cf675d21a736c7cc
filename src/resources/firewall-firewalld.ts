/**
 * firewalld backend. vprov owns `vprov-*` ipsets and one policy, `vprov-in` (ingress ANY →
 * egress HOST): inbound accepts for the documented flows, evaluated before zone rules,
 * so no zone (and no user service in it) is ever edited. Permanent XML is written, the whole
 * configuration checked with `firewall-offline-cmd --check-config`, then a plain
 * `firewall-cmd --reload` (never --complete-reload, which drops connections). Drift compares
 * the runtime (read back through firewalld's own client library) and the permanent files
 * with the rendered desired state.
 */
import type { FirewallDesired } from '../core/types.js';
import { decodeFileFact, keyValues, q, runTemp, writeFileToWord } from './shell.js';
import { render } from '../core/templates.js';
import { emptyPlan, failedPlan, lineChanges, refusedPlan, type ResourcePlan } from './types.js';

export const POLICY = 'vprov-in';
/** sh condition: is firewalld running? (pgrep, or pidof for the Python script's name) */
export const FIREWALLD_RUNNING = 'pgrep -x firewalld >/dev/null 2>&1 || pidof -x firewalld >/dev/null 2>&1';
const IPSET_DIR = '/etc/firewalld/ipsets';
const POLICY_DIR = '/etc/firewalld/policies';
/** Before zones (which run at priority 0), after anything an admin put at the very front. */
const PRIORITY = -100;

export interface FirewalldState {
  ipsets: Record<string, { type: string; family: string; entries: string[] }>;
  policies: Record<string, { target: string; priority: number; ingress: string[]; egress: string[]; rules: string[] }>;
}

/** ipset names are at most 32 characters (firewalld/kernel limit). */
export function ipsetName(set: string): string {
  const name = `vprov-${set}`;
  if (name.length <= 32) return name;
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `${name.slice(0, 24)}-${h.toString(36).slice(0, 7)}`;
}

interface DesiredFirewalld {
  files: Map<string, string>;
  state: FirewalldState;
}

/** hash:net takes no /0 (firewalld ignores such an entry with a warning): the world is two halves. */
const HALVES: Record<string, string[]> = { '0.0.0.0/0': ['0.0.0.0/1', '128.0.0.0/1'], '::/0': ['::/1', '8000::/1'] };

export function desiredFirewalld(fw: FirewallDesired): DesiredFirewalld {
  const files = new Map<string, string>();
  const state: FirewalldState = { ipsets: {}, policies: {} };
  for (const s of fw.sets) {
    const name = ipsetName(s.name);
    const family = s.family === 'ipv4' ? 'inet' : 'inet6';
    const entries = s.elements.flatMap((e) => HALVES[e] ?? [e]);
    files.set(`${IPSET_DIR}/${name}.xml`, render('firewalld-ipset.xml.hbs', { name: s.name, role: s.name.replace(/_v[46](_\d+)?$/, ''), family, entries }));
    state.ipsets[name] = { type: 'hash:net', family, entries: [...entries].sort() };
  }
  const rules = fw.rules.flatMap((r): { family: string; ipset: string; port: string | null; protocol: string }[] => {
    const family = r.family;
    const ipset = ipsetName(r.set);
    if (r.protocol === 'icmp') return [{ family, ipset, port: null, protocol: family === 'ipv4' ? 'icmp' : 'ipv6-icmp' }];
    return r.ports.map((port) => ({ family, ipset, port, protocol: r.protocol }));
  });
  if (rules.length > 0) {
    files.set(`${POLICY_DIR}/${POLICY}.xml`, render('firewalld-policy.xml.hbs', { priority: PRIORITY, rules }));
    state.policies[POLICY] = {
      target: 'CONTINUE',
      priority: PRIORITY,
      ingress: ['ANY'],
      egress: ['HOST'],
      rules: rules.map((r) => `rule family="${r.family}" source ipset="${r.ipset}" ${r.port ? `port port="${r.port}" protocol="${r.protocol}"` : `protocol value="${r.protocol}"`} accept`),
    };
  }
  return { files, state };
}

/** Order-free lines for one state: equal lines = in sync. */
export function canonicalFirewalld(s: FirewalldState): string[] {
  const lines: string[] = [];
  for (const [name, set] of Object.entries(s.ipsets)) lines.push(`ipset ${name} ${set.type} ${set.family} { ${[...set.entries].sort().join(', ')} }`);
  for (const [name, p] of Object.entries(s.policies)) {
    lines.push(`policy ${name} target=${p.target} priority=${p.priority} ingress=${[...p.ingress].sort().join(',')} egress=${[...p.egress].sort().join(',')}`);
    for (const r of p.rules) lines.push(`policy ${name}: ${r}`);
  }
  return lines.sort();
}

// One python start reads firewalld's version and the runtime state of vprov's objects
// through firewalld's own client.
const RUNTIME_PY = `import json
from firewall.config import VERSION
out = {"version": VERSION, "ipsets": {}, "policies": {}}
from firewall.client import FirewallClient
fw = FirewallClient()
if not fw.connected:
    raise SystemExit("firewalld does not answer on D-Bus")
for n in fw.getIPSets():
    if n.startswith("vprov-"):
        s = fw.getIPSetSettings(n)
        out["ipsets"][n] = {"type": s.getType(), "family": s.getOptions().get("family", "inet"), "entries": s.getEntries()}
if hasattr(fw, "getPolicies"):
    for p in fw.getPolicies():
        if p.startswith("vprov-"):
            s = fw.getPolicySettings(p)
            out["policies"][p] = {"target": s.getTarget(), "priority": s.getPriority(), "ingress": s.getIngressZones(), "egress": s.getEgressZones(), "rules": s.getRichRules()}
print(json.dumps(out))
`;
// firewalld's Python is the one in firewall-cmd's shebang (RHEL 8: /usr/libexec/platform-python).
// Shipped base64-encoded: no quoting or here-document pitfalls inside $(…). A probe that fails
// prints its error: a runtime that cannot be read is never taken for an empty one.
const RUNTIME_PROBE = [
  `py=$(sed -n '1s/^#![[:space:]]*//p' "$(command -v firewall-cmd || echo /usr/bin/firewall-cmd)" 2>/dev/null)`,
  `if out=$(printf '%s' '${Buffer.from(RUNTIME_PY).toString('base64')}' | base64 -d | \${py:-python3} 2>&1); then echo "runtime=$(printf '%s' "$out" | base64 -w0)"; else echo "runtime_error=$(printf '%s' "interpreter \${py:-python3}: $out" | base64 -w0)"; fi`,
].join('\n');

/** The permanent files of vprov's objects: read whether or not firewalld runs (backend switch). */
export function firewalldFilesScript(): string {
  return `for f in ${IPSET_DIR}/vprov-*.xml ${POLICY_DIR}/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$(base64 -w0 < "$f")"; done`;
}

export function firewalldRuntimeScript(): string {
  return RUNTIME_PROBE;
}

/** Policy objects exist from firewalld 0.9.0; older ones (RHEL 7's 0.6) are refused by name. */
export const POLICY_MIN_VERSION = [0, 9, 0] as const;

export function versionBefore(version: string, min: readonly number[]): boolean {
  const v = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) < min[i]!;
  return false;
}

function firewalldFiles(kv: Record<string, string>): Map<string, string> {
  return new Map(
    Object.entries(kv)
      .filter(([k]) => k.startsWith('file:'))
      .map(([k, v]) => [k.slice(5), decodeFileFact(v) ?? '']),
  );
}

/** Removal of vprov's firewalld objects (another backend now): files, then a reload where it runs. */
export function removeFirewalld(raw: string, running: boolean): { changes: string[]; script: string } | null {
  const files = [...firewalldFiles(keyValues(raw)).keys()];
  if (files.length === 0) return null;
  return {
    changes: files.map((f) => `- ${f} (vprov's firewalld object; this host's backend is not firewalld)`),
    script: [`rm -f ${files.map(q).join(' ')}`, running ? 'firewall-cmd --reload >/dev/null' : ''].filter(Boolean).join('\n'),
  };
}

export function planFirewalld(raw: string, fw: FirewallDesired, running: boolean): ResourcePlan {
  if (!running) {
    const plan = refusedPlan('firewall', 'firewalld is not running (firewall: firewalld in the inventory)', 'firewalld is not running: start it or choose firewall: nftables');
    plan.notes.push('backend: firewalld (policy vprov-in, ipsets vprov-*)');
    return plan;
  }
  const kv = keyValues(raw);
  const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');
  if (kv.runtime_error !== undefined) return failedPlan('firewall', `cannot read firewalld's runtime state (nothing applied, nothing reloaded): ${b64(kv.runtime_error).trim()}`);
  let runtime: FirewalldState & { version?: string };
  try {
    runtime = JSON.parse(b64(kv.runtime)) as FirewalldState & { version?: string };
  } catch {
    return failedPlan('firewall', `cannot read firewalld's runtime state: unparsable probe output ${JSON.stringify(b64(kv.runtime).slice(0, 200))}`);
  }
  const version = String(runtime.version ?? 'unknown');
  if (versionBefore(version, POLICY_MIN_VERSION)) {
    return refusedPlan(
      'firewall',
      `firewalld ${version} has no policy objects (they exist from 0.9.0)`,
      `firewalld ${version} is older than 0.9.0 and has no policy objects, which vprov's firewalld backend uses: upgrade firewalld (RHEL/Oracle Linux 8.3+), or set firewall: none and open the documented ports by other means`,
    );
  }
  const plan = emptyPlan('firewall');
  plan.notes.push(`backend: firewalld ${version} (policy vprov-in, ipsets vprov-*)`);
  if (fw.inputPolicy === 'drop') plan.warnings.push('inputPolicy: drop is an nftables setting; with firewalld the zone target decides what is dropped');
  const files = firewalldFiles(kv);
  const desired = desiredFirewalld(fw);
  plan.changes.push(...lineChanges(canonicalFirewalld(desired.state), canonicalFirewalld({ ipsets: runtime.ipsets ?? {}, policies: runtime.policies ?? {} })));
  const write = [...desired.files].filter(([path, text]) => files.get(path) !== text);
  const remove = [...files.keys()].filter((path) => !desired.files.has(path));
  const runtimeOnly = plan.changes.length === 0 && (write.length > 0 || remove.length > 0);
  for (const [path] of write) if (runtimeOnly || !files.has(path)) plan.changes.push(`${files.has(path) ? '~' : '+'} ${path}`);
  for (const path of remove) plan.changes.push(`- ${path}`);
  if (plan.changes.length === 0) return plan;
  plan.status = 'pending';
  plan.script = firewalldApplyScript(write, remove);
  return plan;
}

function firewalldApplyScript(write: [string, string][], remove: string[]): string {
  // Each touched file keeps its previous version beside it as FILE.vprov-old (not *.xml:
  // firewalld never reads it), so a refused configuration is put back exactly where it was.
  const touched = [...write.map(([p]) => p), ...remove];
  const lines = [`mkdir -p ${IPSET_DIR} ${POLICY_DIR}`];
  for (const path of touched) lines.push(`rm -f ${q(`${path}.vprov-old`)}; if [ -f ${q(path)} ]; then cp -p ${q(path)} ${q(`${path}.vprov-old`)}; fi`);
  for (const [path, text] of write) lines.push(writeFileToWord(runTemp(path), text), `mv -f ${runTemp(path)} ${q(path)}`);
  for (const path of remove) lines.push(`rm -f ${q(path)}`);
  const restore = touched.map((p) => `if [ -f ${q(`${p}.vprov-old`)} ]; then mv -f ${q(`${p}.vprov-old`)} ${q(p)}; else rm -f ${q(p)}; fi`);
  // A configuration firewalld would refuse is rolled back before it is ever loaded.
  lines.push(
    `if ! out=$(firewall-offline-cmd --check-config 2>&1); then`,
    ...restore.map((l) => `  ${l}`),
    `  echo "firewalld refused the configuration, previous files restored: $out" >&2; exit 3`,
    `fi`,
    `rm -f ${touched.map((p) => q(`${p}.vprov-old`)).join(' ')}`,
    // plain --reload keeps established connections (ours included)
    `firewall-cmd --reload >/dev/null`,
  );
  return lines.join('\n');
}
