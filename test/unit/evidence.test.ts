import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cidrContains } from '../../src/core/net.js';
import { admittingRules, firewalldAcceptRules, grantFor, nftAcceptRules, type AcceptRule } from '../../src/resources/evidence-facts.js';
import { parseSudoList } from '../../src/resources/sudo-effect.js';
import { compile } from '../helpers/compile.js';
import { requirementsOf } from '../../src/compile/requirements.js';
import { judge, type HostReading } from '../../src/app/evidence-verdicts.js';
import { evidenceSchema, type EvidenceReport } from '../../src/report/evidence-schema.js';
import { renderEvidenceHtml, renderEvidenceMd } from '../../src/report/evidence.js';
import { inventoryOf } from '../helpers/catalog.js';
import { nftFacts } from '../helpers/facts.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');
const match = (protocol: string, field: string, right: unknown) => ({ match: { op: '==', left: { payload: { protocol, field } }, right } });

/** What `nft -j list table inet vprov` prints for a node → hypervisor SSH rule and a netcat range. */
const nftListing = {
  nftables: [
    { metainfo: { version: '1.0.6' } },
    { table: { family: 'inet', name: 'vprov', handle: 1 } },
    { chain: { family: 'inet', table: 'vprov', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } },
    {
      set: {
        family: 'inet',
        name: 'node_v4',
        table: 'vprov',
        type: 'ipv4_addr',
        flags: ['interval'],
        elem: ['192.0.2.5', { prefix: { addr: '198.51.100.0', len: 24 } }],
      },
    },
    {
      rule: {
        family: 'inet',
        table: 'vprov',
        chain: 'input',
        handle: 4,
        expr: [{ match: { op: '==', left: { ct: { key: 'state' } }, right: ['established', 'related'] } }, { accept: null }],
      },
    },
    {
      rule: {
        family: 'inet',
        table: 'vprov',
        chain: 'input',
        handle: 5,
        comment: 'storware/openstack/ssh-transfer/1',
        expr: [match('ip', 'saddr', '@node_v4'), match('tcp', 'dport', 22), { accept: null }],
      },
    },
    {
      rule: {
        family: 'inet',
        table: 'vprov',
        chain: 'input',
        handle: 6,
        expr: [
          match('ip', 'saddr', '192.0.2.10'),
          match('tcp', 'dport', { set: [{ range: [16000, 16499] }, 16500, { range: [16501, 16999] }] }),
          { accept: null },
        ],
      },
    },
    {
      rule: {
        family: 'inet',
        table: 'vprov',
        chain: 'input',
        handle: 7,
        expr: [{ match: { op: '!=', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: '10.0.0.1' } }, match('udp', 'dport', 111), { accept: null }],
      },
    },
  ],
};

