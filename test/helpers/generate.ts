/**
 * fast-check arbitraries for valid inventories of every catalog product, biased towards the
 * shapes that broke convergence: overlapping and adjacent networks, a network that covers a
 * host, IPv6 and IPv4-mapped addresses, "/08"-style prefixes, hosts with several roles,
 * unmanaged hosts, port overrides with adjacent ranges, drop policies whose sshAdmins
 * contain the controller, several controllers.
 */
import fc from 'fast-check';
import type { Catalog, Product } from '../../src/catalog/model.js';
import type { OracleInventory } from './oracle.js';

const HOST_ADDRESSES = [
  '10.0.0.5',
  '10.0.0.6',
  '10.0.0.127',
  '10.0.0.128',
  '10.0.1.1',
  '192.0.2.10',
  '192.0.2.11',
  '2001:db8::5',
  '2001:db8::6',
  '2001:DB8:0:0:0:0:0:7',
  'fe80::1',
  '::ffff:10.0.2.9',
  '::ffff:192.0.2.77',
];
const NETWORKS = [
  '10.0.0.0/24',
  '10.0.0.0/25',
  '10.0.0.128/25',
  '10.0.1.0/24',
  '10.0.0.5/32',
  '10.0.0.4/30',
  '10.0.0.0/08',
  '192.0.2.0/24',
  '192.0.2.0/25',
  '198.51.100.0/24',
  '0.0.0.0/0',
  '2001:db8::/64',
  '2001:db8::/32',
  '2001:db8:0:1::/64',
  '::ffff:10.0.3.0/120',
  '::ffff:198.51.100.1',
  '::/0',
];
const PORTS = ['5000', '5001', '5000-5010', '5011-5020', '5005-5015', '8000', '65535', '1-3', '4'];
export const CONTROLLERS = ['172.17.0.1', '10.0.0.5', '10.0.0.200', '192.0.2.99', '2001:db8::99', '203.0.113.7'];
const ADMIN_CIDRS = ['172.17.0.0/16', '10.0.0.0/24', '10.0.0.200/32', '192.0.2.0/24', '2001:db8::/64', '203.0.113.0/28'];

export interface Case {
  inventory: OracleInventory & { defaults: object };
  /** address the (simulated) controller's session comes from */
  controller: string;
  sshPort: number;
}

function platformSelections(product: Product) {
  return fc.uniqueArray(fc.constantFrom(...product.platforms), { minLength: 1, maxLength: 2, selector: (p) => p.id }).chain((platforms) =>
    fc
      .tuple(
        ...platforms.map((p) => {
          const methods = p.methods.filter((m): m is string => m !== null);
          return fc.record({
            platform: fc.constant(p.id),
            method: methods.length > 1 ? fc.constantFrom(...methods) : fc.constantFrom(...methods, undefined),
            options: fc
              .dictionary(fc.constantFrom(...Object.keys(product.conditions), 'x'), fc.boolean(), { maxKeys: 3 })
              .map((o) => Object.fromEntries(Object.entries(o).filter(([k]) => k in product.conditions))),
          });
        }),
      )
      .map((sels) => sels.map((s) => (s.method === undefined ? { platform: s.platform, options: s.options } : s))),
  );
}

function productCase(product: Product): fc.Arbitrary<Case> {
  const roles = Object.keys(product.roles);
  const host = fc.record({
    roles: fc.uniqueArray(fc.constantFrom(...roles), { minLength: 1, maxLength: 3 }),
    managed: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    platform: fc.option(fc.constantFrom(...product.platforms.map((p) => p.id)), { freq: 5, nil: undefined }),
    firewall: fc.record({
      backend: fc.constant('nftables'),
      inputPolicy: fc.constantFrom('accept', 'drop'),
      sshAdmins: fc.uniqueArray(fc.constantFrom(...ADMIN_CIDRS), { maxLength: 2 }),
    }),
  });
  return fc
    .record({
      platforms: platformSelections(product),
      hosts: fc
        .uniqueArray(fc.constantFrom(...HOST_ADDRESSES), { minLength: 1, maxLength: 6 })
        .chain((addresses) =>
          fc
            .tuple(...addresses.map(() => host))
            .map((hs) =>
              Object.fromEntries(hs.map((h, i) => [`h${i}`, { address: addresses[i]!, ...h, ...(h.platform === undefined ? { platform: undefined } : {}) }])),
            ),
        ),
      networks: fc.dictionary(fc.constantFrom(...roles), fc.uniqueArray(fc.constantFrom(...NETWORKS), { minLength: 1, maxLength: 4 }), { maxKeys: 3 }),
      ports: Object.keys(product.params).length
        ? fc.dictionary(fc.constantFrom(...Object.keys(product.params)), fc.uniqueArray(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 3 }), {
            maxKeys: 2,
          })
        : fc.constant({}),
      controllers: fc.uniqueArray(fc.constantFrom(...ADMIN_CIDRS, ...CONTROLLERS), { maxLength: 2 }),
      controller: fc.constantFrom(...CONTROLLERS),
      sshPort: fc.constantFrom(22, 2222),
    })
    .map(({ platforms, hosts, networks, ports, controllers, controller, sshPort }) => {
      // No two hosts with the same address (the loader refuses that): ::ffff:a.b.c.d is a.b.c.d.
      const clean = Object.fromEntries(
        Object.entries(hosts).map(([n, h]) => [n, Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined))]),
      ) as unknown as OracleInventory['hosts'];
      return {
        inventory: { product: product.id, platforms, ports, controllers, networks, hosts: clean, defaults: { ssh: { user: 'ops' }, selinux: 'keep' } },
        controller,
        sshPort,
      };
    });
}

