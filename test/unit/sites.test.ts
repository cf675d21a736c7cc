/** Sites: several products on shared hosts, the site's own flows, contradictions between products. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../src/catalog/load.js';
import { loadInventory, parseInventory } from '../../src/inventory/load.js';
import { compile } from '../helpers/compile.js';
import { explain } from '../../src/compile/explain.js';
import { requirementsOf } from '../../src/compile/requirements.js';
import { desiredTable, renderTable } from '../../src/resources/firewall-nftables.js';
import { InputError } from '../../src/core/errors.js';
import { catalog } from '../helpers/catalog.js';
import { vprov } from '../helpers/cli.js';
import type { FlowRow } from '../../src/resources/firewall.js';

const EXAMPLE = fileURLToPath(new URL('../../inventories/olvm-with-storware.yaml', import.meta.url));
const CONTRADICTING = fileURLToPath(new URL('../fixtures/catalogs/contradicting/', import.meta.url));

const site = `products:
  olvm:
    platforms:
      - platform: olvm
        options: { image-io-proxy: true }
  storware:
    platforms:
      - { platform: ovirt, method: Disk Image Transfer }
defaults:
  firewall: { backend: nftables, inputPolicy: drop }
hosts:
  engine: { address: 192.0.2.50, roles: [olvm/manager, storware/manager] }
  kvm1:   { address: 192.0.2.51, roles: [olvm/kvm-host, storware/hypervisor] }
  node1:  { address: 192.0.2.60, roles: [storware/node] }
networks:
  olvm/portal-client: [10.20.0.0/16]
  monitoring: [10.9.0.0/24]
flows:
  - { from: monitoring, to: [olvm/kvm-host, storware/node], protocol: tcp, ports: ["9100"], purpose: Prometheus node_exporter }
`;

const renderNftables = (fw: Parameters<typeof desiredTable>[0]) => renderTable(desiredTable(fw, [], 22));

function errorOf(text: string, file = 'site.yaml', cat = catalog): InputError {
  try {
    compile(parseInventory(text, file, cat));
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

/** The ports a host accepts from a source set, per protocol: what the table lets through. */
function accepts(inv: ReturnType<typeof parseInventory>, host: string) {
  const h = compile(inv).hosts.find((x) => x.name === host)!;
  return Object.fromEntries(h.firewall.rules.map((r) => [`${r.set} ${r.protocol}`, r.ports.join(',')]));
}

