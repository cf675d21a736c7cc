/**
 * compileFleet: a run's hosts made one at a time, when the run gets to them, instead of all up
 * front. It must find every problem compile finds, before any host, and give each host exactly
 * the desired state compile gives it, with the same warnings in the same order.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { compile, compileFleet, type CompileOptions } from '../../src/compile/compile.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { parseInventory } from '../../src/inventory/load.js';
import { InputError } from '../../src/core/errors.js';
import { RESOURCES } from '../../src/resources/registry.js';
import { catalog, inventoryOf } from '../helpers/catalog.js';
import { inventoryCase } from '../helpers/generate.js';
import { convergeAll } from '../../src/app/converge-all.js';
import { localUserName } from '../../src/app/local-user.js';
import type { HostDesired } from '../../src/core/types.js';

const opts: CompileOptions = { modules: RESOURCES, local: { user: 'ops', home: '/home/ops' } };
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof InputError) return [err.message, ...err.details].join('\n');
    throw err;
  }
  return 'no error';
}

describe('compileFleet', () => {
  it('gives every host the desired state compile gives it, and the same flows, edges, warnings and decisions (generated inventories)', () => {
    fc.assert(
      fc.property(inventoryCase(catalog), fc.infiniteStream(fc.nat()), (c, picks) => {
        const inv = inventoryOf(c.inventory);
        const whole = compile(inv, opts);
        const fleet = compileFleet(inv, opts);
        expect(fleet.heads).toEqual(whole.hosts.map((h) => ({ name: h.name, managed: h.managed, hostKeys: h.ssh.hostKeys })));
        const warnings = plain(whole.warnings);
        expect(plain(fleet.warnings)).toEqual(warnings);
        expect(plain({ flows: fleet.flows, edges: fleet.edges, decisions: fleet.decisions })).toEqual(
          plain({ flows: whole.flows, edges: whole.edges, decisions: whole.decisions }),
        );
        // Any host, any number of times, in any order: its desired state, and no warning added by it.
        const it = picks[Symbol.iterator]();
        for (let n = 0; n < whole.hosts.length * 2; n++) {
          const h = whole.hosts[it.next().value % whole.hosts.length]!;
          expect(fleet.desired(h.name)).toEqual(h);
        }
        expect(plain(fleet.warnings)).toEqual(warnings);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses contradicting requirements before any host is made, with compile’s error', () => {
    const test = loadCatalog(fileURLToPath(new URL('../fixtures/catalogs/contradicting/', import.meta.url)));
    const inv = parseInventory(
      `products:
  alpha: { platforms: [{ platform: kvm }] }
  beta: { platforms: [{ platform: kvm }] }
defaults:
  selinux: permissive
hosts:
  web: { address: 192.0.2.9, roles: [alpha/server, beta/console] }
  hv1: { address: 192.0.2.10, roles: [alpha/agent, beta/collector] }
`,
      'site.yaml',
      test,
    );
    const error = errorOf(() => compile(inv, opts));
    expect(error).toMatch(/^host hv1: contradicting SELinux requirements: .*\(site\.yaml:8\)/);
    expect(errorOf(() => compileFleet(inv, opts))).toBe(error);
  });

  it('refuses a connection it could not make (an ~/.ssh/config user OpenSSH refuses) with compile’s error', () => {
    const inv = inventoryOf({
      product: 'storware',
      platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
      hosts: { node1: { address: '192.0.2.5', roles: ['node'] }, hv1: { address: '192.0.2.10', roles: ['hypervisor'] } },
    });
    const bad = { ...opts, sshConfig: (host: string) => (host === '192.0.2.10' ? { user: '-oProxyCommand=x' } : {}) };
    const error = errorOf(() => compile(inv, bad));
    expect(error).toMatch(/^ssh user for 192\.0\.2\.10 \(~\/\.ssh\/config User\): not a user name OpenSSH accepts/);
    expect(errorOf(() => compileFleet(inv, bad))).toBe(error);
  });
});

describe('a run over hosts made when their turn comes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vprov-fleet-run-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const doc = {
    product: 'storware',
    platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true, ceph: true } }],
    defaults: { ssh: { user: 'ops', hostKeys: 'accept-new' }, firewall: 'nftables', selinux: 'permissive' },
    hosts: {
      ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`hv${i}`, { address: `192.0.2.${10 + i}`, roles: ['hypervisor'] }])),
      node1: { address: '192.0.2.5', roles: ['node'] },
      node2: { address: '2001:db8::5', roles: ['node'], ssh: { hostKeys: 'off' } },
      mon1: { address: '192.0.2.90', roles: ['ceph-monitor'], managed: false },
    },
  };
  const file = join(dir, 'site.yaml');
  writeFileSync(file, stringify(doc));
  const noSshConfig = join(dir, 'no-ssh-config');

  it('each host reaches its connection with the desired state compile gives it (apply --remove-accounts: its account marked for removal); every host is in the report', async () => {
    const whole = compile(inventoryOf(doc, file), { ...opts, local: { user: localUserName(), home: homedir() } });
    for (const removeAccounts of [false, true]) {
      const seen: HostDesired[] = [];
      const report = await convergeAll({
        inventory: file,
        check: false,
        removeAccounts,
        forks: 3,
        sshConfigFile: noSshConfig,
        connect: async (d) => {
          seen.push(d);
          throw new Error(`${d.name}: no route to host`);
        },
      });
      const want = whole.hosts
        .filter((h) => h.managed)
        .map((h) => (removeAccounts && h.retired?.account ? { ...h, retired: { ...h.retired, removeAccount: true } } : h));
      expect(want.filter((h) => h.retired?.removeAccount).length).toBe(removeAccounts ? 12 : 0);
      expect(plain(seen.sort((a, b) => a.name.localeCompare(b.name)))).toEqual(
        plain(want).sort((a: HostDesired, b: HostDesired) => a.name.localeCompare(b.name)),
      );
      expect(report.hosts.map((h) => [h.host, h.status, h.error])).toEqual(
        whole.hosts.map((h) => [h.name, h.managed ? 'failed' : 'skipped', h.managed ? expect.stringContaining(`${h.name}: no route to host`) : undefined]),
      );
      // The warnings compile gives, then the host-key notices made before any host starts.
      expect(report.warnings).toEqual([
        ...plain(whole.warnings),
        { code: 'host-keys-off', host: 'node2', message: 'node2: host key checking is off (lab use only)' },
      ]);
    }
  });
});