describe('reading the live firewall', () => {
  const rules = nftAcceptRules(
    nftFacts(`nft=yes
ruleset=${b64(nftListing)}`),
  );

  it('nftables: set members and literal sources, ports and ranges; ct state and negated matches never count', () => {
    expect(rules.map((r) => [r.sources, r.protocol, r.ports])).toEqual([
      [['192.0.2.5', '198.51.100.0/24'], 'tcp', ['22']],
      [['192.0.2.10'], 'tcp', ['16000-16499', '16500', '16501-16999']],
    ]);
    expect(admittingRules(rules, '192.0.2.5', 'tcp', '22')!.map((r) => r.text)).toEqual([
      'ip.saddr == @node_v4 && tcp.dport == 22 accept # storware/openstack/ssh-transfer/1',
    ]);
    expect(admittingRules(rules, '198.51.100.77', 'tcp', '22')).not.toBeNull(); // inside the prefix
    expect(admittingRules(rules, '192.0.2.6', 'tcp', '22')).toBeNull();
    expect(admittingRules(rules, '192.0.2.5', 'udp', '22')).toBeNull();
    expect(admittingRules(rules, '192.0.2.10', 'tcp', '16000-16999')).not.toBeNull(); // a range covered by pieces
    expect(admittingRules(rules, '192.0.2.10', 'tcp', '15999-16999')).toBeNull();
    expect(admittingRules(rules, '10.0.0.2', 'udp', '111')).toBeNull();
    expect(nftAcceptRules({ items: [] })).toEqual([]);
  });

  it('firewalld: rich rules of policy vprov-in with their ipsets, as the client library returns them', () => {
    const runtime = {
      ipsets: { 'vprov-hypervisor_v4': { type: 'hash:net', family: 'inet', entries: ['192.0.2.10', '192.0.2.11'] } },
      policies: {
        'vprov-in': {
          target: 'CONTINUE',
          priority: -100,
          ingress: ['ANY'],
          egress: ['HOST'],
          rules: [
            'rule family="ipv4" source ipset="vprov-hypervisor_v4" port port="16000-16999" protocol="tcp" accept',
            'rule family="ipv4" source ipset="vprov-hypervisor_v4" protocol value="icmp" accept',
          ],
        },
        'other-policy': { rules: ['rule family="ipv4" source address="0.0.0.0/0" port port="1" protocol="tcp" accept'] },
      },
    };
    const fw = firewalldAcceptRules(runtime);
    expect(fw.map((r) => [r.protocol, r.ports])).toEqual([
      ['tcp', ['16000-16999']],
      ['icmp', null],
    ]);
    expect(admittingRules(fw, '192.0.2.11', 'tcp', '16000')).not.toBeNull();
    expect(admittingRules(fw, '192.0.2.11', 'icmp', null)).not.toBeNull();
    expect(admittingRules(fw, '192.0.2.12', 'tcp', '16000')).toBeNull();
    expect(admittingRules(fw, '192.0.2.10', 'tcp', '1')).toBeNull(); // not vprov's policy
  });

  it('a port range is admitted exactly when every port of it is (generated cases against a port-by-port count)', () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 300; i++) {
      const pieces = Array.from({ length: 1 + rnd(4) }, () => {
        const a = 1 + rnd(60);
        const b = a + rnd(10);
        return a === b ? String(a) : `${a}-${b}`;
      });
      const rules: AcceptRule[] = pieces.map((p) => ({ sources: ['192.0.2.0/24'], protocol: 'tcp', ports: [p], text: p }));
      const lo = 1 + rnd(70);
      const hi = lo + rnd(12);
      const open = new Set(
        pieces.flatMap((p) => {
          const [a, b = a] = p.split('-').map(Number) as [number, number?];
          return Array.from({ length: b - a + 1 }, (_, k) => a + k);
        }),
      );
      const expected = Array.from({ length: hi - lo + 1 }, (_, k) => lo + k).every((p) => open.has(p));
      const spec = lo === hi ? String(lo) : `${lo}-${hi}`;
      expect(admittingRules(rules, '192.0.2.9', 'tcp', spec) !== null, `${pieces.join(',')} ⊇ ${spec}`).toBe(expected);
    }
  });

  it('cidrContains: families never mix; prefixes nest', () => {
    expect(cidrContains('192.0.2.0/24', '192.0.2.255')).toBe(true);
    expect(cidrContains('192.0.2.0/24', '192.0.3.0')).toBe(false);
    expect(cidrContains('192.0.2.0/24', '192.0.2.0/23')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '2001:db8::1')).toBe(false);
    expect(cidrContains('::/0', '2001:db8::1')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:db8:ffff::/48')).toBe(true);
    expect(cidrContains('not-an-address', '192.0.2.1')).toBe(false);
  });
});

describe('sudo -l -U: which grant covers a command', () => {
  const out = `Matching Defaults entries for vprotect on node1:
    env_reset, mail_badpass, secure_path=/usr/local/sbin\\:/usr/bin, use_pty

User vprotect may run the following commands on node1:
    (root) NOPASSWD: /usr/bin/targetcli, /usr/sbin/exportfs, /bin/make
    (ALL : ALL) /usr/bin/less
    (backup) NOPASSWD: /usr/bin/rbd
`;

  it('as root (or ALL) only; ALL covers every command', () => {
    const { grants } = parseSudoList(out);
    expect(grantFor(grants, '/bin/make')).toMatchObject({ runas: 'root', tags: 'NOPASSWD:' });
    expect(grantFor(grants, '/usr/bin/less')).toBeDefined();
    expect(grantFor(grants, '/usr/bin/rbd')).toBeUndefined(); // not as root
    expect(grantFor(grants, '/bin/bash')).toBeUndefined();
    expect(grantFor(parseSudoList('User x may run the following commands on h:\n    (root) ALL\n').grants, '/bin/bash')).toBeDefined();
  });
});

