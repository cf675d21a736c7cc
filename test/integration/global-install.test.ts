/**
 * The packaged CLI stands alone: `npm pack` → `npm install -g` into a temporary prefix, then
 * `vprov` runs from a directory outside the repository and finds its catalog and templates
 * inside the package. The tarball holds exactly what `files` in package.json names.
 * The pack is the user's `npm pack`: its prepack builds, so the tarball holds the checkout's code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'vprov-install-')));
const prefix = join(tmp, 'prefix');
const work = join(tmp, 'work');
const home = join(tmp, 'home');
let packed: string[] = [];
let manifest: Record<string, unknown> = {};
let installOutput = '';
let manifestBefore = '';

/** The installed `vprov`, from a directory that is not the repository, with a clean environment. */
function vprov(...args: string[]) {
  return vprovWith({}, ...args);
}

function vprovWith(extraEnv: Record<string, string>, ...args: string[]) {
  const env = { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, HOME: home, LANG: 'C.UTF-8', ...extraEnv };
  const r = spawnSync(join(prefix, 'bin', 'vprov'), args, { cwd: work, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  mkdirSync(work);
  mkdirSync(home);
  manifestBefore = readFileSync(join(ROOT, 'package.json'), 'utf8');
  // As a user packs it: prepack builds and takes the npm scripts out of the packed package.json.
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  const [info] = JSON.parse(out.slice(out.lastIndexOf('\n[') + 1));
  packed = info.files.map((f: { path: string }) => f.path).sort();
  manifest = JSON.parse(execFileSync('tar', ['-xOzf', join(tmp, info.filename), 'package/package.json'], { encoding: 'utf8' }));
  // The user's own npm configuration and cache (registry settings), as for anyone installing it.
  const install = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(tmp, info.filename)], {
    cwd: work,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (install.status !== 0) throw new Error(`npm install -g failed: ${install.stderr}`);
  installOutput = install.stdout + install.stderr;
  for (const f of ['storware-openstack.yaml', 'olvm.yaml']) copyFileSync(join(ROOT, 'inventories', f), join(work, f));
}, 400_000);

describe('npm pack', () => {
  it('holds exactly the files package.json names: launcher, compiled code, catalog, templates, examples, docs', () => {
    const top = new Set(packed.map((p) => (p.includes('/') ? `${p.split('/')[0]}/` : p)));
    expect([...top].sort()).toEqual(['README.md', 'bin/', 'catalog/', 'dist/', 'docs/', 'inventories/', 'package.json', 'prometheus/', 'templates/']);
    expect(packed).toContain('prometheus/vprov.rules.yaml');
    expect(packed).toContain('bin/vprov.js');
    expect(packed).toContain('bin/package.json');
    expect(packed).toContain('bin/code-cache.js');
    expect(packed).toContain('dist/bundle/vprov.cjs');
    expect(packed).toContain('dist/catalog.compiled.json');
    expect(packed).toContain('dist/templates.compiled.cjs');
    expect(packed).toContain('docs/inventory.schema.json');
    for (const f of readdirSync(join(ROOT, 'catalog'))) expect(packed).toContain(`catalog/${f}`);
    for (const f of readdirSync(join(ROOT, 'templates'))) expect(packed).toContain(`templates/${f}`);
    // The bundle, not tsc's module tree: dist/ holds the bundle and the two compiled files only.
    expect(packed.filter((p) => p.startsWith('dist/')).sort()).toEqual([
      'dist/bundle/THIRD-PARTY-LICENSES.txt',
      'dist/bundle/vprov.cjs',
      'dist/catalog.compiled.json',
      'dist/templates.compiled.cjs',
    ]);
    expect(packed.filter((p) => /^(src|test|scripts|node_modules)\//.test(p))).toEqual([]);
  });
});

describe('npm install -g of the tarball', () => {
  it('installs no dependency and runs no script: everything is in the bundle, and npm has nothing to warn about', () => {
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.dependencies).toBeUndefined();
    expect(installOutput).not.toMatch(/install-scripts|allowScripts|warn/i);
    expect(installOutput).toMatch(/added 1 package/);
    expect(readdirSync(join(prefix, 'lib', 'node_modules', 'vprov'))).not.toContain('node_modules');
  });

  it('ships the licences of the bundled packages', () => {
    const notices = readFileSync(join(prefix, 'lib', 'node_modules', 'vprov', 'dist', 'bundle', 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const name of ['ssh2', 'yargs', 'zod', 'yaml', 'handlebars']) expect(notices).toMatch(new RegExp(`^${name}@\\d+\\.\\d+\\.\\d+ \\((MIT|ISC)\\)$`, 'm'));
  });

  it("the checkout's package.json is put back after the pack, byte for byte", () => {
    expect(readFileSync(join(ROOT, 'package.json'), 'utf8')).toBe(manifestBefore);
    expect(readdirSync(ROOT)).not.toContain('.package.json.before-pack');
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
    const r = vprov('schedule', 'install', '--no-verify', '-i', 'olvm.yaml', '--every', '1h', '--dir', 'units');
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

/** Changes one installed file for the length of `f`, then puts the original back. */
function withFile(rel: string, change: (text: string) => string | null, f: () => void) {
  const file = join(prefix, 'lib', 'node_modules', 'vprov', rel);
  const original = readFileSync(file, 'utf8');
  try {
    const text = change(original);
    if (text === null) rmSync(file);
    else writeFileSync(file, text);
    f();
  } finally {
    writeFileSync(file, original);
  }
}

describe('the installed bundle', () => {
  const retitled = (compiler?: string) => (text: string) => {
    const c = JSON.parse(text) as { compiler: string; products: Record<string, { id: string; title: string }> };
    const storware = Object.values(c.products).find((p) => p.id === 'storware');
    if (!storware) throw new Error('no storware product in the compiled catalog');
    storware.title = 'Storware, as the compiled catalog says';
    return JSON.stringify({ ...c, compiler: compiler ?? c.compiler });
  };

  it('takes the shipped catalog from dist/catalog.compiled.json (no YAML parsed), and only for the code that compiled it', () => {
    // The compiled entry is what the bundle reads: a title changed only there shows.
    withFile('dist/catalog.compiled.json', retitled(), () => {
      const r = vprov('catalog', 'list');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^storware: Storware, as the compiled catalog says$/m);
    });
    // Compiled by other code (another fingerprint): ignored, the YAML is parsed and validated.
    withFile('dist/catalog.compiled.json', retitled('0'.repeat(64)), () => {
      const r = vprov('catalog', 'list');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^storware: Storware Backup & Recovery/m);
      expect(r.stdout).not.toContain('as the compiled catalog says');
    });
  });

  it('a missing bundle fails loudly: exit 4 (not "bad input"), the file and what to do, no output', () => {
    withFile(
      'dist/bundle/vprov.cjs',
      () => null,
      () => {
        for (const args of [['catalog', 'list'], ['inventory', 'check', '-i', 'olvm.yaml'], ['--help']]) {
          const r = vprov(...args);
          expect(r.code).toBe(4);
          expect(r.stdout).toBe('');
          expect(r.stderr).toMatch(
            /^error: vprov failed unexpectedly \(its bundle dist\/bundle\/vprov\.cjs cannot be loaded: ENOENT: no such file or directory, open '\S*\/dist\/bundle\/vprov\.cjs'\); run npm run build, or reinstall vprov\n$/,
          );
        }
      },
    );
  });

  it('a broken bundle fails loudly too: exit 4 with the cause', () => {
    withFile(
      'dist/bundle/vprov.cjs',
      (text) => text.slice(0, Math.floor(text.length / 2)),
      () => {
        const r = vprov('catalog', 'list');
        expect(r.code).toBe(4);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(
          /^error: vprov failed unexpectedly \(its bundle dist\/bundle\/vprov\.cjs cannot be loaded: (Unexpected|missing|Invalid).*\n$/i,
        );
      },
    );
  });
});

describe('the code cache', () => {
  const pkg = join(prefix, 'lib', 'node_modules', 'vprov');
  const cache = join(home, '.cache', 'vprov');
  /** Every path under `dir` with its mtime: what a run could have added or changed. */
  const filesUnder = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .flatMap((d) =>
        d.isDirectory() ? [join(dir, d.name), ...filesUnder(join(dir, d.name))] : [`${join(dir, d.name)} ${statSync(join(dir, d.name)).mtimeMs}`],
      )
      .sort();
  const caches = () =>
    readdirSync(cache)
      .filter((n) => n.endsWith('.bin'))
      .sort();
  const expected = () => execFileSync('node', [join(ROOT, 'bin/vprov.js'), 'catalog', 'list'], { encoding: 'utf8' });

  it("is written to the user's cache directory (private), one per command, never into the package", () => {
    rmSync(cache, { recursive: true, force: true });
    const before = filesUnder(pkg);
    expect(vprov('catalog', 'list').stdout).toBe(expected());
    expect(vprov('inventory', 'check', '-i', 'olvm.yaml').code).toBe(0);
    expect(filesUnder(pkg)).toEqual(before);
    const names = caches();
    expect(names).toEqual([expect.stringMatching(/^[0-9a-f]{32}-catalog\.bin$/), expect.stringMatching(/^[0-9a-f]{32}-inventory\.bin$/)]);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    for (const n of names) expect(statSync(join(cache, n)).mode & 0o777).toBe(0o600);
    // A second run reads it (V8 accepts it), so it is not written again.
    const mtime = statSync(join(cache, names[0]!)).mtimeMs;
    expect(vprov('catalog', 'list').stdout).toBe(expected());
    expect(statSync(join(cache, names[0]!)).mtimeMs).toBe(mtime);
  });

  it('a corrupt cache is rejected and written anew; the run is unaffected', () => {
    vprov('catalog', 'list');
    const [name] = caches().filter((n) => n.endsWith('-catalog.bin'));
    writeFileSync(join(cache, name!), Buffer.alloc(4096, 7), { mode: 0o600 });
    const r = vprov('catalog', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected());
    expect(readFileSync(join(cache, name!)).equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it('a cache directory others may write is neither read nor written', () => {
    vprov('catalog', 'list');
    const [name] = caches().filter((n) => n.endsWith('-catalog.bin'));
    const junk = Buffer.alloc(4096, 9);
    writeFileSync(join(cache, name!), junk, { mode: 0o600 });
    chmodSync(cache, 0o777);
    try {
      const r = vprov('catalog', 'list');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(expected());
      expect(readFileSync(join(cache, name!)).equals(junk)).toBe(true);
    } finally {
      chmodSync(cache, 0o700);
    }
  });

  // Giving a file to another user takes root (CI runs as root).
  it.skipIf(process.getuid?.() !== 0)("a cache file that is another user's is not read, even when it is valid", () => {
    vprov('catalog', 'list');
    const [name] = caches().filter((n) => n.endsWith('-catalog.bin'));
    const file = join(cache, name!);
    // Valid bytecode V8 would accept, but owned by someone else: vprov compiles and writes its own.
    chownSync(file, 65534, 65534);
    expect(statSync(file).uid).toBe(65534);
    expect(vprov('catalog', 'list').stdout).toBe(expected());
    expect(statSync(file).uid).toBe(process.getuid!());
  });

  it('no usable cache directory: the run is unaffected', () => {
    const blocker = join(tmp, 'not-a-directory');
    writeFileSync(blocker, '');
    const r = vprovWith({ XDG_CACHE_HOME: join(blocker, 'cache') }, 'catalog', 'list');
    expect(r).toEqual({ code: 0, stdout: expected(), stderr: '' });
  });

  // Every directory above the cache must be writable only by the user or root: whoever may rename
  // an entry there can swap the cache directory for his own between the check and the read.
  it('a cache directory inside a directory others may write is neither read nor written', () => {
    const shared = join(tmp, 'shared');
    mkdirSync(join(shared, 'vprov'), { recursive: true, mode: 0o700 });
    chmodSync(shared, 0o777);
    const file = join(shared, 'vprov', caches().find((n) => n.endsWith('-catalog.bin'))!);
    const junk = Buffer.alloc(4096, 5);
    writeFileSync(file, junk, { mode: 0o600 });
    const r = vprovWith({ XDG_CACHE_HOME: shared }, 'catalog', 'list');
    expect(r).toEqual({ code: 0, stdout: expected(), stderr: '' });
    expect(readFileSync(file).equals(junk)).toBe(true);
    expect(readdirSync(join(shared, 'vprov'))).toHaveLength(1);
  });

  // `sudo -E vprov`: root with a user's HOME must not read the user's files as code, nor leave
  // root-owned directories in the user's home.
  it.skipIf(process.getuid?.() !== 0)("root with another user's HOME neither reads nor writes a cache there", () => {
    const alice = join(tmp, 'alice');
    mkdirSync(alice, { mode: 0o755 });
    chownSync(alice, 65534, 65534);
    const r = vprovWith({ HOME: alice }, 'catalog', 'list');
    expect(r).toEqual({ code: 0, stdout: expected(), stderr: '' });
    expect(readdirSync(alice)).toEqual([]);
  });

  it('an empty or relative HOME or XDG_CACHE_HOME puts no cache in the working directory', () => {
    const cwdBefore = readdirSync(work).sort();
    for (const env of [{ HOME: '' }, { HOME: 'home' }, { HOME: '', XDG_CACHE_HOME: 'cache' }] as Record<string, string>[]) {
      const r = vprovWith(env, 'catalog', 'list');
      expect(r).toEqual({ code: 0, stdout: expected(), stderr: '' });
    }
    expect(readdirSync(work).sort()).toEqual(cwdBefore);
  });

  // V8 takes a cache made for any source of the same length and runs the cached code (it checks
  // the length, not the bytes): only the key, a hash of the bundle's bytes, keeps them apart.
  it('a bundle changed in place to the same length runs its own code, not the cached one', () => {
    const help = () => vprov('--help');
    help();
    expect(help().stdout).toContain('Provision documented firewall flows');
    withFile(
      'dist/bundle/vprov.cjs',
      (text) => text.replace('Provision documented firewall flows', 'Provision DOCUMENTED firewall flows'),
      () => {
        const r = help();
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('Provision DOCUMENTED firewall flows');
      },
    );
  });

  it('belongs to one bundle: a changed bundle does not use the old cache', () => {
    vprov('catalog', 'list');
    const old = caches().filter((n) => n.endsWith('-catalog.bin'));
    expect(old).toHaveLength(1);
    withFile(
      'dist/bundle/vprov.cjs',
      (text) => `${text}\n// changed\n`,
      () => {
        expect(vprov('catalog', 'list').stdout).toBe(expected());
        const now = caches().filter((n) => n.endsWith('-catalog.bin'));
        expect(now).toHaveLength(2);
        expect(now).toContain(old[0]);
      },
    );
  });
});
