/**
 * systemd lab hosts (systemd as PID 1, `docker restart` is a reboot): what vprov applied
 * survives reboots and the restarts and reloads of nftables.service and firewalld, and the
 * drift timer from `vprov schedule install` runs drift with the documented exit semantics.
 * Every state is read from outside (docker exec), never through vprov.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

/** Reboots and firewalld restarts take minutes on a loaded 2-core machine: generous, bounded. */
const SLOW = 420_000;
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Shared with the controller container at the same path: inventory, key, known_hosts. */
const shared = mkdtempSync(join(tmpdir(), 'vprov-systemd-'));
let lab: Lab;

// node1 is only a source address (never restarted, so the hypervisors' sets stay right);
// hv1 runs nftables, hv2 firewalld, both under systemd; ctl is a controller with a timer.
beforeAll(async () => {
  lab = await startLab([
    { name: 'node1' },
    { name: 'hv1', systemd: true },
    { name: 'hv2', systemd: true, firewall: 'firewalld' },
    { name: 'hv3' },
    {
      name: 'ctl',
      systemd: true,
      binds: [
        { source: process.execPath, target: '/usr/local/bin/node' },
        { source: repo, target: '/opt/vprov' },
        { source: shared, target: shared, mode: 'rw' },
      ],
    },
  ]);
}, 400_000);
afterAll(async () => {
  await lab?.stop();
  rmSync(shared, { recursive: true, force: true });
});

/** Written again after every restart: a rebooted container may get a new address and port. */
const inventory = () =>
  lab.writeInventory('systemd.yaml', {
    roles: { node1: ['node'], hv1: ['hypervisor'], hv2: ['hypervisor'] },
    defaults: { firewall: 'nftables' },
    hosts: { node1: { managed: false }, hv2: { firewall: 'firewalld' } },
  });

