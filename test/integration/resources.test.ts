/**
 * Realistic Storware deployment on lab hosts, both firewall backends, pre-existing state.
 * Every assertion about the hosts is made from outside (docker exec), never through vprov.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import type { Lab } from '../lab/hosts.js';
import { DROP, listen, startStorwareFleet, STORWARE_ROLES } from '../helpers/storware-fleet.js';
import { vprov } from '../helpers/cli.js';
import { expandIPv4 } from '../helpers/addresses.js';
import { convergeAll } from '../../src/app/converge-all.js';
import { connectSsh } from '../../src/transport/ssh.js';
import type { HostDesired } from '../../src/core/types.js';

let lab: Lab;
let inventory: string;
const roles = STORWARE_ROLES;
const drop = DROP;

/** TCP connect from inside a lab host: open | refused | filtered. */
async function connectFrom(from: string, address: string, port: number): Promise<string> {
  const py = `import socket,errno\ns=socket.socket()\ns.settimeout(2)\ntry:\n  rc=s.connect_ex(("${address}",${port}))\nexcept OSError as e:\n  rc=e.errno\nprint("open" if rc==0 else "refused" if rc==errno.ECONNREFUSED else "filtered")`;
  return (await lab.exec(from, `python3 -c '${py}'`)).stdout.trim();
}

beforeAll(async () => {
  ({ lab, inventory } = await startStorwareFleet({
    extraHosts: ['outsider'],
    hosts: { hv1: { firewall: drop }, hv2: { firewall: drop }, node2: { firewall: drop }, mon1: { managed: false }, server1: { selinux: 'enforcing' } },
  }));
  // Beyond the shared foreign state: SELinux configs that vprov must change.
  await lab.exec('node1', 'sed -i "s/^SELINUX=.*/SELINUX=enforcing/" /etc/selinux/config');
  await lab.exec('server1', 'sed -i "s/^SELINUX=.*/SELINUX=disabled/" /etc/selinux/config');
  for (const h of ['node1', 'node2', 'hv3']) await listen(lab, h, 16000);
});
afterAll(async () => {
  await lab?.stop();
});

const snapshot = async () =>
  Object.fromEntries(
    await Promise.all(
      Object.keys(roles).map(async (h) => [
        h,
        [
          (await lab.exec(h, 'nft list ruleset')).stdout,
          (
            await lab.exec(
              h,
              'ls /etc/firewalld/policies /etc/firewalld/ipsets 2>/dev/null; id vprotect 2>&1; ls -A /etc/sudoers.d; cat /etc/selinux/config 2>/dev/null',
            )
          ).stdout,
        ].join('\n'),
      ]),
    ),
  );

