/**
 * `schedule install` tries the scheduled command once, as the schedule's user in the environment
 * its runs get, and refuses (installing nothing) when it fails, naming the cause; --user puts the
 * user in the unit (User=) and the cron line; status covers cron files and names the user.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir, userInfo } from 'node:os';
import { stringify } from 'yaml';
import { vprov } from '../helpers/cli.js';

const isRoot = process.getuid?.() === 0;

/** An inventory whose only managed host has an identity file that does not exist. */
function brokenKeyInventory(dir: string): string {
  const file = join(dir, 'broken-key.yaml');
  writeFileSync(
    file,
    stringify({
      product: 'storware',
      platforms: [{ platform: 'openstack', method: 'SSH transfer' }],
      defaults: { ssh: { user: 'ops', identityFile: join(dir, 'no-such-key'), hostKeys: 'off', connectTimeout: 2 } },
      hosts: { node1: { address: '127.0.0.1', roles: ['node'], ssh: { port: 9 } }, hv1: { address: '192.0.2.10', roles: ['hypervisor'], managed: false } },
    }),
  );
  return file;
}

/** An inventory drift can check without logging in anywhere (every host unmanaged). */
function unmanagedInventory(dir: string): string {
  const file = join(dir, 'unmanaged.yaml');
  writeFileSync(
    file,
    stringify({
      product: 'storware',
      platforms: [{ platform: 'openstack', method: 'SSH transfer' }],
      hosts: { node1: { address: '192.0.2.5', roles: ['node'], managed: false }, hv1: { address: '192.0.2.10', roles: ['hypervisor'], managed: false } },
    }),
  );
  return file;
}

describe('schedule install tries the schedule first', () => {
  it('a broken key path is refused at install time, naming the key, and nothing is installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-sched-'));
    const units = join(dir, 'units');
    const r = await vprov('schedule', 'install', '-i', brokenKeyInventory(dir), '--dir', units);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: schedule install: the scheduled command failed when tried as \S+ in the unit's environment \(exit 4\); nothing installed/);
    expect(r.stderr).toContain(`cannot read identity file ${join(dir, 'no-such-key')}: ENOENT`);
    expect(r.stderr).toMatch(/or add --no-verify to install it untried/);
    expect(existsSync(units) ? readdirSync(units) : []).toEqual([]);
  });

  it('--no-verify installs it untried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-sched-'));
    const r = await vprov('schedule', 'install', '--no-verify', '-i', brokenKeyInventory(dir), '--dir', join(dir, 'units'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^not tried \(--no-verify\)$/m);
    expect(readdirSync(join(dir, 'units')).sort()).toEqual(['vprov-drift.service', 'vprov-drift.timer']);
  });

  it('the unit runs as the user who installs it by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-sched-'));
    const r = await vprov('schedule', 'install', '-i', unmanagedInventory(dir), '--dir', dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tried once as \S+ in the unit's environment: exit 0$/m);
    expect(readFileSync(join(dir, 'vprov-drift.service'), 'utf8')).toMatch(new RegExp(`^User=${userInfo().username}$`, 'm'));
  });

  it('an unknown --user is bad input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-sched-'));
    const r = await vprov('schedule', 'install', '--no-verify', '-i', unmanagedInventory(dir), '--dir', dir, '--user', 'no-such-user-x');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--user no-such-user-x: no such user on this machine/);
  });

  // Trying a schedule as another user needs root (runuser); CI runs as root.
  describe.runIf(isRoot)('as another user (root installs for nobody)', () => {
    it('an inventory the user cannot read is refused naming the permission problem', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vprov-sched-')); // 0700, root's
      const inv = unmanagedInventory(dir);
      const r = await vprov('schedule', 'install', '-i', inv, '--cron', '--dir', join(dir, 'cron'), '--user', 'nobody');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/failed when tried as nobody \(runuser\) in the cron's environment \(exit 1\)/);
      expect(r.stderr).toMatch(new RegExp(`${inv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read inventory: EACCES`));
      expect(existsSync(join(dir, 'cron'))).toBe(false);
    });

    it('readable by the user: tried as nobody, installed with nobody on the cron line; status shows the cron file and its user', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vprov-sched-'));
      chmodSync(dir, 0o755);
      const inv = unmanagedInventory(dir);
      chmodSync(inv, 0o644);
      const cron = join(dir, 'cron');
      const r = await vprov('schedule', 'install', '-i', inv, '--cron', '--dir', cron, '--user', 'nobody');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^tried once as nobody \(runuser\) in the cron's environment: exit 0$/m);
      const line = readFileSync(join(cron, 'vprov-drift'), 'utf8')
        .split('\n')
        .filter((l) => /^\d|^\*/.test(l))[0]!;
      expect(line.split(/\s+/)[5]).toBe('nobody');
      expect((await vprov('schedule', 'status', '--dir', cron)).stdout).toBe(`${join(cron, 'vprov-drift')}: every 1h (0 * * * *) as nobody\n`);
    });
  });
});
