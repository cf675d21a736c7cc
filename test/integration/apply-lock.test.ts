/**
 * The apply lock is vprov's alone and covers exactly the write phase: /run/vprov is root's 0700
 * and the lock file 0600, so an unprivileged user of the host cannot open it (flock works on a
 * file opened read-only) to block every apply; the owner line is cleared when the lock is
 * released; the commit-confirm rollback timer a drop-policy change arms does not keep the lock's
 * descriptor, so the next apply does not wait the confirm window. Checked from outside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }]);
}, 300_000);
afterAll(async () => {
  await lab?.stop();
});

describe('the apply lock', () => {
  it('cannot be taken by an unprivileged user of the host; its owner line is cleared on release', async () => {
    const inv = lab.writeInventory('lock.yaml', { roles: { node1: ['node'] } });
    const first = await vprov('apply', '-i', inv);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect((await lab.exec('node1', 'stat -c "%a %U" /run/vprov /run/vprov/lock')).stdout).toBe('700 root\n600 root\n');
    expect((await lab.exec('node1', 'cat /run/vprov/lock.owner')).stdout).toBe('');
    // ops (no sudo here) tries to hold the lock, as `flock /run/vprov/lock sleep 300` would
    const held = await lab.exec('node1', "su -s /bin/sh ops -c 'flock -n /run/vprov/lock true' 2>&1; echo rc=$?");
    expect(held.stdout).toMatch(/Permission denied[\s\S]*rc=[1-9]/);
    await lab.exec('node1', 'rm -f /etc/sudoers.d/vprotect');
    const again = await vprov('apply', '-i', inv, '--lock-wait', '1');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await lab.exec('node1', 'test -f /etc/sudoers.d/vprotect && echo there')).stdout).toBe('there\n');
  });

  it('/run/vprov owned by another user: the host fails naming it, nothing applied', async () => {
    await lab.exec('node1', 'chown ops /run/vprov && rm -f /etc/sudoers.d/vprotect');
    try {
      const inv = lab.writeInventory('lock-foreign.yaml', { roles: { node1: ['node'] } });
      const r = await vprov('apply', '-i', inv, '--format', 'json');
      const host = JSON.parse(r.stdout).hosts[0];
      expect(host.status).toBe('failed');
      expect(host.error).toMatch(/^\/run\/vprov is not vprov's: drwx------ \d+ ops .*a directory owned by root, not a symlink, expected/);
      expect((await lab.exec('node1', 'test -f /etc/sudoers.d/vprotect && echo there || echo absent')).stdout).toBe('absent\n');
    } finally {
      await lab.exec('node1', 'chown root /run/vprov');
    }
  });

  it('is not held by the rollback timer of a drop-policy change once the apply has ended', async () => {
    const inv = lab.writeInventory('drop.yaml', {
      roles: { node1: ['node'] },
      defaults: { firewall: { backend: 'nftables', inputPolicy: 'drop', confirmTimeout: 300 } },
    });
    const r = await vprov('apply', '-i', inv);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // the confirmation is shown: a note on the firewall and the time in the host's recap line
    expect(r.stdout).toMatch(
      /note: commit-confirmed: a new SSH connection confirmed the change after \d+(\.\d)? s; the rollback armed on the host is cancelled/,
    );
    expect(r.stdout).toMatch(/^node1 *: ok=\d+ changed=\d+ .* confirmed-after=\d+(\.\d)?s$/m);
    // the timer is still armed (its sleep runs), yet nobody holds the lock
    expect((await lab.exec('node1', 'pgrep -f "sleep 300" >/dev/null && echo armed')).stdout).toBe('armed\n');
    const free = await lab.exec('node1', 'flock -n /run/vprov/lock true; echo rc=$?');
    expect(free.stdout).toBe('rc=0\n');
    // a second apply right after does not wait for it
    await lab.exec('node1', 'rm -f /etc/sudoers.d/vprotect');
    const second = await vprov('apply', '-i', inv, '--lock-wait', '1');
    expect(second.code, second.stdout + second.stderr).toBe(0);
  });
});
