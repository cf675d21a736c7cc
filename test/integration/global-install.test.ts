/**
 * The packaged CLI stands alone: `npm pack` → `npm install -g` into a temporary prefix, then
 * `vprov` runs from a directory outside the repository and finds its catalog and templates
 * inside the package. The tarball holds exactly what `files` in package.json names.
 * Run after `npm run build` (scripts/test.sh builds first): the pack does not rebuild.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'vprov-install-')));
const prefix = join(tmp, 'prefix');
const work = join(tmp, 'work');
const home = join(tmp, 'home');
let packed: string[] = [];

/** The installed `vprov`, from a directory that is not the repository, with a clean environment. */
function vprov(...args: string[]) {
  const env = { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, HOME: home, LANG: 'C.UTF-8' };
  const r = spawnSync(join(prefix, 'bin', 'vprov'), args, { cwd: work, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  mkdirSync(work);
  mkdirSync(home);
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  packed = info.files.map((f: { path: string }) => f.path).sort();
  // The user's own npm configuration and cache (registry settings), as for anyone installing it.
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(tmp, info.filename)], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  for (const f of ['storware-openstack.yaml', 'olvm.yaml']) copyFileSync(join(ROOT, 'inventories', f), join(work, f));
}, 400_000);

describe('npm pack', () => {
  it('holds exactly the files package.json names: launcher, compiled code, catalog, templates, examples, docs', () => {
    const top = new Set(packed.map((p) => (p.includes('/') ? `${p.split('/')[0]}/` : p)));
    expect([...top].sort()).toEqual(['README.md', 'bin/', 'catalog/', 'dist/', 'docs/', 'inventories/', 'package.json', 'templates/']);
    expect(packed).toContain('bin/vprov.js');
    expect(packed).toContain('dist/cli/main.js');
    expect(packed).toContain('dist/catalog.compiled.json');
    expect(packed).toContain('docs/inventory.schema.json');
    for (const f of readdirSync(join(ROOT, 'catalog'))) expect(packed).toContain(`catalog/${f}`);
    for (const f of readdirSync(join(ROOT, 'templates'))) expect(packed).toContain(`templates/${f}`);
    expect(packed.filter((p) => p.startsWith('dist/') && !/\.js$|^dist\/catalog\.compiled\.json$/.test(p))).toEqual([]);
    expect(packed.filter((p) => /^(src|test|scripts|node_modules)\//.test(p))).toEqual([]);
  });
});

describe('vprov installed globally', () => {
  it('is the package in the prefix, not the checkout', () => {
    const bin = realpathSync(join(prefix, 'bin', 'vprov'));
    expect(bin).toBe(join(prefix, 'lib', 'node_modules', 'vprov', 'bin', 'vprov.js'));
    expect(vprov('--version')).toEqual({ code: 0, stdout: `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`, stderr: '' });
  });

  it('--help lists the commands', () => {
    const r = vprov('--help');
    expect(r.code).toBe(0);
    for (const c of ['plan', 'apply', 'verify', 'drift', 'catalog', 'inventory', 'completion']) expect(r.stdout).toContain(`vprov ${c}`);
  });

  it('reads the catalog inside the package: list, lint, export', () => {
    expect(vprov('catalog', 'list').stdout).toMatch(/storware/);
    const lint = vprov('catalog', 'lint');
    expect(lint.code).toBe(0);
    expect(lint.stdout).toMatch(/53 has no transport in the document/);
    const exported = JSON.parse(vprov('catalog', 'export', '--format', 'json').stdout);
    const fromCheckout = JSON.parse(execFileSync('node', [join(ROOT, 'bin/vprov.js'), 'catalog', 'export'], { encoding: 'utf8' }));
    expect(exported).toEqual(fromCheckout);
  });

  it('checks an inventory given by a relative path', () => {
    const r = vprov('inventory', 'check', '-i', 'storware-openstack.yaml');
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const graph = vprov('inventory', 'graph', '-i', 'olvm.yaml', '--format', 'json');
    expect(graph.code).toBe(0);
    expect(JSON.parse(graph.stdout)).toBeTruthy();
  });

  it('renders its templates from inside the package (schedule units)', () => {
    const r = vprov('schedule', 'install', '-i', 'olvm.yaml', '--every', '1h', '--dir', 'units');
    expect(r.code, r.stderr).toBe(0);
    const service = readFileSync(join(work, 'units', 'vprov-drift.service'), 'utf8');
    expect(service).toMatch(/^ExecStart=.*\/prefix\/lib\/node_modules\/vprov\/bin\/vprov\.js drift -i \S*\/work\/olvm\.yaml$/m);
    expect(service).not.toContain(ROOT);
  });

  it('prints a completion script', () => {
    const r = vprov('completion');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/complete .*vprov/);
  });

  it('bad input: exit 1 with the reason', () => {
    const r = vprov('inventory', 'check', '-i', 'missing.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing\.yaml/);
  });
});