describe('realistic Storware deployment', () => {
  it('apply --check changes nothing and reports every pending change', async () => {
    const before = await snapshot();
    const r = await vprov('apply', '-i', inventory, '--check');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/hosts: 7 ok=0 changed=0 pending=6 failed=0 unreachable=0 skipped=1/);
    expect(r.stdout).toMatch(/note: shadowed by table ip legacy/);
    expect(r.stdout).toMatch(/note: backend: firewalld/);
    expect(await snapshot()).toEqual(before);
  });

  it('apply converges all managed hosts; mon1 (managed: false) is not touched', async () => {
    const r = await vprov('apply', '-i', inventory);
    expect(r.stdout).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
    expect((await lab.exec('mon1', 'nft list table inet vprov')).code).not.toBe(0);
    // nftables with drop policy on hv1: node sources only, SSH kept for the controller
    const hv1 = (await lab.exec('hv1', 'nft list table inet vprov')).stdout;
    expect(hv1).toMatch(/policy drop;/);
    // nft stores adjacent addresses as one prefix (two nodes on .8 and .9 list as .8/31): expand before comparing.
    const nodeSet = /set node_v4 \{[^}]*elements = \{ ([^}]*) \}/.exec(hv1)?.[1]?.split(', ').flatMap(expandIPv4).sort();
    expect(nodeSet).toEqual([lab.host('node1').address, lab.host('node2').address].sort());
    expect(hv1).toMatch(/set vprov_ssh_live_v4 \{[^}]*elements = \{ 172\.\d+\.\d+\.1 \}/);
    expect(hv1).toMatch(/ip saddr @vprov_ssh_live_v4 tcp dport 22 accept comment "vprov: ssh for a controller not in the inventory"/);
    // firewalld on node1: our policy and ipset, zone untouched
    expect((await lab.exec('node1', 'firewall-cmd --info-policy=vprov-in')).stdout).toMatch(
      /rule family="ipv4" source ipset="vprov-hypervisor_v4" port port="16000-16999" protocol="tcp" accept/,
    );
    const entries = /^\s*entries: (.*)$/m.exec((await lab.exec('node1', 'firewall-cmd --info-ipset=vprov-hypervisor_v4')).stdout)?.[1] ?? '';
    expect(entries.split(/\s+/).filter(Boolean).flatMap(expandIPv4)).toContain(lab.host('hv3').address);
    // account: documented group added, existing one kept
    expect((await lab.exec('node1', 'id -nG vprotect')).stdout.split(/\s+/)).toEqual(expect.arrayContaining(['disk', 'users']));
    // SELinux config: managed where present (no kernel SELinux here: no reboot flag), n/a where absent
    expect((await lab.exec('node1', 'grep ^SELINUX= /etc/selinux/config')).stdout.trim()).toBe('SELINUX=permissive');
    expect((await lab.exec('server1', 'grep ^SELINUX= /etc/selinux/config')).stdout.trim()).toBe('SELINUX=enforcing');
    expect(r.stdout).toMatch(/not applicable: no \/etc\/selinux\/config/);
    expect(r.code & 8).toBe(0);
  });

  it('a second apply changes nothing', async () => {
    const r = await vprov('apply', '-i', inventory);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hosts: 7 ok=6 changed=0 pending=0 failed=0 unreachable=0 skipped=1/);
  });

  it('pre-existing state is unchanged', async () => {
    expect((await lab.exec('hv1', 'nft list table inet admin')).stdout).toMatch(/tcp dport 9100 accept/);
    expect((await lab.exec('server1', 'nft list table ip legacy')).stdout).toMatch(/policy drop;/);
    expect((await lab.exec('hv3', 'firewall-cmd --zone=public --list-services')).stdout).toMatch(/\bhttp\b/);
    expect((await lab.exec('node2', 'cat /etc/sudoers.d/admins && stat -c %a /etc/sudoers.d/admins')).stdout).toBe('admin ALL=(ALL) ALL\n440\n');
  });

  it('opened ports are reachable from the documented sources only', async () => {
    const [hv1, node1, node2] = ['hv1', 'node1', 'node2'].map((h) => lab.host(h).address) as [string, string, string];
    expect(await connectFrom('node1', hv1, 22)).toBe('open'); // node → hypervisor SSH, nft drop policy
    expect(await connectFrom('outsider', hv1, 22)).toBe('filtered');
    expect(await connectFrom('hv3', node1, 16000)).toBe('open'); // hypervisor → node netcat, firewalld
    expect(await connectFrom('outsider', node1, 16000)).toBe('filtered');
    expect(await connectFrom('hv1', node2, 16000)).toBe('open'); // hypervisor → node netcat, nft drop policy
    expect(await connectFrom('outsider', node2, 16000)).toBe('filtered');
    expect(await connectFrom('server1', node2, 16000)).toBe('filtered'); // a server is no hypervisor
  });

  it('verify --connectivity probes every TCP flow from its managed sources', async () => {
    const r = await vprov('verify', '-i', inventory, '--connectivity', '--format', 'json');
    const doc = JSON.parse(r.stdout);
    const probes = doc.connectivity as { from: string; to: string; port: number; result: string }[];
    expect(probes.length).toBeGreaterThan(10);
    expect(probes.filter((p) => p.result === 'filtered' || p.result === 'unknown')).toEqual([]);
    expect(probes).toContainEqual(expect.objectContaining({ from: 'hv2', to: 'node1', port: 16999, result: 'refused' }));
    expect(r.code).toBe(0);
  });

  it('removing a flow from the inventory removes exactly its rules', async () => {
    const text = readFileSync(inventory, 'utf8').replace('netcat: true', 'netcat: false');
    writeFileSync(inventory, text);
    const r = await vprov('apply', '-i', inventory);
    expect(r.code).toBe(0);
    expect((await lab.exec('node2', 'nft list table inet vprov')).stdout).not.toContain('16000');
    expect((await lab.exec('node1', 'firewall-cmd --get-policies')).stdout).not.toContain('vprov-in');
    expect((await lab.exec('node1', 'ls /etc/firewalld/ipsets /etc/firewalld/policies')).stdout).not.toMatch(/vprov/);
    expect((await lab.exec('hv1', 'nft list table inet vprov')).stdout).toMatch(/tcp dport 22 accept/);
    expect(await connectFrom('hv3', lab.host('node1').address, 16000)).toBe('filtered');
    expect((await vprov('apply', '-i', inventory)).stdout).toMatch(/changed=0 pending=0 failed=0/);
  });

  it('a risky firewall change that loses SSH is refused by the missing confirmation and rolled back', async () => {
    const doc = parse(readFileSync(inventory, 'utf8'));
    doc.hosts.hv2.firewall = { backend: 'nftables', inputPolicy: 'drop', confirmTimeout: 5 };
    writeFileSync(inventory, stringify(doc));
    await lab.exec('hv2', 'nft delete table inet vprov');
    // The confirming connection (the second one to hv2) fails, as it would after a lockout.
    let calls = 0;
    const connect = (d: HostDesired) => (d.name === 'hv2' && ++calls === 2 ? Promise.reject(new Error('connection timed out')) : connectSsh(d.ssh));
    const report = await convergeAll({ inventory, check: false, limit: 'hv2', connect });
    const hv2 = report.hosts.find((h) => h.host === 'hv2')!;
    expect(hv2.status).toBe('failed');
    expect(hv2.error).toMatch(/lost SSH access after the firewall change .* restores the previous table within 5 s/);
    expect((await lab.exec('hv2', 'nft list table inet vprov')).code).toBe(0);
    await new Promise((r) => setTimeout(r, 7000));
    expect((await lab.exec('hv2', 'nft list table inet vprov')).code).not.toBe(0); // rolled back to "no table"
    // With a working confirmation the same change sticks.
    expect((await vprov('apply', '-i', inventory, '--limit', 'hv2')).code).toBe(0);
    await new Promise((r) => setTimeout(r, 6000));
    expect((await lab.exec('hv2', 'nft list table inet vprov')).stdout).toMatch(/policy drop;/);
  });

  it('a configuration firewalld refuses is put back as it was, and nothing is reloaded', async () => {
    const ipset = '/etc/firewalld/ipsets/vprov-node_v4.xml';
    const before = (await lab.exec('hv3', `cat ${ipset}`)).stdout;
    expect(before).toContain('<ipset');
    await lab.exec(
      'hv3',
      `rm /etc/firewalld/policies/vprov-in.xml && printf '<service><port port="x" protocol="tcp"/></service>' > /etc/firewalld/services/broken.xml`,
    );
    const r = await vprov('apply', '-i', inventory, '--limit', 'hv3');
    expect(r.code & 4).toBe(4);
    expect(r.stdout).toMatch(/firewalld refused the configuration, previous files restored/);
    expect((await lab.exec('hv3', 'ls -A /etc/firewalld/policies')).stdout.trim()).toBe('');
    expect((await lab.exec('hv3', `cat ${ipset}`)).stdout).toBe(before);
    expect((await lab.exec('hv3', 'ls -A /etc/firewalld/ipsets /etc/firewalld/policies | grep -c vprov-old || true')).stdout.trim()).toBe('0');
    await lab.exec('hv3', 'rm /etc/firewalld/services/broken.xml');
    expect((await vprov('apply', '-i', inventory, '--limit', 'hv3')).code).toBe(0);
    expect((await lab.exec('hv3', 'firewall-cmd --info-policy=vprov-in')).stdout).toMatch(/port port="22" protocol="tcp" accept/);
  });
});
