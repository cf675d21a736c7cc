import { describe, expect, it } from 'vitest';
import { compile } from '../helpers/compile.js';
import { mergePorts } from '../../src/core/ports.js';
import { inventoryOf } from '../helpers/catalog.js';

const base = {
  product: 'storware',
  platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true, ceph: true } }],
  defaults: { ssh: { user: 'ops' }, firewall: 'nftables', selinux: 'permissive' },
};

describe('compile', () => {
  it('puts each flow on its destination, from exactly the source hosts', () => {
    const inv = inventoryOf({
      ...base,
      hosts: {
        node1: { address: '192.0.2.5', roles: ['node'] },
        node2: { address: '2001:db8:0:0::5', roles: ['node'] },
        hv1: { address: '192.0.2.10', roles: ['hypervisor'] },
        mon1: { address: '192.0.2.20', roles: ['ceph-monitor'], managed: false },
      },
    });
    const { hosts, warnings } = compile(inv);
    expect(warnings).toEqual([]);
    const hv1 = hosts.find((h) => h.name === 'hv1')!;
    expect(hv1.firewall.sets).toEqual([
      { name: 'node_v4', family: 'ipv4', elements: ['192.0.2.5'] },
      { name: 'node_v6', family: 'ipv6', elements: ['2001:db8::5'] },
    ]);
    expect(hv1.firewall.rules.map((r) => [r.set, r.protocol, r.ports])).toEqual([
      ['node_v4', 'tcp', ['22']],
      ['node_v6', 'tcp', ['22']],
    ]);
    expect(hv1.account).toBeNull();
    expect(hv1.sudoers).toBeNull();
    expect(hv1.selinux.mode).toBe('keep');
    const node1 = hosts.find((h) => h.name === 'node1')!;
    expect(node1.firewall.rules).toEqual([
      {
        set: 'hypervisor_v4',
        family: 'ipv4',
        protocol: 'tcp',
        ports: ['16000-16999'],
        flows: ['storware/openstack/ssh-transfer/2'],
        purposes: ['optional netcat access for data transfer'],
      },
    ]);
    expect(node1.account).toMatchObject({ name: 'vprotect', groups: ['disk'], system: true });
    expect(node1.sudoers!.commands).toHaveLength(27);
    expect(node1.sudoers!.rootEquivalent).toEqual(expect.arrayContaining(['/bin/bash', '/usr/bin/tee', '/bin/make']));
    expect(node1.selinux.mode).toBe('permissive');
    const mon1 = hosts.find((h) => h.name === 'mon1')!;
    expect(mon1.managed).toBe(false);
    expect(mon1.firewall.rules.map((r) => [r.set, r.ports])).toEqual([
      ['node_v4', ['3300', '6789', '10809']],
      ['node_v6', ['3300', '6789', '10809']],
    ]);
  });

  it('skips a flow with no source, with a warning, instead of opening it to anyone', () => {
    const inv = inventoryOf({ ...base, hosts: { hv1: { address: '192.0.2.10', roles: ['hypervisor'] } } });
    const { hosts, warnings } = compile(inv);
    expect(hosts[0]!.firewall.rules).toEqual([]);
    expect(warnings.map((w) => w.code)).toEqual(['no-source']);
    expect(warnings[0]!.message).toMatch(
      /storware\/openstack\/ssh-transfer\/1 .* skipped: no source — add hosts with role "node" or networks: \{ node: \[CIDR\] \}/,
    );
  });

  it('takes sources from networks for roles without hosts, and warns when that is the world', () => {
    const inv = inventoryOf({
      ...base,
      hosts: { hv1: { address: '192.0.2.10', roles: ['hypervisor'] } },
      networks: { node: ['198.51.100.0/24', '0.0.0.0/0'] },
    });
    const { hosts, warnings } = compile(inv);
    expect(hosts[0]!.firewall.sets).toEqual([{ name: 'node_v4', family: 'ipv4', elements: ['0.0.0.0/0'] }]); // the world covers the /24: one interval, as nft stores it
    expect(warnings.map((w) => w.code)).toEqual(['world-open']);
  });

  it('applies port overrides and leaves a flow off when its condition is not enabled', () => {
    const inv = inventoryOf({
      ...base,
      platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
      ports: { netcat: ['17000-17099'] },
      hosts: {
        node1: { address: '192.0.2.5', roles: ['node'] },
        hv1: { address: '192.0.2.10', roles: ['hypervisor'] },
        mon1: { address: '192.0.2.20', roles: ['ceph-monitor'] },
      },
    });
    const { hosts } = compile(inv);
    expect(hosts.find((h) => h.name === 'node1')!.firewall.rules[0]!.ports).toEqual(['17000-17099']);
    expect(hosts.find((h) => h.name === 'mon1')!.firewall.rules).toEqual([]);
  });

  it('is deterministic', () => {
    const doc = { ...base, hosts: { b: { address: '192.0.2.2', roles: ['node'] }, a: { address: '192.0.2.1', roles: ['hypervisor', 'node'] } } };
    expect(JSON.stringify(compile(inventoryOf(doc)))).toBe(JSON.stringify(compile(inventoryOf(doc))));
  });
});

