/**
 * Address sets at fleet scale: IPv4 arithmetic in plain numbers, set texts reused by content,
 * and compiled source sets shared by every host that wants them. Generated cases against an
 * independent oracle (numbers, not the code's BigInt intervals).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressInterval, canonicalAddress, formatAddress, intervalCidrs, intervalSetText } from '../../src/core/net.js';
import { compile } from '../helpers/compile.js';
import { inventoryOf } from '../helpers/catalog.js';

const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** What nft lists for a set of single IPv4 addresses: runs merged, a run that is one aligned block as a CIDR. */
function oracleText(addresses: number[]): string {
  const sorted = [...new Set(addresses)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const n of sorted) {
    const last = runs[runs.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  return runs
    .map(([lo, hi]) => {
      if (lo === hi) return dotted(lo);
      const size = hi - lo + 1;
      const block = Number.isInteger(Math.log2(size)) && lo % size === 0;
      return block ? `${dotted(lo)}/${32 - Math.log2(size)}` : `${dotted(lo)}-${dotted(hi)}`;
    })
    .join(',');
}

describe('IPv4 arithmetic', () => {
  it('reads and writes every IPv4 address exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        expect(formatAddress('ipv4', BigInt(n))).toBe(dotted(n));
        expect(addressInterval(dotted(n))).toEqual({ family: 'ipv4', lo: BigInt(n), hi: BigInt(n) });
        expect(canonicalAddress(`::ffff:${dotted(n)}`)).toBe(dotted(n));
      }),
      { numRuns: 500 },
    );
    expect(formatAddress('ipv4', 0xffffffffn)).toBe('255.255.255.255');
    expect(addressInterval('10.1.2.3/8')).toEqual({ family: 'ipv4', lo: 0x0a000000n, hi: 0x0affffffn });
  });

  it('a plain IPv4 address is its own canonical text, as the interval arithmetic writes it; other spellings are still rewritten', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom('', '/32', '/24', '-0.0.0.0'), (n, tail) => {
        const s = `${dotted(n)}${tail}`;
        const long = (() => {
          try {
            const cidrs = intervalCidrs(addressInterval(s));
            return cidrs.length === 1 ? cidrs[0] : s;
          } catch (err) {
            return `throws ${(err as Error).message}`;
          }
        })();
        let got: string;
        try {
          got = canonicalAddress(s);
        } catch (err) {
          got = `throws ${(err as Error).message}`;
        }
        expect(got).toBe(long);
        if (tail === '') expect(got).toBe(s);
      }),
      { numRuns: 500 },
    );
    expect(canonicalAddress('10.1.2.3/24')).toBe('10.1.2.0/24');
    expect(() => canonicalAddress('010.1.2.3')).toThrow(/not an IPv4\/IPv6 address/);
  });
});

describe('set texts, reused by content', () => {
  // Dense neighbourhoods, so runs and aligned blocks occur; lists long enough to be reused.
  const addresses = fc.array(fc.integer({ min: 0x0a000000, max: 0x0a0000ff }), { minLength: 1, maxLength: 120 });

  it('match the oracle on first and repeated use, in any order and spelling', () => {
    fc.assert(
      fc.property(addresses, fc.integer(), (list, seed) => {
        const want = oracleText(list);
        const texts = list.map(dotted);
        expect(intervalSetText(texts)).toBe(want);
        expect(intervalSetText(texts)).toBe(want); // again: from the reuse
        const shuffled = [...texts].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
        expect(intervalSetText(shuffled)).toBe(want);
        expect(intervalSetText(texts.map((t) => `::ffff:${t}`))).toBe(want);
      }),
      { numRuns: 300 },
    );
  });

  it('a list with a bad element fails every time, even when a valid list of the same text was seen', () => {
    const valid = Array.from({ length: 40 }, (_, i) => `10.0.1.${i * 2}`);
    expect(intervalSetText(valid)).toBe(oracleText(valid.map((v) => 0x0a000100 + Number(v.split('.')[3]))));
    const glued = [`${valid[0]} ${valid[1]}`, ...valid.slice(2)];
    expect(() => intervalSetText(glued)).toThrow(/is not an IPv4\/IPv6 address/);
    expect(() => intervalSetText(glued)).toThrow(/is not an IPv4\/IPv6 address/);
  });
});

describe('compiled source sets at fleet scale', () => {
  const hostsOf = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`h${i}`, { address: dotted(0x0a000001 + i * 2), roles: [i % 4 === 0 ? 'node' : 'hypervisor'] }]));
  const inv = inventoryOf({
    product: 'storware',
    platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
    hosts: hostsOf(200),
  });

  it('every host of a role gets the same sets, holding exactly the other role', () => {
    const { hosts } = compile(inv);
    const nodes = Array.from({ length: 50 }, (_, i) => dotted(0x0a000001 + i * 8)).sort();
    const hypervisors = hosts.filter((h) => h.roles.includes('hypervisor')).map((h) => h.address);
    for (const h of hosts) {
      const sets = Object.fromEntries(h.firewall.sets.map((s) => [s.name, [...s.elements].sort()]));
      if (h.roles.includes('hypervisor')) expect(sets).toEqual({ node_v4: nodes });
      else expect(sets).toEqual({ hypervisor_v4: [...hypervisors].sort() });
    }
  });

  it('a shared source list cannot be changed through one host (it would change them all)', () => {
    const { hosts } = compile(inv);
    const [a, b] = hosts.filter((h) => h.roles.includes('hypervisor'));
    expect(() => a!.firewall.sets[0]!.elements.push('192.0.2.1')).toThrow(TypeError);
    expect(b!.firewall.sets[0]!.elements).not.toContain('192.0.2.1');
  });
});
