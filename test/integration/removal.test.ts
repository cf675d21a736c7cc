/**
 * Removal is part of the desired state: what vprov wrote and a host no longer needs is a planned
 * change, found by drift, removed by apply and verified; what vprov did not write is never
 * removed; accounts go only with --remove-accounts. End state checked from outside (docker exec).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

let lab: Lab;
const sh = async (host: string, cmd: string) => (await lab.exec(host, cmd)).stdout;
const written = async (host: string) => JSON.parse(await sh(host, 'cat /etc/vprov/host.json')).written as { kind: string; path?: string; name?: string }[];

beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }, { name: 'hv1' }, { name: 'node2' }]);
});
afterAll(async () => {
  await lab?.stop();
});

describe('a host that loses a role', () => {
  const asNode = () => lab.writeInventory('site.yaml', { roles: { node1: ['node'], hv1: ['hypervisor'] } });
  const asAgent = () => lab.writeInventory('site.yaml', { roles: { node1: ['os-agent'], hv1: ['hypervisor'] } });

  it('applied as node: vprov records what it wrote', async () => {
    const r = await vprov('apply', '-i', asNode());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await sh('node1', 'sudo -l -U vprotect')).toMatch(/NOPASSWD/);
    expect((await written('node1')).map((e) => e.kind).sort()).toEqual(['account', 'firewall-nftables', 'sudoers']);
    expect(await written('node1')).toContainEqual(
      expect.objectContaining({ kind: 'sudoers', path: '/etc/sudoers.d/vprotect', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    );
  });

  it('roles changed to [os-agent]: plan shows the removals (exit 2), drift finds them', async () => {
    const inv = asAgent();
    const plan = await vprov('plan', '-i', inv, '--limit', 'node1');
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toContain('- remove /etc/sudoers.d/vprotect: no role of this host needs it');
    expect(plan.stdout).toMatch(/- table inet vprov \(no flow needs it any more\)/);
    expect(plan.stdout).toMatch(
      /warning: user vprotect \(created by vprov\) is no longer needed by any role of this host: kept, since vprov never deletes an account silently; apply --remove-accounts removes it/,
    );
    const drift = await vprov('drift', '-i', inv, '--limit', 'node1');
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/sudoers\s+DRIFTED/);
    expect(await sh('node1', 'test -e /etc/sudoers.d/vprotect && echo present')).toBe('present\n'); // plan and drift change nothing
  });

  it('apply removes them and verifies: sudo lists nothing for vprotect, no vprov table, drift 0 after', async () => {
    const inv = asAgent();
    const r = await vprov('apply', '-i', inv, '--limit', 'node1');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sudoers\s+changed/);
    expect(await sh('node1', 'ls -a /etc/sudoers.d')).not.toMatch(/vprotect/);
    const sudo = await lab.exec('node1', 'sudo -l -U vprotect');
    expect(sudo.stdout + sudo.stderr).toMatch(/User vprotect is not allowed to run sudo/);
    expect(sudo.stdout).not.toMatch(/NOPASSWD|\/bin\/bash/);
    expect(await sh('node1', 'nft list tables')).not.toMatch(/vprov/);
    expect(await sh('node1', 'ls /etc/vprov')).not.toMatch(/vprov\.nft/);
    expect(await sh('node1', 'getent passwd vprotect')).toMatch(/^vprotect:/); // never deleted silently
    expect((await written('node1')).map((e) => e.kind)).toEqual(['account']);
    const drift = await vprov('drift', '-i', inv, '--limit', 'node1');
    expect(drift.code, drift.stdout).toBe(0);
    expect(drift.stdout).toMatch(/sudoers\s+not applicable/);
  });

  it('the account goes only with --remove-accounts, and only the one vprov created', async () => {
    const inv = asAgent();
    const r = await vprov('apply', '-i', inv, '--limit', 'node1', '--remove-accounts');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('- remove user vprotect: no role of this host needs it (--remove-accounts; its home and files are kept)');
    expect((await lab.exec('node1', 'getent passwd vprotect')).code).not.toBe(0);
    expect(await written('node1')).toEqual([]);
    expect((await vprov('drift', '-i', inv, '--limit', 'node1')).code).toBe(0);
  });
});

describe('what vprov did not write', () => {
  const foreign = 'vprotect ALL=(root) NOPASSWD: /bin/true\n';

  it('a foreign /etc/sudoers.d/vprotect on a host no role of which needs it is reported, never removed', async () => {
    await lab.exec('hv1', `printf '%s' '${foreign}' > /etc/sudoers.d/vprotect && chmod 440 /etc/sudoers.d/vprotect`);
    const before = await sh('hv1', 'sha256sum /etc/sudoers.d/vprotect');
    const inv = lab.writeInventory('site.yaml', { roles: { node1: ['os-agent'], hv1: ['hypervisor'] } });
    const plan = await vprov('plan', '-i', inv, '--limit', 'hv1');
    expect(plan.stdout).toContain(
      'warning: /etc/sudoers.d/vprotect was not written by vprov (it is not in /etc/vprov/host.json): left as it is, although no role of this host needs it',
    );
    expect(plan.stdout).not.toMatch(/- remove \/etc\/sudoers\.d/);
    const r = await vprov('apply', '-i', inv, '--limit', 'hv1');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await sh('hv1', 'sha256sum /etc/sudoers.d/vprotect')).toBe(before);
  });

  it('a drop-in vprov wrote but someone changed since is reported, never removed', async () => {
    const inv = lab.writeInventory('site.yaml', { roles: { node1: ['node'], hv1: ['hypervisor'] } });
    expect((await vprov('apply', '-i', inv, '--limit', 'node1')).code).toBe(0);
    await lab.exec('node1', `sed -i 's#/bin/make#/bin/make, /usr/bin/vim#' /etc/sudoers.d/vprotect`);
    const before = await sh('node1', 'sha256sum /etc/sudoers.d/vprotect');
    const r = await vprov('apply', '-i', lab.writeInventory('site.yaml', { roles: { node1: ['os-agent'], hv1: ['hypervisor'] } }), '--limit', 'node1');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('warning: /etc/sudoers.d/vprotect was written by vprov but has changed since: left as it is');
    expect(await sh('node1', 'sha256sum /etc/sudoers.d/vprotect')).toBe(before);
  });
});

describe('firewall: none', () => {
  it("removes vprov's table, unit and persisted file as a planned change, then drift is 0", async () => {
    const inv = lab.writeInventory('site.yaml', { roles: { node1: ['node'], hv1: ['hypervisor'] } });
    expect((await vprov('apply', '-i', inv, '--limit', 'hv1')).code).toBe(0);
    expect(await sh('hv1', 'nft list tables')).toMatch(/inet vprov/);
    const none = lab.writeInventory('none.yaml', { roles: { node1: ['node'], hv1: ['hypervisor'] }, hosts: { hv1: { firewall: 'none' } } });
    const plan = await vprov('plan', '-i', none, '--limit', 'hv1');
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toContain('- table inet vprov (firewall: none in the inventory)');
    expect(plan.stdout).toContain('- /etc/vprov/vprov.nft');
    const r = await vprov('apply', '-i', none, '--limit', 'hv1');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await sh('hv1', 'nft list tables')).not.toMatch(/vprov/);
    expect((await lab.exec('hv1', 'test -e /etc/vprov/vprov.nft')).code).not.toBe(0);
    expect((await vprov('drift', '-i', none, '--limit', 'hv1')).code).toBe(0);
  });
});

describe('a host removed from the inventory', () => {
  it('plan lists it and changes nothing; apply --prune cleans what vprov wrote there; plan of the prune is then empty', async () => {
    const old = lab.writeInventory('old.yaml', { roles: { hv1: ['hypervisor'], node2: ['node'] } });
    expect((await vprov('apply', '-i', old)).code).toBe(0);
    expect(await sh('node2', 'nft list tables')).toMatch(/inet vprov/);
    const now = lab.writeInventory('now.yaml', { roles: { hv1: ['hypervisor'] } });

    const listed = await vprov('plan', '-i', now, '--prune-inventory', old);
    expect(listed.stderr).toContain(
      `warning: hosts in ${old} that left ${now}, not changed: node2; apply --prune node2 --prune-inventory ${old} removes what vprov wrote there`,
    );
    expect(listed.stdout).not.toMatch(/== node2/);

    const refused = await vprov('apply', '-i', now, '--prune', 'hv1', '--prune-inventory', old);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--prune hv1: hv1 is still in the inventory/);
    expect((await vprov('apply', '-i', now, '--prune', 'node2')).stderr).toMatch(/--prune needs --prune-inventory FILE/);

    const r = await vprov('apply', '-i', now, '--prune', 'node2', '--prune-inventory', old);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('- remove /etc/sudoers.d/vprotect: no role of this host needs it');
    expect(r.stdout).toContain('- table inet vprov (the host left the inventory (apply --prune))');
    expect(await sh('node2', 'nft list tables')).not.toMatch(/vprov/);
    expect(await sh('node2', 'ls -a /etc/sudoers.d')).not.toMatch(/vprotect/);
    expect((await lab.exec('node2', 'sudo -l -U vprotect')).stdout).not.toMatch(/NOPASSWD/);
    expect(await sh('node2', 'getent passwd vprotect')).toMatch(/^vprotect:/); // kept without --remove-accounts
    const again = await vprov('plan', '-i', now, '--prune', 'node2', '--prune-inventory', old);
    expect(again.code, again.stdout).toBe(0);
  });
});
