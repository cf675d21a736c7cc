import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadInventory } from '../../src/inventory/load.js';
import { compile } from '../helpers/compile.js';
import { catalog } from '../helpers/catalog.js';
import { vprov } from '../helpers/cli.js';

const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/ansible/${f}`, import.meta.url));

describe('Ansible inventories', () => {
  it('INI: hosts, :children groups, vars; roles from vprov_role_map and --role-map', () => {
    const notes: string[] = [];
    const inv = loadInventory(fixture('hosts.ini'), catalog, { roleMap: ['hypervisors=hypervisor'], onNotice: (m) => notes.push(m) });
    expect(inv.data.product).toBe('storware');
    expect(inv.data.platforms).toEqual([{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }]);
    expect(Object.keys(inv.data.hosts).sort()).toEqual(['hv1', 'hv2', 'node1', 'node2']);
    expect(inv.data.hosts.node1).toMatchObject({ address: '192.0.2.5', roles: ['node'], ssh: { host: '192.0.2.5', user: 'ops' } });
    expect(inv.data.hosts.node2!.ssh).toMatchObject({ port: 2202 });
    expect(inv.data.hosts.hv1!.roles).toEqual(['hypervisor']);
    expect(inv.data.groups.kvm).toEqual(['hv1', 'hv2']);
    expect(notes).toEqual(['Ansible hosts in no mapped group, left out: prom1']);
    const hv1 = compile(inv).hosts.find((h) => h.name === 'hv1')!;
    expect(hv1.firewall.sets[0]!.elements).toEqual(['192.0.2.5', '192.0.2.6']);
  });

  it('a vprov file imports an Ansible YAML inventory with a mapping section', () => {
    const inv = loadInventory(fixture('overlay.yaml'), catalog);
    expect(Object.keys(inv.data.hosts).sort()).toEqual(['hv1', 'mon1', 'node1']);
    expect(inv.data.hosts.hv1).toMatchObject({ address: '192.0.2.10', roles: ['hypervisor'], ssh: { port: 2201 } });
  });

  it('an unmapped role is a clear error', async () => {
    const r = await vprov('inventory', 'check', '-i', fixture('hosts.ini'), '--role-map', 'hypervisors=hypervisr');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hosts\.hv1\.roles\[0\]: unknown role "hypervisr"/);
  });

  it('[all:vars] connection settings reach every host; a host’s own win', () => {
    const notes: string[] = [];
    const inv = loadInventory(fixture('plain/vprov.yaml'), catalog, { onNotice: (m) => notes.push(m) });
    expect(inv.data.hosts.node1!.ssh).toEqual({ host: '192.0.2.5', user: 'ops', identityFile: '~/.ssh/vprov_ed25519', become: true });
    expect(inv.data.hosts.hv2!.ssh).toMatchObject({ user: 'root', identityFile: '~/.ssh/vprov_ed25519' });
    expect(notes).toEqual(['Ansible variables vprov does not use: ansible_python_interpreter (hv1, hv2, node1)']);
  });

  it('--role-map on a bare Ansible inventory says what else it needs instead of a type error', async () => {
    const r = await vprov('plan', '-i', fixture('plain/hosts.ini'), '--role-map', 'backup_nodes=node', '--role-map', 'kvm=hypervisor');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hosts\.ini: an Ansible inventory read directly names the product and platform .*vprov_product=…, vprov_platform=…/);
    expect(r.stderr).toMatch(/or a vprov inventory imports it: ansible: \{ inventory: hosts\.ini, roles: \{ GROUP: ROLE \} \}/);
    expect(r.stderr).not.toMatch(/expected string/);
  });
});
