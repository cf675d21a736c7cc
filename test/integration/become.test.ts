/**
 * Becoming root on real lab hosts: the sudo password is written only to sudo's own prompt,
 * never to a shell; a wrong one costs exactly one PAM failure; requiretty and rbash hosts work.
 * Users, passwords and sudo rules are set up from outside (docker exec), and so is every check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { parse, stringify } from 'yaml';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov, type CliResult } from '../helpers/cli.js';
import { withEnv } from '../helpers/env.js';

let lab: Lab;
const out = mkdtempSync(join(tmpdir(), 'vprov-become-'));
// Every character a shell or the facts script could trip on.
const SECRET = `Pw'"\\\`|;$(touch /tmp/PWNED2)&x`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

// Count PAM failures per user (pam_faillock, deny high enough never to lock the tests out).
const FAILLOCK = `cat > /etc/pam.d/common-auth <<'EOF'
auth requisite pam_faillock.so preauth deny=50
auth [success=1 default=ignore] pam_unix.so nullok
auth [default=die] pam_faillock.so authfail deny=50
auth sufficient pam_faillock.so authsucc deny=50
auth requisite pam_deny.so
auth required pam_permit.so
EOF
mkdir -p /var/run/faillock`;

/** A login user with ops's authorized key, a password and a sudo rule (`sudoers` is the rule's tail). */
async function addUser(host: string, user: string, opts: { shell?: string; password?: string; sudoers: string; defaults?: string }): Promise<void> {
  const cmd = [
    `useradd -m -s ${opts.shell ?? '/bin/bash'} ${user}`,
    opts.password !== undefined ? `echo ${b64(`${user}:${opts.password}`)} | base64 -d | chpasswd` : 'true',
    `mkdir -p /home/${user}/.ssh && cp /home/ops/.ssh/authorized_keys /home/${user}/.ssh/ && chown -R ${user}: /home/${user}/.ssh`,
    `printf '%s\\n' ${opts.defaults ? `'${opts.defaults}'` : ''} '${user} ALL=(ALL) ${opts.sudoers}' > /etc/sudoers.d/lab-${user}`,
    `chmod 440 /etc/sudoers.d/lab-${user} && visudo -c >/dev/null && echo user-ready`,
  ].join(' && ');
  const r = await lab.exec(host, cmd);
  expect(r.stdout + r.stderr).toContain('user-ready');
}

function inventoryFor(host: string, user: string): string {
  const path = lab.writeInventory(`${host}-${user}.yaml`, { roles: { [host]: ['node'] }, networks: { hypervisor: ['192.0.2.0/24'] } });
  const doc = parse(readFileSync(path, 'utf8'));
  doc.defaults.ssh.user = user;
  writeFileSync(path, stringify(doc));
  return path;
}

const withPassword = <T>(password: string | undefined, fn: () => Promise<T>) => withEnv('VPROV_BECOME_PASSWORD', password, fn);

async function pamFailures(host: string, user: string): Promise<number> {
  const r = await lab.exec(host, `faillock --user ${user}`);
  expect(r.stdout).toContain(`${user}:`); // faillock itself answered
  // One line per failure: "When Type Source Valid", Type SVC or TTY.
  return (r.stdout.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +(SVC|TTY|RHOST) /gm) ?? []).length;
}

/** The three-run contract for a become path: plan pending, apply changes, re-apply changes nothing. */
async function threeRuns(inv: string): Promise<CliResult[]> {
  const plan = await vprov('plan', '-i', inv, '--format', 'json');
  expect(plan.code).toBe(2);
  expect(JSON.parse(plan.stdout).hosts[0].status).toBe('pending');
  const apply = await vprov('apply', '-i', inv);
  expect(apply.stdout).toMatch(/: changed/);
  expect(apply.code).toBe(0);
  const again = await vprov('apply', '-i', inv, '--format', 'json');
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout).hosts[0].status).toBe('ok');
  return [plan, apply, again];
}