const SITE_NETWORKS = ['monitoring', 'backup'];

/**
 * A site: 2–4 products on shared hosts (each host holds 1–4 roles of any of them, written
 * PRODUCT/ROLE), networks for qualified roles and site networks, and the site's own flows
 * between roles and site networks (lists included, ICMP too).
 */
function siteCase(catalog: Catalog): fc.Arbitrary<Case> {
  const all = [...catalog.products.values()];
  return fc.uniqueArray(fc.constantFrom(...all), { minLength: 2, maxLength: Math.min(4, all.length), selector: (p) => p.id }).chain((products) => {
    const roles = products.flatMap((p) => Object.keys(p.roles).map((r) => `${p.id}/${r}`));
    const ends = [...roles, ...SITE_NETWORKS];
    const host = fc.record({
      roles: fc.uniqueArray(fc.constantFrom(...roles), { minLength: 1, maxLength: 4 }),
      managed: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      firewall: fc.record({
        backend: fc.constant('nftables'),
        inputPolicy: fc.constantFrom('accept', 'drop'),
        sshAdmins: fc.uniqueArray(fc.constantFrom(...ADMIN_CIDRS), { maxLength: 2 }),
      }),
    });
    const flow = fc
      .record({
        from: fc.oneof(fc.constantFrom(...SITE_NETWORKS), fc.constantFrom(...ends), fc.uniqueArray(fc.constantFrom(...ends), { minLength: 1, maxLength: 2 })),
        // indices into the roles the hosts hold (a destination nobody holds opens nothing to check)
        to: fc.uniqueArray(fc.nat(7), { minLength: 1, maxLength: 2 }),
        protocol: fc.constantFrom('tcp', 'udp', 'icmp'),
        ports: fc.uniqueArray(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 2 }),
        purpose: fc.constant('site flow'),
      })
      .map((f) => (f.protocol === 'icmp' ? { ...f, ports: [] } : f));
    return fc
      .record({
        selections: fc.tuple(
          ...products.map((p) =>
            fc.record({
              platforms: platformSelections(p),
              ports: Object.keys(p.params).length
                ? fc.dictionary(fc.constantFrom(...Object.keys(p.params)), fc.uniqueArray(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 3 }), {
                    maxKeys: 2,
                  })
                : fc.constant({}),
            }),
          ),
        ),
        hosts: fc
          .uniqueArray(fc.constantFrom(...HOST_ADDRESSES), { minLength: 2, maxLength: 6 })
          .chain((addresses) =>
            fc.tuple(...addresses.map(() => host)).map((hs) => Object.fromEntries(hs.map((h, i) => [`h${i}`, { address: addresses[i]!, ...h }]))),
          ),
        networks: fc.dictionary(fc.constantFrom(...roles), fc.uniqueArray(fc.constantFrom(...NETWORKS), { minLength: 1, maxLength: 3 }), { maxKeys: 3 }),
        siteNetworks: fc.record(
          Object.fromEntries(SITE_NETWORKS.map((n) => [n, fc.uniqueArray(fc.constantFrom(...NETWORKS), { minLength: 1, maxLength: 2 })])),
        ),
        flows: fc.array(flow, { maxLength: 3 }),
        controllers: fc.uniqueArray(fc.constantFrom(...ADMIN_CIDRS, ...CONTROLLERS), { maxLength: 2 }),
        controller: fc.constantFrom(...CONTROLLERS),
        sshPort: fc.constantFrom(22, 2222),
      })
      .map(({ selections, hosts, networks, siteNetworks, flows: drawn, controllers, controller, sshPort }) => {
        const held = [...new Set(Object.values(hosts).flatMap((h) => h.roles))].sort();
        const usable = drawn.map((f) => ({ ...f, to: [...new Set(f.to.map((i) => held[i % held.length]!))] }));
        // The loader refuses a site network no flow names: only the named ones are written.
        const named = new Set(usable.flatMap((f) => [f.from].flat()));
        const nets = { ...networks, ...Object.fromEntries(Object.entries(siteNetworks).filter(([k]) => named.has(k))) };
        return {
          inventory: {
            products: Object.fromEntries(products.map((p, i) => [p.id, selections[i]!])),
            flows: usable,
            controllers,
            networks: nets,
            hosts: hosts as unknown as OracleInventory['hosts'],
            defaults: { ssh: { user: 'ops' }, selinux: 'keep' },
          },
          controller,
          sshPort,
        };
      });
  });
}

/** A valid inventory of any product of the catalog, or a site of several, with the controller's session facts. */
export function inventoryCase(catalog: Catalog): fc.Arbitrary<Case> {
  return fc.oneof(...[...catalog.products.values()].map(productCase), siteCase(catalog));
}
