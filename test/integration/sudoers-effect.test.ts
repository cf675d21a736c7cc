/**
 * Catalog values that would escape their quoting or widen sudo are refused before any host is
 * contacted (file:line:field); and what sudo grants is verified as sudo reads it (`sudo -l -U`),
 * not as the file looks. Lab hosts over real SSH; every state read from outside (docker exec).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

let lab: Lab;
let inv: string;
const CATALOG = join(process.cwd(), 'catalog');

beforeAll(async () => {
  lab = await startLab([{ name: 'node' }, { name: 'server' }]);
  inv = lab.writeInventory('effect.yaml', { roles: { node: ['node'], server: ['server'] } });
});
afterAll(async () => {
  await lab?.stop();
});

const logins = (host: string) => {
  const log = spawnSync('docker', ['logs', lab.host(host).id], { encoding: 'utf8' }); // sshd -e logs on stderr
  return (`${log.stdout}${log.stderr}`.match(/Accepted publickey/g) ?? []).length;
};

/** A copy of the shipped catalog with storware.yaml edited. */
function catalogWith(edit: (yaml: string) => string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vprov-cat-'));
  cpSync(CATALOG, dir, { recursive: true });
  const file = join(dir, 'storware.yaml');
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before); // the edit really happened
  writeFileSync(file, after);
  return { dir, file };
}

const lineOf = (file: string, needle: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle)) + 1;