beforeAll(async () => {
  lab = await startLab([{ name: 'nopw' }, { name: 'pw' }, { name: 'tty' }, { name: 'rbash' }]);
  for (const h of ['pw', 'tty']) expect((await lab.exec(h, `${FAILLOCK} && echo pam-ready`)).stdout).toContain('pam-ready');
  await addUser('pw', 'pwu', { password: SECRET, sudoers: 'ALL' });
  await addUser('tty', 'ttyu', { password: SECRET, sudoers: 'ALL', defaults: 'Defaults:ttyu requiretty' });
  await addUser('tty', 'ttyn', { sudoers: 'NOPASSWD: ALL', defaults: 'Defaults:ttyn requiretty' });
  await addUser('rbash', 'rbu', { shell: '/bin/rbash', sudoers: 'NOPASSWD: ALL' });
  // The lab really has these properties: requiretty refuses sudo without a tty, rbash refuses exec.
  expect((await lab.exec('tty', `su ttyn -c 'sudo -n true' </dev/null`)).stderr).toMatch(/you must have a tty/);
  expect((await lab.exec('rbash', `su rbu -c 'exec true'`)).stderr).toMatch(/restricted/);
});
afterAll(async () => {
  await lab?.stop();
});

describe('become: a password is only ever an answer to sudo', () => {
  it('a NOPASSWD host never runs the password as a command (neither as ops nor as root)', async () => {
    const root = await lab.exec('nopw', 'mkdir -p /root/.ssh && cp /home/ops/.ssh/authorized_keys /root/.ssh/ && echo ok');
    expect(root.stdout).toContain('ok');
    for (const user of ['ops', 'root']) {
      const inv = inventoryFor('nopw', user);
      const runs = await withPassword('touch /tmp/PWNED', async () => [await vprov('plan', '-i', inv), await vprov('apply', '-i', inv)]);
      expect(runs[0]!.code).toBe(2);
      expect(runs[1]!.code).toBe(0);
      for (const r of runs) expect(r.stdout + r.stderr).not.toMatch(/PWNED|not found/);
      const probe = await lab.exec('nopw', 'test -d /tmp && { test -e /tmp/PWNED && echo PRESENT || echo ABSENT; }');
      expect(probe.stdout.trim()).toBe('ABSENT');
      await lab.exec('nopw', 'userdel -r vprotect; rm -f /etc/sudoers.d/vprotect'); // so root's run changes things too
    }
  });

  it('a password with quotes, backticks, | ; $( ) works, three runs, and appears nowhere', async () => {
    const inv = inventoryFor('pw', 'pwu');
    const history = join(out, 'history');
    const runs = await withPassword(SECRET, async () => {
      const three = await threeRuns(inv);
      await lab.exec('pw', "sed -i 's#^vprotect.*#&, /usr/bin/vim#' /etc/sudoers.d/vprotect"); // drift, so reports carry diffs
      const reports: CliResult[] = [];
      for (const format of ['json', 'junit', 'html', 'prometheus', 'text']) {
        const r = await vprov('drift', '-i', inv, '--format', format, '--output', join(out, `drift.${format}`), '--history', history);
        expect(r.code).toBe(2);
        reports.push(r);
      }
      return [...three, ...reports];
    });
    expect((await lab.exec('pw', 'id -nG vprotect')).stdout).toMatch(/\bdisk\b/);
    expect((await lab.exec('pw', 'test -e /tmp/PWNED2 && echo PRESENT || echo ABSENT')).stdout.trim()).toBe('ABSENT');
    expect(await pamFailures('pw', 'pwu')).toBe(0);
    // Controller side: everything printed and every file written.
    const files = [
      ...readdirSync(out)
        .filter((f) => f.startsWith('drift.'))
        .map((f) => join(out, f)),
      ...readdirSync(history).map((f) => join(history, f)),
    ];
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const r of runs) expect(r.stdout + r.stderr).not.toContain(SECRET);
    for (const f of files) expect(readFileSync(f, 'utf8')).not.toContain(SECRET);
    // Host side: logs, history files, temp and run directories (the needle lives outside them).
    await lab.exec('pw', `echo ${b64(SECRET)} | base64 -d > /needle`);
    const grep = await lab.exec('pw', 'grep -rsFl -f /needle /var/log /tmp /run /root /home /etc /var/lib; echo "grep-exit=$?"');
    expect(grep.stdout.trim()).toBe('grep-exit=1'); // 1 = searched, nothing found
  });

  it('a wrong password fails that host with "sudo: incorrect password" after exactly one PAM failure', async () => {
    await lab.exec('pw', 'faillock --user pwu --reset');
    const inv = inventoryFor('pw', 'pwu');
    const r = await withPassword('wrong-password', () => vprov('plan', '-i', inv));
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/sudo: incorrect password/);
    expect(r.stdout + r.stderr).not.toContain('wrong-password');
    expect(await pamFailures('pw', 'pwu')).toBe(1);
  });

  it('without a password on a password host: a clear refusal and no PAM failure at all', async () => {
    await lab.exec('pw', 'faillock --user pwu --reset');
    const r = await withPassword(undefined, () => vprov('plan', '-i', inventoryFor('pw', 'pwu')));
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/sudo: a password is required \(set VPROV_BECOME_PASSWORD or use --ask-become-pass/);
    expect(await pamFailures('pw', 'pwu')).toBe(0);
  });
});

