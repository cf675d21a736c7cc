import { describe, expect, it } from 'vitest';
import { compile } from '../helpers/compile.js';
import { explain, parseTarget } from '../../src/compile/explain.js';
import { explainJson, explainText } from '../../src/report/explain.js';
import { requirementsOf } from '../../src/compile/requirements.js';
import { InputError } from '../../src/core/errors.js';
import { inventoryOf } from '../helpers/catalog.js';

const inv = inventoryOf({
  product: 'storware',
  platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
  defaults: { ssh: { user: 'ops' }, firewall: 'nftables', selinux: 'permissive' },
  hosts: {
    server1: { address: '192.0.2.4', roles: ['server'] },
    node1: { address: '192.0.2.5', roles: ['node'] },
    node2: { address: '192.0.2.6', roles: ['node'] },
    hv1: { address: '192.0.2.10', roles: ['hypervisor'] },
    hv2: { address: '192.0.2.11', roles: ['hypervisor'] },
    hv3: { address: '2001:db8::12', roles: ['hypervisor'] },
    mon1: { address: '192.0.2.20', roles: ['ceph-monitor'], managed: false },
  },
});
const compiled = compile(inv);

describe('explain HOST[:PORT[/PROTO]]', () => {
  it('node1:16000/tcp: every hypervisor as source, both Storware documents, the section', () => {
    const x = explain(inv, compiled, parseTarget('node1:16000/tcp'));
    expect(x.flows.map((f) => [f.to, f.sourceHosts, f.flow.ports])).toEqual([['node1', ['hv1', 'hv2', 'hv3'], ['16000-16999']]]);
    const text = explainText(x);
    expect(text).toContain('tcp/16000-16999 open to hv1, hv2, hv3 — optional netcat access for data transfer');
    expect(text).toContain('documented in: 000_bdf7cb44c7b5d374.txt, 001_6ea25664ffb2ed16.txt — section "OpenStack / SSH transfer"');
    expect(text).toMatch(/000_bdf7cb44c7b5d374\.txt: DPX vPlus/);
    expect(text).toMatch(/001_6ea25664ffb2ed16\.txt: Storware Backup & Recovery/);
    expect(JSON.parse(explainJson(x)).flows[0].flow.section).toBe('OpenStack / SSH transfer');
  });

  it('a port no flow opens says so', () => {
    const x = explain(inv, compiled, parseTarget('node1:8080'));
    expect(x.flows).toEqual([]);
    expect(explainText(x)).toContain('no documented flow of this inventory opens 8080/tcp+udp on node1');
  });

  it('a flow whose condition is off is listed as skipped, with the reason', () => {
    const x = explain(inv, compiled, parseTarget('mon1:6789/tcp'));
    expect(x.flows).toEqual([]);
    expect(x.skipped).toEqual([expect.objectContaining({ to: 'mon1', reason: expect.stringMatching(/^condition "ceph" is off/) })]);
    expect(explainText(x)).toMatch(/would apply, but skipped:\n {2}mon1 tcp\/3300,6789,10809/);
  });

  it('a flow with no source host is skipped, never widened', () => {
    const noHv = inventoryOf({ ...inv.data, hosts: { node1: inv.data.hosts.node1 } });
    const x = explain(noHv, compile(noHv), parseTarget('node1:16000/tcp'));
    expect(x.flows).toEqual([]);
    expect(x.skipped).toEqual([expect.objectContaining({ to: 'node1', reason: expect.stringMatching(/^no source: no host with role "hypervisor"/) })]);
  });

  it('--from HOST: what it may reach, where and why', () => {
    const x = explain(inv, compiled, { from: 'node1' });
    expect(x.flows.map((f) => `${f.to} ${f.flow.protocol}/${f.flow.ports.join(',')}`).sort()).toEqual(['hv1 tcp/22', 'hv2 tcp/22', 'hv3 tcp/22']);
    expect(explainText(x)).toMatch(/^node1 may reach on any port:\n {2}hv1 tcp\/22 — SSH access/);
    expect(x.skipped.map((s) => s.to)).toEqual(['mon1']); // ceph off
    expect(explain(inv, compiled, { from: 'node1', host: 'hv2' }).flows.map((f) => f.to)).toEqual(['hv2']);
  });

  it('bad targets are input errors', () => {
    for (const bad of ['node1:http', 'node1:0', 'node1:70000', 'node1:22/sctp', 'node1:22/icmp', '']) expect(() => parseTarget(bad)).toThrow(InputError);
    expect(() => explain(inv, compiled, { host: 'nope' })).toThrow(/no host "nope"/);
    expect(parseTarget('hv1/icmp')).toEqual({ host: 'hv1', protocol: 'icmp' });
  });

  it('a host may be named by its address', () => {
    const x = explain(inv, compiled, parseTarget('192.0.2.5:16000'));
    expect(x.query.host).toBe('node1');
    expect(x.flows.map((f) => f.to)).toEqual(['node1']);
  });
});