const inv = inventoryOf({
  product: 'storware',
  platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
  defaults: { ssh: { user: 'ops' }, firewall: 'nftables', selinux: 'permissive' },
  hosts: {
    node1: { address: '192.0.2.5', roles: ['node'] },
    hv1: { address: '192.0.2.10', roles: ['hypervisor'] },
    hv2: { address: '192.0.2.11', roles: ['hypervisor'], managed: false },
  },
});
const compiled = compile(inv);
const { rows, notApplied } = requirementsOf(inv, compiled);

describe('verdicts', () => {
  const desired = (n: string) => compiled.hosts.find((h) => h.name === n)!;
  const facts = { controllerAddress: '192.0.2.1', sshPort: 22, systemd: false };
  const sshRule = {
    rule: { family: 'inet', table: 'vprov', chain: 'input', expr: [match('ip', 'saddr', '@node_v4'), match('tcp', 'dport', 22), { accept: null }] },
  };
  const table = (withRule: boolean) => ({
    nftables: [
      { table: { family: 'inet', name: 'vprov' } },
      { set: { family: 'inet', table: 'vprov', name: 'node_v4', elem: ['192.0.2.5'] } },
      ...(withRule ? [sshRule] : []),
    ],
  });
  const netcat = {
    nftables: [
      { table: { family: 'inet', name: 'vprov' } },
      { set: { family: 'inet', table: 'vprov', name: 'hypervisor_v4', elem: ['192.0.2.10', '192.0.2.11'] } },
      {
        rule: {
          family: 'inet',
          table: 'vprov',
          chain: 'input',
          expr: [match('ip', 'saddr', '@hypervisor_v4'), match('tcp', 'dport', { range: [16000, 16999] }), { accept: null }],
        },
      },
    ],
  };
  const effect = (listing: string) => `effect=${Buffer.from(listing).toString('base64')}`;
  const readings = (withRule: boolean, sudo: string, groups: string, selinux: string): Map<string, HostReading> =>
    new Map<string, HostReading>([
      ['hv1', { desired: desired('hv1'), status: 'read', facts, raw: { firewall: `firewalld=no\nnft=yes\nruleset=${b64(table(withRule))}` } }],
      ['hv2', { desired: desired('hv2'), status: 'not managed' }],
      [
        'node1',
        {
          desired: desired('node1'),
          status: 'read',
          facts,
          raw: { firewall: `firewalld=no\nnft=yes\nruleset=${b64(netcat)}`, account: `exists=yes\ngroups=${groups}`, sudoers: effect(sudo), selinux },
        },
      ],
    ]);
  const allSudo = `User vprotect may run the following commands on node1:\n    (root) NOPASSWD: ${desired('node1').sudoers!.commands.join(', ')}\n`;
  const cfg = (mode: string) => `config=${Buffer.from(`SELINUX=${mode}\n`).toString('base64')}\nkernel=no\nruntime=Disabled`;
  const probe = { from: 'node1', to: 'hv1', address: '192.0.2.10', port: 22, flow: 'storware/openstack/ssh-transfer/1' };

  it('all there: met; unmanaged destination: not verifiable, with the probe as evidence', () => {
    const r = readings(true, allSudo, 'vprotect disk', cfg('permissive'));
    const judged = rows.map((row) => judge(row, r, [{ ...probe, result: 'open' }]));
    expect(judged.filter((j) => j.verdict !== 'met').map((j) => `${j.id} ${j.verdict}`)).toEqual(['flow:storware/openstack/ssh-transfer/1@hv2 not verifiable']);
    const hv1 = judged.find((j) => j.id === 'flow:storware/openstack/ssh-transfer/1@hv1')!;
    expect(hv1.found).toEqual([
      'nftables: ip.saddr == @node_v4 && tcp.dport == 22 accept — admits node1 (192.0.2.5)',
      'tcp connect from node1 to 192.0.2.10:22: open',
    ]);
  });

  it('each thing missing fails exactly its own row, saying what was found', () => {
    const r = readings(false, allSudo.replace(', /bin/make', ''), 'vprotect users', cfg('enforcing'));
    const judged = rows.map((row) => judge(row, r, [{ ...probe, result: 'filtered' }]));
    const bad = Object.fromEntries(judged.filter((j) => j.verdict === 'not met').map((j) => [j.id, j]));
    expect(Object.keys(bad).sort()).toEqual(['account:vprotect@node1', 'flow:storware/openstack/ssh-transfer/1@hv1', 'selinux@node1', 'sudo:/bin/make@node1']);
    expect(bad['flow:storware/openstack/ssh-transfer/1@hv1']!.found[0]).toBe('nftables: no vprov accept rule for node1 (192.0.2.5) tcp/22');
    expect(bad['account:vprotect@node1']!.found).toEqual(['id -nG vprotect: vprotect users']);
    expect(bad['sudo:/bin/make@node1']!.found[0]).toMatch(/^sudo -l -U vprotect: \/bin\/make not listed \(26 command\(s\) granted/);
    expect(bad['selinux@node1']!.reason).toBe('/etc/selinux/config says enforcing, permissive wanted');
  });

  it('a rule present but filtered from the source is not met; a host that could not be read is not verifiable', () => {
    const r = readings(true, allSudo, 'vprotect disk', 'config=absent\nkernel=no');
    const row = rows.find((x) => x.id === 'flow:storware/openstack/ssh-transfer/1@hv1')!;
    expect(judge(row, r, [{ ...probe, result: 'filtered' }])).toMatchObject({
      verdict: 'not met',
      reason: expect.stringMatching(/^rule present, but filtered from node1/),
    });
    expect(judge(rows.find((x) => x.id === 'selinux@node1')!, r, []).verdict).toBe('not applicable');
    r.set('hv1', { desired: desired('hv1'), status: 'unreachable', error: 'connect ECONNREFUSED' });
    expect(judge(row, r, [])).toMatchObject({ verdict: 'not verifiable', reason: 'hv1 unreachable: connect ECONNREFUSED' });
    r.set('node1', { ...r.get('node1')!, raw: { ...r.get('node1')!.raw, sudoers: effect('sudo: unable to resolve host node1') } });
    expect(judge(rows.find((x) => x.id === 'sudo:/bin/make@node1')!, r, []).verdict).toBe('not verifiable');
    // no such user (the sudoers facts do not ask sudo then): nothing is granted to it, a fact, not a failure to read
    r.set('node1', { ...r.get('node1')!, raw: { ...r.get('node1')!.raw, sudoers: 'user=no', account: 'exists=no' } });
    expect(judge(rows.find((x) => x.id === 'sudo:/bin/make@node1')!, r, [])).toMatchObject({ verdict: 'not met', reason: 'user vprotect does not exist' });
  });
});

describe('evidence reports', () => {
  const requirements = rows.map((row) => ({
    ...judge(row, new Map([...compiled.hosts.map((h) => [h.name, { desired: h, status: 'not managed' as const }] as const)]), []),
  }));
  requirements[0] = { ...requirements[0]!, verdict: 'not met', reason: 'made up for the test' };
  const report: EvidenceReport = evidenceSchema.parse({
    version: 1,
    kind: 'evidence',
    exitCode: 2,
    verdict: 'not met',
    counts: { met: 0, notMet: 1, notApplicable: 0, notVerifiable: requirements.length - 1 },
    inventory: 'inv.yaml',
    site: 'dc1',
    product: { id: 'storware', title: 'Storware <&> DPX' },
    catalog: { file: 'storware.yaml', sha256: 'a'.repeat(64) },
    controller: { host: 'ctl', user: 'ops' },
    generatedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    platforms: [{ platform: 'openstack', method: 'SSH transfer', options: ['netcat'] }],
    documents: [{ file: '001_6ea25664ffb2ed16.txt', title: 'Storware' }],
    hosts: compiled.hosts.map((h) => ({ host: h.name, address: h.address, roles: h.roles, managed: h.managed, status: 'not managed', roundTrips: 0 })),
    requirements,
    notApplied,
    warnings: [],
  });

  it('HTML: every section, escaped, A4 print rules, nothing fetched', () => {
    const html = renderEvidenceHtml(report);
    for (const id of ['header', 'summary', 'hosts', 'flows', 'accounts', 'sudo', 'selinux', 'not-applied', 'documents'])
      expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('Storware &lt;&amp;&gt; DPX');
    expect(html).toContain('@page { size: A4;');
    expect(html).not.toMatch(/<(script|link|img)\b|url\(/);
    expect(html.match(/class="not-met"/g)).toHaveLength(1);
  });

  it("HTML and Markdown both list what else is open on a host (not vprov's), escaped", () => {
    const foreign = {
      filtered: true,
      items: [
        { kind: 'accept-rule' as const, source: 'inet filter input', what: 'tcp dport 8443 <b>', protocol: 'tcp', ports: ['8443'], required: false },
        { kind: 'listener' as const, source: 'listening', what: 'tcp 0.0.0.0:9100', required: false, open: false },
      ],
      notes: ['nothing else filters <inbound>'],
      errors: ['ss: not installed'],
    };
    const withForeign = { ...report, hosts: report.hosts.map((h, i) => (i === 0 ? { ...h, foreign } : h)) };
    const host = withForeign.hosts[0]!.host;
    const html = renderEvidenceHtml(withForeign);
    expect(html).toContain('<section id="other-access">');
    const section = html.slice(html.indexOf('<section id="other-access">'), html.indexOf('</section>', html.indexOf('<section id="other-access">')));
    expect(section).toContain(`<b>${host}</b>`);
    expect(section).toContain('inet filter input: tcp dport 8443 &lt;b&gt; — open, required by no document or site flow');
    expect(section).toContain('listening: tcp 0.0.0.0:9100 — listening, required by no document or site flow');
    expect(section).toContain('nothing else filters &lt;inbound&gt;');
    expect(section).toContain('cannot read: ss: not installed');
    const md = renderEvidenceMd(withForeign);
    expect(md).toContain("## Anything else open (not vprov's: reported, never changed)");
    expect(md).toContain('tcp 0.0.0.0:9100 — listening, required by no document or site flow');
    // A report without foreign state has no such section in either format.
    expect(renderEvidenceHtml(report)).not.toContain('other-access');
    expect(renderEvidenceMd(report)).not.toContain('Anything else open');
  });

  it('Markdown: one table row per requirement', () => {
    const md = renderEvidenceMd(report);
    expect(md.match(/^\| (node1|hv1|hv2) \| (?!192\.)/gm)).toHaveLength(requirements.length); // the hosts table rows start with the address
    expect(md).toContain('**Overall verdict: not met**');
    expect(md.match(/\| \*\*not met\*\*/g)).toHaveLength(1);
  });

  it('an interrupted run says so in every readable format: which signal, how many hosts not started', () => {
    const stopped = evidenceSchema.parse({ ...report, exitCode: 6, interrupted: { signal: 'SIGTERM', notStarted: 2 } });
    const line = 'INTERRUPTED by SIGTERM</strong>: 2 host(s) not started; hosts stopped in flight say so (see their errors)';
    expect(renderEvidenceHtml(stopped)).toContain(`<strong>${line}`);
    expect(renderEvidenceMd(stopped)).toContain(`**${line.replace('</strong>', '**')}`);
    expect(renderEvidenceHtml(report)).not.toContain('INTERRUPTED');
    expect(renderEvidenceMd(report)).not.toContain('INTERRUPTED');
  });

  it('docs/evidence.schema.json is generated from the schema the code validates with (npm run schemas)', async () => {
    const { z } = await import('zod');
    const doc = JSON.parse(readFileSync(fileURLToPath(new URL('../../docs/evidence.schema.json', import.meta.url)), 'utf8'));
    expect(doc).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(evidenceSchema))));
  });
});