describe('mergePorts', () => {
  it.each([
    [['22'], ['22']],
    [
      ['6789', '3300', '22'],
      ['22', '3300', '6789'],
    ],
    [
      ['16000-16999', '16500', '22'],
      ['22', '16000-16999'],
    ],
    [
      ['100-200', '150-300', '22', '22'],
      ['22', '100-300'],
    ],
  ])('%j → %j', (input, out) => expect(mergePorts(input)).toEqual(out));
});

describe('compile: more shapes', () => {
  it('mixed platforms, a host restricted to one platform, a host with two roles', () => {
    const inv = inventoryOf({
      ...base,
      platforms: [
        { platform: 'openstack', method: 'SSH transfer', options: { netcat: true } },
        { platform: 'proxmox', method: 'Export storage repository', options: { 'nfs-on-node': true } },
      ],
      hosts: {
        both: { address: '192.0.2.5', roles: ['node', 'server'] },
        os1: { address: '192.0.2.10', roles: ['hypervisor'], platform: 'openstack' },
        pve1: { address: '192.0.2.11', roles: ['hypervisor'], platform: 'proxmox' },
      },
    });
    const { hosts } = compile(inv);
    const both = hosts.find((h) => h.name === 'both')!;
    // openstack netcat comes from os1 only, NFS from pve1 only: two source sets, never one wider set
    expect(both.firewall.sets).toEqual([
      { name: 'hypervisor_v4', family: 'ipv4', elements: ['192.0.2.10'] },
      { name: 'hypervisor_v4_2', family: 'ipv4', elements: ['192.0.2.11'] },
    ]);
    expect(both.firewall.rules.map((r) => [r.set, r.protocol, r.ports])).toEqual([
      ['hypervisor_v4', 'tcp', ['16000-16999']],
      ['hypervisor_v4_2', 'tcp', ['111', '2049']],
      ['hypervisor_v4_2', 'udp', ['111', '2049']],
    ]);
    expect(both.sudoers!.roles).toEqual(['node', 'server']);
    expect(both.sudoers!.commands).toHaveLength(28); // 27 node + vp_license.sh (mount/umount merged)
    expect(hosts.find((h) => h.name === 'os1')!.firewall.rules.map((r) => r.ports)).toEqual([['22']]);
    expect(hosts.find((h) => h.name === 'pve1')!.firewall.rules.map((r) => r.ports)).toEqual([['22']]);
  });

  it('a role with only networks, an unmanaged destination', () => {
    const inv = inventoryOf({
      product: 'olvm',
      platforms: [{ platform: 'olvm' }],
      hosts: {
        engine: { address: '192.0.2.50', roles: ['manager'], managed: false },
        kvm1: { address: '192.0.2.51', roles: ['kvm-host'] },
      },
      networks: { 'portal-client': ['10.20.0.0/16'] },
    });
    const { hosts } = compile(inv);
    const engine = hosts.find((h) => h.name === 'engine')!;
    expect(engine.managed).toBe(false);
    expect(engine.firewall.rules.map((r) => [r.set, r.protocol, r.ports])).toEqual([
      ['kvm_host_v4', 'tcp', ['80', '443']],
      ['portal_client_v4', 'tcp', ['80', '443']],
    ]);
    const kvm1 = hosts.find((h) => h.name === 'kvm1')!;
    expect(kvm1.firewall.rules.map((r) => [r.set, r.protocol, r.ports])).toEqual([
      ['manager_v4', 'tcp', ['2223', '54321']],
      ['portal_client_v4', 'tcp', ['5900-6923']],
    ]);
    expect(kvm1.account).toBeNull();
  });
});
