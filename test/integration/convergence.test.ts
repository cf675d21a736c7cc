/**
 * Convergence on lab hosts: every input converges in one apply, and the state vprov
 * reports is the state the host has. Each block reproduces one finding that main got wrong;
 * every state is read from outside (docker exec), never through vprov.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { convergeAll } from '../../src/app/converge-all.js';
import { connectSsh } from '../../src/transport/ssh.js';
import type { HostDesired } from '../../src/core/types.js';

// Several applies per test, with commit-confirm windows, on a shared 2-core machine: generous but bounded.
vi.setConfig({ testTimeout: 400_000 });

let lab: Lab;
const sh = async (host: string, command: string) => {
  const r = await lab.exec(host, command);
  if (r.code !== 0) throw new Error(`${host}: ${command} → exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};
/** exit 0, and what vprov printed when not */
function expectOk(r: { code: number; stdout: string; stderr: string }) {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
}
/** Bounded wait until `command` succeeds on `host`. */
async function until(host: string, command: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await lab.exec(host, command)).code !== 0) {
    if (Date.now() > deadline) throw new Error(`${host}: "${command}" did not succeed within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  lab = await startLab([{ name: 'hv1', systemd: true }, { name: 'fw1', firewall: 'firewalld' }, { name: 'node1' }, { name: 'node2' }]);
}, 240_000);
afterAll(async () => {
  await lab?.stop();
});

const netcat = [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }];
const drop = (extra: object = {}) => ({ backend: 'nftables', inputPolicy: 'drop', ...extra });

describe('commit-confirm covers what the host loads at boot', () => {
  it('after a lost confirmation the live table, the persisted file and the unit are what they were before', async () => {
    const roles = { hv1: ['hypervisor'], node1: ['node'] };
    const accept = lab.writeInventory('f1.yaml', { roles, hosts: { node1: { managed: false } } });
    expectOk(await vprov('apply', '-i', accept));
    const state = async () => ({
      live: await sh('hv1', 'nft list table inet vprov'),
      file: await sh('hv1', 'cat /etc/vprov/vprov.nft'),
      unit: await sh('hv1', 'cat /etc/systemd/system/vprov-nftables.service; systemctl is-enabled vprov-nftables.service'),
    });
    const before = await state();
    expect(before.live).toMatch(/policy accept;/);

    const risky = lab.writeInventory('f1-drop.yaml', { roles, hosts: { node1: { managed: false }, hv1: { firewall: drop({ confirmTimeout: 5 }) } } });
    let calls = 0;
    const connect = (d: HostDesired) => (d.name === 'hv1' && ++calls === 2 ? Promise.reject(new Error('connection timed out')) : connectSsh(d.ssh));
    const report = await convergeAll({ inventory: risky, check: false, limit: 'hv1', connect });
    expect(report.hosts[0]!.error).toMatch(/lost SSH access after the firewall change/);
    expect(await sh('hv1', 'nft list table inet vprov')).toMatch(/policy drop;/); // applied, not yet confirmed
    expect(await sh('hv1', 'cat /etc/vprov/vprov.nft')).toBe(before.file); // not persisted before confirmation
    await until('hv1', "! ls /run/vprov | grep -q '^rollback\\.armed'");
    expect(await state()).toEqual(before);

    // Confirmed, the same change is live and persisted, and survives the timer.
    expectOk(await vprov('apply', '-i', risky, '--limit', 'hv1'));
    await new Promise((r) => setTimeout(r, 6000));
    expect(await sh('hv1', 'nft list table inet vprov')).toMatch(/policy drop;/);
    expect(await sh('hv1', 'cat /etc/vprov/vprov.nft')).toMatch(/policy drop;/);
    expectOk(await vprov('drift', '-i', risky, '--limit', 'hv1'));
  });
});

describe('inputs that once never converged converge in one apply', () => {
  it('drop policy with the controller inside sshAdmins, a network covering a host, adjacent port ranges, IPv4-mapped and /08 sources: one apply converges', async () => {
    await lab.exec('hv1', 'nft delete table inet vprov');
    // hv1 holds two roles; node1/node2 are hypervisors (the netcat sources of a node).
    const inv = lab.writeInventory('f2.yaml', {
      roles: { hv1: ['node', 'hypervisor'], node1: ['hypervisor'], node2: ['hypervisor'] },
      platforms: netcat,
      ports: { netcat: ['16000-16499', '16500-16999'] },
      networks: {
        hypervisor: [`${lab.host('node1').address.replace(/\.\d+$/, '.0')}/24`, '10.0.0.0/08', '::ffff:192.0.2.0/120', '192.0.2.128/25', '::ffff:198.51.100.7'],
      },
      hosts: { node1: { managed: false }, node2: { managed: false }, hv1: { firewall: drop({ sshAdmins: ['172.16.0.0/12'] }) } },
    });
    const r = await vprov('apply', '-i', inv, '--limit', 'hv1');
    expect(r.stdout).not.toMatch(/FAILED|not converged|conflicting/);
    expectOk(r);
    const table = await sh('hv1', 'nft list table inet vprov');
    // As nft stores it: the /24 swallows both hypervisor hosts, 192.0.2.0/24 is one interval, IPv4-mapped is IPv4.
    const net24 = lab.host('node1').address.replace(/\.\d+$/, '.');
    const node2 = lab.host('node2').address;
    expect(/set hypervisor_v4 \{[^}]*elements = \{ ([^}]*) \}/s.exec(table)?.[1]?.split(/,\s*/).sort()).toEqual(
      ['10.0.0.0/8', `${net24}0/24`, '192.0.2.0/24', '198.51.100.7', ...(node2.startsWith(net24) ? [] : [node2])].sort(),
    );
    expect(table).not.toMatch(/hypervisor_v6/);
    expect(table).toMatch(/ip saddr @hypervisor_v4 tcp dport (\{ [^}]*)?16000-16999\b/);
    expect(table).not.toMatch(/16499/);
    expect(table).not.toMatch(/vprov_ssh_live/); // the controller is inside sshAdmins
    const again = await vprov('apply', '-i', inv, '--limit', 'hv1');
    expect(again.stdout).toMatch(/changed=0/);
    expectOk(await vprov('drift', '-i', inv, '--limit', 'hv1'));
  });

  it('a zone-id address is refused with file:line, nothing touched', async () => {
    const file = join(lab.dir, 'f2-zone.yaml');
    writeFileSync(
      file,
      `product: storware\nplatforms: [{ platform: openstack, method: SSH transfer }]\nnetworks:\n  node: ["fe80::1%eth0"]\nhosts:\n  hv1: { address: 192.0.2.1, roles: [hypervisor] }\n`,
    );
    const r = await vprov('plan', '-i', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/f2-zone\.yaml:4.*zone id/);
    expect(r.stderr).not.toMatch(/Invalid URL/);
  });
});

describe('several controllers', () => {
  it("a second controller neither sees drift nor removes the first one's SSH access", async () => {
    const roles = { hv1: ['hypervisor'], node1: ['node'], node2: ['node'] };
    // Controller B (direct: the bridge's gateway) is an admin; controller A (via node2) is not declared.
    const gateway = execFileSync('docker', ['inspect', '-f', '{{.NetworkSettings.Gateway}}', lab.host('hv1').id], { encoding: 'utf8' }).trim();
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const hosts = { node1: { managed: false }, node2: { managed: false }, hv1: { firewall: drop({ sshAdmins: [`${gateway}/32`] }) } };
    // Controller A reaches hv1 through node2: hv1 sees node2's address. Controller B is direct.
    const viaNode2 = lab.writeInventory('f3-a.yaml', {
      roles,
      hosts: { ...hosts, hv1: { ...hosts.hv1, ssh: { host: lab.host('hv1').address, port: 22, proxyJump: 'node2' } } },
    });
    const direct = lab.writeInventory('f3-b.yaml', { roles, hosts });
    await lab.exec('hv1', 'nft delete table inet vprov');
    expectOk(await vprov('apply', '-i', viaNode2, '--limit', 'hv1'));
    expect(await sh('hv1', 'nft list set inet vprov vprov_ssh_live_v4')).toContain(lab.host('node2').address);
    // B sees no drift: it reached the host, so its own address is not missing from anything.
    expectOk(await vprov('drift', '-i', direct, '--limit', 'hv1'));
    // A change applied from B keeps A's address (and adds B's).
    await lab.exec('hv1', 'nft add rule inet vprov input tcp dport 4444 accept');
    expectOk(await vprov('apply', '-i', direct, '--limit', 'hv1'));
    expect(await sh('hv1', 'nft list set inet vprov vprov_ssh_live_v4')).toContain(lab.host('node2').address);
    expect(await sh('hv1', 'nft list chain inet vprov input')).not.toContain('4444');
    expectOk(await vprov('drift', '-i', viaNode2, '--limit', 'hv1'));
    expectOk(await vprov('drift', '-i', direct, '--limit', 'hv1'));
  });

  it('controllers: in the inventory are the permanent SSH sources; no live address is added', async () => {
    const inv = lab.writeInventory('f3-c.yaml', {
      roles: { hv1: ['hypervisor'], node1: ['node'] },
      controllers: ['172.16.0.0/12'],
      hosts: { node1: { managed: false }, hv1: { firewall: drop() } },
    });
    await lab.exec('hv1', 'nft delete table inet vprov');
    expectOk(await vprov('apply', '-i', inv, '--limit', 'hv1'));
    const table = await sh('hv1', 'nft list table inet vprov');
    expect(table).toMatch(/set vprov_ssh_v4 \{[^}]*elements = \{ 172\.16\.0\.0\/12 \}/);
    expect(table).not.toMatch(/vprov_ssh_live/);
    expectOk(await vprov('drift', '-i', inv, '--limit', 'hv1'));
  });
});

describe('findings 4 and 8: firewalld probes that fail, firewalld versions', () => {
  const roles = { fw1: ['hypervisor'], node1: ['node'] };
  const inv = () => lab.writeInventory('f4.yaml', { roles, defaults: { firewall: 'firewalld' }, hosts: { node1: { managed: false } } });

  it("firewalld under another interpreter (RHEL 8 platform-python, from firewall-cmd's shebang): converges, no endless reload", async () => {
    // As on RHEL 8: no python3 on PATH, firewalld's Python elsewhere.
    await sh(
      'fw1',
      'mkdir -p /usr/libexec && cp -L /usr/bin/python3 /usr/libexec/platform-python && mv /usr/bin/python3 /usr/bin/python3.vprov-off && sed -i "1s|.*|#!/usr/libexec/platform-python|" /usr/bin/firewall-cmd /usr/bin/firewall-offline-cmd /usr/sbin/firewall-offline-cmd 2>/dev/null; head -1 "$(command -v firewall-offline-cmd)" | grep -q platform-python',
    );
    try {
      expectOk(await vprov('apply', '-i', inv()));
      expect(await sh('fw1', 'firewall-cmd --info-policy=vprov-in')).toMatch(/source ipset="vprov-node_v4"/);
      const again = await vprov('apply', '-i', inv());
      expect(again.stdout).toMatch(/changed=0/);
      expectOk(again);

      // Interpreter gone: the resource fails with the cause, and nothing is reloaded
      // (a runtime-only rule, like a fail2ban ban, survives).
      await sh('fw1', 'firewall-cmd --add-port=9999/tcp >/dev/null && mv /usr/libexec/platform-python /usr/libexec/platform-python.off');
      const r = await vprov('apply', '-i', inv(), '--format', 'json');
      const fwReport = JSON.parse(r.stdout)
        .hosts.find((h: { host: string }) => h.host === 'fw1')
        .resources.find((x: { resource: string }) => x.resource === 'firewall');
      expect(fwReport.status).toBe('failed');
      expect(fwReport.error).toMatch(/cannot read firewalld's runtime state.*platform-python/);
      expect(r.code & 4).toBe(4);
      expect(await sh('fw1', 'nft list ruleset')).toMatch(/tcp dport 9999 /);
    } finally {
      await lab.exec(
        'fw1',
        'mv /usr/bin/python3.vprov-off /usr/bin/python3; rm -f /usr/libexec/platform-python /usr/libexec/platform-python.off; for f in /usr/bin/firewall-cmd "$(command -v firewall-offline-cmd)"; do sed -i "1s|.*|#!/usr/bin/python3|" "$f"; done',
      );
    }
    expect(await sh('fw1', 'head -1 /usr/bin/firewall-cmd && python3 -c "print(1)"')).toBe('#!/usr/bin/python3\n1\n');
  });

  it('firewalld older than 0.9.0 is refused, naming the version and the alternatives; nothing written', async () => {
    const config = '/usr/lib/python3/dist-packages/firewall/config/__init__.py';
    // Python trusts its cached bytecode while the source's size and mtime (whole seconds) match:
    // the faked and the restored file are the same size, and both edits can fall in one second.
    const dropBytecode = 'rm -f /usr/lib/python3/dist-packages/firewall/config/__pycache__/__init__.*.pyc';
    await sh(
      'fw1',
      `rm -f /etc/firewalld/policies/vprov-in.xml /etc/firewalld/ipsets/vprov-*.xml && firewall-cmd --reload >/dev/null && sed -i "s/^VERSION = .*/VERSION = '0.6.3'/" ${config} && ${dropBytecode}`,
    );
    try {
      const check = await vprov('apply', '-i', inv(), '--check');
      expect(check.stdout).toMatch(/firewalld 0\.6\.3 has no policy objects/);
      const r = await vprov('apply', '-i', inv());
      expect(r.code & 4).toBe(4);
      expect(r.stdout).toMatch(/firewalld 0\.6\.3 is older than 0\.9\.0.*upgrade firewalld.*firewall: none/);
      expect(await sh('fw1', 'ls -A /etc/firewalld/policies /etc/firewalld/ipsets')).not.toMatch(/vprov/);
    } finally {
      await lab.exec('fw1', `sed -i "s/^VERSION = .*/VERSION = '1.3.3'/" ${config} && ${dropBytecode}`);
    }
  });
});

describe('backend switch', () => {
  const roles = { fw1: ['hypervisor'], node1: ['node'] };
  const inv = (firewall: string) => lab.writeInventory('f5.yaml', { roles, hosts: { node1: { managed: false }, fw1: { firewall } } });

  it("firewalld → nftables → firewalld removes the other backend's objects; firewall: none removes vprov's firewalld policy and ipsets as a planned change", async () => {
    expectOk(await vprov('apply', '-i', inv('firewalld')));
    expect(await sh('fw1', 'firewall-cmd --get-policies')).toMatch(/vprov-in/);

    expectOk(await vprov('apply', '-i', inv('nftables')));
    expect(await sh('fw1', 'nft list table inet vprov')).toMatch(/@node_v4/);
    expect(await sh('fw1', 'firewall-cmd --get-policies')).not.toMatch(/vprov-in/);
    expect(await sh('fw1', 'firewall-cmd --get-ipsets')).not.toMatch(/vprov-/);
    expect(await sh('fw1', 'ls -A /etc/firewalld/policies /etc/firewalld/ipsets')).not.toMatch(/vprov/);

    expectOk(await vprov('apply', '-i', inv('firewalld')));
    expect((await lab.exec('fw1', 'nft list table inet vprov')).stderr).toMatch(/No such file or directory/);
    expect((await lab.exec('fw1', 'ls /etc/vprov/vprov.nft')).code).not.toBe(0);
    expect(await sh('fw1', 'firewall-cmd --get-policies')).toMatch(/vprov-in/);

    const none = await vprov('plan', '-i', inv('none'));
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/- \/etc\/firewalld\/policies\/vprov-in\.xml \(vprov's firewalld object; firewall: none in the inventory\)/);
    expect(await sh('fw1', 'firewall-cmd --get-policies')).toMatch(/vprov-in/); // plan changes nothing
    expectOk(await vprov('apply', '-i', inv('none')));
    expect(await sh('fw1', 'firewall-cmd --get-policies')).not.toMatch(/vprov-in/);
    expect(await sh('fw1', 'firewall-cmd --get-ipsets')).not.toMatch(/vprov-/);
    expect(await sh('fw1', 'ls -A /etc/firewalld/policies /etc/firewalld/ipsets')).not.toMatch(/vprov/);
    expectOk(await vprov('drift', '-i', inv('none')));
  });
});

describe('accounts that only look right', () => {
  it('an existing non-system vprotect with /bin/sh: shell corrected, uid reported and kept', async () => {
    await sh('node1', 'useradd -u 1500 -s /bin/sh vprotect');
    const inv = lab.writeInventory('f7.yaml', { roles: { node1: ['node'] } });
    const r = await vprov('apply', '-i', inv);
    expect(r.stdout).toMatch(/~ vprotect shell \/bin\/sh → \/bin\/bash/);
    expect(r.stdout).toMatch(/vprotect has uid 1500, not a system uid/);
    expectOk(r);
    expect((await sh('node1', 'getent passwd vprotect')).trim().split(':').slice(2)).toEqual(['1500', '1500', '', '/home/vprotect', '/bin/bash']);
    const again = await vprov('apply', '-i', inv);
    expect(again.stdout).toMatch(/changed=0/);
    expect(again.stdout).toMatch(/uid 1500, not a system uid/);
  });

  it('no disk group: the account fails with why, and no sudoers rule is written for a user that does not exist', async () => {
    await sh('node2', 'groupdel disk');
    const inv = lab.writeInventory('f7b.yaml', { roles: { node2: ['node'] } });
    const r = await vprov('apply', '-i', inv, '--format', 'json');
    const res = JSON.parse(r.stdout).hosts[0].resources as { resource: string; status: string; error?: string }[];
    expect(res.find((x) => x.resource === 'account')).toMatchObject({ status: 'failed', error: expect.stringMatching(/group disk does not exist/) });
    expect(res.find((x) => x.resource === 'sudoers')).toMatchObject({ status: 'failed', error: expect.stringMatching(/user vprotect does not exist/) });
    expect((await lab.exec('node2', 'ls /etc/sudoers.d/vprotect')).code).not.toBe(0);
    expect((await lab.exec('node2', 'getent passwd vprotect')).code).toBe(2);
    const plan = await vprov('plan', '-i', inv);
    expect(plan.stdout).toMatch(/user vprotect does not exist yet/);
  });
});

describe('shadowing by rules', () => {
  it("firewalld's own table and an iptables-style REJECT rule are reported; a reject counts as filtered", async () => {
    const inv = lab.writeInventory('f6.yaml', {
      roles: { fw1: ['hypervisor'], node1: ['node'], hv1: ['hypervisor'] },
      platforms: netcat,
      hosts: { fw1: { firewall: 'nftables' }, hv1: { firewall: 'nftables' } },
    });
    await sh(
      'node1',
      `nft add table ip legacy && nft add chain ip legacy INPUT '{ type filter hook input priority -10; policy accept; }' && nft add rule ip legacy INPUT tcp dport 16000-16999 reject`,
    );
    const plan = await vprov('plan', '-i', inv);
    expect(plan.stdout).toMatch(/fw1[\s\S]*shadowed by table inet firewalld \(chain filter_INPUT ends in a reject rule\)/);
    expect(plan.stdout).toMatch(/firewalld runs on this host/);
    expect(plan.stdout).toMatch(/shadowed by table ip legacy \(chain INPUT ends in a reject rule\)/);
    expectOk(await vprov('apply', '-i', inv));
    // Nothing listens on 16000 on node1: without the reject that would be "refused" (reachable).
    const r = await vprov('verify', '-i', inv, '--connectivity', '--format', 'json', '--limit', 'node1,hv1');
    const probes = JSON.parse(r.stdout).connectivity as { from: string; to: string; port: number; result: string }[];
    expect(probes.filter((p) => p.from === 'hv1' && p.to === 'node1' && p.port === 16000)).toEqual([expect.objectContaining({ result: 'filtered' })]);
    expect(probes.filter((p) => p.from === 'node1' && p.to === 'hv1' && p.port === 22)).toEqual([expect.objectContaining({ result: 'open' })]);
    expect(r.code & 2).toBe(2);
    await sh('node1', 'nft delete table ip legacy');
  });
});
