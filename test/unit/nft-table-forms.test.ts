/**
 * A desired table's canonical lines and file are computed once per distinct table: asking again
 * for an equal table (another host of the role) gives what the first computation gave, whatever
 * other tables were asked for meanwhile and whatever a caller did to the lines it got.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalTable, renderTable, type NftTable } from '../../src/resources/firewall-nftables.js';

const ipv4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const table: fc.Arbitrary<NftTable> = fc.record({
  policy: fc.constantFrom('accept', 'drop'),
  sets: fc.array(
    fc.record({
      name: fc.constantFrom('vprov_a_v4', 'vprov_b_v4', 'vprov_ssh_v4'),
      type: fc.constant('ipv4_addr'),
      elements: fc.array(ipv4, { maxLength: 40 }),
    }),
    { maxLength: 3 },
  ),
  rules: fc.array(
    fc.record({
      matches: fc.tuple(
        fc.record({ left: fc.constant('ip.saddr'), right: fc.constantFrom(['@vprov_a_v4'], ['@vprov_b_v4']) }),
        fc.record({
          left: fc.constantFrom('tcp.dport', 'udp.dport'),
          right: fc.array(fc.integer({ min: 1, max: 65535 }).map(String), { minLength: 1, maxLength: 4 }),
        }),
      ),
      verdict: fc.constant('accept' as const),
      comment: fc.option(fc.constantFrom('storware: backup', 'site: ssh +2')),
    }),
    { maxLength: 4 },
  ),
});

describe('desired table forms', () => {
  it('an equal table gets the lines and file its first computation gave, whatever was asked meanwhile', () => {
    fc.assert(
      fc.property(table, fc.array(table, { maxLength: 80 }), (t, others) => {
        const lines = canonicalTable(t);
        const text = renderTable(t);
        const kept = [...lines];
        lines.push('junk a caller added'); // the caller's copy, not the shared one
        for (const o of others) canonicalTable(o);
        const again = structuredClone(t);
        expect(canonicalTable(again)).toEqual(kept);
        expect(renderTable(again)).toBe(text);
        // the same from the shared forms as from a fresh computation
        expect(canonicalTable(t)).toEqual(kept);
      }),
      { numRuns: 150 },
    );
  });

  it('tables that differ in one address or port get their own lines and file', () => {
    fc.assert(
      fc.property(table, (t) => {
        fc.pre(t.sets.length > 0 && t.rules.length > 0);
        const other = structuredClone(t);
        other.sets[0]!.elements = [...other.sets[0]!.elements, '198.51.100.77'];
        other.rules[0]!.matches[1]!.right = [...other.rules[0]!.matches[1]!.right, '65000'];
        const a = renderTable(t);
        expect(renderTable(other)).not.toBe(a);
        expect(canonicalTable(other)).not.toEqual(canonicalTable(t));
        expect(renderTable(other)).toContain('198.51.100.77');
      }),
      { numRuns: 100 },
    );
  });

  it('a shared (frozen) source list gives what a copy of it gives; an unshared list that changed gives its new content', () => {
    fc.assert(
      fc.property(table, fc.array(ipv4, { minLength: 1, maxLength: 40 }), (t, extra) => {
        fc.pre(t.sets.length > 0);
        const shared = structuredClone(t);
        for (const s of shared.sets) s.elements = Object.freeze([...s.elements]) as string[];
        const copy = structuredClone(t);
        expect(canonicalTable(shared)).toEqual(canonicalTable(copy));
        expect(renderTable(shared)).toBe(renderTable(copy));
        // another frozen list, with other content: its own forms
        const other = structuredClone(shared);
        other.sets[0]!.elements = Object.freeze([...shared.sets[0]!.elements, ...extra, '203.0.113.9']) as string[];
        expect(renderTable(other)).toContain('203.0.113.9');
        // an unshared list changed in place after its first use: the new content, not the old forms
        const before = renderTable(copy);
        copy.sets[0]!.elements.push('203.0.113.10');
        expect(renderTable(copy)).not.toBe(before);
        expect(renderTable(copy)).toContain('203.0.113.10');
      }),
      { numRuns: 100 },
    );
  });
});
