/**
 * explain and evidence on the realistic Storware deployment (nodes and hypervisors on nftables
 * and firewalld, an unmanaged Ceph monitor). Hosts are tampered with and checked from outside
 * (docker exec); evidence must find exactly what was done, and change nothing itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Lab } from '../lab/hosts.js';
import { DROP, listen, startStorwareFleet, STORWARE_DEFAULTS, STORWARE_PLATFORMS, STORWARE_ROLES } from '../helpers/storware-fleet.js';
import { vprov } from '../helpers/cli.js';
import { prerequisite } from '../helpers/prerequisite.js';
import { evidenceSchema, type EvidenceReport } from '../../src/report/evidence-schema.js';
import { chromium, headlessChromium } from '../helpers/consumers.js';

let lab: Lab;
let inventory: string;
const out = mkdtempSync(join(tmpdir(), 'vprov-evidence-'));
const roles = STORWARE_ROLES;
const managed = Object.keys(roles).filter((h) => h !== 'mon1');
const drop = DROP;

/** Everything evidence could change on a host, hashed: live ruleset, firewalld, accounts, sudoers, SELinux. */
async function stateOf(host: string): Promise<string> {
  const files = '/etc/passwd /etc/group /etc/shadow /etc/gshadow /etc/sudoers /etc/sudoers.d /etc/firewalld /etc/vprov /etc/selinux/config';
  const r = await lab.exec(
    host,
    `set -e; nft list ruleset | sha256sum; for f in $(find ${files} -xdev 2>/dev/null | sort); do stat -c '%n %a %U %G %s %Y' "$f"; [ -f "$f" ] && sha256sum "$f"; done; true`,
  );
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('/etc/passwd');
  return r.stdout;
}
const snapshot = async () => Object.fromEntries(await Promise.all(Object.keys(roles).map(async (h) => [h, await stateOf(h)])));

async function evidence(...args: string[]): Promise<{ code: number; doc: EvidenceReport; stderr: string }> {
  const r = await vprov('evidence', '-i', inventory, '--format', 'json', ...args);
  return { code: r.code, doc: evidenceSchema.parse(JSON.parse(r.stdout)), stderr: r.stderr };
}

beforeAll(async () => {
  // The shared fleet and its foreign state: evidence must read around it.
  ({ lab, inventory } = await startStorwareFleet({ hosts: { hv1: { firewall: drop }, node2: { firewall: drop }, mon1: { managed: false } } }));
  for (const h of ['node1', 'node2']) await listen(lab, h, 16000);
  const applied = await vprov('apply', '-i', inventory);
  expect(applied.code, applied.stdout).toBe(0);
});
afterAll(async () => {
  await lab?.stop();
});

describe('vprov explain', () => {
  it('node1:16000/tcp names every hypervisor as a source and cites both Storware documents with the section', async () => {
    const r = await vprov('explain', '-i', inventory, 'node1:16000/tcp');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tcp\/16000-16999 open to hv1, hv2, hv3 — optional netcat access for data transfer/);
    expect(r.stdout).toContain('documented in: 000_bdf7cb44c7b5d374.txt, 001_6ea25664ffb2ed16.txt — section "OpenStack / SSH transfer"');
    const doc = JSON.parse((await vprov('explain', '-i', inventory, 'node1:16000/tcp', '--format', 'json')).stdout);
    expect(doc.flows).toHaveLength(1);
    expect(doc.flows[0].sourceHosts).toEqual(['hv1', 'hv2', 'hv3']);
    expect(doc.flows[0].flow).toMatchObject({ sources: ['000_bdf7cb44c7b5d374.txt', '001_6ea25664ffb2ed16.txt'], section: 'OpenStack / SSH transfer' });
  });

  it('a port no flow opens says so', async () => {
    const r = await vprov('explain', '-i', inventory, 'node1:8080/tcp');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no documented flow of this inventory opens 8080\/tcp on node1/);
  });
});

