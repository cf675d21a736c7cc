/**
 * Saved plans on lab hosts, over real SSH: `plan --out FILE` changes nothing, `apply FILE`
 * applies exactly it, a fresh plan after that has nothing to do. A host changed by hand between
 * plan and apply is refused (named reason) and left as it was, while the other host is applied;
 * an inventory edited after the plan stops the apply before any login. End state read from
 * outside (docker exec, sshd's log).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

let lab: Lab;
const sh = async (host: string, cmd: string) => (await lab.exec(host, cmd)).stdout;
const roles = { node1: ['node'], hv1: ['hypervisor'] };
const inventory = () => lab.writeInventory('site.yaml', { roles });
const planPath = (name: string) => join(lab.dir, name);
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** sshd logs every accepted login to the container's output (sshd -D -e). */
function logins(name: string): number {
  const out = execFileSync('sh', ['-c', `docker logs ${lab.host(name).id} 2>&1`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => /Accepted publickey/.test(l)).length;
}

/** What vprov manages on a host, read from outside. */
async function state(host: string): Promise<string> {
  return sh(host, 'nft list table inet vprov 2>&1 | head -3; cat /etc/sudoers.d/vprotect 2>&1 | head -3; ls /etc/vprov 2>&1');
}

beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }, { name: 'hv1' }]);
});
afterAll(async () => {
  await lab?.stop();
});

describe('plan --out, then apply FILE', () => {
  it('the plan changes nothing and saves the file (0600)', async () => {
    const before = { node1: await state('node1'), hv1: await state('hv1') };
    const out = planPath('first.plan');
    const r = await vprov('plan', '-i', inventory(), '--out', out);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toContain(`plan saved to ${out} (sha256 ${sha256(out)}): vprov apply ${out} applies exactly it`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(await state('node1')).toBe(before.node1);
    expect(await state('hv1')).toBe(before.hv1);
    expect(await sh('node1', 'test -e /etc/sudoers.d/vprotect || echo absent')).toBe('absent\n');
  });

  it('apply FILE applies it: the report, recap and audit log name the plan file and its hash', async () => {
    const out = planPath('first.plan');
    const audit = join(lab.dir, 'audit.log');
    const r = await vprov('apply', out, '--audit-log', audit);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`applied from plan file ${out} (sha256 ${sha256(out)})`);
    expect(await sh('node1', 'sudo -l -U vprotect')).toMatch(/NOPASSWD/);
    expect(await sh('node1', 'nft list table inet vprov')).toMatch(/table inet vprov/);
    expect(await sh('hv1', 'nft list table inet vprov')).toMatch(/table inet vprov/);
    const lines = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.host, l.result, l.planFile, l.planSha256]).sort()).toEqual([
      ['hv1', 'changed', out, sha256(out)],
      ['node1', 'changed', out, sha256(out)],
    ]);
    const json = await vprov('apply', out, '--format', 'json');
    expect(JSON.parse(json.stdout).planFile).toEqual({ path: out, sha256: sha256(out) });
  });

  it('a fresh plan shows nothing to do; applying it is a no-op', async () => {
    const out = planPath('second.plan');
    const plan = await vprov('plan', '-i', inventory(), '--out', out);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const before = { node1: await state('node1'), hv1: await state('hv1') };
    const r = await vprov('apply', out);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hosts: 2 ok=2 changed=0/);
    expect(await state('node1')).toBe(before.node1);
    expect(await state('hv1')).toBe(before.hv1);
  });
});

describe('what changed since the plan', () => {
  it('a host changed by hand is refused, naming what changed, and left as it was; the other host is applied', async () => {
    // Both hosts lose vprov's table, so the plan has a change for each.
    for (const h of ['node1', 'hv1']) await sh(h, 'nft delete table inet vprov');
    const out = planPath('drifted.plan');
    const plan = await vprov('plan', '-i', inventory(), '--out', out);
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    // By hand on node1, between plan and apply: a rule in another table, and the drop-in edited.
    await sh(
      'node1',
      "nft add table inet ops && nft add chain inet ops input '{ type filter hook input priority 10; }' && nft add rule inet ops input tcp dport 9999 accept",
    );
    await sh('node1', "echo '# edited by hand' >> /etc/sudoers.d/vprotect");
    const node1Before = await state('node1');
    const r = await vprov('apply', out);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toMatch(
      /node1.*\n?.*facts changed since the plan: firewall, sudoers; this host is not changed: make a new plan to review its current state/,
    );
    expect(await state('node1')).toBe(node1Before);
    expect(await sh('node1', 'nft list tables')).not.toMatch(/inet vprov/);
    expect(await sh('node1', 'tail -1 /etc/sudoers.d/vprotect')).toBe('# edited by hand\n');
    expect(await sh('hv1', 'nft list table inet vprov')).toMatch(/table inet vprov/);
    expect(r.stdout).toMatch(/hv1\s+: ok=\d+ changed=1 pending=0 failed=0/);
  });

  it('traffic is not a change: a counting rule of another tool (iptables-nft, libvirt) does not refuse the host', async () => {
    await sh(
      'node1',
      "nft delete table inet vprov 2>/dev/null; nft add table inet counting && nft add chain inet counting input '{ type filter hook input priority 20; }' && nft add rule inet counting input counter",
    );
    const out = planPath('counting.plan');
    const plan = await vprov('plan', '-i', inventory(), '--limit', 'node1', '--out', out);
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    await sh('node1', 'ping -c 3 -i 0.2 127.0.0.1 >/dev/null 2>&1; true'); // packets counted since the plan (SSH's too)
    expect(await sh('node1', 'nft list table inet counting')).not.toMatch(/counter packets 0 bytes 0/);
    const r = await vprov('apply', out);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await sh('node1', 'nft list table inet vprov')).toMatch(/table inet vprov/);
    await sh('node1', 'nft delete table inet counting');
  });

  it('an inventory edited after the plan: exit 1 naming what changed, no host logged into', async () => {
    const inv = inventory();
    await sh('hv1', 'nft delete table inet vprov');
    const out = planPath('edited.plan');
    const plan = await vprov('plan', '-i', inv, '--out', out);
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    lab.writeInventory('site.yaml', { roles, networks: { 'os-agent': ['10.20.1.0/24'] } });
    const seen = { node1: logins('node1'), hv1: logins('hv1') };
    const r = await vprov('apply', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${out}: the inventory ${inv} changed since the plan: networks`);
    expect(r.stderr).toMatch(/nothing was touched: make a new plan/);
    expect({ node1: logins('node1'), hv1: logins('hv1') }).toEqual(seen);
    expect(await sh('hv1', 'nft list tables')).not.toMatch(/inet vprov/);
  });

  it('a plan file and -i together are refused before anything is read', async () => {
    const out = planPath('edited.plan');
    const r = await vprov('apply', out, '-i', inventory());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/-i\/--inventory cannot be given with a plan file: .*give either a plan file or -i INVENTORY, not both/);
    expect(existsSync(out)).toBe(true);
  });
});
