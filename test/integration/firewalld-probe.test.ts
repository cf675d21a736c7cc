/**
 * The firewalld runtime probe reads firewalld's D-Bus API with dbus-python instead of
 * firewall.client (≈35 instead of ≈75 ms of a host's CPU per facts run). It must print exactly
 * what the firewall.client version printed: that version is kept here as the oracle, and both
 * run on a real firewalld for generated sets of vprov's objects (ipsets of both families,
 * policies with and without a target, priority, zones and rich rules, and the active zones' own
 * services, ports, rich rules and sources), written as permanent XML
 * and loaded with a reload. A firewalld that does not answer is an error in both, with its cause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startLab, type Lab } from '../lab/hosts.js';
import { RUNTIME_PY } from '../../src/resources/firewall-firewalld.js';

const ORACLE_PY = `import json
from firewall.config import VERSION
out = {"version": VERSION, "ipsets": {}, "policies": {}}
from firewall.client import FirewallClient
fw = FirewallClient()
if not fw.connected:
    raise SystemExit("firewalld does not answer on D-Bus")
state = fw.get_property("state")
if state != "RUNNING":
    raise SystemExit("firewalld answers but is not running yet (state %s)" % state)
for n in fw.getIPSets():
    if n.startswith("vprov-"):
        s = fw.getIPSetSettings(n)
        out["ipsets"][n] = {"type": s.getType(), "family": s.getOptions().get("family", "inet"), "entries": s.getEntries()}
if hasattr(fw, "getPolicies"):
    for p in fw.getPolicies():
        if p.startswith("vprov-"):
            s = fw.getPolicySettings(p)
            out["policies"][p] = {"target": s.getTarget(), "priority": s.getPriority(), "ingress": s.getIngressZones(), "egress": s.getEgressZones(), "rules": s.getRichRules()}
out["zones"] = {}
names = set(fw.getActiveZones().keys())
names.add(fw.getDefaultZone())
for z in sorted(names):
    s = fw.getZoneSettings(z)
    out["zones"][z] = {"target": s.getTarget(), "services": s.getServices(), "ports": ["%s/%s" % (p, q) for p, q in s.getPorts()], "rich_rules": s.getRichRules(), "sources": s.getSources()}
print(json.dumps(out))
`;

let lab: Lab;
beforeAll(async () => {
  lab = await startLab([{ name: 'fw', firewall: 'firewalld' }]);
}, 400_000);
afterAll(async () => {
  await lab?.stop();
});

const python = (script: string) => lab.exec('fw', `printf '%s' '${Buffer.from(script).toString('base64')}' | base64 -d | python3 2>&1`);
const sh = async (command: string) => {
  const r = await lab.exec('fw', command);
  if (r.code !== 0) throw new Error(`${command} → exit ${r.code}: ${r.stdout}${r.stderr}`);
  return r.stdout;
};

const V4 = ['10.0.0.1', '10.0.0.2', '192.0.2.0/24', '198.51.100.7'];
const V6 = ['2001:db8::1', '2001:db8:1::/64', 'fe80::/10'];
const ipset = fc.record({ family: fc.constantFrom('inet', 'inet6', undefined), entries: fc.integer({ min: 0, max: 3 }) });
const rule = fc.record({ family: fc.constantFrom('ipv4', 'ipv6'), port: fc.constantFrom('22', '5000-5010', null), protocol: fc.constantFrom('tcp', 'udp') });
const policy = fc.record({
  target: fc.constantFrom('ACCEPT', 'CONTINUE', 'DROP'), // required in a policy's XML
  priority: fc.constantFrom(-100, -1, 10, undefined),
  zones: fc.boolean(),
  rules: fc.array(rule, { maxLength: 3 }),
});

function ipsetXml(s: { family?: string; entries: number }): string {
  const list = (s.family === 'inet6' ? V6 : V4).slice(0, s.entries);
  return `<?xml version="1.0" encoding="utf-8"?>\n<ipset type="hash:net">${s.family ? `<option name="family" value="${s.family}"/>` : ''}${list.map((e) => `<entry>${e}</entry>`).join('')}</ipset>\n`;
}
function policyXml(p: { target: string; priority?: number; zones: boolean; rules: { family: string; port: string | null; protocol: string }[] }): string {
  const attrs = ` target="${p.target}"${p.priority !== undefined ? ` priority="${p.priority}"` : ''}`;
  const zones = p.zones ? '<ingress-zone name="ANY"/><egress-zone name="HOST"/>' : '';
  const rules = p.rules
    .map(
      (r) =>
        `<rule family="${r.family}"><source ipset="${r.family === 'ipv4' ? 'vprov-v4' : 'vprov-v6'}"/>${r.port ? `<port port="${r.port}" protocol="${r.protocol}"/>` : `<protocol value="${r.family === 'ipv4' ? 'icmp' : 'ipv6-icmp'}"/>`}<accept/></rule>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<policy${attrs}>${zones}${rules}</policy>\n`;
}

describe('firewalld runtime probe: D-Bus directly, the firewall.client version as the oracle', () => {
  it("the same JSON for generated objects of vprov (and another tool's ipset, which neither lists) (generated)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ipset, { maxLength: 3 }), fc.array(policy, { maxLength: 2 }), async (sets, policies) => {
        // the rules' sources: one ipset per family (firewalld checks a rule's family against its ipset's)
        const files = [
          ['/etc/firewalld/ipsets/vprov-v4.xml', ipsetXml({ entries: 2 })],
          ['/etc/firewalld/ipsets/vprov-v6.xml', ipsetXml({ family: 'inet6', entries: 1 })],
          ...sets.map((s, i) => [`/etc/firewalld/ipsets/vprov-set${i}.xml`, ipsetXml(s)]),
          ['/etc/firewalld/ipsets/other-tool.xml', ipsetXml({ entries: 1 })],
          ...policies.map((p, i) => [`/etc/firewalld/policies/vprov-pol${i}.xml`, policyXml(p)]),
          // a policy that leaves out all it may (priority, zones, rules): FirewallClient's defaults
          ['/etc/firewalld/policies/vprov-bare.xml', policyXml({ target: 'CONTINUE', zones: false, rules: [] })],
        ];
        await sh(`rm -f /etc/firewalld/ipsets/*.xml /etc/firewalld/policies/vprov-*.xml`);
        for (const [path, text] of files) await sh(`printf '%s' '${Buffer.from(text!).toString('base64')}' | base64 -d > ${path}`);
        await sh('firewall-cmd --reload');
        const want = await python(ORACLE_PY);
        expect(want.code, want.stdout).toBe(0);
        const got = await python(RUNTIME_PY);
        expect(got).toEqual(want);
        const state = JSON.parse(got.stdout);
        expect(Object.keys(state.ipsets).sort()).toEqual([...sets.map((_, i) => `vprov-set${i}`), 'vprov-v4', 'vprov-v6'].sort());
        expect(Object.keys(state.policies).sort()).toEqual([...policies.map((_, i) => `vprov-pol${i}`), 'vprov-bare'].sort());
      }),
      { numRuns: 8 },
    );
  });

  it('firewalld gone from D-Bus: both fail; the probe names the D-Bus error', async () => {
    await sh('rm -f /etc/firewalld/ipsets/*.xml /etc/firewalld/policies/vprov-*.xml');
    await sh(
      'kill $(pidof -x firewalld); i=0; while pidof -x firewalld >/dev/null && [ $i -lt 100 ]; do sleep 0.2; i=$((i+1)); done; ! pidof -x firewalld >/dev/null',
    );
    try {
      const want = await python(ORACLE_PY);
      const got = await python(RUNTIME_PY);
      expect(want.code).not.toBe(0);
      expect(want.stdout).toContain('firewalld does not answer on D-Bus');
      expect(got.code).not.toBe(0);
      expect(got.stdout).toMatch(/^firewalld does not answer on D-Bus \(org\.freedesktop\.DBus\.Error\.\w+: .+\)\n$/);
    } finally {
      await sh('firewalld; i=0; until firewall-cmd --state >/dev/null 2>&1 || [ $i -gt 150 ]; do sleep 0.2; i=$((i+1)); done; firewall-cmd --state');
    }
  });
});