describe('a site of several products', () => {
  it('one table per host holds every product’s flows and the site’s own', () => {
    const inv = parseInventory(site, 'site.yaml', catalog);
    expect(accepts(inv, 'engine')).toEqual({
      'olvm_kvm_host_v4 tcp': '80,443',
      'olvm_portal_client_v4 tcp': '80,443,54323',
      'storware_node_v4 tcp': '443,54323',
    });
    expect(accepts(inv, 'kvm1')).toEqual({
      'monitoring_v4 tcp': '9100',
      'olvm_manager_v4 tcp': '2223,54321-54322',
      'olvm_portal_client_v4 tcp': '5900-6923',
      'storware_node_v4 tcp': '54322',
    });
    expect(accepts(inv, 'node1')).toEqual({ 'monitoring_v4 tcp': '9100' });
  });

  it('every rule cites each product and flow it serves', () => {
    const inv = parseInventory(site, 'site.yaml', catalog);
    const engine = compile(inv).hosts.find((h) => h.name === 'engine')!;
    const node = engine.firewall.rules.find((r) => r.set === 'storware_node_v4')!;
    expect(node.flows).toEqual(['storware/ovirt/disk-image-transfer/1', 'storware/ovirt/disk-image-transfer/3']);
    const portal = engine.firewall.rules.find((r) => r.set === 'olvm_portal_client_v4')!;
    expect(portal.flows.every((f) => f.startsWith('olvm/'))).toBe(true);
  });

  it('the plan of a site host cites, per rule, every product, document and section it serves; one product alone keeps its plan', () => {
    const engine = compile(parseInventory(site, 'site.yaml', catalog)).hosts.find((h) => h.name === 'engine')!;
    expect(engine.firewall.provenance).toContain(
      'rule @storware_node_v4 tcp/443,54323 serves: storware storware/ovirt/disk-image-transfer/1 (000_bdf7cb44c7b5d374.txt, 001_6ea25664ffb2ed16.txt — oVirt/RHV/OLVM / Disk Image Transfer); storware storware/ovirt/disk-image-transfer/3 (000_bdf7cb44c7b5d374.txt, 001_6ea25664ffb2ed16.txt — oVirt/RHV/OLVM / Disk Image Transfer)',
    );
    const single = compile(loadInventory(fileURLToPath(new URL('../../inventories/olvm.yaml', import.meta.url)), catalog)).hosts;
    expect(single.every((h) => h.firewall.provenance === undefined)).toBe(true);
  });

  it('explain engine:54323/tcp names OLVM’s document 003 and the Storware documents', () => {
    const inv = parseInventory(site, 'site.yaml', catalog);
    const e = explain(inv, compile(inv), { host: 'engine', port: 54323, protocol: 'tcp' });
    expect(e.flows.map((f) => [f.flow.product, f.flow.sources, f.flow.section])).toEqual([
      ['olvm', ['003_378dd85a2eeb4b0d.txt'], 'Engine Host Firewall Requirements'],
      ['storware', ['000_bdf7cb44c7b5d374.txt', '001_6ea25664ffb2ed16.txt'], 'oVirt/RHV/OLVM / Disk Image Transfer'],
    ]);
    expect(Object.keys(e.documents)).toEqual(['000_bdf7cb44c7b5d374.txt', '001_6ea25664ffb2ed16.txt', '003_378dd85a2eeb4b0d.txt']);
  });

  it('the sudoers and account of a host come from the products whose roles it holds', () => {
    const hosts = compile(parseInventory(site, 'site.yaml', catalog)).hosts;
    expect(hosts.find((h) => h.name === 'node1')!.sudoers!.roles).toEqual(['storware/node']);
    expect(hosts.find((h) => h.name === 'engine')!.sudoers).toBeNull();
  });

  it('the shipped example compiles with one warning only (the separate Image I/O proxy it does not have)', () => {
    const c = compile(loadInventory(EXAMPLE, catalog));
    expect(c.warnings.map((w) => w.code)).toEqual(['no-source']);
    expect(c.warnings[0]!.message).toMatch(/olvm\/image-io-proxy → olvm\/kvm-host tcp\/54322/);
    const node = c.hosts.find((h) => h.name === 'node1')!;
    expect(renderNftables(node.firewall)).toMatch(/tcp dport 9100 accept comment "site\/olvm-with-storware\/\d+\/3"/);
  });
});