const sh = async (host: string, command: string) => {
  const r = await lab.exec(host, command);
  if (r.code !== 0) throw new Error(`${host}: ${command} → exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};

/** The state vprov owns, as the hosts themselves show it. */
const ownedHv2 = () => sh('hv2', 'firewall-cmd --info-policy=vprov-in && firewall-cmd --info-ipset=vprov-node_v4');
const owned = async () => ({
  hv1: await sh('hv1', 'nft list table inet vprov'),
  hv1Unit: await sh('hv1', 'systemctl is-enabled vprov-nftables.service && systemctl is-active vprov-nftables.service'),
  hv2: await ownedHv2(),
});

/** Bounded wait for a state that systemd restores in a job of its own (systemctl returns before it). */
async function eventually(host: string, command: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let last = await lab.exec(host, command);
  while (last.code !== 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    last = await lab.exec(host, command);
  }
  return last;
}

describe('systemd lab hosts', { timeout: SLOW }, () => {
  let applied: Awaited<ReturnType<typeof owned>>;

  it('three-run contract on nftables and firewalld hosts under systemd', async () => {
    const inv = inventory();
    const check = await vprov('apply', '-i', inv, '--check');
    expect(check.code).toBe(2);
    expect((await lab.exec('hv1', 'nft list table inet vprov')).stderr).toMatch(/No such file or directory/);
    expect(await sh('hv2', 'firewall-cmd --get-policies')).not.toMatch(/vprov-in/);
    const r = await vprov('apply', '-i', inv);
    expect(r.stdout).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
    applied = await owned();
    expect(applied.hv1).toContain(lab.host('node1').address);
    expect(applied.hv1Unit.split('\n').slice(0, 2)).toEqual(['enabled', 'active']);
    expect(applied.hv2).toContain(lab.host('node1').address);
    const again = await vprov('apply', '-i', inv);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/changed=0/);
    expect(again.stdout).not.toMatch(/changed=[1-9]/);
  });

  it('a reboot (docker restart) brings everything back and drift exits 0', async () => {
    // A marker in /run (tmpfs): gone after the restart, so the hosts really booted afresh.
    await sh('hv1', 'touch /run/vprov-before-reboot');
    await sh('hv2', 'touch /run/vprov-before-reboot');
    await Promise.all([lab.restart('hv1'), lab.restart('hv2')]);
    for (const h of ['hv1', 'hv2']) expect((await lab.exec(h, 'test -e /run/vprov-before-reboot')).code).toBe(1);
    expect(await owned()).toEqual(applied);
    const r = await vprov('drift', '-i', inventory());
    expect(r.stdout).toMatch(/drifted=0/);
    expect(r.code).toBe(0);
  });

  it('nftables.service started while inactive (its config flushes the ruleset): the vprov table comes back', async () => {
    // Debian ships nftables.service disabled: inactive here while vprov's unit is active, so
    // PartOf= (restart, stop) does not apply; the drop-in vprov puts beside it does.
    expect((await lab.exec('hv1', 'systemctl is-active nftables.service')).stdout).toBe('inactive\n');
    expect(await sh('hv1', 'systemctl is-active vprov-nftables.service')).toBe('active\n');
    expect(await sh('hv1', 'cat /etc/systemd/system/nftables.service.d/50-vprov.conf')).toMatch(
      /^ExecStartPost=-\/usr\/bin\/systemctl --no-block try-reload-or-restart vprov-nftables.service$/m,
    );
    await sh('hv1', 'systemctl start nftables.service');
    expect(await sh('hv1', 'nft list tables')).toMatch(/table inet filter/);
    expect((await eventually('hv1', 'nft list table inet vprov')).stdout).toBe(applied.hv1);
    expect((await vprov('drift', '-i', inventory(), '--limit', 'hv1')).code).toBe(0);
  });

  it('nftables.service enabled and restarted (its config flushes the ruleset): the vprov table comes back', async () => {
    await sh('hv1', 'systemctl enable nftables.service && systemctl restart nftables.service');
    // Debian's own table is there, so nftables.service really ran its "flush ruleset" config.
    expect(await sh('hv1', 'nft list tables')).toMatch(/table inet filter/);
    expect((await eventually('hv1', 'nft list table inet vprov')).stdout).toBe(applied.hv1);
    await sh('hv1', 'systemctl reload nftables.service');
    expect((await eventually('hv1', 'nft list table inet vprov')).stdout).toBe(applied.hv1);
    await sh('hv1', 'systemctl stop nftables.service && systemctl start nftables.service');
    expect((await eventually('hv1', 'nft list table inet vprov')).stdout).toBe(applied.hv1);
    // and at boot, with nftables.service enabled, ours is loaded after it.
    await lab.restart('hv1');
    expect(await sh('hv1', 'systemctl is-active nftables.service')).toMatch(/^active/);
    expect(await sh('hv1', 'nft list table inet vprov')).toBe(applied.hv1);
    expect((await vprov('drift', '-i', inventory())).code).toBe(0);
  });

  it('firewalld restarted and reloaded: vprov objects come back', async () => {
    await sh('hv2', 'systemctl restart firewalld.service');
    expect((await eventually('hv2', 'firewall-cmd --state')).code).toBe(0);
    expect(await ownedHv2()).toBe(applied.hv2);
    await sh('hv2', 'firewall-cmd --reload');
    expect(await ownedHv2()).toBe(applied.hv2);
    expect((await vprov('drift', '-i', inventory(), '--limit', 'hv2')).code).toBe(0);
  });
});

describe('drift timer from `vprov schedule install` on a systemd controller', { timeout: SLOW }, () => {
  const inv = join(shared, 'inventory.yaml');
  const key = join(shared, 'id_ed25519');
  const ctl = (command: string) => lab.exec('ctl', command);
  const unitResult = async () => (await sh('ctl', 'systemctl show -p Result -p ExecMainStatus vprov-drift.service')).trim().split('\n').sort();

  beforeAll(async () => {
    copyFileSync(lab.keyFile, key);
    chmodSync(key, 0o600);
    // From inside ctl: the bridge addresses, port 22 (no host port mapping involved).
    writeFileSync(
      inv,
      stringify({
        site: 'lab', // the site of the lab's other inventories (the same hosts)
        product: 'storware',
        platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
        defaults: {
          ssh: { user: 'ops', identityFile: key, become: true, hostKeys: 'accept-new', knownHostsFile: join(shared, 'known_hosts') },
          firewall: 'nftables',
          selinux: 'permissive',
        },
        hosts: {
          node1: { address: lab.host('node1').address, roles: ['node'], managed: false },
          hv3: { address: lab.host('hv3').address, roles: ['hypervisor'] },
        },
      }),
    );
    const r = await ctl(`node /opt/vprov/bin/vprov.js apply -i ${inv}`);
    expect(r.stdout + r.stderr).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
  });

  it('install enables and starts the timer', async () => {
    const r = await ctl(`node /opt/vprov/bin/vprov.js schedule install -i ${inv} --every 1h`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await sh('ctl', 'systemctl is-enabled vprov-drift.timer')).toBe('enabled\n');
    expect(await sh('ctl', 'systemctl is-active vprov-drift.timer')).toBe('active\n');
    expect(await sh('ctl', 'systemctl show -p NextElapseUSecRealtime --value vprov-drift.timer')).toMatch(/\S/);
  });

  it('in sync: the service runs drift, exit 0, unit succeeds', async () => {
    const r = await ctl('systemctl start vprov-drift.service');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await unitResult()).toEqual(['ExecMainStatus=0', 'Result=success']);
    expect(await sh('ctl', 'journalctl -u vprov-drift.service -o cat --no-pager')).toMatch(/hv3\s+: ok=\d+ changed=0 drifted=0/);
  });

  it('drift found: exit 2 is a finding, the unit still succeeds (SuccessExitStatus=2)', async () => {
    await sh('hv3', 'nft add rule inet vprov input tcp dport 4444 accept');
    const r = await ctl('systemctl start vprov-drift.service');
    expect(r.code).toBe(0);
    expect(await unitResult()).toEqual(['ExecMainStatus=2', 'Result=success']);
    expect(await sh('ctl', 'journalctl -u vprov-drift.service -o cat --no-pager')).toMatch(/- rule input: tcp\.dport == 4444 accept/);
  });

  it('a host unreachable: exit 4, the unit fails so monitoring of units sees it', async () => {
    await lab.host('hv3').container.stop({ timeout: 1 });
    const r = await ctl('systemctl start vprov-drift.service');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/vprov-drift\.service/);
    expect(await unitResult()).toEqual(['ExecMainStatus=4', 'Result=exit-code']);
    expect(await sh('ctl', 'systemctl is-failed vprov-drift.service || true')).toBe('failed\n');
  });
});

describe('schedule install --user: the schedule runs as that user, tried at install time', { timeout: SLOW }, () => {
  const ctl = (command: string) => lab.exec('ctl', command);
  const opsInventory = (name: string, identityFile: string) => {
    // ~ is the home of whoever runs vprov: the schedule's user, not root.
    writeFileSync(
      join(shared, name),
      stringify({
        // the site the file's other tests applied hv1 with: a drift of another site would only say who owns it
        site: 'lab',
        product: 'storware',
        platforms: [{ platform: 'openstack', method: 'SSH transfer' }],
        defaults: {
          ssh: { user: 'ops', identityFile, become: true, hostKeys: 'accept-new', knownHostsFile: '~/.ssh/vprov_known_hosts' },
          firewall: 'nftables',
        },
        hosts: {
          node1: { address: lab.host('node1').address, roles: ['node'], managed: false },
          hv1: { address: lab.host('hv1').address, roles: ['hypervisor'] },
        },
      }),
    );
    return `install -o ops -g ops -m 600 ${join(shared, name)} /home/ops/${name}`;
  };

  beforeAll(async () => {
    copyFileSync(lab.keyFile, join(shared, 'ops_key'));
    await sh('ctl', `install -d -o ops -g ops -m 700 /home/ops/.ssh && install -o ops -g ops -m 600 ${join(shared, 'ops_key')} /home/ops/.ssh/vprov_key`);
    await sh('ctl', opsInventory('ops-drift.yaml', '~/.ssh/vprov_key'));
    await sh('ctl', opsInventory('ops-broken.yaml', '~/.ssh/no_such_key'));
  });

  it('install --user ops: tried once as ops, then the timer service succeeds as ops, with ops’ home', async () => {
    const r = await ctl('node /opt/vprov/bin/vprov.js schedule install -i /home/ops/ops-drift.yaml --user ops --name ops-drift --every 1h');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tried once as a transient service with User=ops: exit [02]/m);
    expect(await sh('ctl', 'systemctl show -p User --value ops-drift.service')).toBe('ops\n');
    expect(await sh('ctl', 'systemctl is-active ops-drift.timer')).toBe('active\n');
    const start = await ctl('systemctl start ops-drift.service');
    expect(start.stderr).toBe('');
    const result = (await sh('ctl', 'systemctl show -p Result -p ExecMainStatus ops-drift.service')).trim().split('\n').sort();
    expect(result[1]).toBe('Result=success');
    expect(result[0]).toMatch(/^ExecMainStatus=[02]$/);
    expect(await sh('ctl', 'journalctl -u ops-drift.service -o cat --no-pager')).toMatch(/hv1\s+: ok=/);
    // accept-new recorded the host key in ops' own ~/.ssh, as ops: HOME was ops' home
    expect(await sh('ctl', 'stat -c %U /home/ops/.ssh/vprov_known_hosts')).toBe('ops\n');
  });

  it('a broken key path is refused at install time with its cause; nothing is installed', async () => {
    const r = await ctl('node /opt/vprov/bin/vprov.js schedule install -i /home/ops/ops-broken.yaml --user ops --name ops-broken --every 1h');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed when tried as a transient service with User=ops \(exit 4\); nothing installed/);
    expect(r.stderr).toContain('cannot read identity file /home/ops/.ssh/no_such_key: ENOENT');
    expect((await ctl('ls /etc/systemd/system/ops-broken.service /etc/systemd/system/ops-broken.timer')).code).not.toBe(0);
  });
});