describe('vprov evidence', () => {
  it('the converged deployment: every applied requirement met, the unmanaged monitor not verifiable; nothing on any host changed', async () => {
    const before = await snapshot();
    const { code, doc } = await evidence();
    const explained = await vprov('explain', '-i', inventory, '--from', 'hv1');
    expect(explained.code).toBe(0);
    expect(await snapshot()).toEqual(before);

    expect(code).toBe(0);
    // the unmanaged monitor's rows cannot be verified: the overall verdict says how many
    expect(doc.verdict).toBe(`met except ${doc.requirements.filter((r) => r.verdict === 'not verifiable').length} not verifiable`);
    const applied = doc.requirements.filter((r) => r.host !== 'mon1' && r.verdict !== 'not applicable');
    expect(applied.filter((r) => r.verdict !== 'met')).toEqual([]);
    expect(doc.requirements.filter((r) => r.verdict === 'not applicable').map((r) => r.id)).toEqual(['selinux@node2']);
    // one row per flow per destination, the account, each sudo command, the SELinux mode
    const ids = doc.requirements.map((r) => r.id);
    expect(ids).toContain('flow:storware/openstack/ssh-transfer/1@hv3');
    expect(ids).toContain('flow:storware/openstack/ssh-transfer/2@node1');
    expect(ids).toContain('account:vprotect@node2');
    expect(ids).toContain('sudo:/bin/make@node1');
    expect(ids).toContain('sudo:/opt/vprotect/scripts/application/vp_license.sh@server1');
    expect(ids).toContain('selinux@server1');
    expect(doc.requirements.filter((r) => r.kind === 'sudo' && r.host === 'node1')).toHaveLength(27);
    // the monitor: verified from the nodes only, never logged into
    const mon = doc.requirements.filter((r) => r.host === 'mon1');
    expect(mon.length).toBeGreaterThan(0);
    for (const r of mon) expect(r.verdict).toBe('not verifiable');
    expect(mon[0]!.found.join('\n')).toMatch(/tcp connect from node1 to .*: refused \(reachable; nothing listens\)/);
    // what was found, as the host says it
    const netcat = doc.requirements.find((r) => r.id === 'flow:storware/openstack/ssh-transfer/2@node1')!;
    expect(netcat.found.join('\n')).toMatch(
      /^firewalld: rule family="ipv4" source ipset="vprov-hypervisor_v4" port port="16000-16999" protocol="tcp" accept — admits hv1 \(.*\), hv2 \(.*\), hv3 \(.*\)$/m,
    );
    expect(netcat.found.join('\n')).toMatch(/tcp connect from hv2 to .*:16000: open/);
    expect(netcat.documents).toEqual(['000_bdf7cb44c7b5d374.txt', '001_6ea25664ffb2ed16.txt']);
    expect(netcat.section).toBe('OpenStack / SSH transfer');
    expect(doc.requirements.find((r) => r.id === 'flow:storware/openstack/ssh-transfer/1@hv1')!.found[0]).toMatch(
      /^nftables: ip\.saddr == @node_v4 && tcp\.dport == 22 accept/,
    );
    expect(doc.requirements.find((r) => r.id === 'account:vprotect@node1')!.found).toEqual([expect.stringMatching(/^id -nG vprotect: .*\bdisk\b/)]);
    expect(doc.requirements.find((r) => r.id === 'sudo:/bin/make@node1')!.found).toEqual(['sudo -l -U vprotect: (root) NOPASSWD: /bin/make']);
    expect(doc.requirements.find((r) => r.id === 'selinux@node1')!.found).toContain('/etc/selinux/config: SELINUX=permissive');
    // header and what was not applied
    expect(doc.catalog.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.notApplied).toContainEqual(
      expect.objectContaining({ status: 'not applied', reason: expect.stringMatching(/method "Disk attachment" is not selected/) }),
    );
    expect(doc.notApplied).toContainEqual(
      expect.objectContaining({ status: 'flagged', requirement: 'sudo /bin/bash for vprotect', reason: expect.stringMatching(/root-equivalent/) }),
    );
    // one round trip per managed host
    for (const h of doc.hosts) expect(h.roundTrips).toBe(h.managed ? 1 : 0);
    expect(doc.hosts.map((h) => h.host).sort()).toEqual([...managed, 'mon1'].sort());
  });

  it('a rule, a group membership and a sudo line tampered with: exactly those three rows not met, with what was found; exit 2', async () => {
    const handle = /@node_v4 tcp dport 22 accept .*# handle (\d+)/.exec((await lab.exec('hv1', 'nft -a list chain inet vprov input')).stdout)?.[1];
    expect(handle).toBeDefined();
    expect((await lab.exec('hv1', `nft delete rule inet vprov input handle ${handle}`)).code).toBe(0);
    expect((await lab.exec('node1', 'gpasswd -d vprotect disk')).code).toBe(0);
    expect((await lab.exec('node2', `sed -i '\\#/usr/bin/rbd, \\\\$#d' /etc/sudoers.d/vprotect && visudo -c`)).code).toBe(0);
    expect((await lab.exec('node2', 'grep -c /usr/bin/rbd /etc/sudoers.d/vprotect || true')).stdout.trim()).toBe('0');

    const before = await snapshot();
    const { code, doc } = await evidence();
    expect(await snapshot()).toEqual(before);
    expect(code, JSON.stringify(doc.hosts)).toBe(2);
    expect(doc.verdict).toBe('not met');
    const notMet = doc.requirements.filter((r) => r.verdict === 'not met');
    expect(notMet.map((r) => r.id).sort()).toEqual(['account:vprotect@node1', 'flow:storware/openstack/ssh-transfer/1@hv1', 'sudo:/usr/bin/rbd@node2']);
    const row = (id: string) => notMet.find((r) => r.id === id)!;
    const [n1, n2] = [lab.host('node1').address, lab.host('node2').address];
    expect(row('flow:storware/openstack/ssh-transfer/1@hv1').found.join('\n')).toContain(
      `nftables: no vprov accept rule for node1 (${n1}) tcp/22; node2 (${n2}) tcp/22`,
    );
    expect(row('flow:storware/openstack/ssh-transfer/1@hv1').found.join('\n')).toMatch(/tcp connect from node1 to .*:22: filtered/);
    expect(row('account:vprotect@node1').found).toEqual([expect.not.stringMatching(/\bdisk\b/)]);
    expect(row('account:vprotect@node1').reason).toBe('vprotect is not in group disk');
    expect(row('sudo:/usr/bin/rbd@node2').found[0]).toMatch(/^sudo -l -U vprotect: \/usr\/bin\/rbd not listed \(26 command\(s\) granted/);
    expect(doc.requirements.find((r) => r.id === 'sudo:/usr/bin/rbd@node1')!.verdict).toBe('met');

    const md = await vprov('evidence', '-i', inventory, '--format', 'md');
    expect(md.code).toBe(2);
    expect(md.stdout).toMatch(/\*\*Overall verdict: not met\*\*/);
    expect(md.stdout.match(/\| \*\*not met\*\*/g)).toHaveLength(3);
  });

  it('a host that cannot be read costs only its own rows: not verifiable with the cause; exit bit 4', async () => {
    const broken = lab.writeInventory('broken.yaml', {
      roles,
      platforms: STORWARE_PLATFORMS,
      defaults: STORWARE_DEFAULTS,
      hosts: { hv1: { firewall: drop }, node2: { firewall: drop }, mon1: { managed: false }, hv2: { ssh: { host: '127.0.0.1', port: 1 } } },
    });
    const r = await vprov('evidence', '-i', broken, '--format', 'json');
    const doc = evidenceSchema.parse(JSON.parse(r.stdout));
    expect(r.code).toBe(6); // 2: the tampered rows; 4: hv2 unreadable
    expect(doc.hosts.find((h) => h.host === 'hv2')).toMatchObject({ status: 'unreachable', error: expect.stringMatching(/ECONNREFUSED|refused/i) });
    const hv2 = doc.requirements.filter((x) => x.host === 'hv2');
    expect(hv2.length).toBeGreaterThan(0);
    for (const x of hv2) expect(x).toMatchObject({ verdict: 'not verifiable', reason: expect.stringMatching(/^hv2 unreachable: /) });
    // its probes to others are unknown, so those rows cannot be proven either; everything else is as before
    const netcat = doc.requirements.find((x) => x.id === 'flow:storware/openstack/ssh-transfer/2@node1')!;
    expect(netcat).toMatchObject({ verdict: 'not verifiable', reason: 'reachability from hv2 could not be probed' });
    expect(
      doc.requirements
        .filter((x) => x.verdict === 'not met')
        .map((x) => x.id)
        .sort(),
    ).toEqual(['account:vprotect@node1', 'flow:storware/openstack/ssh-transfer/1@hv1', 'sudo:/usr/bin/rbd@node2']);
  });

  it.skipIf(!prerequisite('chromium', !!chromium, '.ci/run installs the chromium package'))(
    'html: self-contained, Chromium renders every section and prints it on A4',
    async () => {
      const file = join(out, 'evidence.html');
      const r = await vprov('evidence', '-i', inventory, '--format', 'html', '--output', file);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/evidence: not met — met \d+, not met 3,/);
      const html = readFileSync(file, 'utf8');
      expect(html).not.toMatch(/<(script|link|img)\b|url\(/); // nothing to fetch: self-contained
      const dom = headlessChromium(file, '--dump-dom');
      for (const id of ['header', 'summary', 'hosts', 'flows', 'accounts', 'sudo', 'selinux', 'not-applied', 'documents'])
        expect(dom).toContain(`<section id="${id}">`);
      expect(dom).toMatch(/Overall verdict: <span class="verdict v-not-met">not met<\/span>/);
      expect(dom.match(/<tr id="[^"]+" class="not-met">/g)).toHaveLength(3);
      const pdf = join(out, 'evidence.pdf');
      headlessChromium(file, '--no-pdf-header-footer', `--print-to-pdf=${pdf}`);
      const pdfText = readFileSync(pdf).toString('latin1');
      const boxes = [...pdfText.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
      expect(boxes.length).toBeGreaterThan(1); // several pages
      for (const b of boxes) expect(b).toEqual([595, 842]); // A4 portrait, in points
      const png = join(out, 'evidence.png');
      headlessChromium(file, '--window-size=1100,1400', `--screenshot=${png}`);
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
      if (process.env.VPROV_DOCS_SCREENSHOT) execFileSync('cp', [png, process.env.VPROV_DOCS_SCREENSHOT]);
    },
  );
});
