/**
 * The facts script's cheaper fragments (one stat for every path, no $(…) around a file read, one
 * grep and one sed for other sudoers files, /proc/filesystems read by the shell) print the same
 * bytes as the fragments they replaced. The replaced fragments are kept here as the oracle and
 * both run on real files, under dash (Debian's sh) and bash (RHEL's sh), for generated trees:
 * files, directories, symlinks (to a file, dangling, looping), missing paths and paths through
 * a file, names with spaces, quotes, $, =, globs and other odd characters.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { q, readFileFact } from '../../src/resources/shell.js';
import { foreignFilesCmd, permsCmd, sudoersResource } from '../../src/resources/sudoers.js';
import { selinuxResource } from '../../src/resources/selinux.js';
import { accountResource } from '../../src/resources/account.js';
import type { HostDesired } from '../../src/core/types.js';
import { planRaw } from '../helpers/facts.js';

const SHELLS = ['/bin/dash', '/bin/bash'];
const root = mkdtempSync(join(tmpdir(), 'vprov-facts-forks-'));
let n = 0;
const fresh = () => {
  const dir = join(root, String(n++));
  mkdirSync(dir);
  return dir;
};
afterAll(() => {
  spawnSync('chmod', ['-R', 'u+rwx', root]);
  rmSync(root, { recursive: true, force: true });
});

function run(shell: string, script: string): { code: number | null; stdout: string } {
  const r = spawnSync(shell, ['-c', script], { encoding: 'utf8', timeout: 30_000 });
  expect(r.error).toBeUndefined();
  return { code: r.status, stdout: r.stdout };
}

/** Both shells, and the same bytes from the oracle and from the new fragment in each. */
function sameOutput(oracle: string, fragment: string): string {
  let seen: string | undefined;
  for (const shell of SHELLS) {
    const want = run(shell, oracle).stdout;
    expect(run(shell, fragment).stdout).toBe(want);
    if (seen !== undefined) expect(want).toBe(seen);
    seen = want;
  }
  return seen!;
}

it('dash and bash are there (the test runs the fragments under each)', () => {
  for (const shell of SHELLS) expect(existsSync(shell), shell).toBe(true);
});

// Path segments with the characters a value must survive as one quoted word (no '/' or newline:
// one segment, one line of output; no backslash, which the old loop's echo mangled under dash:
// see 'values are printed exactly' below).
const segment = fc
  .array(fc.constantFrom('a', 'Z', '0', ' ', '-', '=', '$', "'", '"', '`', '*', '?', '[', ']', '|', '.', ',', '\t', 'é', ':', '%'), {
    minLength: 1,
    maxLength: 6,
  })
  .map((cs) => cs.join(''))
  .filter((s) => s !== '.' && s !== '..');
const kind = fc.constantFrom('file', 'dir', 'link-file', 'link-dir', 'link-dangling', 'link-loop', 'missing', 'through-file');
const mode = fc.constantFrom(0o755, 0o777, 0o775, 0o700, 0o644, 0o4755, 0o1777, 0o000);
const owner = fc.constantFrom(0, 65534, 54321);
const entry = fc.record({ name: segment, kind, mode, owner });

/** Build the entries under a fresh directory; return every path to ask about (in a generated order). */
function tree(entries: { name: string; kind: string; mode: number; owner: number }[]): string[] {
  const dir = fresh();
  const target = join(dir, 'target-file');
  writeFileSync(target, 'x');
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    const p = join(dir, e.name);
    if (e.kind === 'file') writeFileSync(p, 'data');
    else if (e.kind === 'dir') mkdirSync(p);
    else if (e.kind === 'link-file') symlinkSync(target, p);
    else if (e.kind === 'link-dir') symlinkSync(dir, p);
    else if (e.kind === 'link-dangling') symlinkSync(join(dir, 'nowhere'), p);
    else if (e.kind === 'link-loop') symlinkSync(p, p);
    if (e.kind === 'file' || e.kind === 'dir') {
      chmodSync(p, e.mode);
      if (process.getuid?.() === 0) chownSync(p, e.owner, e.owner);
    }
    // a path through a file (ENOTDIR), or into the directory (and past a 000 one: EACCES when not root)
    paths.push(e.kind === 'through-file' ? join(target, e.name) : p, ...(e.kind === 'dir' ? [join(p, 'inner')] : []));
  }
  return [dir, ...paths, '/'];
}

