/**
 * The fast YAML read gives exactly what yaml's strict parse gives, or steps aside: for any text it
 * reads, yaml finds no error, the same data (types, key order, own properties) and the same start
 * line of every map and list, and startLine answers as lineOf for any path. Texts are generated
 * in inventory shapes with the scalars YAML versions disagree on (yes/no/on/off, octal-looking,
 * numbers-like, ~, empty), quoting styles, flow maps and lists, comments, anchors and aliases,
 * tags, duplicate keys, and random damage.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineCounter, parseDocument } from 'yaml';
import { fastYaml } from '../../src/core/yaml-fast.js';
import { lineOf, loadYaml, startLine, type Located } from '../../src/core/yaml-schema.js';

// Scalars whose meaning depends on the YAML version, the schema or the style, and keys to match.
const WORDS = [
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'Yes',
  'NO',
  'true',
  'True',
  'TRUE',
  'false',
  'FALSE',
  'tRue',
  'null',
  'Null',
  'NULL',
  '~',
  'nULL',
  '0',
  '-0',
  '+0',
  '010',
  '0o17',
  '0o18',
  '0x1F',
  '0xg',
  '0b101',
  '1_000',
  '1e3',
  '1E3',
  '+1',
  '-1',
  '.5',
  '-.5',
  '1.',
  '1.0',
  '1.50',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  'NaN',
  '12:30',
  '1:2:3',
  '2001:db8::1',
  '2001:db8::/32',
  '10.0.0.1',
  '10.0.0.0/8',
  '1.2.3',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  'a b',
  'a#b',
  'a:b',
  '-a',
  '-1.5e3',
  '=',
  "it's",
  'a"b',
  'a\\b',
  'x]',
  'x}',
  'é',
  '__proto__',
  'constructor',
  'toString',
  'hypervisor',
  'storware/node',
  'SSH transfer',
  '',
];
// Words a plain scalar cannot be (indicators, comments, ": ", edges with spaces): quoted, or an error.
const ODD_WORDS = [
  '---',
  '...',
  'a #b',
  'a: b',
  'a:',
  '- a',
  '-',
  '--',
  '<<',
  '? x',
  '?x',
  ':x',
  '@x',
  '`x',
  '%x',
  '!x',
  '&x',
  '*x',
  '|',
  '>',
  ',x',
  '[x',
  '{x',
  '"q"',
  "'q'",
  'x ',
  ' x',
];
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_WORDS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 4, arbitrary: fc.constantFrom('h1', 'h2', 'address', 'roles', 'platform', 'managed') },
);

type Tree = { kind: 'scalar'; value: string } | { kind: 'map'; pairs: [string, Tree][] } | { kind: 'seq'; items: Tree[] };
const tree: fc.Memo<Tree> = fc.memo((depth) =>
  depth <= 1
    ? word.map((value): Tree => ({ kind: 'scalar', value }))
    : fc.oneof(
        { weight: 2, arbitrary: word.map((value): Tree => ({ kind: 'scalar', value })) },
        { weight: 2, arbitrary: fc.array(fc.tuple(word, tree(depth - 1)), { maxLength: 4 }).map((pairs): Tree => ({ kind: 'map', pairs })) },
        { weight: 1, arbitrary: fc.array(tree(depth - 1), { maxLength: 4 }).map((items): Tree => ({ kind: 'seq', items })) },
      ),
);

/** How one rendering writes things: a random draw per scalar and collection, from a seed. */
interface Style {
  next(): number;
  /** whether this text may carry anchors, aliases and tags */
  odd: boolean;
}
const pick = <T>(s: Style, xs: readonly T[]): T => xs[s.next() % xs.length]!;

function scalarText(s: Style, v: string): string {
  switch (s.next() % 6) {
    case 0:
      return `'${v.replaceAll("'", "''")}'`;
    case 1:
      return JSON.stringify(v);
    case 2:
      return s.odd ? `${pick(s, ['&a ', '!!str ', '!tag ', '*a', '&b ', '*b'])}${v}` : v;
    default:
      return v;
  }
}

function flow(s: Style, t: Tree): string {
  if (t.kind === 'scalar') return scalarText(s, t.value);
  if (t.kind === 'seq') return `[${t.items.map((i) => flow(s, i)).join(pick(s, [', ', ',', ' , ']))}]`;
  return `{${pick(s, ['', ' '])}${t.pairs.map(([k, v]) => `${scalarText(s, k)}: ${flow(s, v)}`).join(', ')}${pick(s, ['', ' '])}}`;
}

const comment = (s: Style) => pick(s, ['', '', '', ' # note', '  #x', '#x']);

