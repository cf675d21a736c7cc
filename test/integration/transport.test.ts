/** SSH transport and runner against real lab hosts: failures, host keys, jump hosts, sudo passwords. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

let lab: Lab;
const names = Array.from({ length: 20 }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);

beforeAll(async () => {
  lab = await startLab([...names.map((name) => ({ name })), { name: 'jump' }, { name: 'target' }, { name: 'pw' }]);
});
afterAll(async () => {
  await lab?.stop();
});

function editInventory(path: string, edit: (doc: any) => void): void {
  const doc = parse(readFileSync(path, 'utf8'));
  edit(doc);
  writeFileSync(path, stringify(doc));
}

describe('runner', () => {
  it('20 hosts, one stopped and one with a wrong sshd port: the others are applied, exactly two fail', async () => {
    const roles = Object.fromEntries(names.map((n, i) => [n, [i === 0 ? 'node' : 'hypervisor']]));
    const inv = lab.writeInventory('twenty.yaml', { roles });
    editInventory(inv, (d) => {
      d.hosts.h20.ssh = { host: lab.host('h20').address, port: 2222, connectTimeout: 5 };
      d.hosts.h19.ssh.connectTimeout = 5;
    });
    await lab.host('h19').container.stop({ timeout: 1 });
    const r = await vprov('apply', '-i', inv, '--forks', '8', '--format', 'json');
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    const byStatus = (s: string) => doc.hosts.filter((h: { status: string }) => h.status === s).map((h: { host: string }) => h.host);
    expect(byStatus('unreachable').sort()).toEqual(['h19', 'h20']);
    expect(byStatus('changed')).toHaveLength(18);
    expect(doc.hosts.find((h: { host: string }) => h.host === 'h20').error).toMatch(/ECONNREFUSED/);
    for (const h of ['h02', 'h18']) expect((await lab.exec(h, 'nft list table inet vprov')).code).toBe(0);
    const text = await vprov('apply', '-i', inv, '--forks', '8');
    expect(text.stdout).toMatch(/hosts: 20 ok=18 changed=0 pending=0 failed=0 unreachable=2 skipped=0/);
  });
});

describe('host keys', () => {
  it('strict refuses an unknown key and prints its fingerprint; accept-new records it', async () => {
    const inv = lab.writeInventory('keys.yaml', { roles: { jump: ['hypervisor'] }, networks: { node: ['192.0.2.0/24'] } });
    editInventory(inv, (d) => (d.defaults.ssh.hostKeys = 'strict'));
    const strict = await vprov('plan', '-i', inv);
    expect(strict.code).toBe(4);
    expect(strict.stdout).toMatch(/unknown host key for \[[^\]]+\]:\d+: ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}\. Verify it/);
    editInventory(inv, (d) => (d.defaults.ssh.hostKeys = 'accept-new'));
    const tofu = await vprov('plan', '-i', inv);
    expect(tofu.code).toBe(2);
    expect(tofu.stderr).toMatch(/recorded new host key/);
    expect(readFileSync(lab.knownHosts, 'utf8')).toMatch(/ssh-ed25519 AAAA/);
    editInventory(inv, (d) => (d.defaults.ssh.hostKeys = 'strict'));
    expect((await vprov('plan', '-i', inv)).code).toBe(2); // now known: strict accepts it
  });

  it('a changed key is refused by strict and by accept-new', async () => {
    const inv = lab.writeInventory('changed.yaml', { roles: { target: ['hypervisor'] }, networks: { node: ['192.0.2.0/24'] } });
    const t = lab.host('target');
    // A different ed25519 key recorded for this host: what a man in the middle would look like.
    const fake = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]).toString('base64');
    const known = `${lab.dir}/changed_known_hosts`;
    writeFileSync(known, `[${t.sshHost}]:${t.sshPort} ssh-ed25519 ${fake}\n`);
    for (const policy of ['strict', 'accept-new']) {
      editInventory(inv, (d) => Object.assign(d.defaults.ssh, { hostKeys: policy, knownHostsFile: known }));
      const r = await vprov('plan', '-i', inv);
      expect(r.code).toBe(4);
      expect(r.stdout).toMatch(/host key for \[[^\]]+\]:\d+ CHANGED \(now ssh-ed25519 SHA256:\S+\); refusing/);
    }
    expect(readFileSync(known, 'utf8').trim().split('\n')).toHaveLength(1); // nothing was recorded over it
  });
});

describe('jump host', () => {
  it('provisions a target that only accepts SSH from the jump host', async () => {
    const [jump, target] = [lab.host('jump'), lab.host('target')];
    await lab.exec(
      'target',
      `nft add table ip guard && nft add chain ip guard input '{ type filter hook input priority -10; policy accept; }' && nft add rule ip guard input tcp dport 22 ip saddr != ${jump.address} drop`,
    );
    const inv = lab.writeInventory('jump.yaml', { roles: { target: ['hypervisor'] }, networks: { node: ['192.0.2.0/24'] } });
    editInventory(inv, (d) => (d.hosts.target.ssh = { connectTimeout: 4 }));
    const direct = await vprov('apply', '-i', inv);
    expect(direct.code).toBe(4); // the controller itself cannot get in
    editInventory(inv, (d) => (d.hosts.target.ssh = { host: target.address, port: 22, proxyJump: `ops@${jump.sshHost}:${jump.sshPort}` }));
    const via = await vprov('apply', '-i', inv);
    expect(via.stdout).toMatch(/== target: changed/);
    expect(via.code).toBe(0);
    expect((await lab.exec('target', 'nft list table inet vprov')).stdout).toContain('192.0.2.0/24');
  });
});

describe('sudo with a password', () => {
  const secret = 'Pw-for-vprov-test-41';
  beforeAll(async () => {
    await lab.exec('pw', `echo 'ops:${secret}' | chpasswd && sed -i 's/^ops ALL=(ALL) NOPASSWD: ALL$/ops ALL=(ALL) ALL/' /etc/sudoers && visudo -c`);
  });

  it('fails clearly without the password, works with VPROV_BECOME_PASSWORD, never shows it', async () => {
    const inv = lab.writeInventory('pw.yaml', { roles: { pw: ['node'] }, networks: { hypervisor: ['192.0.2.0/24'] } });
    const without = await vprov('apply', '-i', inv);
    expect(without.code).toBe(4);
    expect(without.stdout).toMatch(/sudo refused for ops: sudo: a password is required \(set VPROV_BECOME_PASSWORD or use --ask-become-pass/);
    process.env.VPROV_BECOME_PASSWORD = secret;
    try {
      const withPw = await vprov('apply', '-i', inv);
      expect(withPw.code).toBe(0);
      expect(withPw.stdout).toMatch(/== pw: changed/);
      const json = await vprov('plan', '-i', inv, '--format', 'json');
      expect(json.code).toBe(0);
      process.env.VPROV_BECOME_PASSWORD = 'wrong-password';
      const wrong = await vprov('plan', '-i', inv);
      expect(wrong.code).toBe(4);
      expect(wrong.stdout).toMatch(/sudo: incorrect password for ops/);
      for (const out of [without, withPw, json, wrong]) expect(out.stdout + out.stderr).not.toContain(secret);
      expect(wrong.stdout + wrong.stderr).not.toContain('wrong-password');
    } finally {
      delete process.env.VPROV_BECOME_PASSWORD;
    }
    // nor in the host's logs or process list
    expect((await lab.exec('pw', `grep -rs '${secret}' /var/log /tmp /run || true`)).stdout).toBe('');
    expect((await lab.exec('pw', 'id -nG vprotect')).stdout).toMatch(/disk/);
  });
});
