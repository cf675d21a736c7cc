/**
 * A check reads nft's listing once per host: the plan and the foreign-state report share the
 * nftables facts parsed for the plan. Whatever the host printed (well-formed listings with other
 * tables' input chains, hostile or broken output), the plans and the foreign state from the one
 * parse equal what parsing each on its own gives.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../../src/catalog/load.js';
import { loadInventory } from '../../src/inventory/load.js';
import { compile } from '../helpers/compile.js';
import { factsFromOutput } from '../../src/resources/facts.js';
import { resourcesFor } from '../../src/resources/registry.js';
import { parseFacts } from '../../src/resources/module.js';
import { planFromParsed, planFromRaw } from '../../src/resources/plan.js';
import { nftFactsOf } from '../../src/resources/firewall.js';
import { foreignOf, LISTENERS_SECTION } from '../../src/resources/foreign.js';
import { FIXTURES, hostOutput } from '../helpers/hostile-output.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const inv = loadInventory(join(ROOT, 'inventories/storware-openstack.yaml'), loadCatalog());
const managed = compile(inv, { resolved: new Map(), local: { user: 'ops', home: '/home/ops' } }).hosts.filter((h) => h.managed);

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Other tables' input chains and rules, as nft -j lists them: accepts, drops, jumps, dport matches. */
const table = fc.record({ family: fc.constantFrom('inet', 'ip', 'ip6'), name: fc.constantFrom('vprov', 'filter', 'libvirt', 'docker') });
const listing = fc
  .array(
    fc.record({
      t: table,
      policy: fc.constantFrom('accept', 'drop'),
      hook: fc.constantFrom('input', 'forward'),
      rules: fc.array(
        fc.record({
          proto: fc.constantFrom('tcp', 'udp'),
          ports: fc.array(fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constant({ range: [1000, 2000] })), { minLength: 1, maxLength: 3 }),
          verdict: fc.constantFrom<Record<string, unknown>>({ accept: null }, { drop: null }, { jump: { target: 'more' } }, { counter: {} }),
        }),
        { maxLength: 4 },
      ),
    }),
    { maxLength: 4 },
  )
  .map((tables) => ({
    nftables: [
      { metainfo: { version: '1.0.6', json_schema_version: 1 } },
      ...tables.flatMap(({ t, policy, hook, rules }) => [
        { table: { family: t.family, name: t.name, handle: 1 } },
        { chain: { family: t.family, table: t.name, name: 'input', handle: 2, type: 'filter', hook, prio: 0, policy } },
        { chain: { family: t.family, table: t.name, name: 'more', handle: 3 } },
        ...rules.map((r, i) => ({
          rule: {
            family: t.family,
            table: t.name,
            chain: i % 3 === 2 ? 'more' : 'input',
            handle: 10 + i,
            expr: [
              { match: { op: '==', left: { payload: { protocol: r.proto, field: 'dport' } }, right: r.ports.length === 1 ? r.ports[0] : { set: r.ports } } },
              r.verdict,
            ],
          },
        })),
      ]),
    ],
  }));

const wellFormed = fc
  .tuple(fc.constantFrom(...FIXTURES), listing)
  .map(
    ([fixture, l]) =>
      `@@vprov:ssh@@\nssh=192.0.2.200 50000 192.0.2.1 22\n${fixture.replace(/^ruleset=.*$/m, `ruleset=${b64(JSON.stringify(l))}`)}\n@@vprov:end@@\n`,
  );

const listeners = fc.option(
  fc.array(
    fc.constantFrom(
      'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*',
      'tcp   LISTEN 0      128          0.0.0.0:8443      0.0.0.0:*',
      'udp   UNCONN 0      0               [::]:111          [::]:*',
      'tcp   LISTEN 0      4096       127.0.0.1:631       0.0.0.0:*',
      'ss_failed',
    ),
    { maxLength: 5 },
  ),
);

describe('facts parsed once per host', () => {
  it('the plans and the foreign state from one parse equal those of parsing each on its own', () => {
    let foreignAccepts = 0;
    fc.assert(
      fc.property(fc.oneof(wellFormed, hostOutput), listeners, fc.constantFrom(...managed), (out, ls, desired) => {
        const text = ls === null ? out : out.replace(/@@vprov:end@@\n$/, `@@vprov:${LISTENERS_SECTION}@@\n${ls.join('\n')}\n@@vprov:end@@\n`);
        const facts = factsFromOutput(text, undefined, [LISTENERS_SECTION]);
        const resources = resourcesFor(desired);
        const parsed = resources.map((r) => ({ r, facts: parseFacts(r, facts.raw[r.kind] ?? '', desired) }));
        const once = parsed.map((p) => planFromParsed(p.r, p.facts, desired, facts.host));
        const each = resources.map((r) => planFromRaw(r, facts.raw[r.kind] ?? '', desired, facts.host));
        expect(once).toEqual(each);
        const shared = foreignOf(facts.raw, facts.host, desired, nftFactsOf(parsed.find((p) => p.r.kind === 'firewall')?.facts));
        expect(shared).toEqual(foreignOf(facts.raw, facts.host, desired));
        foreignAccepts += shared.items.filter((i) => i.kind === 'accept-rule').length;
      }),
      { numRuns: 400 },
    );
    // the generated listings did reach the foreign-state report's reading of other tables
    expect(foreignAccepts).toBeGreaterThan(50);
  });
});
