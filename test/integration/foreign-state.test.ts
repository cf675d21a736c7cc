/**
 * "Is anything else open?": a hand-made nft table accepting 8443, a port added to firewalld's
 * public zone and a listener on 9100 are each reported by drift --format json (and the drop
 * policy's plan names what it would drop), none is drift, and none is touched: checked from
 * outside (docker exec, a real TCP connect from another lab host).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { reportSchema } from '../../src/report/schema.js';

let lab: Lab;
let inventory: string;
const HANDMADE = `nft add table inet handmade && nft add chain inet handmade input '{ type filter hook input priority 0; policy accept; }' && nft add rule inet handmade input tcp dport 8443 accept`;
const LISTEN_9100 = `setsid python3 -c 'import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", 9100)); s.listen(5); time.sleep(3600)' </dev/null >/dev/null 2>&1 &`;
const connect = (from: string, address: string, port: number) =>
  lab.exec(from, `python3 -c 'import socket; socket.create_connection(("${address}", ${port}), 3).close(); print("open")'`);

beforeAll(async () => {
  lab = await startLab([{ name: 'hv1' }, { name: 'node1' }, { name: 'fw1', firewall: 'firewalld' }]);
  inventory = lab.writeInventory('foreign.yaml', {
    roles: { hv1: ['hypervisor'], node1: ['node'], fw1: ['hypervisor'] },
    hosts: { fw1: { firewall: 'firewalld' } },
  });
  const r = await vprov('apply', '-i', inventory);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  for (const cmd of [HANDMADE, LISTEN_9100]) expect((await lab.exec('hv1', cmd)).code).toBe(0);
  expect((await lab.exec('fw1', 'firewall-cmd --zone=public --add-port=8444/tcp')).code).toBe(0);
}, 300_000);
afterAll(async () => {
  await lab?.stop();
});

describe('other tools on a host, seen but never touched', () => {
  it('drift --format json reports each, is still exit 0, and changes none of them', async () => {
    const before = {
      table: (await lab.exec('hv1', 'nft list table inet handmade')).stdout,
      ports: (await lab.exec('fw1', 'firewall-cmd --zone=public --list-ports')).stdout,
    };
    const r = await vprov('drift', '-i', inventory, '--format', 'json');
    expect(r.code, r.stdout).toBe(0);
    const doc = reportSchema.parse(JSON.parse(r.stdout));
    const hv1 = doc.hosts.find((h) => h.host === 'hv1')!.foreign!;
    expect(hv1.items).toContainEqual(
      expect.objectContaining({ kind: 'accept-rule', source: 'table inet handmade (chain input)', protocol: 'tcp', ports: ['8443'], required: false }),
    );
    expect(hv1.items).toContainEqual(expect.objectContaining({ kind: 'listener', what: 'tcp 0.0.0.0:9100', required: false, open: true }));
    // sshd's port is required (vprov keeps it); nothing drops inbound here: said plainly
    expect(hv1.items.filter((i) => i.kind === 'listener' && i.ports?.[0] === '22')).toEqual([]);
    expect(hv1.filtered).toBe(false);
    expect(hv1.notes).toContainEqual(expect.stringMatching(/^nothing filters inbound traffic on this host/));
    const fw1 = doc.hosts.find((h) => h.host === 'fw1')!.foreign!;
    expect(fw1.errors).toBeUndefined();
    expect(fw1.items).toContainEqual(expect.objectContaining({ kind: 'zone-port', source: 'zone public', what: 'port 8444/tcp', required: false }));
    expect(fw1.filtered).toBe(true);
    // never touched: the same table, the same zone, and 9100 still answers from another host
    expect((await lab.exec('hv1', 'nft list table inet handmade')).stdout).toBe(before.table);
    expect((await lab.exec('fw1', 'firewall-cmd --zone=public --list-ports')).stdout).toBe(before.ports);
    expect((await connect('node1', lab.host('hv1').address, 9100)).stdout.trim()).toBe('open');
  });

  it('evidence answers it per host too, and stays "met" for what vprov owns', async () => {
    const r = await vprov('evidence', '-i', inventory, '--format', 'json');
    const doc = JSON.parse(r.stdout) as { site: string; hosts: { host: string; owner?: string; foreign?: { items: { what: string }[] } }[] };
    expect(doc.site).toBe('lab');
    const hv1 = doc.hosts.find((h) => h.host === 'hv1')!;
    expect(hv1.owner).toBe('lab');
    expect(hv1.foreign!.items.map((i) => i.what)).toEqual(expect.arrayContaining(['tcp dport 8443 accept', 'tcp 0.0.0.0:9100']));
    const md = await vprov('evidence', '-i', inventory);
    expect(md.stdout).toMatch(
      /## Anything else open[\s\S]*table inet handmade \(chain input\): tcp dport 8443 accept — open, required by no document or site flow/,
    );
  });

  it('text says "open, required by no document or site flow" for each', async () => {
    const r = await vprov('drift', '-i', inventory, '--limit', 'hv1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/table inet handmade \(chain input\): tcp dport 8443 accept — open, required by no document or site flow/);
    expect(r.stdout).toMatch(/listening: tcp 0\.0\.0\.0:9100 — open, required by no document or site flow/);
  });

  it('explain HOST:PORT --live reads the host: another table opens 8443 there; 9100 has only a listener; nothing is changed', async () => {
    const before = (await lab.exec('hv1', 'nft list ruleset')).stdout;
    const r = await vprov('explain', 'hv1:8443/tcp', '-i', inventory, '--live');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('no documented flow of this inventory opens 8443/tcp on hv1');
    expect(r.stdout).toMatch(/on hv1 now \(read over SSH; nothing changed\):\n {2}vprov's firewall: in sync/);
    expect(r.stdout).toContain(
      "also open on 8443/tcp, not vprov's (reported, never changed):\n    table inet handmade (chain input): tcp dport 8443 accept — open, required by no document or site flow",
    );
    const json = await vprov('explain', 'hv1:9100', '-i', inventory, '--live', '--format', 'json');
    expect(json.code, json.stderr).toBe(0);
    const live = (JSON.parse(json.stdout) as { live: { alsoOpen: { kind: string; what: string }[]; filtered: boolean } }).live;
    expect(live.alsoOpen).toEqual([expect.objectContaining({ kind: 'listener', what: 'tcp 0.0.0.0:9100' })]);
    expect(live.filtered).toBe(false);
    expect((await lab.exec('hv1', 'nft list ruleset')).stdout).toBe(before);
  });

  it('explain --live on a host that cannot be reached says why and exits 4', async () => {
    const gone = lab.writeInventory('foreign-gone.yaml', {
      roles: { hv1: ['hypervisor'], node1: ['node'] },
      hosts: { hv1: { ssh: { port: 1 } } },
    });
    const r = await vprov('explain', 'hv1:22', '-i', gone, '--live');
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/on hv1 now \(read over SSH; nothing changed\):\n {2}could not read it: unreachable: .*(ECONNREFUSED|refused)/);
  });

  it("with inputPolicy drop, plan lists the other tables' accepts the drop policy would drop", async () => {
    const drop = lab.writeInventory('foreign-drop.yaml', {
      roles: { hv1: ['hypervisor'], node1: ['node'] },
      hosts: { hv1: { firewall: { backend: 'nftables', inputPolicy: 'drop' } } },
    });
    const r = await vprov('plan', '-i', drop, '--limit', 'hv1');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /note: vprov's drop policy drops what table inet handmade \(chain input\) accepts: tcp dport 8443 accept; if this host needs it, add a site flow for it before applying/,
    );
    expect((await lab.exec('hv1', 'nft list table inet vprov')).stdout).toMatch(/policy accept/);
  });
});
