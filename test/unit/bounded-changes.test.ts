/**
 * A host's change lines and diff do not grow with the fleet: a hypervisor's source set holds
 * every backup node's address, so written out whole each host's report grew with the site and
 * the whole report with its square. Long sets name the elements that come and go (a few, and a
 * count of the rest); short ones, and every other line, stay exactly as lineChanges wrote them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedChanges, boundedDiff, DIFF_LINE_CHARS, SET_ELEMENTS_SHOWN } from '../../src/resources/change-lines.js';
import { moduleOf } from '../../src/resources/registry.js';
import { lineChanges } from '../../src/resources/types.js';
import { compile } from '../helpers/compile.js';
import { inventoryOf } from '../helpers/catalog.js';
import { planRaw } from '../helpers/facts.js';

const DIR = join(import.meta.dirname, '../fixtures/resources/firewall');
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** A fixture's facts section, as the resource tables build it. */
function rawOf(file: string): string {
  const facts = JSON.parse(readFileSync(join(DIR, file), 'utf8')).facts as (string | { key: string; json?: unknown; text?: string })[];
  return facts.map((l) => (typeof l === 'string' ? l : `${l.key}=${b64(l.text ?? JSON.stringify(l.json))}`)).join('\n');
}

/** A site of `nodes` Storware nodes (not one address next to another) and one hypervisor of each firewall backend. */
function site(nodes: number) {
  const hosts: Record<string, object> = {
    srv: { address: '192.0.2.10', roles: ['server'] },
    hv: { address: '192.0.2.20', roles: ['hypervisor'] },
    'hv-fwd': { address: '192.0.2.22', roles: ['hypervisor'], firewall: 'firewalld' },
  };
  for (let i = 0; i < nodes; i++) hosts[`n${i}`] = { address: `10.${(i >> 14) & 255}.${(i >> 6) & 255}.${(i & 63) * 4 + 1}`, roles: ['node'] };
  const inv = inventoryOf({
    product: 'storware',
    platforms: [{ platform: 'openstack', method: 'SSH transfer' }],
    controllers: ['10.99.0.0/24'],
    defaults: { firewall: 'nftables', selinux: 'permissive' },
    hosts,
  });
  return compile(inv).hosts;
}

const reportSize = (p: { changes: string[]; diff?: string }) => JSON.stringify({ changes: p.changes, diff: p.diff ?? '' }).length;

describe('a first apply of a hypervisor reports as much with 3,000 backup nodes as with 300', () => {
  const small = site(300);
  const big = site(3000);
  it.each([
    ['nftables', 'hv', 'nftables-absent.json'],
    ['firewalld', 'hv-fwd', 'firewalld-absent.json'],
  ])('%s', (_, host, fixture) => {
    const plan = (hosts: typeof small) => planRaw(moduleOf('firewall'), rawOf(fixture), hosts.find((h) => h.name === host)!);
    const [a, b] = [plan(small), plan(big)];
    expect(b.status).toBe('pending');
    // only the counts' digits differ
    expect(Math.abs(reportSize(b) - reportSize(a))).toBeLessThan(200);
    const set = b.changes.find((c) => c.includes('3,000 elements'));
    expect(set, b.changes.join('\n')).toMatch(/^\+ (set|ipset) \S+ .*\{ 10\.0\.0\.1, 10\.0\.0\.\d+, .*, … and 2,980 more \} \(3,000 elements\)$/);
    // the script still carries every address (firewalld's in base64)
    expect(b.script.length - a.script.length).toBeGreaterThan(2700 * 10);
  });
});

const address = fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `10.1.${a}.${b}`);
const sorted = (o: { minLength: number; maxLength: number }) => fc.uniqueArray(address, o).map((xs) => [...xs].sort());
const elements = sorted({ minLength: 0, maxLength: 80 });
const longSet = sorted({ minLength: SET_ELEMENTS_SHOWN + 1, maxLength: 80 });
const head = fc.constantFrom('set node_v4 ipv4_addr flags interval', 'ipset vprov-node hash:net inet');
const other = fc.constantFrom(
  '+ rule input: ip.saddr == @node_v4 && tcp.dport == 22 accept # x',
  '- chain input hook input prio 0 policy drop',
  '+ table inet vprov',
);
const setText = (h: string, xs: readonly string[]) => `${h} { ${xs.join(', ')} }`;

