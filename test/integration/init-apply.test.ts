/**
 * The first hour, end to end: `vprov init` for every product and for a two-product site, its placeholders filled in with lab
 * hosts (addresses, the SSH settings an operator adds), passes `inventory check` and applies on
 * real hosts over SSH: plan changes nothing, apply opens every source on its destination (read
 * from outside with docker exec), re-apply changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { listedIPv4 } from '../helpers/addresses.js';
import { catalog } from '../helpers/catalog.js';
import { ADDRESS_PLACEHOLDER, CIDR_PLACEHOLDER } from '../../src/app/init.js';
import { loadInventory } from '../../src/inventory/load.js';
import { compile } from '../helpers/compile.js';
import type { RunReport } from '../../src/core/report.js';

/** One starter per product, then a two-product site; the widest (app-layering) needs ten hosts. */
const STARTERS: string[][] = [
  ['storware', '--platform', 'openstack', '--method', 'SSH transfer'],
  ['olvm'],
  ['coriolis', '--platform', 'openstack'],
  ['app-layering'],
  // Several products make a site (products:, roles PRODUCT/ROLE) on the same lab hosts.
  ['olvm', 'storware', '--platform', 'ovirt', '--method', 'Disk Image Transfer'],
];
const HOSTS = 10;

let lab: Lab;
beforeAll(async () => {
  lab = await startLab(Array.from({ length: HOSTS }, (_, i) => ({ name: `h${i + 1}` })));
}, 300_000);
afterAll(async () => {
  await lab?.stop();
});

/** Inventory host → the lab host that plays it. */
const playedBy = new Map<string, string>();

/** What an operator fills in: each placeholder address is a lab host, plus how to reach it. */
function fillIn(text: string): string {
  let next = 0;
  playedBy.clear();
  const doc = parseDocument(text);
  const hosts = doc.get('hosts') as { items: { key: { value: string }; value: unknown }[] };
  for (const item of hosts.items) {
    const h = lab.hosts[next]!;
    playedBy.set(item.key.value, h.name);
    next++;
    doc.setIn(['hosts', item.key.value, 'address'], h.address);
    doc.setIn(['hosts', item.key.value, 'ssh'], doc.createNode({ host: h.sshHost, port: h.sshPort }, { flow: true }));
  }
  doc.setIn(
    ['defaults', 'ssh'],
    doc.createNode({ user: 'ops', identityFile: lab.keyFile, become: true, hostKeys: 'accept-new', knownHostsFile: lab.knownHosts }, { flow: true }),
  );
  doc.setIn(['defaults', 'firewall'], 'nftables');
  let cidr = 0;
  const out = doc.toString();
  expect(
    out
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#'))
      .join('\n'),
  ).not.toContain(ADDRESS_PLACEHOLDER);
  return out.replaceAll(`"${CIDR_PLACEHOLDER}"`, () => `198.51.100.${++cidr}/32`);
}

describe.each(STARTERS)('vprov init %s', (...args: string[]) => {
  let file: string;

  beforeAll(async () => {
    const init = await vprov('init', ...args);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    // One file name for every product: the hosts stay with one site as the products take turns.
    const dir = join(lab.dir, args[0]!);
    mkdirSync(dir, { recursive: true });
    file = join(dir, 'first-hour.yaml');
    writeFileSync(file, fillIn(init.stdout));
  });

  it('passes inventory check once filled in', async () => {
    const r = await vprov('inventory', 'check', '-i', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('plan changes nothing, apply opens every source on its destination, re-apply changes nothing', async () => {
    const inv = compile(loadInventory(file, catalog));
    const state = () =>
      Promise.all(inv.hosts.map((h) => lab.exec(playedBy.get(h.name)!, 'nft list table inet vprov 2>&1; id vprotect 2>&1; ls /etc/sudoers.d')));
    const before = await state();
    const plan = await vprov('plan', '-i', file, '--format', 'json');
    expect(plan.code, plan.stderr).toBe(2);
    expect((await state()).map((r) => r.stdout)).toEqual(before.map((r) => r.stdout));

    const apply = await vprov('apply', '-i', file, '--format', 'json');
    const report = JSON.parse(apply.stdout) as RunReport;
    expect(report.hosts.filter((h) => h.status !== 'changed' && h.status !== 'ok').map((h) => [h.host, h.status, h.error])).toEqual([]);
    expect(apply.code, apply.stderr).toBe(0);
    for (const h of inv.hosts) {
      const sources = h.firewall.sets.flatMap((s) => s.elements);
      if (sources.length === 0) continue;
      const listed = listedIPv4((await lab.exec(playedBy.get(h.name)!, 'nft list table inet vprov')).stdout);
      for (const s of sources) expect(listed, `${h.name} admits ${s}`).toContain(s.replace(/\/32$/, ''));
    }

    const again = await vprov('apply', '-i', file, '--format', 'json');
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as RunReport).hosts.map((h) => [h.host, h.status])).toEqual(report.hosts.map((h) => [h.host, 'ok']));
  }, 240_000);
});
