/**
 * An inventory read fast loads exactly as one parsed by yaml: the same data, site flows and host
 * lines, or the same errors with the same file:line: field: reason. The strict twin of each text
 * ends with a comment holding a tab, which the fast reader leaves to yaml without changing a line.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify, type ToStringOptions } from 'yaml';
import { parseInventory, type Inventory } from '../../src/inventory/load.js';
import { fastYaml } from '../../src/core/yaml-fast.js';
import { linesOfKeys, parseYaml } from '../../src/core/yaml-schema.js';
import { catalog } from '../helpers/catalog.js';

const strictTwin = (text: string) => `${text}${text.endsWith('\n') ? '' : '\n'}#\tread by yaml\n`;

/** Everything a load gives that later steps read, or the error it throws. */
function outcome(text: string, names: readonly string[]): unknown {
  let inv: Inventory;
  try {
    inv = parseInventory(text, 'site-a.yaml', catalog);
  } catch (err) {
    return { error: (err as Error).message, details: (err as { details?: unknown }).details };
  }
  return {
    data: JSON.stringify(inv.data),
    keys: JSON.stringify(inv.data, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : v)),
    products: inv.products.map((p) => [p.product.id, p.prefix, p.at]),
    flows: JSON.stringify(inv.siteFlows),
    site: inv.site,
    hostLines: [...names, 'not-a-host'].map((n) => inv.hostLine(n)),
    located: [inv.locate?.(['hosts', names[0] ?? 'x', 'address'], 'why'), inv.locate?.(['flows', 0, 'to'], 'why'), inv.locate?.(['defaults', 'ssh'], 'why')],
  };
}

// Each choice mostly valid (so most inventories load and their flows and host lines are compared),
// sometimes a mistake (so errors and their lines are compared too).
const one = (good: readonly unknown[], bad: readonly unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) });
/** The same for names (keys of maps). */
const oneName = (good: readonly string[], bad: readonly string[]) =>
  fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) });
const ROLES = one(['node', 'hypervisor', 'manager', 'ceph-monitor'], ['nodes', 'storware/node', '']);
const ADDRESS = one(['2001:db8::1', 'host.example', '10.0.0.9'], ['2001:DB8::1', '::ffff:10.0.0.1', '300.1.2.3', '10.0.0.0/8', 'yes', '010']);
const NAMES = oneName(['h1', 'h2', 'node-3', '010', 'yes', '1e3', 'h.4'], ['bad name', '~', '']);

const host = fc.record(
  {
    address: fc.oneof(
      fc.nat(255).map((n) => `10.0.1.${n}`),
      ADDRESS,
    ),
    roles: fc.array(ROLES, { minLength: 1, maxLength: 2 }),
    platform: one(['openstack'], ['proxmox', 'openstak']),
    managed: one([true, false], ['off']),
    selinux: one(['permissive', 'enforcing'], ['enforced']),
    account: one([{ home: '/home/x' }], [{ shell: 'bin/sh' }]),
  },
  { requiredKeys: ['address', 'roles'] },
);
const flow = fc.record(
  {
    from: fc.oneof(one(['node', 'monitoring'], ['nope']), fc.constant(['node', 'hypervisor'])),
    to: one(['hypervisor', 'node', ['node']], ['nope']),
    protocol: one(['tcp', 'udp'], ['icmp']),
    ports: one([['9100'], ['9100-9200']], [[], ['70000']]),
    purpose: one(['metrics'], ['']),
    condition: one(['ceph'], ['nope']),
  },
  { requiredKeys: ['from', 'to', 'protocol', 'ports', 'purpose'] },
);
const inventory = fc.record(
  {
    product: one(['storware'], ['nope', ['storware']]),
    platforms: one(
      [[{ platform: 'openstack', method: 'SSH transfer', options: { ceph: true, netcat: true } }], [{ platform: 'openstack', method: 'SSH transfer' }]],
      [
        [{ platform: 'openstack' }],
        [{ platform: 'proxmox', options: { nfs: true } }],
        [{ platform: 'openstack', method: 'SSH transfer', options: { ceph: 'yes' } }],
      ],
    ),
    hosts: fc.dictionary(NAMES, host, { minKeys: 1, maxKeys: 4 }),
    groups: fc.dictionary(oneName(['g1'], ['h1']), fc.array(one(['h1', 'h2'], ['g1', 'zz']), { maxLength: 2 }), { maxKeys: 2 }),
    networks: fc.dictionary(oneName(['node'], ['monitoring', 'x/y']), one([['10.9.0.0/24']], [['10.9.0.1/24'], []]), { maxKeys: 2 }),
    flows: fc.array(flow, { maxLength: 3 }),
    acknowledge: one([[]], [['nope'], ['site/site-a/20']]),
    defaults: one([{ ssh: { user: 'ops', become: true } }, { selinux: 'permissive' }], [{ ssh: { host: '10.0.0.9' } }, { firewall: 'iptables' }]),
    colour: one([undefined], ['red']),
  },
  { requiredKeys: ['product', 'platforms', 'hosts'] },
);