describe('site inventory errors name file:line:field and the valid choices', () => {
  const cases: [string, string, RegExp][] = [
    [
      'unqualified role in a site',
      site.replace('roles: [storware/node]', 'roles: [node]'),
      /site\.yaml:14: hosts\.node1\.roles\[0\]: unknown role "node" \(roles of the site's products \(olvm, storware\): .*storware\/node.*\); in a site, roles are PRODUCT\/ROLE/,
    ],
    [
      'role of a product not in the site',
      site.replace('roles: [storware/node]', 'roles: [coriolis/appliance]'),
      /hosts\.node1\.roles\[0\]: unknown role "coriolis\/appliance"/,
    ],
    [
      'unknown product',
      site.replace('  storware:\n', '  storwar:\n'),
      /site\.yaml:7: products\.storwar: unknown product "storwar" \(catalog has: .*storware.*\)/,
    ],
    [
      'product: beside products:',
      `product: olvm\n${site}`,
      /site\.yaml:1: product: a site lists its products under products: — product: at the top level is the single-product form/,
    ],
    ['platforms: beside products:', `${site}platforms: [{ platform: olvm }]\n`, /platforms: a site lists its products under products:/],
    [
      'unknown platform of a product',
      site.replace('platform: ovirt', 'platform: ovirtt'),
      /site\.yaml:8: products\.storware\.platforms\[0\]\.platform: unknown platform "ovirtt" \(catalog storware has: .*ovirt/,
    ],
    [
      'qualified role in the single-product form',
      'product: olvm\nplatforms: [{ platform: olvm }]\nhosts:\n  e: { address: 192.0.2.1, roles: [olvm/manager] }\n',
      /hosts\.e\.roles\[0\]: unknown role "olvm\/manager" .*PRODUCT\/ROLE roles need the site form \(products:\)/,
    ],
    [
      'network key neither role nor site network',
      site.replace('  monitoring: [10.9.0.0/24]', '  monitoring: [10.9.0.0/24]\n  backup: [10.8.0.0/24]'),
      /site\.yaml:18: networks\.backup: unknown role "backup" .*or a site network named by flows: \(monitoring\)/,
    ],
    [
      'flow end neither role nor network',
      site.replace('from: monitoring', 'from: monitorin'),
      /site\.yaml:19: flows\[0\]\.from: "monitorin" is neither a role nor a network \(roles of .*; networks: monitoring\)/,
    ],
    [
      'flow destination in a list',
      site.replace('storware/node], protocol', 'storware/nod], protocol'),
      /flows\[0\]\.to\[1\]: "storware\/nod" is neither a role nor a network/,
    ],
    [
      'flow condition unknown',
      site.replace('purpose: Prometheus', 'condition: olvm/nope, purpose: Prometheus'),
      /flows\[0\]\.condition: unknown condition "olvm\/nope" \(options of .*olvm\/image-io-proxy/,
    ],
    ['flow with no ports', site.replace('ports: ["9100"], ', ''), /flows\[0\]\.ports: tcp\/udp flows need ports/],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    const err = errorOf(text);
    expect([err.message, ...err.details]).toContainEqual(expect.stringMatching(message));
  });
});

describe('site flows', () => {
  it('cite the inventory line and open only from their sources', () => {
    const inv = parseInventory(site, 'site.yaml', catalog);
    const c = compile(inv);
    const e = explain(inv, c, { host: 'kvm1', port: 9100 });
    expect(e.flows).toHaveLength(1);
    expect(e.flows[0]!.flow.sources).toEqual(['site: site.yaml:19']);
    expect(e.flows[0]!.sourceNetworks).toEqual(['10.9.0.0/24']);
    expect(e.documents).toEqual({ 'site: site.yaml:19': "the site's own flow, in the inventory" });
    const rows = requirementsOf(inv, c).rows.filter((r) => r.kind === 'flow' && (r as FlowRow).flow.product === 'site');
    expect(rows.map((r) => [r.host, r.documents])).toEqual([
      ['kvm1', ['site: site.yaml:19']],
      ['node1', ['site: site.yaml:19']],
    ]);
  });

  it('with no source are skipped with a warning, never widened', () => {
    const text = site.replace('from: monitoring', 'from: olvm/rest-client').replace('  monitoring: [10.9.0.0/24]\n', '');
    const inv = parseInventory(text, 'site.yaml', catalog);
    const c = compile(inv);
    expect(c.hosts.flatMap((h) => h.firewall.rules).some((r) => r.ports.includes('9100'))).toBe(false);
    expect(c.warnings.filter((w) => w.flow?.startsWith('site/')).map((w) => w.message)).toEqual([
      expect.stringMatching(/olvm\/rest-client → olvm\/kvm-host tcp\/9100, Prometheus node_exporter\) skipped: no source/),
      expect.stringMatching(/olvm\/rest-client → storware\/node tcp\/9100, Prometheus node_exporter\) skipped: no source/),
    ]);
    expect(
      requirementsOf(inv, c)
        .notApplied.filter((n) => n.documents[0]?.startsWith('site: '))
        .map((n) => n.reason),
    ).toEqual([
      expect.stringMatching(/no source: no host with role "olvm\/rest-client"/),
      expect.stringMatching(/no source: no host with role "olvm\/rest-client"/),
    ]);
  });

  it('with a condition open only when the product option is on', () => {
    const off = site.replace('purpose: Prometheus', 'condition: olvm/kdump, purpose: Prometheus');
    expect(accepts(parseInventory(off, 'site.yaml', catalog), 'node1')).toEqual({});
    const on = off.replace('options: { image-io-proxy: true }', 'options: { image-io-proxy: true, kdump: true }');
    expect(accepts(parseInventory(on, 'site.yaml', catalog), 'node1')).toEqual({ 'monitoring_v4 tcp': '9100' });
  });

  it('work in the single-product form too, with unqualified roles', () => {
    const text = `product: olvm
platforms: [{ platform: olvm }]
hosts:
  kvm1: { address: 192.0.2.51, roles: [kvm-host] }
networks:
  monitoring: [10.9.0.0/24]
flows:
  - { from: monitoring, to: kvm-host, protocol: tcp, ports: ["9100"], purpose: node_exporter }
`;
    expect(accepts(parseInventory(text, 'one.yaml', catalog), 'kvm1')['monitoring_v4 tcp']).toBe('9100');
  });

  it('a drop-policy host accepts exactly the vendor flows, the site flows and SSH', () => {
    const inv = parseInventory(site, 'site.yaml', catalog);
    const table = renderNftables(compile(inv).hosts.find((h) => h.name === 'node1')!.firewall);
    const accepting = table.split('\n').filter((l) => /accept/.test(l) && /dport|@/.test(l));
    expect(accepting).toEqual([expect.stringMatching(/ip saddr @monitoring_v4 tcp dport 9100 accept/)]);
    expect(table).toMatch(/policy drop/);
  });
});

