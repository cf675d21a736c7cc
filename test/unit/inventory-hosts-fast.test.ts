/**
 * Hosts checked by hand give exactly zod's answer: for any inventory data, parseInventoryFile and
 * inventorySchema.safeParse agree — the same data (key order too) or the same issues (paths,
 * messages, in order). Hosts are mostly of the usual shape, with every kind of mistake mixed in.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inventorySchema, parseInventoryFile } from '../../src/inventory/schema.js';

const some = <T>(good: readonly T[], bad: readonly unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) });

const host = fc
  .record(
    {
      address: some(['10.0.0.1', '2001:db8::1', 'db.example', '::ffff:10.0.0.1'], ['10.0.0.0/8', '300.1.2.3', '', 1, null, 'a b', '10.0.0.1%eth0']),
      roles: some([['node'], ['node', 'hypervisor']], [[], [''], 'node', [1], null, {}]),
      platform: some(['openstack'], [1, null, '']),
      managed: some([true, false], ['yes', 1, null]),
      selinux: some(['permissive'], ['enforced']),
      ssh: some([{ user: 'ops' }], [{ port: 0 }]),
      colour: fc.constant('red'),
    },
    { requiredKeys: [] },
  )
  .map((h) => {
    // Mostly the usual shape: address and roles, maybe platform and managed.
    const { selinux, ssh, colour, ...usual } = h as Record<string, unknown>;
    return Object.keys(h).length % 5 === 0 ? h : usual;
  });

const name = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('h1', 'h2', 'node-3', 'a.b', '010') },
  { weight: 1, arbitrary: fc.constantFrom('bad name', '_x', '', '__proto__') },
);

const inventory = fc
  .record(
    {
      product: some(['storware'], [1]),
      platforms: some([[{ platform: 'openstack' }]], [[], [{}]]),
      hosts: fc.oneof(
        { weight: 12, arbitrary: fc.dictionary(name, host, { minKeys: 1, maxKeys: 5 }) },
        { weight: 1, arbitrary: fc.constantFrom(null, [], 'h1', {}) },
      ),
      groups: some([{ g: ['h1'] }], [{ g: 'h1' }]),
      colour: some([undefined], ['red']),
    },
    { requiredKeys: ['hosts'] },
  )
  .map(({ colour, ...raw }) => (colour === undefined ? raw : { ...raw, colour }));

/** A result with everything that matters: data with key order, or the issues in order. */
function seen(r: ReturnType<typeof inventorySchema.safeParse>): string {
  if (r.success) return JSON.stringify(r.data, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : v));
  return JSON.stringify(r.error.issues.map((i) => [i.path, i.code, i.message]));
}

describe('hosts checked by hand', () => {
  it('any inventory data: the same data or the same issues as zod alone', () => {
    let loaded = 0;
    fc.assert(
      fc.property(inventory, (raw) => {
        const want = inventorySchema.safeParse(raw);
        const got = parseInventoryFile(raw);
        expect(seen(got)).toBe(seen(want));
        if (got.success) loaded++;
      }),
      { numRuns: 2000 },
    );
    expect(loaded).toBeGreaterThan(100);
  });

  it("a host given as a __proto__ key, a symbol key or a hole in roles is zod's to judge", () => {
    const proto = JSON.parse('{"__proto__": {"address": "10.0.0.1", "roles": ["node"]}}');
    const sym = { h1: { address: '10.0.0.1', roles: ['node'] }, [Symbol('s')]: 1 };
    const roles = ['node'];
    roles[2] = 'node'; // a hole at 1
    const holes = { h1: { address: '10.0.0.1', roles } };
    for (const hosts of [proto, sym, holes]) {
      const raw = { product: 'storware', platforms: [{ platform: 'openstack' }], hosts };
      expect(seen(parseInventoryFile(raw))).toBe(seen(inventorySchema.safeParse(raw)));
    }
  });
});
