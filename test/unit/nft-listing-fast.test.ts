/**
 * The nft listing is read without zod when it has the usual shape (nftListingFast): the same
 * result as the schema, key order included, for any listing the fast check accepts; and
 * whatever it does not accept still gets the schema's answer (parseHostJson falls back).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HostDataError, nftListingFast, nftListingSchema, parseHostJson } from '../../src/resources/host-data.js';

const str = fc.constantFrom('inet', 'ip', 'vprov', 'input', 'filter', '__proto__', 'x');
const json = fc.jsonValue({ maxDepth: 3 });
/** A value that is usually right for a field, sometimes any JSON (or missing). */
const field = (good: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: json }, { weight: 1, arbitrary: fc.constant(undefined) });
const extra = fc.dictionary(fc.constantFrom('handle', 'policy', 'hook', 'prio', 'type', 'zz', 'a'), json, { maxKeys: 2 });
const inner = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.tuple(fc.record(Object.fromEntries(Object.entries(fields).map(([k, a]) => [k, field(a)]))), extra, fc.boolean()).map(([known, more, extraFirst]) => {
    const k = Object.fromEntries(Object.entries(known).filter(([, v]) => v !== undefined));
    return extraFirst ? { ...more, ...k } : { ...k, ...more };
  });
const elem = fc.oneof(
  fc.string(),
  fc.record({ prefix: fc.record({ addr: fc.string(), len: fc.nat(128) }) }),
  fc.record({ range: fc.array(fc.string(), { maxLength: 2 }) }),
);
const item = fc.oneof(
  inner({ family: str, name: str }).map((table) => ({ table })),
  inner({ family: str, table: str, name: str, type: json, flags: fc.array(fc.string(), { maxLength: 2 }), elem: fc.array(elem, { maxLength: 4 }) }).map(
    (set) => ({ set }),
  ),
  inner({ family: str, table: str, name: str }).map((chain) => ({ chain })),
  inner({
    family: str,
    table: str,
    chain: str,
    expr: fc.array(fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 2 }), { maxLength: 3 }),
    comment: fc.string(),
  }).map((rule) => ({ rule })),
  fc.dictionary(
    fc.constantFrom('metainfo', 'map', 'counter', 'table', 'flowtable'),
    fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), json, { maxKeys: 3 }), json),
    { maxKeys: 2 },
  ),
  json,
);
const listing = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.array(item, { maxLength: 6 }), extra).map(([nftables, more]) => ({ ...more, nftables })) },
  { weight: 1, arbitrary: json },
);

describe('nft listing without zod', () => {
  it('gives what the schema gives, key order included, for every listing it accepts; the schema decides the rest', () => {
    let accepted = 0;
    fc.assert(
      fc.property(listing, fc.boolean(), (doc, proto) => {
        // A "__proto__" key only exists in parsed text: put one in half the time.
        const text = proto ? JSON.stringify(doc).replace(/"x"/, '"__proto__"') : JSON.stringify(doc);
        const parsed: unknown = JSON.parse(text);
        const fast = nftListingFast(parsed);
        const slow = nftListingSchema.safeParse(JSON.parse(text));
        if (fast !== undefined) {
          accepted++;
          expect(slow.success, text).toBe(true);
          expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
        }
        // The function the facts use: the same result or the same error either way.
        let got: string;
        try {
          got = JSON.stringify(parseHostJson('nft -j listing', text, nftListingSchema, nftListingFast));
        } catch (err) {
          expect(err).toBeInstanceOf(HostDataError);
          got = `error ${(err as Error).message}`;
        }
        let want: string;
        try {
          want = JSON.stringify(parseHostJson('nft -j listing', text, nftListingSchema));
        } catch (err) {
          want = `error ${(err as Error).message}`;
        }
        expect(got).toBe(want);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the fast path often, or the property says little.
    expect(accepted).toBeGreaterThan(300);
  });

  it('a real listing (table, sets with intervals, chain, rules) takes the fast path', () => {
    const doc = {
      nftables: [
        { metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } },
        { table: { family: 'inet', name: 'vprov', handle: 3 } },
        {
          set: {
            family: 'inet',
            name: 'node_v4',
            table: 'vprov',
            type: 'ipv4_addr',
            handle: 4,
            flags: ['interval'],
            elem: [{ prefix: { addr: '10.0.0.0', len: 24 } }, '10.1.0.1'],
          },
        },
        { chain: { family: 'inet', table: 'vprov', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
        {
          rule: {
            family: 'inet',
            table: 'vprov',
            chain: 'input',
            handle: 5,
            expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } }, { accept: null }],
          },
        },
      ],
    };
    expect(nftListingFast(doc)).toEqual(nftListingSchema.parse(doc));
  });
});
