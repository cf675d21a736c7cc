/** Pure convergence decisions, on parsed facts: normalisation, controllers, probes, versions, shadowing. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addressInterval, canonicalAddress, cidrProblem, intervalSetText, normalizeSources } from '../../src/core/net.js';
import { mergePorts } from '../../src/core/ports.js';
import { liveControllers, planNftables, shadowNotes } from '../../src/resources/firewall-nftables.js';
import { planFirewalld, versionBefore } from '../../src/resources/firewall-firewalld.js';
import { compile } from '../helpers/compile.js';
import { inventoryOf } from '../helpers/catalog.js';
import type { HostDesired } from '../../src/core/types.js';
import type { FirewallDesired } from '../../src/resources/firewall-desired.js';
import { firewalldFacts, nftFacts, planRaw } from '../helpers/facts.js';
import { firewallResource } from '../../src/resources/firewall.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const fw: FirewallDesired = {
  backend: 'nftables',
  inputPolicy: 'accept',
  sshAdminSources: [],
  confirmTimeout: 60,
  sets: [{ name: 'node_v4', family: 'ipv4', elements: ['10.0.0.0/24'] }],
  rules: [{ set: 'node_v4', family: 'ipv4', protocol: 'tcp', ports: ['22'], flows: ['x/1'], purposes: ['a'] }],
};
const host = { controllerAddress: '172.17.0.1', sshPort: 22, systemd: false };

describe('addresses as nft stores them', () => {
  it.each([
    ['10.0.0.0/08', '10.0.0.0/8'],
    ['10.0.0.7/24', '10.0.0.0/24'],
    ['::ffff:10.0.0.5', '10.0.0.5'],
    ['::ffff:a00:5', '10.0.0.5'],
    ['::ffff:10.0.3.0/120', '10.0.3.0/24'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8::/128', '2001:db8::'],
    ['0.0.0.0/0', '0.0.0.0/0'],
  ])('%s → %s', (input, out) => expect(canonicalAddress(input)).toBe(out));

  it('merges overlapping and adjacent sources, a network covering a host, into the fewest CIDRs', () => {
    expect(normalizeSources(['10.0.0.0/25', '10.0.0.128/25', '10.0.0.5', '2001:db8::1', '10.0.1.0/24'])).toEqual(['10.0.0.0/23', '2001:db8::1']);
    expect(normalizeSources(['10.0.0.1', '10.0.0.2'])).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(intervalSetText(['10.0.0.1', '10.0.0.2'])).toBe('10.0.0.1-10.0.0.2');
    expect(intervalSetText(['10.0.0.1-10.0.0.2'])).toBe(intervalSetText(['10.0.0.2', '10.0.0.1/32']));
    expect(addressInterval('10.0.0.0/8')).toEqual({ family: 'ipv4', lo: 10n << 24n, hi: (11n << 24n) - 1n });
  });

  it('merges adjacent port ranges (nft does in anonymous sets)', () => {
    expect(mergePorts(['16000-16499', '16500-16999', '22', '23'])).toEqual(['22-23', '16000-16999']);
  });

  it('refuses zone ids with a reason', () => {
    expect(cidrProblem('fe80::1%eth0')).toMatch(/zone id/);
  });
});

describe('compile', () => {
  it('a role id starting with a digit gets an nft-valid set name', () => {
    const inv = inventoryOf({
      product: 'storware',
      platforms: [{ platform: 'openstack', method: 'SSH transfer' }],
      hosts: { hv1: { address: '192.0.2.10', roles: ['hypervisor'] } },
      networks: { node: ['10.0.0.0/24'] },
    });
    const product = structuredClone(inv.products[0]!.product);
    product.flows = product.flows.map((f) => (f.from === 'node' ? { ...f, from: '1node' } : f));
    const data = { ...inv.data, networks: { '1node': ['10.0.0.0/24'] } };
    const hv1 = compile({ ...inv, products: [{ ...inv.products[0]!, product }], data }).hosts[0]!;
    expect(hv1.firewall.sets.map((s) => s.name)).toEqual(['r1node_v4']);
  });

  it('controllers and sshAdmins become one normalised source list', () => {
    const inv = inventoryOf({
      product: 'storware',
      platforms: [{ platform: 'openstack', method: 'SSH transfer' }],
      controllers: ['10.0.0.0/25', '::ffff:10.0.0.200'],
      hosts: { hv1: { address: '192.0.2.10', roles: ['hypervisor'], firewall: { backend: 'nftables', inputPolicy: 'drop', sshAdmins: ['10.0.0.128/25'] } } },
    });
    expect(compile(inv).hosts[0]!.firewall.sshAdminSources).toEqual(['10.0.0.0/24']);
  });

  it('two hosts with one address in two spellings are refused', () => {
    expect(() =>
      inventoryOf({
        product: 'storware',
        platforms: [{ platform: 'openstack', method: 'SSH transfer' }],
        hosts: { a: { address: '10.0.0.5', roles: ['node'] }, b: { address: '::ffff:10.0.0.5', roles: ['node'] } },
      }),
    ).toThrow(/address ::ffff:10\.0\.0\.5 is also host "a"'s/);
  });
});

describe('live controllers', () => {
  it('keeps what is there, adds this session only when not covered', () => {
    expect(liveControllers(['10.9.9.9'], '172.17.0.1', [])).toEqual({ kept: ['10.9.9.9'], withOurs: ['10.9.9.9', '172.17.0.1'] });
    expect(liveControllers([], '172.17.0.1', ['172.16.0.0/12'])).toEqual({ kept: [], withOurs: [] });
    expect(liveControllers(['172.17.0.1'], '172.17.0.1', [])).toEqual({ kept: ['172.17.0.1'], withOurs: ['172.17.0.1'] });
  });
});

describe("nftables.service's drop-in goes with vprov's unit", () => {
  const sd = { ...host, systemd: true };
  const empty = { ...fw, sets: [], rules: [] };
  const dropin = '[Service]\nExecStartPost=-/usr/bin/systemctl --no-block try-reload-or-restart vprov-nftables.service\n';
  it('an apply on a systemd host writes the unit and the drop-in, and enables the unit', () => {
    const plan = planNftables(nftFacts(`nft=yes\nruleset=${b64('{"nftables": []}')}\npersisted=absent\nunit=absent\ndropin=absent`), fw, sd);
    expect(plan.changes).toEqual(
      expect.arrayContaining(['+ /etc/systemd/system/vprov-nftables.service', '+ /etc/systemd/system/nftables.service.d/50-vprov.conf']),
    );
    expect(plan.script).toMatch(/mv -f \S+ \/etc\/systemd\/system\/nftables\.service\.d\/50-vprov\.conf\n/);
  });
  it('a left-over drop-in alone is removed, with its directory when empty', () => {
    const plan = planNftables(nftFacts(`nft=yes\nruleset=${b64('{"nftables": []}')}\npersisted=absent\nunit=absent\ndropin=${b64(dropin)}`), empty, sd);
    expect(plan.changes).toEqual(['- /etc/systemd/system/nftables.service.d/50-vprov.conf']);
    expect(plan.script).toMatch(/rm -f .*\/etc\/systemd\/system\/nftables\.service\.d\/50-vprov\.conf/);
    expect(plan.script).toMatch(/rmdir \/etc\/systemd\/system\/nftables\.service\.d 2>\/dev\/null \|\| true/);
    expect(plan.script).toMatch(/systemctl daemon-reload/);
  });
});

describe('facts that cannot be read fail the resource with their cause', () => {
  it('nft listing error', () => {
    const plan = planRaw(
      firewallResource,
      `firewalld=no\nnft=yes\nruleset_error=${b64('Error: Could not process rule: Operation not permitted')}\npersisted=absent\nunit=absent`,
      { firewall: fw } as HostDesired,
      host,
    );
    expect(plan.status).toBe('failed');
    expect(plan.error).toMatch(/cannot read the nftables ruleset: Error: Could not process rule: Operation not permitted/);
    expect(plan.script).toBe('');
  });

  it('firewalld probe error: failed, nothing applied or reloaded', () => {
    const plan = planFirewalld(firewalldFacts(`runtime_error=${b64('interpreter /usr/bin/python3: sh: 1: /usr/bin/python3: not found')}`), fw, {
      running: true,
    });
    expect(plan.status).toBe('failed');
    expect(plan.error).toMatch(/cannot read firewalld's runtime state .*python3: not found/);
    expect(plan.script).toBe('');
  });
});

describe('firewalld versions (decided on the parsed version)', () => {
  const runtime = (version: string) => `runtime=${b64(JSON.stringify({ version, ipsets: {}, policies: {} }))}`;

  it.each([
    ['0.6.3', true],
    ['0.8.99', true],
    ['0.9.0', false],
    ['1.3.3', false],
    ['2.0', false],
  ])('%s before 0.9.0: %s', (v, before) => expect(versionBefore(v, [0, 9, 0])).toBe(before));

  it('0.6.3 is refused, naming the version and the alternatives', () => {
    const plan = planFirewalld(firewalldFacts(runtime('0.6.3')), fw, { running: true });
    expect(plan.changes).toEqual(['! firewalld 0.6.3 has no policy objects (they exist from 0.9.0)']);
    expect(plan.script).toMatch(/firewalld 0\.6\.3 is older than 0\.9\.0 .*upgrade firewalld .*firewall: none/);
  });

  it('0.9.0 uses the policy', () => {
    const plan = planFirewalld(firewalldFacts(runtime('0.9.0')), fw, { running: true });
    expect(plan.status).toBe('pending');
    expect(plan.changes.some((c) => c.includes('policy vprov-in'))).toBe(true);
  });
});

describe('shadowing', () => {
  it('a final reject or drop rule (native or iptables-nft xt) shadows; an accepting chain does not', () => {
    const items = [
      { chain: { family: 'inet', table: 'firewalld', name: 'filter_INPUT', hook: 'input', policy: 'accept' } },
      { rule: { family: 'inet', table: 'firewalld', chain: 'filter_INPUT', expr: [{ reject: { type: 'icmpx', expr: 'admin-prohibited' } }] } },
      { chain: { family: 'ip', table: 'filter', name: 'INPUT', hook: 'input', policy: 'accept' } },
      { rule: { family: 'ip', table: 'filter', chain: 'INPUT', expr: [{ xt: { type: 'target', name: 'REJECT' } }] } },
      { chain: { family: 'inet', table: 'admin', name: 'input', hook: 'input', policy: 'accept' } },
      { rule: { family: 'inet', table: 'admin', chain: 'input', expr: [{ accept: null }] } },
    ];
    expect(shadowNotes(items as unknown as Parameters<typeof shadowNotes>[0])).toEqual([
      expect.stringMatching(/^shadowed by table inet firewalld \(chain filter_INPUT ends in a reject rule\)/),
      expect.stringMatching(/^shadowed by table ip filter \(chain INPUT ends in a reject rule\)/),
    ]);
  });
});

describe('loading the rendered table', () => {
  /** The plan's script with /etc/vprov and /run/vprov in a scratch directory, and an nft that rejects every table it is given. */
  function runWithRejectingNft(plan: { script: string }) {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-nft-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'nft'), `#!/bin/sh\necho "nft $*" >> '${dir}/calls'\necho 'Error: syntax error, unexpected junk' >&2\nexit 1\n`, {
      mode: 0o755,
    });
    const script = plan.script.replaceAll('/etc/vprov', join(dir, 'etc')).replaceAll('/run/vprov', join(dir, 'run'));
    const r = spawnSync('/bin/sh', ['-c', `( set -e\n${script}\n)`], { env: { PATH: `${dir}/bin:/usr/bin:/bin`, VPROV_RUN: 'r1' }, encoding: 'utf8' });
    const calls = existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : [];
    return {
      ...r,
      dir,
      calls,
      left: readdirSync(join(dir, 'etc')),
      armed: existsSync(join(dir, 'run')) && readdirSync(join(dir, 'run')).some((f) => f.startsWith('rollback.armed')),
    };
  }
  const fresh = `nft=yes\nruleset=${b64('{"nftables": []}')}\npersisted=absent\nunit=absent\ndropin=absent`;

  it('a table nft rejects fails the resource with nft’s reason and leaves nothing (one nft -f: a transaction)', () => {
    const r = runWithRejectingNft(planNftables(nftFacts(fresh), fw, host));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^nft rejected the rendered table: Error: syntax error, unexpected junk/);
    expect(r.calls).toEqual([expect.stringMatching(/^nft -f \S+\/etc\/vprov\.nft\.r1\.vprov-new$/)]);
    expect(r.left).toEqual([]); // neither the temp file nor a persisted table
  });

  it('with a rollback to arm, it is checked first and nothing is armed', () => {
    const r = runWithRejectingNft(planNftables(nftFacts(fresh), { ...fw, inputPolicy: 'drop' }, host));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^nft rejected the rendered table: Error: syntax error/);
    expect(r.calls).toEqual([expect.stringMatching(/^nft -c -f /)]);
    expect(r.armed).toBe(false);
    expect(r.left).toEqual([]);
  });
});
