/**
 * The realistic Storware deployment on lab hosts, shared by the resources and evidence tests:
 * seven hosts on both firewall backends (an unmanaged Ceph monitor among them), and state that
 * is not vprov's (another admin's nft table, a legacy drop table, a zone service in firewalld,
 * a foreign sudoers file, no SELinux userland on one host, an existing vprotect account).
 */
import { startLab, type InventorySpec, type Lab } from '../lab/hosts.js';

export const STORWARE_ROLES = {
  server1: ['server'],
  node1: ['node'],
  node2: ['node'],
  hv1: ['hypervisor'],
  hv2: ['hypervisor'],
  hv3: ['hypervisor'],
  mon1: ['ceph-monitor'],
};
export const DROP = { backend: 'nftables', inputPolicy: 'drop' };
export const STORWARE_PLATFORMS = [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true, ceph: true } }];
export const STORWARE_DEFAULTS = { firewall: 'auto', selinux: 'permissive' };

export interface StorwareFleet {
  lab: Lab;
  /** storware.yaml: firewall auto, SELinux permissive, OpenStack over SSH with netcat and Ceph */
  inventory: string;
}

/**
 * Start the fleet (plus `extraHosts`, plain lab hosts outside the inventory), write the
 * inventory with per-host `hosts` overrides, and put the foreign state in place.
 */
export async function startStorwareFleet({ hosts, extraHosts = [] }: { hosts: InventorySpec['hosts']; extraHosts?: string[] }): Promise<StorwareFleet> {
  const lab = await startLab([
    { name: 'server1' },
    { name: 'node1', firewall: 'firewalld' },
    { name: 'node2' },
    { name: 'hv1' },
    { name: 'hv2' },
    { name: 'hv3', firewall: 'firewalld' },
    { name: 'mon1' },
    ...extraHosts.map((name) => ({ name })),
  ]);
  const inventory = lab.writeInventory('storware.yaml', {
    roles: STORWARE_ROLES,
    platforms: STORWARE_PLATFORMS,
    defaults: STORWARE_DEFAULTS,
    hosts,
  });
  await lab.exec(
    'hv1',
    `nft add table inet admin && nft add chain inet admin input '{ type filter hook input priority 10; policy accept; }' && nft add rule inet admin input tcp dport 9100 accept`,
  );
  await lab.exec(
    'server1',
    `nft add table ip legacy && nft add chain ip legacy INPUT '{ type filter hook input priority 0; policy drop; }' && nft add rule ip legacy INPUT ct state established,related accept && nft add rule ip legacy INPUT tcp dport 22 accept`,
  );
  await lab.exec('hv3', 'firewall-cmd --permanent --zone=public --add-service=http >/dev/null && firewall-cmd --reload >/dev/null');
  await lab.exec('node2', `printf 'admin ALL=(ALL) ALL\\n' > /etc/sudoers.d/admins && chmod 0440 /etc/sudoers.d/admins && rm -f /etc/selinux/config`);
  await lab.exec('node1', 'useradd --system -G users vprotect');
  return { lab, inventory };
}

/** A TCP listener on `port` (IPv4 and IPv6) in a lab host, in the background. */
export async function listen(lab: Lab, host: string, port: number): Promise<void> {
  await lab.exec(
    host,
    `setsid python3 -c 'import socket,time\ns=socket.socket(socket.AF_INET6)\ns.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)\ns.bind(("::",${port}))\ns.listen(50)\nwhile True: c,_=s.accept(); c.close()' >/dev/null 2>&1 < /dev/null &`,
  );
}