/** An inventory text as people write it: block or flow at some depth, plain or quoted, indented 2 or 4. */
const text = fc
  .tuple(
    inventory,
    fc.record({
      indent: fc.constantFrom(2, 4),
      flowLevel: fc.constantFrom(undefined, 1, 2, 3),
      defaultStringType: fc.constantFrom('PLAIN', 'PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'),
      indentSeq: fc.boolean(),
    }),
    fc.nat(20),
    fc.boolean(),
  )
  .map(([inv, { flowLevel, ...opts }, comments, shared]) => {
    // Objects the generator shares become anchors and aliases; a copy has none.
    const doc = shared ? inv : JSON.parse(JSON.stringify(inv));
    const body = stringify(doc, { ...opts, ...(flowLevel ? { flowLevel } : {}) } as ToStringOptions);
    // Comments and blank lines between entries: lines must not move between the two reads.
    const lines = body.split('\n');
    if (comments < lines.length) lines.splice(comments, 0, comments % 2 ? '' : '  # a note');
    return lines.join('\n');
  });

const EXAMPLES = new URL('../../inventories/', import.meta.url);

describe('inventory loaded fast', () => {
  it('any generated inventory: the same data, flows, host lines and messages as through yaml, or the same errors', () => {
    let fast = 0;
    let runs = 0;
    let loaded = 0;
    fc.assert(
      fc.property(text, (t) => {
        runs++;
        if (fastYaml(t)) fast++;
        expect(fastYaml(strictTwin(t))).toBeUndefined();
        const names = Object.keys((fastYaml(t)?.data as { hosts?: object } | undefined)?.hosts ?? {});
        const got = outcome(t, names) as { error?: string; hostLines?: (number | undefined)[] };
        expect(got, t).toEqual(outcome(strictTwin(t), names));
        if (got.error) return;
        loaded++;
        // A host's line is where its entry's settings start, as linesOfKeys has always said.
        const lines = linesOfKeys(parseYaml(t, 'site-a.yaml'), ['hosts'], [...names, 'not-a-host']);
        expect(got.hostLines, t).toEqual([...names, 'not-a-host'].map((n) => lines[n]));
      }),
      { numRuns: 400 },
    );
    expect(fast).toBeGreaterThan(runs / 2);
    expect(loaded).toBeGreaterThan(runs / 10);
  });

  it('every shipped example inventory is read fast, to what yaml reads', () => {
    for (const name of readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))) {
      const t = readFileSync(new URL(name, EXAMPLES), 'utf8');
      expect(fastYaml(t), name).toBeDefined();
      const inv = parseInventory(t, name, catalog);
      const names = Object.keys(inv.data.hosts);
      expect(outcome(t, names), name).toEqual(outcome(strictTwin(t), names));
    }
  });

  it('a mistake in the 9,000th of 10,000 hosts read fast is reported at its line, field and reason', () => {
    const hosts = Array.from(
      { length: 10000 },
      (_, i) => `  h${i}:\n    address: 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}\n    roles: [${i === 9000 ? 'nodes' : 'node'}]`,
    );
    const t = `product: storware\nplatforms:\n  - platform: openstack\n    method: SSH transfer\nhosts:\n${hosts.join('\n')}\n`;
    expect(fastYaml(t)).toBeDefined();
    expect(() => parseInventory(t, 'big.yaml', catalog)).toThrow(/^big\.yaml:27008: hosts\.h9000\.roles\[0\]: unknown role "nodes" \(roles of storware: /);
  });
});