describe('requirements of a deployment', () => {
  const { rows, notApplied } = requirementsOf(inv, compiled);

  it('one row per flow per destination, the account, each sudo command per host, the SELinux mode', () => {
    const ids = rows.map((r) => r.id);
    for (const h of ['hv1', 'hv2', 'hv3']) expect(ids).toContain(`flow:storware/openstack/ssh-transfer/1@${h}`);
    expect(rows.filter((r) => r.kind === 'sudo' && r.host === 'node1')).toHaveLength(27);
    expect(rows.filter((r) => r.kind === 'sudo' && r.host === 'server1').map((r) => r.id)).toEqual([
      'sudo:/opt/vprotect/scripts/application/vp_license.sh@server1',
      'sudo:/bin/umount@server1',
      'sudo:/bin/mount@server1',
    ]);
    expect(rows.find((r) => r.id === 'account:vprotect@node2')).toMatchObject({ groups: ['disk'], section: 'Security Requirements / User Permissions' });
    expect(rows.find((r) => r.id === 'selinux@server1')).toMatchObject({ mode: 'permissive', section: 'Security Requirements / SELinux' });
    expect(ids.filter((i) => i.startsWith('selinux@'))).toEqual(['selinux@node1', 'selinux@node2', 'selinux@server1']); // hypervisors: kept as found
  });

  it('lists what the selected platform documents but this deployment does not apply, and flags root-equivalent grants', () => {
    expect(notApplied).toContainEqual(expect.objectContaining({ status: 'not applied', reason: expect.stringMatching(/^condition "ceph" is off/) }));
    expect(notApplied).toContainEqual(
      expect.objectContaining({ status: 'not applied', reason: 'method "Disk attachment" is not selected (platforms[].method)' }),
    );
    const flagged = notApplied.filter((n) => n.status === 'flagged').map((n) => n.requirement);
    // Mounting, exports and device-mapper are root-equivalent too (each can put a file where root reads it).
    const rootEquivalent = [
      '/bin/bash',
      '/bin/cp',
      '/bin/make',
      '/bin/mount',
      '/bin/umount',
      '/usr/bin/chown',
      '/usr/bin/docker',
      '/usr/bin/guestmount',
      '/usr/bin/qemu-nbd',
      '/usr/bin/targetcli',
      '/usr/bin/tee',
      '/usr/bin/yum',
      '/usr/sbin/dmsetup',
      '/usr/sbin/exportfs',
      '/usr/sbin/modprobe',
    ];
    expect(flagged).toEqual(rootEquivalent.map((c) => `sudo ${c} for vprotect`));
    // no flow of another platform is mentioned
    expect(notApplied.filter((n) => n.kind === 'flow').every((n) => n.requirement.includes('OpenStack'))).toBe(true);
  });
});