describe('perm:PATH lines: one stat for every path, the old loop as the oracle', () => {
  const oldLoop = (paths: string[]) => `for p in ${paths.map(q).join(' ')}; do [ -e "$p" ] && echo "perm:$p=$(stat -L -c '%a %U %G' "$p")"; done`;

  it('the same lines, in the same order, for generated trees (generated)', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 8 }), (entries) => {
        const paths = tree(entries);
        sameOutput(oldLoop(paths), permsCmd(paths));
      }),
      { numRuns: 40 },
    );
  });

  it("a path that cannot be stat'ed prints no line, the paths after it still do, and the plan reads them", () => {
    const dir = fresh();
    mkdirSync(join(dir, 'open dir'));
    chmodSync(join(dir, 'open dir'), 0o777);
    writeFileSync(join(dir, 'open dir', 'tool'), '#!/bin/sh\n');
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    const commands = [join(dir, 'dangling'), join(dir, 'loop'), join(dir, 'open dir', 'tool')];
    const paths = [...commands, join(dir, 'open dir'), dir, '/'];
    const out = sameOutput(oldLoop(paths), permsCmd(paths));
    const lines = out.split('\n').filter(Boolean);
    expect(lines.map((l) => l.slice(0, l.lastIndexOf('=')))).toEqual(paths.slice(2).map((p) => `perm:${p}`));
    expect(lines[1]).toMatch(/=777 \S+ \S+$/);

    const desired = { sudoers: { user: 'svc', file: 'svc', roles: ['node'], commands, rootEquivalent: [] } } as unknown as HostDesired;
    const plan = planRaw(sudoersResource, out, desired);
    // only the path that could be read is judged: the unreadable ones are neither writable nor safe
    expect(plan.warnings.filter((w) => w.includes('writable'))).toEqual([
      expect.stringMatching(
        new RegExp(`^${join(dir, 'open dir', 'tool').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is granted to svc as root, but .*open dir is writable by anyone`),
      ),
    ]);
  });

  it('the sudoers facts script asks stat once for all its paths', () => {
    const desired = {
      sudoers: { user: 'svc', file: 'svc', roles: ['node'], commands: ['/usr/bin/tee', '/bin/mount', '/opt/v/x.sh'], rootEquivalent: [] },
    } as unknown as HostDesired;
    const script = sudoersResource.probe(desired);
    expect(script.match(/\bstat -L\b/g)).toHaveLength(1);
    expect(script).not.toMatch(/\bfor p in\b/);
  });
});

