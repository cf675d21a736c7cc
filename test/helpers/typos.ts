/** Inventories with the typos a first hour makes: the loader (suggestions.test.ts) and the editor schema (inventory-schema.test.ts) refuse each. */
export const storware = `product: storware
platforms:
  - platform: openstack
    method: SSH transfer
hosts:
  node1: { address: 192.0.2.5, roles: [node] }
  hv1: { address: 192.0.2.6, roles: [hypervisor] }
groups:
  nodes: [node1]
`;
export const olvm = `product: olvm
platforms:
  - platform: olvm
hosts:
  engine: { address: 192.0.2.50, roles: [manager] }
  kvm1: { address: 192.0.2.51, roles: [kvm-host] }
`;

/** The typos a first hour makes; each must be refused with the valid name suggested. */
export const TYPOS: [string, string, RegExp][] = [
  [
    'product',
    storware.replace('product: storware', 'product: storwar'),
    /inv\.yaml:1: product: unknown product "storwar" \(catalog has: [^)]*\); did you mean "storware"/,
  ],
  ['product by its title', storware.replace('product: storware', 'product: DPX vPlus'), /did you mean "storware" \(Storware Backup & Recovery \/ DPX vPlus\)/],
  [
    'platform by a word of its title',
    storware.replace('platform: openstack\n    method: SSH transfer', 'platform: olvm'),
    /platforms\[0\]\.platform: unknown platform "olvm" .*; did you mean "ovirt" \(oVirt\/RHV\/OLVM\)\?/,
  ],
  ['platform typo', storware.replace('platform: openstack', 'platform: opnestack'), /did you mean "openstack"/],
  [
    'method typo',
    storware.replace('method: SSH transfer', 'method: SSH tranfser'),
    /platforms\[0\]\.method: unknown method "SSH tranfser" for openstack \(methods: [^)]*\); did you mean "SSH transfer"\?/,
  ],
  [
    'option',
    storware.replace('method: SSH transfer', 'method: SSH transfer\n    options: { netcta: true }'),
    /options\.netcta: unknown option "netcta" .*did you mean "netcat"/,
  ],
  ['role', olvm.replace('roles: [kvm-host]', 'roles: [kvm-hots]'), /hosts\.kvm1\.roles\[0\]: unknown role "kvm-hots" .*; did you mean "kvm-host"\?/],
  ['role of a network', `${olvm}networks:\n  portal-clients: [10.0.0.0/8]\n`, /networks\.portal-clients: unknown role .*did you mean "portal-client"/],
  [
    'host platform',
    storware.replace('roles: [hypervisor] }', 'roles: [hypervisor], platform: opensatck }'),
    /hosts\.hv1\.platform: .*did you mean "openstack"/,
  ],
  ['port parameter', `${storware}ports:\n  keystne: ["5000"]\n`, /ports\.keystne: unknown port parameter "keystne" .*did you mean "keystone"/],
  ['group member', storware.replace('nodes: [node1]', 'nodes: [node11]'), /groups\.nodes\[0\]: unknown host or group "node11"; did you mean "node1"/],
];
