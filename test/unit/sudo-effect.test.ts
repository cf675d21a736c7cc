/** What sudo grants, parsed from `sudo -l -U` as sudo 1.9 prints it, compared with the documented list. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { effectProblem, parseSudoList } from '../../src/resources/sudo-effect.js';
import { accountResource } from '../../src/resources/account.js';
import { sudoersResource } from '../../src/resources/sudoers.js';
import type { HostDesired } from '../../src/core/types.js';

const LISTED = `Matching Defaults entries for vprotect on h1:
    env_reset, mail_badpass, secure_path=/usr/local/sbin\\:/usr/bin\\:/bin, use_pty

User vprotect may run the following commands on h1:
    (root) NOPASSWD: /opt/v/privileged.sh, /usr/bin/tee,
        /bin/mount
`;
const facts = (text: string, more: Partial<Parameters<typeof effectProblem>[3]> = {}) => ({
  view: parseSudoList(text),
  includesDir: true,
  foreignFiles: [],
  ...more,
});
const DOC = ['/opt/v/privileged.sh', '/usr/bin/tee', '/bin/mount'];

describe('sudo -l -U', () => {
  it('parses entries, tags, wrapped lines and defaults', () => {
    const v = parseSudoList(LISTED);
    expect(v.grants).toEqual(DOC.map((command) => ({ runas: 'root', tags: 'NOPASSWD:', command })));
    expect(v.defaults).toContain('use_pty');
    expect(effectProblem('vprotect', DOC, '/etc/sudoers.d/vprotect', facts(LISTED))).toBeNull();
  });

  it('more, fewer, another runas, a password tag, requiretty: each named', () => {
    const more = `${LISTED}    (ALL) NOPASSWD: /usr/bin/vim, !/bin/ls\n`;
    expect(effectProblem('vprotect', DOC, 'F', facts(more, { foreignFiles: ['/etc/sudoers.d/zz'] }))).toBe(
      'sudo -l -U vprotect grants more than documented: (ALL) NOPASSWD: /usr/bin/vim, (ALL) NOPASSWD: !/bin/ls (vprotect is also named in /etc/sudoers.d/zz)',
    );
    expect(effectProblem('vprotect', [...DOC, '/bin/umount'], 'F', facts(LISTED))).toBe('sudo -l -U vprotect does not grant /bin/umount');
    const none = 'User vprotect is not allowed to run sudo on h1.\n';
    expect(effectProblem('vprotect', DOC, 'F', facts(none, { includesDir: false }))).toMatch(
      /does not grant any documented command: \/etc\/sudoers has no @includedir/,
    );
    expect(effectProblem('vprotect', DOC, 'F', facts(none))).toBe('sudo -l -U vprotect does not grant any documented command: sudo does not read F');
    const passwd = LISTED.replace('(root) NOPASSWD: ', '(ALL) ');
    expect(effectProblem('vprotect', DOC, 'F', facts(passwd))).toMatch(
      /grants more than documented: \(ALL\) \/opt\/v\/privileged\.sh.*does not grant any documented command/,
    );
    expect(effectProblem('vprotect', DOC, 'F', facts(LISTED.replace('use_pty', 'use_pty, requiretty')))).toBe(
      'sudo -l -U vprotect Defaults requiretty applies to vprotect: its commands fail without a terminal; fix: "Defaults:vprotect !requiretty" in a sudoers drop-in of your own that sudo reads after the line setting requiretty (see docs/resources.md)',
    );
    expect(effectProblem('vprotect', DOC, 'F', facts('sudo: command not found'))).toBe('cannot read what sudo grants vprotect: sudo: command not found');
  });
});

describe('requiretty', () => {
  it("the fix names the product's own account, whatever it is", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z_][a-z0-9_-]{0,15}$/), (user) => {
        const listed = LISTED.replaceAll('vprotect', user).replace('use_pty', 'requiretty, use_pty');
        const problem = effectProblem(user, DOC, 'F', facts(listed)) ?? '';
        expect(problem).toContain(`Defaults requiretty applies to ${user}:`);
        expect(problem).toContain(`fix: "Defaults:${user} !requiretty" in a sudoers drop-in of your own`);
      }),
    );
  });

  it('the last of requiretty and !requiretty sudo lists decides, as it does for sudo', () => {
    expect(effectProblem('vprotect', DOC, 'F', facts(LISTED.replace('use_pty', 'use_pty, !requiretty')))).toBeNull();
    // The fix in a drop-in read after the one setting requiretty: sudo lists both, in that order.
    expect(effectProblem('vprotect', DOC, 'F', facts(LISTED.replace('use_pty', 'use_pty, requiretty, !requiretty')))).toBeNull();
    expect(effectProblem('vprotect', DOC, 'F', facts(LISTED.replace('use_pty', '!requiretty, use_pty, requiretty')))).toMatch(
      /Defaults requiretty applies to vprotect/,
    );
  });
});

describe('values in fact scripts are one quoted word each, whatever the schema let through', () => {
  it('hostile group names and command paths run nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-quote-'));
    const evil = ['$(touch X1)', '`touch X2`', '"; touch X3; "', "'; touch X4; '", '$((1))|touch X5'].map((s) => s.replace(/X\d/, (m) => join(dir, m)));
    const desired = {
      account: { name: 'nosuchuser-vprov', groups: evil, system: true, home: '/nonexistent', shell: '/bin/false' },
      sudoers: { user: 'nosuchuser-vprov', file: 'nosuchuser-vprov', roles: ['node'], commands: evil.map((e) => `/nonexistent/${e}`), rootEquivalent: [] },
    } as unknown as HostDesired;
    const script = [accountResource.probe(desired), sudoersResource.probe(desired)].join('\n');
    const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    for (const e of evil) expect(out).toContain(`group:${e}=no`); // printed literally, as data
    for (const i of [1, 2, 3, 4, 5]) expect(existsSync(join(dir, `X${i}`))).toBe(false);
  });
});
