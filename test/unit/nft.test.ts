import { describe, expect, it } from 'vitest';
import { canonicalFromJson, sortValues } from '../../src/resources/nft-canonical.js';
import { canonicalTable, desiredTable, renderTable, shadowNotes } from '../../src/resources/firewall-nftables.js';
import type { FirewallDesired } from '../../src/resources/firewall-desired.js';

const fw: FirewallDesired = {
  backend: 'nftables',
  inputPolicy: 'accept',
  sshAdminSources: [],
  confirmTimeout: 60,
  sets: [{ name: 'node_v4', family: 'ipv4', elements: ['10.0.0.0/8', '172.17.0.2'] }],
  rules: [{ set: 'node_v4', family: 'ipv4', protocol: 'tcp', ports: ['22', '16000-16999'], flows: ['p/x/1', 'p/x/2'], purposes: ['a'] }],
};

/** What `nft -j list table inet vprov` printed on a lab host for the rendered table. */
const listing = JSON.stringify({
  nftables: [
    { metainfo: { version: '1.0.6', json_schema_version: 1 } },
    { table: { family: 'inet', name: 'vprov', handle: 2 } },
    {
      set: {
        family: 'inet',
        name: 'node_v4',
        table: 'vprov',
        type: 'ipv4_addr',
        handle: 2,
        flags: ['interval'],
        elem: [{ prefix: { addr: '10.0.0.0', len: 8 } }, '172.17.0.2'],
      },
    },
    { chain: { family: 'inet', table: 'vprov', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
    {
      rule: {
        family: 'inet',
        table: 'vprov',
        chain: 'input',
        handle: 4,
        comment: 'p/x/1 +1',
        expr: [
          { match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: '@node_v4' } },
          { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: { set: [22, { range: [16000, 16999] }] } } },
          { accept: null },
        ],
      },
    },
  ],
});

describe('nftables canonical listing', () => {
  it('the listed table equals the desired one', () => {
    expect(canonicalFromJson(listing)).toEqual(canonicalTable(desiredTable(fw, [], 22)));
  });

  it('an absent table is null, a foreign rule is a difference', () => {
    expect(canonicalFromJson('')).toBeNull();
    const doc = JSON.parse(listing);
    doc.nftables.push({
      rule: {
        family: 'inet',
        table: 'vprov',
        chain: 'input',
        expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 9999 } }, { accept: null }],
      },
    });
    const lines = canonicalFromJson(JSON.stringify(doc))!;
    expect(lines).toContain('rule input: tcp.dport == 9999 accept');
    expect(lines).not.toEqual(canonicalTable(desiredTable(fw, [], 22)));
  });

  it('renders one atomic create-delete-create transaction', () => {
    const text = renderTable(desiredTable(fw, [], 22));
    expect(text.split('\n').filter((l) => /^(table|delete table)/.test(l))).toEqual(['table inet vprov', 'delete table inet vprov', 'table inet vprov {']);
    expect(text).toContain('ip saddr @node_v4 tcp dport { 22, 16000-16999 } accept comment "p/x/1 +1"');
  });

  it('with inputPolicy drop keeps loopback, established, ND and SSH from the controller', () => {
    const t = desiredTable({ ...fw, inputPolicy: 'drop', sshAdminSources: ['192.0.2.0/24'] }, ['172.17.0.1'], 2222);
    const text = renderTable(t);
    expect(text).toContain('policy drop;');
    expect(text).toContain('iif "lo" accept');
    expect(text).toContain('ct state established,related accept');
    expect(text).toContain('ip saddr @vprov_ssh_v4 tcp dport 2222 accept');
    expect(text).toContain('ip saddr @vprov_ssh_live_v4 tcp dport 2222 accept');
    expect(t.sets.filter((s) => s.name.startsWith('vprov_ssh'))).toEqual([
      { name: 'vprov_ssh_v4', type: 'ipv4_addr', elements: ['192.0.2.0/24'] },
      { name: 'vprov_ssh_live_v4', type: 'ipv4_addr', elements: ['172.17.0.1'] },
    ]);
  });

  it('reports tables whose input hook drops by policy', () => {
    const chains = [
      { chain: { family: 'ip', table: 'filter', name: 'INPUT', hook: 'input', policy: 'drop' } },
      { chain: { family: 'inet', table: 'vprov', name: 'input', hook: 'input', policy: 'drop' } },
    ];
    expect(shadowNotes(chains)).toEqual([expect.stringMatching(/^shadowed by table ip filter/)]);
  });
});

describe('sortValues', () => {
  // The order before it was made fast: a comparator that parsed and collated on every comparison.
  const reference = (values: string[]) =>
    [...values].sort((a, b) => {
      const na = Number.parseInt(a, 10);
      const nb = Number.parseInt(b, 10);
      if (!Number.isNaN(na) && !Number.isNaN(nb) && /^\d/.test(a) && /^\d/.test(b)) return na - nb || a.localeCompare(b);
      return a.localeCompare(b);
    });
  // Generated values of every kind a table holds: ports, ranges, IPv4/IPv6 with prefixes, names, mixed case.
  let seed = 17;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const pieces = [
    '22',
    '443',
    '16000-16999',
    '8',
    '08',
    '1a',
    'A',
    'a',
    'b',
    'eth0',
    'Eth0',
    '10.0.0.',
    '2001:db8::',
    'fe80::',
    '/24',
    '/64',
    '-',
    ':',
    'é',
    'z',
    '0',
  ];
  const value = () => Array.from({ length: 1 + rnd(3) }, () => pieces[rnd(pieces.length)]).join('');

  it('keeps the exact order of the reference comparator on generated lists', () => {
    for (let i = 0; i < 400; i++) {
      // Short and long lists (long ones are cached by content): twice, in two input orders.
      const list = Array.from({ length: rnd(i % 2 ? 40 : 300) }, value);
      expect(sortValues(list)).toEqual(reference(list));
      expect(sortValues([...list].reverse())).toEqual(reference(list));
    }
  });

  it('does not change its input', () => {
    const list = ['443', '22', 'b', 'a'];
    sortValues(list);
    expect(list).toEqual(['443', '22', 'b', 'a']);
  });
});