describe('become: bad passwords are bad input', () => {
  it('a password with a newline (the rest would be read as script) is exit 1 before any host is contacted', async () => {
    const logins = () => {
      const log = spawnSync('docker', ['logs', lab.host('pw').id], { encoding: 'utf8' }); // sshd -e logs on stderr
      return (`${log.stdout}${log.stderr}`.match(/Accepted publickey/g) ?? []).length;
    };
    const before = logins();
    expect(before).toBeGreaterThan(0); // the log is readable and counts logins
    const inv = inventoryFor('pw', 'pwu');
    for (const cmd of ['plan', 'drift']) {
      const r = await withPassword(`${SECRET}\ntouch /tmp/PWNED3`, () => vprov(cmd, '-i', inv));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/VPROV_BECOME_PASSWORD contains a newline or another control character/);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
    expect(logins()).toBe(before);
  });
});

describe('become: hosts that need a tty or restrict the shell', () => {
  it('requiretty with a password: vprov asks for a pty, three runs, the password stays hidden', async () => {
    const runs = await withPassword(SECRET, () => threeRuns(inventoryFor('tty', 'ttyu')));
    for (const r of runs) expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect((await lab.exec('tty', 'id -nG vprotect')).stdout).toMatch(/\bdisk\b/);
    expect((await lab.exec('tty', 'grep "^vprotect " /etc/sudoers.d/vprotect')).stdout).toMatch(/^vprotect ALL=\(root\) NOPASSWD: /m);
    expect(await pamFailures('tty', 'ttyu')).toBe(0);
  });

  it('requiretty with a wrong password: one PAM failure, the same message', async () => {
    await lab.exec('tty', 'faillock --user ttyu --reset');
    const r = await withPassword('wrong-password', () => vprov('plan', '-i', inventoryFor('tty', 'ttyu')));
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/sudo: incorrect password/);
    expect(r.stdout + r.stderr).not.toContain('wrong-password');
    expect(await pamFailures('tty', 'ttyu')).toBe(1);
  });

  it('requiretty with NOPASSWD: the script output survives the pty byte for byte (re-apply is clean)', async () => {
    await lab.exec('tty', 'userdel -r vprotect; rm -f /etc/sudoers.d/vprotect');
    await withPassword(undefined, () => threeRuns(inventoryFor('tty', 'ttyn')));
  });

  it('an rbash login shell (no exec, no command paths) is provisioned', async () => {
    await withPassword(undefined, () => threeRuns(inventoryFor('rbash', 'rbu')));
    expect((await lab.exec('rbash', 'id -nG vprotect')).stdout).toMatch(/\bdisk\b/);
  });
});