describe('boundedChanges', () => {
  it('leaves sets of at most SET_ELEMENTS_SHOWN elements and every other line as they were', () => {
    const small = fc.uniqueArray(address, { maxLength: SET_ELEMENTS_SHOWN }).map((xs) => [...xs].sort());
    fc.assert(
      fc.property(head, small, small, fc.array(other, { maxLength: 3 }), (h, before, after, rest) => {
        const changes = [...lineChanges([setText(h, after)], [setText(h, before)]), ...rest];
        expect(boundedChanges(changes)).toEqual(changes);
      }),
    );
  });

  it('a long set that changed names what came and went and counts what stayed, within a bounded length', () => {
    fc.assert(
      fc.property(head, longSet, elements, fc.boolean(), fc.array(other, { maxLength: 3 }), (h, long, any, longBefore, rest) => {
        const [before, after] = longBefore ? [long, any] : [any, long];
        fc.pre(before.join() !== after.join());
        const changes = [...rest, ...lineChanges([setText(h, after)], [setText(h, before)])];
        const out = boundedChanges(changes);
        expect(out.slice(0, rest.length)).toEqual(rest);
        const line = out.slice(rest.length);
        const added = after.filter((e) => !before.includes(e));
        const removed = before.filter((e) => !after.includes(e));
        const kept = after.length - added.length;
        if (before.length === 0 || after.length === 0) {
          // "{  }" on one side is still a set line: changed, not added or removed alone
          expect(line).toHaveLength(1);
        } else {
          expect(line).toEqual([expect.stringMatching(new RegExp(`^~ ${h.replace(/\./g, '\\.')} \\{ .* \\} \\(${kept} unchanged\\)$`))]);
          if (added.length) expect(line[0]).toContain(`+${added.length}: ${added.slice(0, Math.min(added.length, SET_ELEMENTS_SHOWN)).join(', ')}`);
          if (removed.length) expect(line[0]).toContain(`-${removed.length}: ${removed.slice(0, Math.min(removed.length, SET_ELEMENTS_SHOWN)).join(', ')}`);
          for (const side of [added, removed])
            if (side.length > SET_ELEMENTS_SHOWN) expect(line[0]).toContain(`… and ${side.length - SET_ELEMENTS_SHOWN} more`);
        }
        expect(line[0]!.length).toBeLessThan(h.length + 2 * SET_ELEMENTS_SHOWN * 15 + 150);
      }),
    );
  });

  it('a long set added or removed whole names its first elements and counts them all', () => {
    fc.assert(
      fc.property(head, longSet, fc.boolean(), (h, xs, add) => {
        const out = boundedChanges([`${add ? '+' : '-'} ${setText(h, xs)}`]);
        expect(out).toEqual([
          `${add ? '+' : '-'} ${h} { ${xs.slice(0, SET_ELEMENTS_SHOWN).join(', ')}, … and ${xs.length - SET_ELEMENTS_SHOWN} more } (${xs.length} elements)`,
        ]);
      }),
    );
  });
});

describe('boundedDiff', () => {
  it('cuts only lines longer than DIFF_LINE_CHARS, saying how long they were', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3 * DIFF_LINE_CHARS), { minLength: 1, maxLength: 6 }), (lengths) => {
        const lines = lengths.map((n, i) => `${'+-  '[i % 4]}${'x'.repeat(n)}`);
        const out = boundedDiff(lines.join('\n')).split('\n');
        expect(out).toHaveLength(lines.length);
        lines.forEach((l, i) => {
          if (l.length <= DIFF_LINE_CHARS) expect(out[i]).toBe(l);
          else expect(out[i]).toBe(`${l.slice(0, DIFF_LINE_CHARS)} … (line cut: ${l.length.toLocaleString('en-US')} characters)`);
        });
      }),
    );
  });
});
