/**
 * A file that exists but cannot be read is an error naming it, never an empty file: the file
 * fact scripts run under sh as an unprivileged user (setpriv) against root-only files, and every
 * resource that reads a file fact fails with the path (the others are still planned).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeFileFact, readFileFact, UNREADABLE_MARK } from '../../src/resources/shell.js';
import { UnreadableFactError } from '../../src/core/errors.js';
import { sudoersResource } from '../../src/resources/sudoers.js';
import { parseSelinuxFacts } from '../../src/resources/selinux.js';
import { readNftFacts } from '../../src/resources/firewall-nftables.js';
import { accountResource } from '../../src/resources/account.js';
import { prerequisite } from '../helpers/prerequisite.js';
import { planRaw } from '../helpers/facts.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// Root reads every file: an unreadable one needs another user, made with util-linux's setpriv.
const asRoot = process.getuid?.() === 0;
const setpriv = prerequisite('setpriv', spawnSync('setpriv', ['--version']).status === 0, 'apt-get install util-linux');

/** Run `script` under sh as nobody (uid 65534), or as this user when not root. */
function shAsNobody(script: string): string {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/sh', '-c', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('file facts', () => {
  it.skipIf(!asRoot || !setpriv)('a root-only file read by an unprivileged user: the fact says unreadable, and decoding it names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-unreadable-'));
    dirs.push(dir);
    chmodSync(dir, 0o755);
    const secret = join(dir, 'vprotect');
    const open = join(dir, 'open');
    writeFileSync(secret, 'vprotect ALL=(root) NOPASSWD: /bin/true\n', { mode: 0o440 });
    writeFileSync(open, 'readable\n', { mode: 0o644 });
    const out = shAsNobody([readFileFact('content', secret), readFileFact('other', open), readFileFact('none', join(dir, 'missing'))].join('\n'));
    const [content, other, none] = out
      .trim()
      .split('\n')
      .map((l) => l.slice(l.indexOf('=') + 1));
    expect(content).toBe(UNREADABLE_MARK);
    expect(() => decodeFileFact(content, secret)).toThrow(UnreadableFactError);
    expect(() => decodeFileFact(content, secret)).toThrow(`cannot read ${secret} on the host`);
    expect(decodeFileFact(other, open)).toBe('readable\n');
    expect(decodeFileFact(none, 'missing')).toBeNull();
  });

  it('any content round-trips; only the mark (never valid base64) reads as unreadable', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const line = Buffer.from(text, 'utf8').toString('base64');
        expect(decodeFileFact(line, '/f')).toBe(text);
        expect(() => decodeFileFact(`${line}${UNREADABLE_MARK}`, '/f')).toThrow(UnreadableFactError);
      }),
    );
  });

  it('each resource that reads a file: its own failure naming the file, not a change', () => {
    const mark = `=${UNREADABLE_MARK}`;
    expect(
      planRaw(sudoersResource, `user=yes\ncontent${mark}\n`, { sudoers: { file: 'vprotect', user: 'vprotect', commands: [], rootEquivalent: [] } } as never),
    ).toMatchObject({ status: 'failed', error: expect.stringContaining('cannot read /etc/sudoers.d/vprotect on the host') });
    expect(() => parseSelinuxFacts(`config${mark}\nkernel=yes\n`)).toThrow('cannot read /etc/selinux/config on the host');
    expect(readNftFacts(`nft=yes\nruleset=e30=\npersisted${mark}\nunit=absent\ndropin=absent\n`)).toEqual(
      new UnreadableFactError('cannot read /etc/vprov/vprov.nft on the host: it exists, but reading it failed'),
    );
  });
});

describe('yes/no facts', () => {
  const host = { controllerAddress: null, sshPort: 22, systemd: false, firewalldRunning: false };
  const desired = {
    account: { name: 'svc', groups: ['disk'], system: true, home: '/home/svc', shell: '/bin/bash' },
  } as unknown as import('../../src/core/types.js').HostDesired;
  // Anything but a clean "yes" or "no" after the key: cut short, garbled, empty.
  const notYesNo = fc.string().filter((s) => s !== 'yes' && s !== 'no' && !s.includes('\n'));
  const line = (key: string, v: string) => `${key}=${v}\n`;

  it('an "nft=" line that is garbled is an error with what it said, never "nft is not installed"', () => {
    fc.assert(
      fc.property(notYesNo, (v) => {
        const facts = readNftFacts(line('nft', v));
        expect(facts).toBeInstanceOf(UnreadableFactError);
        expect((facts as Error).message).toMatch(/^cannot read whether nft is installed from the host's facts: "nft=.*" is neither yes nor no$/);
      }),
    );
    expect(readNftFacts('nft=no\n')).toMatchObject({ installed: false });
  });

  it('an "exists=" or "group:G=" line that is garbled is an unreadable fact with why, never "no such user" (a useradd) or "no such group"', () => {
    fc.assert(
      fc.property(notYesNo, fc.constantFrom('yes', 'no'), fc.boolean(), (v, other, garbleExists) => {
        const raw = garbleExists ? `${line('exists', v)}group:disk=${other}\n` : `exists=${other}\n${line('group:disk', v)}`;
        const facts = accountResource.parse(raw, desired);
        expect(facts).toBeInstanceOf(UnreadableFactError);
        expect((facts as Error).message).toMatch(
          garbleExists ? /cannot read whether user svc exists from the host's facts/ : /cannot read whether group disk exists from the host's facts/,
        );
      }),
    );
    const clean = accountResource.parse('exists=no\ngroup:disk=yes\n', desired);
    expect(clean).toMatchObject({ exists: false, groupExists: { disk: true } });
    expect(accountResource.plan(clean as Exclude<typeof clean, Error>, desired, host)).toMatchObject({
      status: 'pending',
      changes: [expect.stringMatching(/^\+ user svc/)],
    });
  });
});