describe('catalog values that would reach a root script unquoted or widen sudo', () => {
  const cases: [string, (y: string) => string, string, RegExp][] = [
    [
      'a group name with $(...)',
      (y) => y.replace('groups: [disk]', `groups: [disk, '$(touch /tmp/PWNED-group)']`),
      'PWNED-group',
      /requirements\.account\.groups\[1\]: must be a POSIX user\/group name/,
    ],
    [
      'a sudo command with $(...)',
      (y) => y.replace('- /usr/sbin/fstrim', `- '/usr/sbin/fstrim$(id>/tmp/PWNED-sudo)'`),
      'PWNED-sudo',
      /requirements\.sudo\.node\.commands\[\d+\]: sudo command .* must not contain "\$"/,
    ],
    [
      'a second command after a comma: ALL',
      (y) => y.replace('- /usr/sbin/fstrim', '- /usr/bin/true,ALL'),
      'true,ALL',
      /must not contain "," \(in sudoers it starts another command\)/,
    ],
    ['ALL as a path segment', (y) => y.replace('- /usr/sbin/fstrim', '- /usr/sbin/ALL'), 'sbin/ALL', /must not contain ALL/],
    ['a glob', (y) => y.replace('- /usr/sbin/fstrim', '- /usr/sbin/*'), 'sbin/*', /must not contain a glob/],
    ['a directory escape', (y) => y.replace('- /usr/sbin/fstrim', '- /usr/sbin/../bin/sh'), 'sbin/../', /must not contain "\.\.", "\." or "\/\/" segments/],
    [
      'a newline in the account name (a rule of its own)',
      (y) => y.replace('user: vprotect', 'user: "vprotect\\nALL ALL=(ALL) NOPASSWD: ALL"'),
      'user: "vprotect',
      /requirements\.account\.user: must be a POSIX user\/group name/,
    ],
    [
      'a dot in the account name (sudo would skip the file)',
      (y) => y.replace('user: vprotect', 'user: vprotect.old'),
      'vprotect.old',
      /requirements\.account\.user: must be a POSIX/,
    ],
    ['a path in the account name', (y) => y.replace('user: vprotect', 'user: ../sudoers'), '../sudoers', /requirements\.account\.user: must be a POSIX/],
  ];

  it.each(cases)('%s: plan, drift and catalog lint exit 1 with file:line:field; no host is contacted', async (_what, edit, needle, reason) => {
    const { dir, file } = catalogWith(edit);
    const line = lineOf(file, needle);
    expect(line).toBeGreaterThan(0);
    const before = logins('node') + logins('server');
    for (const args of [
      ['plan', '-i', inv],
      ['drift', '-i', inv],
      ['catalog', 'lint'],
    ]) {
      const r = await vprov(...args, '--catalog', dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${file}:${line}: `);
      expect(r.stderr).toMatch(reason);
    }
    expect(logins('node') + logins('server')).toBe(before);
    const pwned = await lab.exec('node', 'ls /tmp; test -e /tmp/PWNED-group -o -e /tmp/PWNED-sudo && echo PRESENT || echo ABSENT');
    expect(pwned.stdout.trim().split('\n').pop()).toBe('ABSENT');
  });
});

describe('sudo grants exactly the documented commands, as sudo reads them', () => {
  it('after apply sudo -l -U vprotect lists the documented commands; drift is clean', async () => {
    const r = await vprov('apply', '-i', inv);
    expect(r.code).toBe(0);
    const listed = await lab.exec('server', 'sudo -l -U vprotect');
    expect(listed.stdout).toMatch(/\(root\) NOPASSWD: \/opt\/vprotect\/scripts\/application\/vp_license\.sh, \/bin\/umount, \/bin\/mount$/m);
    expect((await vprov('drift', '-i', inv)).code).toBe(0);
  });

  it('a foreign drop-in that grants more: drift fails the resource with what and where', async () => {
    await lab.exec('server', `echo 'vprotect ALL=(ALL) NOPASSWD: /usr/bin/vim' > /etc/sudoers.d/zz-extra && chmod 440 /etc/sudoers.d/zz-extra`);
    try {
      expect((await lab.exec('server', 'sudo -l -U vprotect')).stdout).toContain('/usr/bin/vim'); // sudo really grants it
      const r = await vprov('drift', '-i', inv, '--format', 'json');
      expect(r.code).toBe(4);
      const host = JSON.parse(r.stdout).hosts.find((h: { host: string }) => h.host === 'server');
      const sudoers = host.resources.find((x: { resource: string }) => x.resource === 'sudoers');
      expect(sudoers.status).toBe('failed');
      expect(sudoers.error).toBe(
        'sudo -l -U vprotect grants more than documented: (ALL) NOPASSWD: /usr/bin/vim (vprotect is also named in /etc/sudoers.d/zz-extra)',
      );
      expect(JSON.parse(r.stdout).hosts.find((h: { host: string }) => h.host === 'node').status).toBe('ok'); // the other host keeps its result
    } finally {
      await lab.exec('server', 'rm -f /etc/sudoers.d/zz-extra');
    }
  });

  it('no @includedir in /etc/sudoers: the file is valid but never read — apply and drift fail with that reason', async () => {
    const saved = await lab.exec(
      'server',
      `cp -p /etc/sudoers /root/sudoers.saved && sed -i '/includedir/d' /etc/sudoers && visudo -c >/dev/null && echo edited`,
    );
    expect(saved.stdout).toContain('edited');
    try {
      await lab.exec('server', 'rm -f /etc/sudoers.d/vprotect'); // so apply has something to write
      for (const cmd of ['apply', 'drift']) {
        const r = await vprov(cmd, '-i', inv, '--format', 'json', '--limit', 'server');
        expect(r.code).toBe(4);
        const sudoers = JSON.parse(r.stdout).hosts[0].resources.find((x: { resource: string }) => x.resource === 'sudoers');
        expect(sudoers.status).toBe('failed');
        expect(sudoers.error).toBe(
          'sudo -l -U vprotect does not grant any documented command: /etc/sudoers has no @includedir /etc/sudoers.d, so /etc/sudoers.d/vprotect is never read',
        );
      }
      expect((await lab.exec('server', 'test -f /etc/sudoers.d/vprotect && echo written')).stdout).toContain('written');
    } finally {
      await lab.exec('server', 'cp -p /root/sudoers.saved /etc/sudoers');
    }
    expect((await vprov('drift', '-i', inv, '--limit', 'server')).code).toBe(0);
  });

  it('Defaults requiretty for the service account blocks its commands: a failure with that reason and the fix, which works', async () => {
    await lab.exec('server', `echo 'Defaults:vprotect requiretty' > /etc/sudoers.d/zz-tty && chmod 440 /etc/sudoers.d/zz-tty`);
    try {
      const r = await vprov('drift', '-i', inv, '--limit', 'server');
      expect(r.code).toBe(4);
      expect(r.stdout).toMatch(
        /sudo -l -U vprotect Defaults requiretty applies to vprotect: its commands fail without a terminal; fix: "Defaults:vprotect !requiretty" in a sudoers drop-in of your own that sudo reads after the line setting requiretty/,
      );
      expect((await lab.exec('server', `runuser -u vprotect -- sudo -n -l </dev/null 2>&1`)).stdout).toMatch(/you must have a tty/);
      // The fix as the message gives it, in the operator's own drop-in sorted after the one setting requiretty.
      await lab.exec(
        'server',
        `echo 'Defaults:vprotect !requiretty' > /etc/sudoers.d/zz-tty-site && chmod 440 /etc/sudoers.d/zz-tty-site && visudo -c >/dev/null`,
      );
      const fixed = await vprov('drift', '-i', inv, '--limit', 'server');
      expect(fixed.code, (await lab.exec('server', 'sudo -l -U vprotect')).stdout + fixed.stdout).toBe(0);
      // Seen from outside: without a terminal, the account's sudo now answers instead of refusing.
      expect((await lab.exec('server', `runuser -u vprotect -- sudo -n -l </dev/null 2>&1`)).stdout).toMatch(/User vprotect may run the following commands/);
    } finally {
      await lab.exec('server', 'rm -f /etc/sudoers.d/zz-tty /etc/sudoers.d/zz-tty-site');
    }
  });
});

describe('root-equivalent and writable grants are flagged', () => {
  it('catalog lint names mount, umount, exportfs, dmsetup, qemu-nbd, targetcli, guestmount', async () => {
    const r = await vprov('catalog', 'lint');
    const line = r.stdout.split('\n').find((l) => /sudo for role node: root-equivalent/.test(l)) ?? '';
    for (const c of ['/bin/mount', '/bin/umount', '/usr/sbin/exportfs', '/usr/sbin/dmsetup', '/usr/bin/qemu-nbd', '/usr/bin/targetcli', '/usr/bin/guestmount'])
      expect(line).toContain(c);
  });

  it('a vendor script in a directory the service user owns is flagged in plan (and a root-owned one is not)', async () => {
    const setup = await lab.exec(
      'server',
      'mkdir -p /opt/vprotect/scripts/application && printf "#!/bin/sh\\n" > /opt/vprotect/scripts/application/vp_license.sh && chmod 755 /opt/vprotect/scripts/application/vp_license.sh && echo ready',
    );
    expect(setup.stdout).toContain('ready');
    const warningsOf = async () => {
      const r = await vprov('plan', '-i', inv, '--format', 'json', '--limit', 'server');
      return JSON.parse(r.stdout).hosts[0].resources.find((x: { resource: string }) => x.resource === 'sudoers').warnings as string[];
    };
    expect((await warningsOf()).filter((w) => /writable/.test(w))).toEqual([]);
    await lab.exec('server', 'chown vprotect /opt/vprotect/scripts');
    expect(await warningsOf()).toContain(
      '/opt/vprotect/scripts/application/vp_license.sh is granted to vprotect as root, but /opt/vprotect/scripts is writable by its owner vprotect (vprotect itself) (mode 755 vprotect:root): whoever writes there is root',
    );
    await lab.exec('server', 'chown root /opt/vprotect/scripts && chmod 666 /opt/vprotect/scripts/application/vp_license.sh');
    expect((await warningsOf()).join('\n')).toMatch(/vp_license\.sh is granted to vprotect as root, but it is writable by anyone \(mode 666 root:root\)/);
  });
});
