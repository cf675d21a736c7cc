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
import { emptyPlan, lineChanges, refusedPlan, type ResourcePlan } from './types.js';

export const POLICY = 'vprov-in';
/** sh condition: is firewalld running? (pgrep, or pidof for the Python script's name) */
export const FIREWALLD_RUNNING = 'pgrep -x firewalld >/dev/null 2>&1 || pidof -x firewalld >/dev/null 2>&1';
const IPSET_DIR = '/etc/firewalld/ipsets';
const POLICY_DIR = '/etc/firewalld/policies';
/** Before zones (which run at priority 0), after anything an admin put at the very front. */
const PRIORITY = -100;

interface FirewalldState {
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

export function desiredFirewalld(fw: FirewallDesired): DesiredFirewalld {
  const files = new Map<string, string>();
  const state: FirewalldState = { ipsets: {}, policies: {} };
  for (const s of fw.sets) {
    const name = ipsetName(s.name);
    const family = s.family === 'ipv4' ? 'inet' : 'inet6';
    files.set(`${IPSET_DIR}/${name}.xml`, render('firewalld-ipset.xml.hbs', { name: s.name, role: s.name.replace(/_v[46](_\d+)?$/, ''), family, entries: s.elements }));
    state.ipsets[name] = { type: 'hash:net', family, entries: [...s.elements].sort() };
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

// One python start reads the whole runtime state of vprov's objects through firewalld's client.
const RUNTIME_PY = `import json
from firewall.client import FirewallClient
fw = FirewallClient()
out = {"ipsets": {}, "policies": {}}
for n in fw.getIPSets():
    if n.startswith("vprov-"):
        s = fw.getIPSetSettings(n)
        out["ipsets"][n] = {"type": s.getType(), "family": s.getOptions().get("family", "inet"), "entries": s.getEntries()}
for p in fw.getPolicies():
    if p.startswith("vprov-"):
        s = fw.getPolicySettings(p)
        out["policies"][p] = {"target": s.getTarget(), "priority": s.getPriority(), "ingress": s.getIngressZones(), "egress": s.getEgressZones(), "rules": s.getRichRules()}
print(json.dumps(out))
`;
// Shipped base64-encoded: no quoting or here-document pitfalls inside $(…).
const RUNTIME_PROBE = `printf '%s' '${Buffer.from(RUNTIME_PY).toString('base64')}' | base64 -d | python3 2>/dev/null | base64 -w0`;

export function firewalldFactsScript(): string {
  return [
    `echo "runtime=$(${RUNTIME_PROBE})"`,
    `for f in ${IPSET_DIR}/vprov-*.xml ${POLICY_DIR}/vprov-*.xml; do [ -f "$f" ] && echo "file:$f=$(base64 -w0 < "$f")"; done`,
  ].join('\n');
}

export function planFirewalld(raw: string, fw: FirewallDesired, running: boolean): ResourcePlan {
  const plan = running
    ? emptyPlan('firewall')
    : refusedPlan('firewall', 'firewalld is not running (firewall: firewalld in the inventory)', 'firewalld is not running: start it or choose firewall: nftables');
  plan.notes.push('backend: firewalld (policy vprov-in, ipsets vprov-*)');
  if (!running) return plan;
  if (fw.inputPolicy === 'drop') plan.warnings.push('inputPolicy: drop is an nftables setting; with firewalld the zone target decides what is dropped');
  const kv = keyValues(raw);
  let runtime: FirewalldState = { ipsets: {}, policies: {} };
  try {
    runtime = JSON.parse(Buffer.from(kv.runtime ?? '', 'base64').toString('utf8') || '{"ipsets":{},"policies":{}}') as FirewalldState;
  } catch {
    plan.warnings.push('could not read firewalld runtime state');
  }
  const files = new Map(
    Object.entries(kv)
      .filter(([k]) => k.startsWith('file:'))
      .map(([k, v]) => [k.slice(5), decodeFileFact(v) ?? '']),
  );
  const desired = desiredFirewalld(fw);
  plan.changes.push(...lineChanges(canonicalFirewalld(desired.state), canonicalFirewalld(runtime)));
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