describe('key=BASE64 file facts without $(…), the old subshell as the oracle', () => {
  const oldRead = (key: string, path: string) => `echo "${key}=$(if [ -f ${q(path)} ]; then base64 -w0 < ${q(path)}; echo; else echo absent; fi)"`;

  it('the same line for generated contents, an empty file, a directory and no file (generated)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.string().map((s) => Buffer.from(s)),
        ),
        fc.constantFrom('file', 'empty', 'dir', 'none'),
        (bytes, what) => {
          const dir = fresh();
          const path = join(dir, "a file's name");
          if (what === 'file') writeFileSync(path, bytes);
          if (what === 'empty') writeFileSync(path, '');
          if (what === 'dir') mkdirSync(path);
          const out = sameOutput(oldRead('content', path), readFileFact('content', path));
          expect(out).toBe(
            what === 'file' || what === 'empty' ? `content=${Buffer.from(what === 'file' ? bytes : []).toString('base64')}\n` : 'content=absent\n',
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('foreign=FILE: one grep and one sed, the old grep | grep -vxF | sed as the oracle', () => {
  const user = 'svc_user-1';
  const oldForeign = (own: string, files: string) =>
    `grep -lE ${q(`(^|[^A-Za-z0-9_.-])${user}([^A-Za-z0-9_.-]|$)`)} ${files} 2>/dev/null | grep -vxF ${q(own)} | sed 's/^/foreign=/'`;
  const fileName = fc
    .array(fc.constantFrom('a', 'b', '-', '_', '.', '|', '[', ']', '*', '^', '$', '\\', ' ', '~'), { minLength: 1, maxLength: 6 })
    .map((cs) => cs.join(''))
    .filter((s) => s !== '.' && s !== '..');
  const text = fc
    .array(
      fc.constantFrom(
        `${user} ALL=(root) /bin/x`,
        `x${user}`,
        `${user}x`,
        `Defaults:${user} !requiretty`,
        `%${user} ALL=ALL`,
        'root ALL=(ALL) ALL',
        `# ${user}`,
        '',
      ),
      { maxLength: 3 },
    )
    .map((ls) => ls.join('\n'));

  it('the same lines for generated sudoers directories, whatever our own file is called (generated)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fileName, text), { minLength: 1, maxLength: 6, selector: ([name]) => name }),
        fc.nat(),
        text,
        (files, ownAt, main) => {
          const dir = fresh();
          mkdirSync(join(dir, 'sudoers.d'));
          writeFileSync(join(dir, 'sudoers'), main);
          for (const [name, body] of files) writeFileSync(join(dir, 'sudoers.d', name), body);
          const own = join(dir, 'sudoers.d', files[ownAt % files.length]![0]);
          const words = [q(join(dir, 'sudoers')), `${q(join(dir, 'sudoers.d'))}/*`];
          const out = sameOutput(oldForeign(own, words.join(' ')), foreignFilesCmd(user, own, words));
          expect(out.split('\n')).not.toContain(`foreign=${own}`);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('kernel=yes|no: /proc/filesystems read by the shell, the old grep -qw as the oracle', () => {
  const fsName = fc.constantFrom('selinuxfs', 'ext4', 'xfs', 'proc', 'selinuxfs2', 'xselinuxfs', 'cgroup2', 'tmpfs', 'fuse');
  const line = fc.tuple(fc.boolean(), fsName).map(([nodev, name]) => `${nodev ? 'nodev' : ''}\t${name}`);

  it('the same answer for generated filesystem lists (generated)', () => {
    const desired = { selinux: { mode: 'permissive' } } as unknown as HostDesired;
    const script = selinuxResource.probe(desired);
    const kernelLines = script.split('\n').filter((l) => l.includes('/proc/filesystems') || l.includes('kernel='));
    expect(kernelLines.join('\n')).not.toMatch(/\bgrep\b/);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const file = join(fresh(), 'filesystems');
        writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
        const fragment = kernelLines.join('\n').replaceAll('/proc/filesystems', q(file));
        const oracle = `if grep -qw selinuxfs ${q(file)} 2>/dev/null; then echo kernel=yes; else echo kernel=no; fi`;
        sameOutput(oracle, fragment);
      }),
      { numRuns: 40 },
    );
  });

  it('an unreadable list says no, as before', () => {
    const script = selinuxResource.probe({ selinux: { mode: 'permissive' } } as unknown as HostDesired);
    const fragment = script
      .split('\n')
      .filter((l) => l.includes('/proc/filesystems') || l.includes('kernel='))
      .join('\n')
      .replaceAll('/proc/filesystems', '/nonexistent/filesystems');
    expect(
      sameOutput(`if grep -qw selinuxfs /nonexistent/filesystems 2>/dev/null; then echo kernel=yes; else echo kernel=no; fi`, `{ ${fragment}\n} 2>/dev/null`),
    ).toBe('kernel=no\n');
  });
});

describe("values are printed exactly, backslashes included (dash's echo reads \\c, \\a… as escapes)", () => {
  const odd = 'a\\cb\\a\\n';

  it('perm: and missing= lines keep a path with backslashes as it is', () => {
    const dir = fresh();
    const present = join(dir, odd);
    writeFileSync(present, 'x');
    const absent = join(dir, `no${odd}`);
    const desired = {
      sudoers: { user: 'nosuchuser-vprov', file: 'nosuchuser-vprov', roles: ['node'], commands: [present, absent], rootEquivalent: [] },
    } as unknown as HostDesired;
    for (const shell of SHELLS) {
      const lines = run(shell, sudoersResource.probe(desired)).stdout.split('\n');
      expect(lines, shell).toContain(`missing=${absent}`);
      expect(
        lines.filter((l) => l.startsWith(`perm:${present}=`)),
        shell,
      ).toHaveLength(1);
    }
  });

  it('a passwd entry whose comment field holds a backslash keeps its home and shell', () => {
    // getent and id stubbed: the account's comment field is "Backup\cService" (as an admin or a directory service may set it)
    const bin = fresh();
    const entry = 'svc:x:999:996:Backup\\cService:/home/svc:/bin/bash';
    writeFileSync(join(bin, 'getent'), `#!/bin/sh\nif [ "$1" = passwd ]; then printf '%s\\n' ${q(entry)}; else printf 'disk:x:6:svc\\n'; fi\n`);
    writeFileSync(join(bin, 'id'), `#!/bin/sh\necho 'svc disk'\n`);
    writeFileSync(join(bin, 'awk'), '#!/bin/sh\necho 999\n');
    for (const f of ['getent', 'id', 'awk']) chmodSync(join(bin, f), 0o755);
    const desired = { account: { name: 'svc', groups: ['disk'], system: true, home: '/home/svc', shell: '/bin/bash' } } as unknown as HostDesired;
    for (const shell of SHELLS) {
      const r = spawnSync(shell, ['-c', accountResource.probe(desired)], { encoding: 'utf8', env: { PATH: bin } });
      expect(r.stdout.split('\n'), shell).toContain(`passwd=${entry}`);
      const plan = planRaw(accountResource, r.stdout, desired);
      expect({ shell, changes: plan.changes, warnings: plan.warnings }).toEqual({ shell, changes: [], warnings: [] });
    }
  });
});
