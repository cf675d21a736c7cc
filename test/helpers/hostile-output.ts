/**
 * Facts output a hostile or broken host could print: the golden facts fixtures (an nftables and
 * a firewalld host), then mutated — JSON values (nft's listing, the firewalld probe's answer)
 * replaced by any JSON or almost-right shapes, junk and fake marker lines, truncation, oversize.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = ['nftables-host', 'firewalld-host'].map((f) => readFileSync(join(ROOT, 'test/golden/facts', `${f}.txt`), 'utf8'));

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** JSON a host could print instead of what vprov expects: anything, and almost-right shapes. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    null,
    [],
    {},
    0,
    '',
    { nftables: null },
    { nftables: [null] },
    { nftables: [{ set: null }] },
    { nftables: [{ rule: { chain: 'input', expr: null } }] },
    { ipsets: null },
    { policies: { 'vprov-in': null } },
    { version: 7 },
  ),
  fc.record({
    nftables: fc.array(
      fc.oneof(
        fc.record({ table: fc.oneof(fc.jsonValue(), fc.constant({ family: 'inet', name: 'vprov' })) }),
        fc.record({
          set: fc.record({ family: fc.constant('inet'), table: fc.constant('vprov'), name: fc.string(), elem: fc.array(fc.jsonValue()) }, { requiredKeys: [] }),
        }),
        fc.record({
          rule: fc.record(
            {
              family: fc.constant('inet'),
              table: fc.constant('vprov'),
              chain: fc.constantFrom('input', 'x'),
              expr: fc.array(
                fc.oneof(
                  fc.record({ match: fc.jsonValue() }),
                  fc.record({ match: fc.record({ op: fc.constantFrom('==', 'in'), left: fc.jsonValue(), right: fc.jsonValue() }) }),
                  fc.constant({ accept: null }),
                ),
              ),
            },
            { requiredKeys: [] },
          ),
        }),
        fc.record({ chain: fc.jsonValue() }),
      ),
    ),
  }),
  fc.record(
    {
      version: fc.oneof(fc.string(), fc.jsonValue()),
      ipsets: fc.dictionary(fc.string(), fc.jsonValue()),
      policies: fc.dictionary(fc.constantFrom('vprov-in', 'x'), fc.oneof(fc.jsonValue(), fc.record({ rules: fc.array(fc.string()) }))),
    },
    { requiredKeys: [] },
  ),
);

const KEYS = ['ruleset', 'runtime', 'runtime_error', 'ruleset_error', 'persisted', 'effect', 'content', 'config', 'passwd', 'groups', 'ssh'];
export const junkLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(
    '@@vprov:end@@',
    '@@vprov:firewall@@',
    '@@vprov:host@@',
    '@@vprov:stale@@',
    '@@vprov:locked@@',
    'rc=0',
    'runtime=!unreadable',
    '\u001b[8m== node1: in sync',
    'perm:/usr/bin/true=abc root root',
  ),
  fc.tuple(fc.constantFrom(...KEYS), fc.string({ unit: 'binary', maxLength: 40 })).map(([k, v]) => `${k}=${v}`),
);

/** One host's facts output: a fixture, then mutated the ways a hostile or broken host would. */
export const hostOutput = fc
  .tuple(
    fc.constantFrom(...FIXTURES),
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('json' as const), key: fc.constantFrom('ruleset', 'runtime'), value: hostileJson }),
        fc.record({ kind: fc.constant('lines' as const), at: fc.nat(), lines: fc.array(junkLine, { maxLength: 5 }) }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('oversize' as const), at: fc.nat(), times: fc.integer({ min: 100, max: 3000 }) }),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([fixture, mutations]) => {
    let lines = fixture.split('\n');
    for (const m of mutations) {
      if (m.kind === 'json') lines = lines.map((l) => (l.startsWith(`${m.key}=`) ? `${m.key}=${b64(JSON.stringify(m.value) ?? 'undefined')}` : l));
      else if (m.kind === 'lines') lines.splice(m.at % (lines.length + 1), 0, ...m.lines);
      else if (m.kind === 'truncate')
        lines = lines
          .join('\n')
          .slice(0, m.at % (lines.join('\n').length + 1))
          .split('\n');
      else {
        const i = m.at % lines.length;
        lines.splice(i, 0, ...Array<string>(m.times).fill(lines[i] ?? 'x'));
      }
    }
    return `@@vprov:ssh@@\nssh=192.0.2.200 50000 192.0.2.1 22\n${lines.join('\n')}\n@@vprov:end@@\n`;
  });
