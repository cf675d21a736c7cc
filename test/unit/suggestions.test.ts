/** Unknown names get "did you mean …" from the valid set; method titles match regardless of case and punctuation. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseInventory } from '../../src/inventory/load.js';
import { selectHosts } from '../../src/inventory/limit.js';
import { InputError } from '../../src/core/errors.js';
import { closest, didYouMean, editDistance, normalName } from '../../src/core/suggest.js';
import { catalog } from '../helpers/catalog.js';
import { TYPOS, storware } from '../helpers/typos.js';

function errorOf(text: string): string {
  try {
    parseInventory(text, 'inv.yaml', catalog);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return [(err as InputError).message, ...(err as InputError).details].join('\n');
  }
  throw new Error('the inventory was accepted');
}

describe('suggestions for unknown names', () => {
  it.each(TYPOS)('%s', (_what, text, message) => {
    expect(errorOf(text)).toMatch(message);
  });

  it('a list of products gets the valid choices and the site form, not a type error', () => {
    const message = errorOf(storware.replace('product: storware', 'product: [olvm, storware]'));
    expect(message).toMatch(/inv\.yaml:1: product: one product per "product:" \(catalog has: [^)]*olvm[^)]*storware/);
    expect(message).toMatch(/several products on shared hosts make a site: write them under "products:"/);
    expect(message).not.toMatch(/expected string/);
  });

  it('--limit: a host or group typo gets the closest names', () => {
    const data = { hosts: { node1: {}, hv1: {}, 'kvm-host1': {} }, groups: { nodes: ['node1'] } } as never;
    expect(() => selectHosts(data, 'kvm-hsot1')).toThrow(/--limit: "kvm-hsot1" matches no host or group .*did you mean "kvm-host1"\?/);
    expect(() => selectHosts(data, 'node')).toThrow(/did you mean "node1" or "nodes"\?/);
  });

  it('nothing close: no suggestion, only the valid list', () => {
    expect(errorOf(storware.replace('roles: [node]', 'roles: [zzzzzz]'))).not.toMatch(/did you mean/);
  });
});

describe('method titles', () => {
  it.each(['ssh transfer', 'SSH-TRANSFER', 'ssh_transfer', ' SSH  Transfer '])('"%s" selects "SSH transfer"', (method) => {
    const inv = parseInventory(storware.replace('method: SSH transfer', `method: "${method}"`), 'inv.yaml', catalog);
    expect(inv.products[0]!.platforms[0]!.method).toBe('SSH transfer');
  });

  it("a document's own heading selects its method", () => {
    const text = storware.replace('platform: openstack\n    method: SSH transfer', 'platform: ovirt\n    method: Change-Block Tracking');
    expect(parseInventory(text, 'inv.yaml', catalog).products[0]!.platforms[0]!.method).toBe('Changed-Block Tracking');
  });

  it('one spelling per method title across the catalog; sections keep the documents’ headings', () => {
    const spellings = new Map<string, Set<string>>();
    for (const p of catalog.products.values()) {
      for (const f of p.flows) {
        if (f.method === null) continue;
        const set = spellings.get(normalName(f.method)) ?? new Set();
        set.add(f.method);
        spellings.set(normalName(f.method), set);
      }
    }
    const mixed = [...spellings.values()].filter((s) => s.size > 1).map((s) => [...s]);
    expect(mixed).toEqual([]);
    const sections = catalog.products
      .get('storware')!
      .flows.filter((f) => f.platform === 'ovirt')
      .map((f) => f.section);
    expect(sections).toContain('oVirt/RHV/OLVM / SSH Transfer');
    expect(sections).toContain('oVirt/RHV/OLVM / Change-Block Tracking');
  });
});

describe('the suggestion helper', () => {
  it('edit distance counts an adjacent swap as one edit', () => {
    expect(editDistance('kvmhots', 'kvmhost')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('any single edit of a role name suggests that role', () => {
    const names = [...new Set([...catalog.products.values()].flatMap((p) => Object.keys(p.roles)))];
    fc.assert(
      fc.property(fc.constantFrom(...names.filter((n) => n.length >= 4)), fc.nat(), fc.constantFrom('swap', 'drop', 'double'), (name, at, edit) => {
        const i = at % (name.length - 1);
        const typo =
          edit === 'swap'
            ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2)
            : edit === 'drop'
              ? name.slice(0, i) + name.slice(i + 1)
              : name.slice(0, i) + name[i] + name.slice(i);
        expect(closest(typo, names).map((c) => c.name)).toContain(name);
      }),
    );
  });

  it('says nothing when no candidate is close', () => {
    expect(didYouMean('qqqq', ['node', 'server'])).toBe('');
  });
});
