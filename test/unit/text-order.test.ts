/**
 * What vprov renders for a host does not depend on the controller's locale. Node takes its
 * default collation from LANG/LC_ALL: Danish sorts "aa" after "z", Lithuanian "y" with "i". The
 * shipped example inventories are compiled and their nftables tables rendered (the built dist modules, in child
 * processes) under C and under such locales, and must come out byte for byte the same.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../inventories', import.meta.url));

// Hawaiian sorts vowels first: the shipped catalogs' role names order differently there.
const LOCALES = ['da_DK.UTF-8', 'lt_LT.UTF-8', 'haw_US.UTF-8', 'cs_CZ.UTF-8'];

/** Run an ES module snippet under `locale` with the dist modules at hand; its stdout. */
function under(locale: string, code: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, '--', DIST, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: locale, LANG: locale },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const RENDER = `
const [dist, inventory] = process.argv.slice(1);
const { prepareRun } = await import(dist + '/app/converge-all.js');
const { desiredTable, renderTable } = await import(dist + '/resources/firewall-nftables.js');
const { compiled } = await prepareRun({ inventory });
process.stdout.write(JSON.stringify(compiled.hosts.filter((h) => h.firewall.rules.length).map((h) => [h.name, renderTable(desiredTable(h.firewall, [], 22))])));
`;

const SORT = `
const [dist, list] = process.argv.slice(1);
const { compareText } = await import(dist + '/core/text-order.js');
process.stdout.write(JSON.stringify({ vprov: JSON.parse(list).sort(compareText), locale: JSON.parse(list).sort((a, b) => a.localeCompare(b)) }));
`;

describe('order independent of the locale', () => {
  it('the locales below do change plain localeCompare in a child process (so the checks can fail)', () => {
    const c = JSON.parse(under('C', SORT, JSON.stringify(['z_v4', 'aa_v4', 'j_v4', 'y_v4'])));
    const da = JSON.parse(under('da_DK.UTF-8', SORT, JSON.stringify(['z_v4', 'aa_v4', 'j_v4', 'y_v4'])));
    const lt = JSON.parse(under('lt_LT.UTF-8', SORT, JSON.stringify(['z_v4', 'aa_v4', 'j_v4', 'y_v4'])));
    expect(c.locale).toEqual(['aa_v4', 'j_v4', 'y_v4', 'z_v4']);
    expect(da.locale).toEqual(['j_v4', 'y_v4', 'z_v4', 'aa_v4']);
    expect(lt.locale).toEqual(['aa_v4', 'y_v4', 'j_v4', 'z_v4']);
    for (const r of [da, lt]) expect(r.vprov).toEqual(c.vprov);
  });

  it('generated names and IPv6 addresses: compareText sorts them the same under every locale', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
    const v6 = fc.ipV6();
    fc.assert(
      fc.property(fc.array(fc.oneof(word, v6), { minLength: 2, maxLength: 30 }), (list) => {
        const json = JSON.stringify(list);
        const c = JSON.parse(under('C', SORT, json)).vprov;
        for (const locale of LOCALES) expect(JSON.parse(under(locale, SORT, json)).vprov).toEqual(c);
      }),
      { numRuns: 15 },
    );
  });

  it.each(readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')))(
    "the example inventory %s: every host's rendered table is the same bytes under C and other locales",
    (file) => {
      const inventory = join(EXAMPLES, file);
      const c = under('C', RENDER, inventory);
      expect(JSON.parse(c).length).toBeGreaterThan(0);
      for (const locale of LOCALES) expect(under(locale, RENDER, inventory)).toBe(c);
    },
  );
});
