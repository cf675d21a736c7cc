/**
 * Input that could change a firewall in a way the operator did not mean is refused before any
 * host is contacted: a CIDR with host bits set, a host name that does not resolve, an empty
 * --limit. Each is exit 1; the lab host is checked from outside: no login, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }, { name: 'hv1' }]);
});
afterAll(async () => {
  await lab?.stop();
});

/** sshd logs every accepted login to the container's output (sshd -D -e). */
function logins(name: string): number {
  const out = execFileSync('sh', ['-c', `docker logs ${lab.host(name).id} 2>&1`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => /Accepted publickey/.test(l)).length;
}

async function untouched(name: string): Promise<void> {
  const r = await lab.exec(name, 'ls -d /etc/vprov /run/vprov /var/lib/vprov /etc/sudoers.d/vprotect 2>/dev/null; getent passwd vprotect; nft list tables');
  expect(r.stdout.trim()).toBe('');
}

describe('bad input: exit 1, no host touched', () => {
  const roles = { node1: ['node'], hv1: ['hypervisor'] };

  it('a network with host bits set (meant /24, written /16)', async () => {
    const inv = lab.writeInventory('typo.yaml', { roles, networks: { 'os-agent': ['10.20.1.0/16'] } });
    const r = await vprov('apply', '-i', inv);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /typo\.yaml:\d+: networks\.os-agent\[0\]: "10\.20\.1\.0\/16" has host bits set: did you mean 10\.20\.1\.0\/24, or 10\.20\.0\.0\/16\?/,
    );
  });

  it('a host whose address is a name that does not resolve', async () => {
    const inv = lab.writeInventory('dns.yaml', { roles, hosts: { hv1: { address: 'hv1.no-such-site.invalid' } } });
    const r = await vprov('apply', '-i', inv);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dns\.yaml:\d+: hosts\.hv1\.address: "hv1\.no-such-site\.invalid" does not resolve \(\w+\): nothing was touched/);
  });

  it('an empty --limit (a variable that expanded to nothing)', async () => {
    const inv = lab.writeInventory('limit.yaml', { roles });
    const r = await vprov('apply', '-i', inv, '--limit', '');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--limit: empty pattern/);
  });

  it('after all three, neither host was logged into nor changed', async () => {
    for (const h of ['node1', 'hv1']) {
      expect(logins(h)).toBe(0);
      await untouched(h);
    }
  });
});
