/**
 * Loading YAML fast (no quadratic duplicate-key check, line numbers looked up in one pass) says
 * exactly what yaml's own strict parse says: the same error for the same duplicate key or syntax
 * error, the same data, and each map key's line as lineOf finds it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineCounter, parseDocument } from 'yaml';
import { lineOf, linesOfKeys, parseYaml, type Located } from '../../src/core/yaml-schema.js';

// Few key names, so duplicates are common; numbers, quoted numbers, NaN-like and odd keys too.
const key = fc.constantFrom('a', 'b', 'c', 'h1', '1', '"1"', '.nan', '.NaN', '~', 'true', "'a'", '? x', '-', '{');
const scalar = fc.constantFrom('1', 'x', '"q"', '~', '[1, 2]', '{ a: 1 }', '{ a: 1, a: 2 }', '', '&k v', '*k', '|\n  block');

const map: fc.Memo<string> = fc.memo((depth) =>
  fc
    .array(
      fc.tuple(
        key,
        depth > 1
          ? fc.oneof(
              scalar,
              map(depth - 1).map((m) => `\n${m.replace(/^/gm, '  ')}`),
            )
          : scalar,
      ),
      { maxLength: 5 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${k}: ${v}`).join('\n')),
);

/** toJS, or what it throws (an alias before its anchor): the same either way. */
function js(doc: { toJS(): unknown }): unknown {
  try {
    return doc.toJS();
  } catch (err) {
    return `throws ${(err as Error).message}`;
  }
}

function strict(text: string): { errors: string[]; data: unknown; loc: Located } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return {
    errors: doc.errors.map((e) => `${e.code} ${lines.linePos(e.pos[0]).line}`),
    data: doc.errors.length ? undefined : js(doc),
    loc: { file: 'f.yaml', doc, lines },
  };
}

describe('YAML loaded fast', () => {
  it('any map text: the same first error, or the same data and key lines as the strict parse', () => {
    fc.assert(
      fc.property(map(3), (body) => {
        const text = `hosts:\n${body.replace(/^/gm, '  ')}\n`;
        const want = strict(text);
        let got: Located | undefined;
        let error: string | undefined;
        try {
          got = parseYaml(text, 'f.yaml');
        } catch (err) {
          error = (err as Error).message;
        }
        if (want.errors.length) {
          expect(error, text).toMatch(new RegExp(`^f\\.yaml:${want.errors[0]!.split(' ')[1]}:`));
          return;
        }
        expect(error, text).toBeUndefined();
        expect(js(got!.doc)).toEqual(want.data);
        const hosts = want.data && typeof want.data === 'object' ? (want.data as { hosts?: unknown }).hosts : undefined;
        const names = hosts && typeof hosts === 'object' ? Object.keys(hosts) : [];
        const expected = Object.fromEntries(names.flatMap((n) => (lineOf(want.loc, ['hosts', n]) === undefined ? [] : [[n, lineOf(want.loc, ['hosts', n])]])));
        expect(linesOfKeys(got!, ['hosts'], names)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('a duplicate key deep in a big map is still yaml error with its line', () => {
    const hosts = Array.from({ length: 3000 }, (_, i) => `  h${i}: { address: 10.0.${i >> 8}.${i & 255} }`);
    hosts.push('  h17: { address: 10.9.9.9 }');
    expect(() => parseYaml(`hosts:\n${hosts.join('\n')}\n`, 'big.yaml')).toThrow(/^big\.yaml:3002:\d+: YAML syntax error: Map keys must be unique/);
  });
});