describe('contradicting host requirements', () => {
  const test = loadCatalog(CONTRADICTING);
  const shared = `products:
  alpha: { platforms: [{ platform: kvm }] }
  beta: { platforms: [{ platform: kvm }] }
defaults:
  selinux: permissive
hosts:
  web: { address: 192.0.2.9, roles: [alpha/server, beta/console] }
  hv1: { address: 192.0.2.10, roles: [alpha/agent, beta/collector] }
`;

  it('are refused before any host is touched, naming host, products, documents, sections and the line that settles them', () => {
    const err = errorOf(shared, 'site.yaml', test);
    expect(err.details).toEqual([
      'host hv1: contradicting SELinux requirements: alpha documents permissive (allowed: permissive; alpha-guide.txt — Alpha SELinux); beta documents enforcing (allowed: enforcing; beta-manual.txt — Beta hardening); no mode meets every product: settle it with hosts.hv1.selinux (site.yaml:8): MODE',
      'host hv1: contradicting home for account svc: alpha documents /var/lib/alpha (alpha-guide.txt — Alpha service account); beta documents /opt/beta (beta-manual.txt — Beta service user); settle it with hosts.hv1.account (site.yaml:8): { home: PATH }',
    ]);
  });

  it('apply refuses them with exit 1 before any connection (a host tried would be exit 4)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-contra-'));
    try {
      const file = join(dir, 'site.yaml');
      writeFileSync(file, shared);
      const r = await vprov('apply', '--catalog', CONTRADICTING, '-i', file, '--format', 'json');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/host hv1: contradicting SELinux requirements: .*settle it with hosts\.hv1\.selinux/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a host-level setting decides, and the decision is shown with the products it settles', () => {
    const decided = shared.replace(
      'roles: [alpha/agent, beta/collector] }',
      'roles: [alpha/agent, beta/collector], selinux: enforcing, account: { home: /srv/svc } }',
    );
    const inv = parseInventory(decided, 'site.yaml', test);
    const c = compile(inv);
    const hv1 = c.hosts.find((h) => h.name === 'hv1')!;
    expect(hv1.selinux.mode).toBe('enforcing');
    expect(hv1.account).toEqual({ name: 'svc', groups: ['adm', 'disk'], system: true, home: '/srv/svc', shell: '/bin/bash' });
    expect(hv1.sudoers!.commands).toEqual(['/usr/bin/alpha-snap', '/usr/bin/beta-probe']);
    expect(c.warnings.filter((w) => w.code === 'decision').map((w) => w.message)).toEqual([
      'host hv1: SELinux enforcing, decided by hosts.hv1.selinux (site.yaml:8): alpha documents permissive (allowed: permissive; alpha-guide.txt — Alpha SELinux); beta documents enforcing (allowed: enforcing; beta-manual.txt — Beta hardening)',
      'host hv1: home of account svc is /srv/svc, decided by hosts.hv1.account.home (site.yaml:8): alpha documents /var/lib/alpha (alpha-guide.txt — Alpha service account); beta documents /opt/beta (beta-manual.txt — Beta service user)',
    ]);
    // The mode departs from alpha's document: said so, as for any mode a product does not allow.
    expect(c.warnings.filter((w) => w.code === 'selinux-mode').map((w) => w.message)).toEqual([
      expect.stringMatching(/^host hv1: SELinux enforcing is not what alpha documents \(permissive\)/),
    ]);
    const flagged = requirementsOf(inv, c).notApplied.filter((n) => n.reason.startsWith('decided by'));
    expect(flagged.map((n) => [n.kind, n.requirement, n.status])).toEqual([
      ['selinux', 'SELinux mode on hv1: enforcing', 'flagged'],
      ['account', 'home of account svc on hv1: /srv/svc', 'flagged'],
    ]);
  });

  it('selinux: keep applies no mode and contradicts nothing; a product alone on a host is never in contradiction', () => {
    const kept = shared
      .replace('selinux: permissive', 'selinux: keep')
      .replace(
        'hv1: { address: 192.0.2.10, roles: [alpha/agent, beta/collector] }',
        'hv1: { address: 192.0.2.10, roles: [alpha/agent, beta/collector], account: { home: /srv/svc } }',
      );
    expect(compile(parseInventory(kept, 'site.yaml', test)).hosts.find((h) => h.name === 'hv1')!.selinux.mode).toBe('keep');
    const apart = shared.replace('roles: [alpha/agent, beta/collector] }', 'roles: [alpha/agent] }\n  hv2: { address: 192.0.2.11, roles: [beta/collector] }');
    const hosts = compile(parseInventory(apart, 'site.yaml', test)).hosts;
    expect(hosts.find((h) => h.name === 'hv1')!.account!.home).toBe('/var/lib/alpha');
    expect(hosts.find((h) => h.name === 'hv2')!.selinux.mode).toBe('permissive');
  });
});

