/**
 * The built CLI (dist/) takes the shipped catalog from dist/catalog.compiled.json instead of
 * parsing its YAML; this proves the compiled form is exactly what the full load path (zod
 * schema, cross-checks) gives, that it is used for the shipped bytes only, and that any other
 * bytes still get the full validation with file:line errors. Likewise for the templates
 * precompiled into dist/templates.compiled.cjs. Needs `npm run build`.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as src from '../../src/catalog/load.js';

const dist = fileURLToPath(new URL('../../dist/catalog/load.js', import.meta.url));
const load = async (): Promise<typeof src> => {
  if (!existsSync(dist)) throw new Error('dist/ is missing: run npm run build first');
  return (await import(dist)) as typeof src;
};
const shipped = readdirSync(src.DEFAULT_CATALOG_DIR).filter((n) => n.endsWith('.yaml'));

describe('compiled catalog', () => {
  it('holds every shipped file, for the code that is built', async () => {
    const built = await load();
    const compiled = JSON.parse(readFileSync(built.COMPILED_CATALOG, 'utf8')) as src.CompiledCatalog;
    expect(compiled.compiler).toBe(built.compilerHash());
    for (const name of shipped) {
      expect(Object.keys(compiled.products), name).toContain(src.contentHash(readFileSync(join(src.DEFAULT_CATALOG_DIR, name))));
    }
  });

  it('gives exactly what the full load path gives, for the whole catalog and for one product', async () => {
    const built = await load();
    // Arrays, not the Maps: toStrictEqual compares Map values loosely.
    const all = (c: ReturnType<typeof src.loadCatalog>) => [...c.products.entries()];
    expect(all(built.loadCatalog())).toStrictEqual(all(src.loadCatalog()));
    for (const p of src.loadCatalog().products.keys()) expect(all(built.loadCatalog(undefined, p))).toStrictEqual(all(src.loadCatalog(undefined, p)));
  });

  it('compiles from src too, and the compiled product survives JSON unchanged', () => {
    const compiled = JSON.parse(JSON.stringify(src.compileCatalog())) as src.CompiledCatalog;
    for (const [id, product] of src.loadCatalog().products) {
      const { file, ...rest } = product;
      const hash = src.contentHash(readFileSync(file));
      expect(compiled.products[hash], id).toStrictEqual(rest);
    }
  });

  it('validates changed bytes in full: same file:line error as the source tree, and a valid edit loads', async () => {
    const built = await load();
    const text = readFileSync(join(src.DEFAULT_CATALOG_DIR, 'storware.yaml'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'vprov-catalog-'));
    // A comment changes the bytes, not the meaning: a cache miss that must still load.
    writeFileSync(join(dir, 'storware.yaml'), `# edited\n${text}`);
    expect([...built.loadCatalog(dir).products.values()][0]!.flows).toStrictEqual([...src.loadCatalog().products.get('storware')!.flows]);
    const broken = text.replace(/protocol: tcp/, 'protocol: tpc');
    expect(broken).not.toBe(text);
    writeFileSync(join(dir, 'storware.yaml'), broken);
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    const message = err(() => built.loadCatalog(dir));
    expect(message).toMatch(/storware\.yaml:\d+: platforms\[\d+\]\.methods\[\d+\]\.flows\[\d+\]\.protocol: /);
    expect(message).toBe(err(() => src.loadCatalog(dir)));
  });

  it('vprov --version prints the package version (answered by the launcher, as yargs would)', () => {
    const bin = fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${version}\n`);
    expect(r.status).toBe(0);
  });
});

describe('precompiled templates', () => {
  const distModule = async <T>(path: string): Promise<T> => {
    const file = fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));
    if (!existsSync(file)) throw new Error('dist/ is missing: run npm run build first');
    return (await import(file)) as T;
  };

  it('hold what the handlebars compiler makes of every current template, with the options render uses', async () => {
    const srcTemplates = await import('../../src/core/templates.js');
    const built = await distModule<typeof srcTemplates>('core/templates.js');
    expect(readFileSync(built.PRECOMPILED_TEMPLATES, 'utf8')).toBe(srcTemplates.precompileTemplates());
  });

  it('render the same bytes through the runtime as the compiler does (nftables, sudoers)', async () => {
    const srcNft = await import('../../src/resources/firewall-nftables.js');
    const srcSudoers = await import('../../src/resources/sudoers.js');
    const builtNft = await distModule<typeof srcNft>('resources/firewall-nftables.js');
    const builtSudoers = await distModule<typeof srcSudoers>('resources/sudoers.js');
    const fw = {
      backend: 'nftables' as const,
      inputPolicy: 'drop' as const,
      sshAdminSources: ['192.0.2.0/24'],
      confirmTimeout: 60,
      sets: [{ name: 'node_v4', family: 'ipv4' as const, elements: ['10.0.0.0/8', '172.17.0.2'] }],
      rules: [{ set: 'node_v4', family: 'ipv4' as const, protocol: 'tcp' as const, ports: ['22', '16000-16999'], flows: ['p/x/1'], purposes: ['a'] }],
    };
    const table = srcNft.desiredTable(fw, ['192.0.2.7'], 22);
    expect(builtNft.renderTable(table)).toBe(srcNft.renderTable(table));
    const sudo = { user: 'vprotect', file: 'vprotect', roles: ['node'], commands: ['/bin/mount', '/usr/bin/tee'], rootEquivalent: ['/usr/bin/tee'] };
    expect(builtSudoers.renderSudoers(sudo)).toBe(srcSudoers.renderSudoers(sudo));
  });
});
