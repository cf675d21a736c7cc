/**
 * The vertical slice against real lab hosts over real SSH. State is checked from outside
 * (docker exec), never by asking vprov.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { listedIPv4 } from '../helpers/addresses.js';

let lab: Lab;
let inventory: string;
const roles = { node1: ['node'], hv1: ['hypervisor'], hv2: ['hypervisor'] };

beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }, { name: 'hv1' }, { name: 'hv2' }, { name: 'down1' }]);
  inventory = lab.writeInventory('slice.yaml', { roles });
});
afterAll(async () => {
  await lab?.stop();
});

const nftTable = (h: string) => lab.exec(h, 'nft list table inet vprov');
const idVprotect = (h: string) => lab.exec(h, 'id -nG vprotect');
const sudoersFile = (h: string) => lab.exec(h, 'stat -c "%a %U %G" /etc/sudoers.d/vprotect && cat /etc/sudoers.d/vprotect');

describe('three-run contract (nftables, account, sudoers)', () => {
  it('apply --check reports pending changes and changes nothing', async () => {
    const r = await vprov('apply', '-i', inventory, '--check');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/node1 : ok=\d changed=0 pending=3/);
    expect(r.stdout).toMatch(/hv1\s+: ok=\d changed=0 pending=1/);
    for (const h of Object.keys(roles)) {
      expect((await nftTable(h)).code).not.toBe(0);
      expect((await idVprotect(h)).code).not.toBe(0);
      expect((await lab.exec(h, 'test -e /etc/sudoers.d/vprotect')).code).not.toBe(0);
    }
  });

  it('apply converges every host', async () => {
    const r = await vprov('apply', '-i', inventory);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hosts: 3 ok=0 changed=3 pending=0 failed=0 unreachable=0 skipped=0/);
    const [node1, hv1] = [lab.host('node1'), lab.host('hv1')];
    const hvTable = (await nftTable('hv1')).stdout;
    expect(hvTable).toContain(`elements = { ${node1.address} }`);
    expect(hvTable).toMatch(/ip saddr @node_v4 tcp dport 22 accept/);
    const nodeTable = (await nftTable('node1')).stdout;
    expect(nodeTable).toMatch(/tcp dport 16000-16999 accept/);
    expect(listedIPv4(nodeTable)).toContain(hv1.address); // hv1 and hv2 may be merged into one prefix
    expect((await idVprotect('node1')).stdout.split(/\s+/)).toContain('disk');
    const sudo = await sudoersFile('node1');
    expect(sudo.stdout).toMatch(/^440 root root/);
    expect(sudo.stdout).toContain('vprotect ALL=(root) NOPASSWD: VPROV_VPROTECT');
    expect((await lab.exec('node1', 'visudo -c')).code).toBe(0);
    // hypervisors get the firewall only: no account, no sudoers
    expect((await idVprotect('hv1')).code).not.toBe(0);
    // persisted copy equals what is loaded
    expect((await lab.exec('hv1', 'cat /etc/vprov/vprov.nft')).stdout).toContain('table inet vprov {');
  });

  it('a second apply changes nothing and plan exits 0', async () => {
    const before = (await nftTable('hv1')).stdout + (await sudoersFile('node1')).stdout;
    const again = await vprov('apply', '-i', inventory);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/hosts: 3 ok=3 changed=0 pending=0 failed=0 unreachable=0 skipped=0/);
    expect((await nftTable('hv1')).stdout + (await sudoersFile('node1')).stdout).toBe(before);
    const plan = await vprov('plan', '-i', inventory);
    expect(plan.code).toBe(0);
  });

  it('plan --format json prints one JSON document and nothing else', async () => {
    const r = await vprov('plan', '-i', inventory, '--format', 'json');
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(1);
    expect(doc.hosts.map((h: { host: string; roundTrips: number }) => [h.host, h.roundTrips])).toEqual([
      ['hv1', 1],
      ['hv2', 1],
      ['node1', 1],
    ]);
  });

  it('keeps groups the account already has and detects a group removed by hand', async () => {
    await lab.exec('node1', 'groupadd -f backupops && usermod -aG backupops vprotect && gpasswd -d vprotect disk');
    const plan = await vprov('plan', '-i', inventory, '--limit', 'node1');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/\+ vprotect in group disk/);
    expect((await vprov('apply', '-i', inventory, '--limit', 'node1')).code).toBe(0);
    const groups = (await idVprotect('node1')).stdout.trim().split(/\s+/);
    expect(groups).toEqual(expect.arrayContaining(['disk', 'backupops']));
  });

  it('replaces a rule deleted by hand and a foreign rule added to vprov’s table', async () => {
    await lab.exec('hv2', 'nft flush chain inet vprov input && nft add rule inet vprov input tcp dport 9999 accept');
    const plan = await vprov('plan', '-i', inventory, '--limit', 'hv2');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/\+ rule input: ip\.saddr == @node_v4 && tcp\.dport == 22 accept/);
    expect(plan.stdout).toMatch(/- rule input: tcp\.dport == 9999 accept/);
    expect((await vprov('apply', '-i', inventory, '--limit', 'hv2')).code).toBe(0);
    const table = (await nftTable('hv2')).stdout;
    expect(table).not.toContain('9999');
    expect(table).toMatch(/tcp dport 22 accept/);
  });
});

describe('bad input and failures', () => {
  it('a sudoers render that visudo rejects leaves the previous file untouched', async () => {
    const before = (await sudoersFile('node1')).stdout;
    expect(before).toContain('VPROV_VPROTECT');
    // A catalog whose node command list renders into sudoers that visudo rejects although the schema accepts
    // every path in it (sudoedit must not be given with a path; a ",," is now refused by the schema before any host).
    const dir = mkdtempSync(join(tmpdir(), 'vprov-badcat-'));
    const good = readFileSync(new URL('../../catalog/storware.yaml', import.meta.url), 'utf8');
    writeFileSync(join(dir, 'storware.yaml'), good.replace('- /usr/bin/targetcli', '- /usr/bin/sudoedit'));
    const r = await vprov('apply', '-i', inventory, '--limit', 'node1', '--catalog', dir);
    expect(r.code & 4).toBe(4);
    expect(r.stdout).toMatch(/sudoers\s+FAILED/);
    expect(r.stdout).toMatch(/visudo rejected/);
    expect((await sudoersFile('node1')).stdout).toBe(before);
    expect((await lab.exec('node1', 'ls -A /etc/sudoers.d')).stdout.trim().split('\n').sort()).toEqual(['README', 'vprotect']);
  });

  it('a broken inventory exits 1 before any host is touched', async () => {
    const bad = lab.writeInventory('bad.yaml', { roles: { ...roles, node1: ['nodes'] } });
    const r = await vprov('apply', '-i', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:\d+: hosts\.node1\.roles\[0\]: unknown role "nodes"/);
  });

  it('a host that is down is unreachable (bit 4) while the others are applied', async () => {
    const fresh = await startLab([{ name: 'hv3' }]);
    try {
      await lab.host('down1').container.stop({ timeout: 1 });
      const down = lab.host('down1');
      const hv3 = fresh.host('hv3');
      const inv = fresh.writeInventory('down.yaml', {
        roles: { hv3: ['hypervisor'] },
        hosts: {},
        // down1 keeps its last address/port: nothing listens there any more.
      });
      const text = readFileSync(inv, 'utf8');
      const withDown = text.replace(
        /^hosts:\n/m,
        `hosts:\n  down1:\n    address: ${down.address}\n    roles: [hypervisor]\n    ssh: { host: ${down.sshHost}, port: ${down.sshPort}, connectTimeout: 5 }\n  node9:\n    address: 10.99.0.9\n    roles: [node]\n    managed: false\n    ssh: { host: 127.0.0.1, port: 1, connectTimeout: 2 }\n`,
      );
      writeFileSync(inv, withDown);
      const r = await vprov('apply', '-i', inv);
      expect(r.code).toBe(4);
      expect(r.stdout).toMatch(/== down1: unreachable/);
      expect(r.stdout).toMatch(/== hv3: changed/);
      expect((await fresh.exec('hv3', 'nft list table inet vprov')).stdout).toContain('10.99.0.9');
      void hv3;
    } finally {
      await fresh.stop();
    }
  });
});