describe('Ansible import into a site', () => {
  it('a vprov site file imports Ansible hosts, a group mapped to a list of qualified roles, --role-map adding more', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-site-ansible-'));
    try {
      copyFileSync(fileURLToPath(new URL('../fixtures/ansible/hosts.ini', import.meta.url)), join(dir, 'hosts.ini'));
      const file = join(dir, 'site.yaml');
      writeFileSync(
        file,
        `products:
  olvm: { platforms: [{ platform: olvm }] }
  storware: { platforms: [{ platform: ovirt, method: Disk Image Transfer }] }
ansible:
  inventory: hosts.ini
  roles: { kvm: [olvm/kvm-host, storware/hypervisor] }
`,
      );
      const inv = loadInventory(file, catalog, { roleMap: ['backup_nodes=storware/node'] });
      expect(inv.data.hosts.hv1!.roles).toEqual(['olvm/kvm-host', 'storware/hypervisor']);
      expect(inv.data.hosts.node1!.roles).toEqual(['storware/node']);
      const hv1 = compile(inv).hosts.find((h) => h.name === 'hv1')!;
      expect(hv1.firewall.rules.map((r) => `${r.set} ${r.ports.join(',')}`)).toContain('storware_node_v4 54322');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a group named twice in the role map holds both roles', async () => {
    const { parseRoleMap, mergeRoleMaps } = await import('../../src/inventory/ansible.js');
    expect(parseRoleMap(['kvm=olvm/kvm-host', 'kvm=storware/hypervisor,engine=olvm/manager'])).toEqual({
      kvm: ['olvm/kvm-host', 'storware/hypervisor'],
      engine: ['olvm/manager'],
    });
    expect(mergeRoleMaps({ kvm: 'olvm/kvm-host', node: ['storware/node'] }, { kvm: ['storware/hypervisor'] })).toEqual({
      kvm: ['olvm/kvm-host', 'storware/hypervisor'],
      node: ['storware/node'],
    });
  });
});
