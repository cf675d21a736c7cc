/** Bad inventories: each fails with exit-1 InputError whose message names file, line, field and reason. */
import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory/load.js';
import { InputError } from '../../src/core/errors.js';
import { catalog } from '../helpers/catalog.js';

const ok = `product: storware
platforms:
  - platform: openstack
    method: SSH transfer
hosts:
  node1: { address: 192.0.2.5, roles: [node] }
`;

const cases: [string, string, RegExp][] = [
  ['YAML syntax error', 'product: storware\nhosts: [\n', /bad\.yaml:\d+:\d+: YAML syntax error/],
  ['unknown product', ok.replace('product: storware', 'product: nope'), /bad\.yaml:1: product: unknown product "nope" \(catalog has: .*storware/],
  [
    'unknown role',
    ok.replace('roles: [node]', 'roles: [nodes]'),
    /bad\.yaml:6: hosts\.node1\.roles\[0\]: unknown role "nodes" \(roles of storware: server, node, manager/,
  ],
  [
    'unknown platform',
    ok.replace('platform: openstack', 'platform: openstak'),
    /bad\.yaml:3: platforms\[0\]\.platform: unknown platform "openstak" \(catalog storware has: .*openstack/,
  ],
  [
    'unknown method',
    ok.replace('method: SSH transfer', 'method: FTP'),
    /platforms\[0\]\.method: unknown method "FTP" for openstack \(methods: Disk attachment, SSH transfer/,
  ],
  ['bad address', ok.replace('192.0.2.5', '300.1.2.3'), /hosts\.node1\.address: must be an IPv4\/IPv6 address or a DNS name/],
  ['no hosts', ok.replace(/hosts:[\s\S]*/, 'hosts: {}\n'), /hosts: an inventory needs at least one host/],
  ['duplicate host', `${ok}  node1: { address: 192.0.2.6, roles: [node] }\n`, /YAML syntax error: Map keys must be unique/],
  ['bad CIDR', `${ok}networks:\n  node: [10.0.0.0/33]\n`, /networks\.node\[0\]: "10\.0\.0\.0\/33": prefix length over 32/],
  ['bad port override', `${ok}ports:\n  netcat: ["70000"]\n`, /ports\.netcat\[0\]: port out of range/],
  ['unknown port parameter', `${ok}ports:\n  keystne: ["5000"]\n`, /ports\.keystne: unknown port parameter "keystne" \(parameters: netcat, keystone/],
  ['wrong type', ok.replace('roles: [node]', 'roles: node'), /hosts\.node1\.roles: .*expected array/i],
  ['unknown field', ok.replace('roles: [node]', 'roles: [node], colour: red'), /hosts\.node1: .*colour/],
  [
    'unknown option flag',
    ok.replace('method: SSH transfer', 'method: SSH transfer\n    options: { cepth: true }'),
    /platforms\[0\]\.options\.cepth: unknown option "cepth" \(options: ceph, netcat, nfs-on-node\)/,
  ],
  ['group with unknown member', `${ok}groups:\n  nodes: [node2]\n`, /groups\.nodes\[0\]: unknown host or group "node2"/],
  ['same address twice', `${ok}  node2: { address: 192.0.2.5, roles: [node] }\n`, /hosts\.node2\.address: address 192\.0\.2\.5 is also host "node1"'s/],
  ['bad firewall backend', `${ok}defaults:\n  firewall: iptables\n`, /defaults\.firewall: /],
  ['bad selinux mode', `${ok}defaults:\n  selinux: enforced\n`, /defaults\.selinux: .*(permissive|enforcing)/],
  ['bad ssh port', `${ok}defaults:\n  ssh: { port: 0 }\n`, /defaults\.ssh\.port: /],
  [
    "one address as every host's default",
    `${ok}defaults:\n  ssh: { host: 192.0.2.9 }\n`,
    /defaults\.ssh\.host: a host's own address cannot be a default for every host: set ssh\.host or address on the host/,
  ],
  ['empty roles', ok.replace('roles: [node]', 'roles: []'), /hosts\.node1\.roles: a host needs at least one role/],
  ['no platforms', ok.replace(/platforms:[\s\S]*?hosts:/, 'platforms: []\nhosts:'), /platforms: select at least one platform/],
];

describe('inventory errors', () => {
  it.each(cases)('%s', (_name, text, message) => {
    let error: unknown;
    try {
      parseInventory(text, 'bad.yaml', catalog);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const all = [(error as InputError).message, ...(error as InputError).details].join('\n');
    expect(all).toMatch(message);
  });

  it('accepts the good one', () => {
    expect(parseInventory(ok, 'ok.yaml', catalog).data.hosts.node1!.roles).toEqual(['node']);
  });
});