/** Lines of a block rendering at indentation `ind`. */
function block(s: Style, t: Tree, ind: number): string[] {
  const pad = ' '.repeat(ind);
  const step = pick(s, [2, 2, 2, 4, 1]);
  const extra = () => pick(s, ['', '', '', '', `${' '.repeat(s.next() % 6)}# comment`, '', `${pad}`]);
  const out: string[] = [];
  if (t.kind === 'map') {
    for (const [k, v] of t.pairs) {
      const key = `${pad}${scalarText(s, k)}:`;
      if (v.kind === 'scalar' || (v.kind === 'seq' ? v.items : v.pairs).length === 0 || s.next() % 4 === 0) out.push(`${key} ${flow(s, v)}${comment(s)}`);
      else {
        out.push(`${key}${comment(s)}`);
        const e = extra();
        if (e) out.push(e);
        out.push(...block(s, v, v.kind === 'seq' && s.next() % 2 === 0 ? ind : ind + step));
      }
    }
  } else if (t.kind === 'seq') {
    for (const item of t.items) {
      if (item.kind === 'scalar' || s.next() % 4 === 0) out.push(`${pad}- ${flow(s, item)}${comment(s)}`);
      else if (s.next() % 3 === 0) {
        out.push(`${pad}-${comment(s)}`);
        out.push(...block(s, item, ind + step));
      } else {
        // "- key: value": the item's first line after the dash, the rest at its column
        const inner = block(s, item, ind + 2);
        if (inner.length === 0) out.push(`${pad}- ${flow(s, item)}`);
        else out.push(`${pad}- ${inner[0]!.slice(ind + 2)}`, ...inner.slice(1));
      }
    }
  } else out.push(`${pad}${scalarText(s, t.value)}`);
  return out;
}

/** Damage of the kinds people make: a character added, a line's indentation changed, a line doubled. */
function damage(text: string, seed: number, what: number): string {
  const lines = text.split('\n');
  const at = seed % Math.max(1, lines.length);
  const ch = [' ', '\t', '#', ':', '-', '"', "'", '&', '*', '[', ']', '{', '}', ',', '?', '|', '\r', '\uFEFF', '%', '!'][seed % 20]!;
  switch (what % 12) {
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
    case 0:
      return text;
    case 1: {
      const l = lines[at] ?? '';
      const p = (seed >> 3) % (l.length + 1);
      lines[at] = l.slice(0, p) + ch + l.slice(p);
      return lines.join('\n');
    }
    case 2:
      lines[at] = ` ${lines[at]}`;
      return lines.join('\n');
    case 3:
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    default:
      lines[at] = (lines[at] ?? '').replace(/^ /, '');
      return lines.join('\n');
  }
}

const rendered = fc
  .record({ t: tree(4), seed: fc.integer({ min: 0, max: 2 ** 30 }), damage: fc.nat(), what: fc.nat(), odd: fc.nat(3).map((n) => n === 0) })
  .map(({ t, seed, damage: d, what, odd }) => {
    let x = seed;
    const s: Style = { next: () => (x = (x * 1103515245 + 12345) % 2 ** 31) >> 4, odd };
    const root: Tree = t.kind === 'scalar' ? { kind: 'map', pairs: [['hosts', t]] } : t;
    const text = `${block(s, root, 0).join('\n')}\n`;
    return damage(text, d, what);
  });

/** Data compared with everything that matters: types (NaN, -0, null), key order, own properties. */
function shape(v: unknown): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v;
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object') {
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    return Object.getOwnPropertyNames(v).map((k) => [k, shape((v as Record<string, unknown>)[k])]);
  }
  return v;
}

function strict(text: string): { errors: number; data?: unknown; loc: Located } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  let data: unknown;
  if (doc.errors.length === 0) {
    try {
      data = doc.toJS();
    } catch {
      data = 'throws';
    }
  }
  return { errors: doc.errors.length, data, loc: { file: 'f.yaml', doc, lines } };
}

/** Every path to a value of the data, and beside each a key that is not there. */
function paths(v: unknown, at: PropertyKey[] = []): PropertyKey[][] {
  const out: PropertyKey[][] = [at, [...at, 'missing'], [...at, 7]];
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push(...paths(x, [...at, i]));
    });
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) out.push(...paths((v as Record<string, unknown>)[k], [...at, k]));
  return out;
}

