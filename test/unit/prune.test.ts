/** apply --prune: a host that left the inventory gets only the removal of what vprov wrote there. */
import { describe, expect, it } from 'vitest';
import { prunedDesired, PRUNED_WHY } from '../../src/app/prune.js';
import { resourcesFor } from '../../src/resources/registry.js';
import { compile } from '../helpers/compile.js';
import { inventoryOf } from '../helpers/catalog.js';

const olvm = inventoryOf({
  product: 'olvm',
  platforms: [{ platform: 'olvm' }],
  hosts: { engine: { address: '192.0.2.50', roles: ['manager'] }, kvm1: { address: '192.0.2.51', roles: ['kvm-host'] } },
});
const engine = compile(olvm).hosts.find((h) => h.name === 'engine')!;

describe('a pruned host', () => {
  it('keeps no requirement of its former roles: the OLVM Manager that left is not asked to keep IPv6 enabled', () => {
    expect(engine.ipstack).not.toBeNull(); // while in the inventory, it is
    const pruned = prunedDesired(engine, false);
    expect(pruned.ipstack ?? null).toBeNull();
    expect(resourcesFor(pruned).map((m) => m.kind)).toEqual(['firewall', 'account', 'sudoers', 'selinux']);
  });

  it('plans the removal of vprov firewall objects, sudoers drop-in and account (with --remove-accounts) only', () => {
    const pruned = prunedDesired(engine, true);
    expect(pruned).toMatchObject({ roles: [], firewall: { backend: 'none', sets: [], rules: [] }, account: null, sudoers: null, selinux: { mode: 'keep' } });
    expect(pruned.retired).toMatchObject({ removeAccount: true, why: PRUNED_WHY });
  });
});
