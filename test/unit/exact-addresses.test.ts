/**
 * Addresses are exact: a CIDR with host bits set is refused with both readings, a host name
 * that does not resolve stops the run, and an empty --limit selects nothing rather than all.
 * Each is bad input (exit 1) found before any host is contacted.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { canonicalAddress, hostBitsProblem, formatAddress } from '../../src/core/net.js';
import { parseInventory } from '../../src/inventory/load.js';
import { selectHosts } from '../../src/inventory/limit.js';
import { resolveHostAddresses } from '../../src/app/resolve.js';
import { InputError } from '../../src/core/errors.js';
import { catalog } from '../helpers/catalog.js';
import { vprov } from '../helpers/cli.js';

const ok = `product: storware
platforms:
  - platform: openstack
    method: SSH transfer
hosts:
  node1: { address: 192.0.2.5, roles: [node] }
  agent1: { address: agent1.example.test, roles: [os-agent] }
`;

function loadError(text: string): string {
  try {
    parseInventory(text, 'site.yaml', catalog);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('loaded without error');
}

describe('a CIDR with host bits set', () => {
  it('is refused with both readings, naming file, line and field', () => {
    expect(loadError(`${ok}networks:\n  os-agent: [10.20.1.0/16]\n`)).toBe(
      'site.yaml:9: networks.os-agent[0]: "10.20.1.0/16" has host bits set: did you mean 10.20.1.0/24, or 10.20.0.0/16?',
    );
  });

  it('is refused wherever the inventory takes a CIDR (controllers, sshAdmins)', () => {
    expect(loadError(`${ok}controllers: [192.0.2.77/24]\n`)).toMatch(
      /^site\.yaml:8: controllers\[0\]: "192\.0\.2\.77\/24" has host bits set: did you mean 192\.0\.2\.77\/32, or 192\.0\.2\.0\/24\?$/,
    );
    expect(loadError(ok.replace('hosts:', 'defaults:\n  firewall: { backend: nftables, inputPolicy: drop, sshAdmins: ["2001:db8::1/64"] }\nhosts:'))).toBe(
      'site.yaml:6: defaults.firewall.sshAdmins[0]: "2001:db8::1/64" has host bits set: did you mean 2001:db8::1/128, or 2001:db8::/64?',
    );
  });

  it('exact CIDRs and plain addresses pass', () => {
    for (const s of ['10.20.0.0/16', '10.20.1.0/24', '0.0.0.0/0', '::/0', '10.0.0.5', '10.0.0.5/32', '2001:db8::/32', '::ffff:10.0.3.0/120', '10.0.0.0/08']) {
      expect(hostBitsProblem(s)).toBeNull();
    }
  });

  it('generated: refused exactly when bits beyond the prefix are set; both readings are exact and cover the address', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (n, len) => {
        const ip = formatAddress('ipv4', BigInt(n));
        const problem = hostBitsProblem(`${ip}/${len}`);
        const aligned = len === 32 || n % 2 ** (32 - len) === 0;
        expect(problem === null).toBe(aligned);
        if (problem === null) return;
        const [narrow, wide] = /did you mean (\S+), or (\S+)\?$/.exec(problem)!.slice(1) as [string, string];
        expect(hostBitsProblem(narrow)).toBeNull();
        expect(hostBitsProblem(wide)).toBeNull();
        expect(narrow.startsWith(`${ip}/`)).toBe(true); // the address as written, with the prefix its zero bits allow
        expect(Number(narrow.split('/')[1])).toBeGreaterThan(len);
        expect(wide).toBe(`${canonicalAddress(`${ip}/${len}`).split('/')[0]}/${len}`); // what nft would have made of it
      }),
    );
  });
});

describe('a host name in address', () => {
  const inv = () => parseInventory(ok, 'site.yaml', catalog);

  it('that does not resolve stops the run, naming the host and line', async () => {
    const failing = async (name: string) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    };
    await expect(resolveHostAddresses(inv(), failing)).rejects.toThrow(
      'site.yaml:7: hosts.agent1.address: "agent1.example.test" does not resolve (ENOTFOUND): nothing was touched; fix the name or give the host\'s IP address',
    );
    await expect(resolveHostAddresses(inv(), async () => [])).rejects.toThrow(
      /hosts\.agent1\.address: "agent1\.example\.test" does not resolve \(no address\)/,
    );
  });

  it('is resolved once, and IP addresses are not looked up', async () => {
    const asked: string[] = [];
    const resolved = await resolveHostAddresses(inv(), async (n) => (asked.push(n), ['192.0.2.9']));
    expect(asked).toEqual(['agent1.example.test']);
    expect([...resolved]).toEqual([['agent1.example.test', ['192.0.2.9']]]);
  });
});

describe('--limit', () => {
  const data = { hosts: { node1: {}, hv1: {} } as never, groups: {} };
  it.each(['', ' ', ',', ' : '])('an empty pattern %j is an input error, not every host', (pattern) => {
    expect(() => selectHosts(data, pattern)).toThrow(InputError);
    expect(() => selectHosts(data, pattern)).toThrow(/--limit: empty pattern .*leave --limit out \(or write --limit all\) to select every host/);
  });
  it('no --limit, or all, is every host', () => {
    expect(selectHosts(data, undefined)).toEqual(['hv1', 'node1']);
    expect(selectHosts(data, 'all')).toEqual(['hv1', 'node1']);
  });
});

describe('the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vprov-exact-'));
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

  it('inventory check refuses a host-bits CIDR with exit 1', async () => {
    const inv = file('typo.yaml', `${ok.replace('agent1.example.test', '192.0.2.6')}networks:\n  os-agent: [10.20.1.0/16]\n`);
    const r = await vprov('inventory', 'check', '-i', inv);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${inv}:9: networks.os-agent[0]: "10.20.1.0/16" has host bits set: did you mean 10.20.1.0/24, or 10.20.0.0/16?`);
  });

  it('inventory check refuses a name that does not resolve with exit 1', async () => {
    const inv = file('dns.yaml', ok.replace('agent1.example.test', 'no-such-host.invalid'));
    const r = await vprov('inventory', 'check', '-i', inv);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dns\.yaml:7: hosts\.agent1\.address: "no-such-host\.invalid" does not resolve/);
  });
});