describe('YAML read fast', () => {
  it('any text: read fast only when yaml reads it without error, to the same data and the same lines', () => {
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(rendered, (text) => {
        runs++;
        const got = fastYaml(text);
        if (got === undefined) return;
        read++;
        const want = strict(text);
        expect(want.errors, text).toBe(0);
        expect(shape(got.data), text).toEqual(shape(want.data));
        const loaded = { data: got.data, loc: want.loc, fast: got };
        for (const path of paths(got.data)) expect(startLine(loaded, path), `${text}\n${String(path)}`).toBe(lineOf(want.loc, path));
      }),
      { numRuns: 3000 },
    );
    // The generator must exercise the fast read itself, not only the texts it leaves to yaml.
    expect(read).toBeGreaterThan(runs / 5);
  });

  it('reads an inventory of the usual shape itself, and leaves anchors, tags, escapes, duplicates and directives to yaml', () => {
    const plain = [
      'product: storware # the product',
      'platforms:',
      '  - platform: openstack',
      "    method: 'SSH transfer'",
      '    options: { ceph: true, netcat: yes }',
      '',
      'hosts:',
      '  # first host',
      '  h1:',
      '    address: 2001:db8::1',
      '    roles: [hypervisor, "node"]',
      '  h2: { address: 10.0.0.2, roles: [node] }',
      '  010:',
      '    address: 10.0.0.3',
      '    roles:',
      '    - node',
      '    managed: off',
      '',
    ].join('\n');
    const got = fastYaml(plain);
    expect(got?.data).toEqual({
      product: 'storware',
      platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { ceph: true, netcat: 'yes' } }],
      hosts: {
        h1: { address: '2001:db8::1', roles: ['hypervisor', 'node'] },
        h2: { address: '10.0.0.2', roles: ['node'] },
        '10': { address: '10.0.0.3', roles: ['node'], managed: 'off' },
      },
    });
    expect(got?.data).toEqual(parseDocument(plain).toJS());
    for (const odd of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: "x\\ty"\n', 'a: 1\na: 2\n', '%YAML 1.1\n---\na: yes\n', 'a: |\n  x\n', 'a: b\n  c\n'])
      expect(fastYaml(odd), odd).toBeUndefined();
  });

  it("lines asked of a text read fast are yaml's: a map or list from the fast read, a scalar from yaml", () => {
    const hosts = Array.from({ length: 3000 }, (_, i) => `  h${i}:\n    address: 10.0.${i >> 8}.${i & 255}\n    roles: [node]`);
    const loaded = loadYaml(`hosts:\n${hosts.join('\n')}\n`, 'big.yaml');
    expect(loaded.fast).toBeDefined();
    expect(startLine(loaded, ['hosts', 'h2999', 'roles', 0])).toBe(3 * 2999 + 4);
    expect(startLine(loaded, ['hosts', 'h2999', 'roles'])).toBe(3 * 2999 + 4);
    expect(startLine(loaded, ['hosts', 'h2999'])).toBe(3 * 2999 + 3);
    expect(startLine(loaded, ['hosts', 'nope', 'address'])).toBe(2);
  });
});

describe('YAML read fast: white space that is not YAML white space', () => {
  // JavaScript's trim takes these; YAML trims only spaces and tabs, so to yaml they are part of the
  // scalar ("10.0.0.1\u00a0" is not an address). Texts with them are yaml's to read.
  const JS_ONLY_SPACE = ['\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u202f', '\u205f', '\u3000'];
  it('a value, flow item or flow key ending in a space only JavaScript trims is read as yaml reads it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...JS_ONLY_SPACE),
        fc.constantFrom('10.0.0.1', 'node', 'true', '22', 'a b'),
        fc.constantFrom('', ' ', ' # c'),
        fc.nat(4),
        (sp, v, tail, where) => {
          const text = [`address: ${v}${sp}${tail}\n`, `roles: [${v}${sp}, x]\n`, `h: {${v}${sp}: x}\n`, `- ${v}${sp}${tail}\n`, `h:\n  - {a: ${v}${sp}}\n`][
            where
          ]!;
          const got = fastYaml(text);
          if (got !== undefined) expect(shape(got.data), JSON.stringify(text)).toEqual(shape(strict(text).data));
        },
      ),
    );
  });
});

describe('YAML read fast: nesting', () => {
  // yaml's composer recurses once per level and reports "Maximum call stack size exceeded" as a
  // syntax error some hundreds of levels down (how many depends on the stack left): such a text
  // must reach yaml for that error, not be read fast (nor crash the fast read's own recursion).
  const nested = {
    flow: (n: number) => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`,
    seq: (n: number) => `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}-`).join('\n')} x\n`,
    map: (n: number) => `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} x\n`,
    compact: (n: number) => `${'- '.repeat(n)}x\n`,
  };
  it('a text nested deeper than inventories ever are is left to yaml, which reports its own error', () => {
    for (const [name, make] of Object.entries(nested))
      for (const n of [1000, 5000]) {
        const text = make(n);
        expect(fastYaml(text), `${name} ${n}`).toBeUndefined();
        if (n === 5000)
          expect(() => loadYaml(text, 'deep.yaml'), `${name} ${n}`).toThrow(/^deep\.yaml:\d+:\d+: YAML syntax error: Maximum call stack size exceeded/);
      }
  });
  it('the nesting of real inventories is still read fast', () => {
    for (const [name, make] of Object.entries(nested)) {
      const text = make(20);
      expect(shape(fastYaml(text)?.data), name).toEqual(shape(strict(text).data));
    }
  });
});

describe('YAML read fast: long keys', () => {
  // yaml refuses an implicit key whose ":" is more than 1024 characters after its start, quoted or not.
  it('a block key of any style longer than yaml takes is left to yaml, which refuses it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1020, max: 1100 }),
        fc.constantFrom(
          (k: string) => `'${k}'`,
          (k: string) => `"${k}"`,
          (k: string) => k,
        ),
        fc.constantFrom('', '- ', 'a:\n  '),
        (n, style, before) => {
          const text = `${before}${style('x'.repeat(n))}: v\n`;
          const got = fastYaml(text);
          if (got === undefined) return;
          const want = strict(text);
          expect(want.errors, `${n} ${text.slice(0, 3)}`).toBe(0);
          expect(shape(got.data)).toEqual(shape(want.data));
        },
      ),
    );
  });
});
