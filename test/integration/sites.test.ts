/**
 * A site of two products on real lab hosts, every host with an input policy of drop: Oracle Linux
 * Virtualization Manager (engine, KVM host) backed up by Storware (oVirt, Disk Image Transfer: the
 * node reaches the engine and the KVM host), plus the site's own flow from a monitoring host to
 * node_exporter. Three-run contract; then real TCP probes between the lab hosts (listeners on the
 * destinations) show each documented and site flow open and flows of the wrong pair filtered;
 * explain and evidence cite OLVM's document 003, the Storware documents and the inventory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import type { RunReport } from '../../src/core/report.js';
import { evidenceSchema } from '../../src/report/evidence-schema.js';

let lab: Lab;
let inventory: string;
const site = { engine: ['olvm/manager', 'storware/manager'], kvm1: ['olvm/kvm-host', 'storware/hypervisor'], node1: ['storware/node'] };
/** The site flow's line in the inventory written below (flows: is its last key). */
let flowLine = 0;

/** Listens on every port given and closes each connection it accepts: an open port answers. */
const LISTEN = `import socket, select, sys
socks = []
for p in sys.argv[1:]:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', int(p))); s.listen(64); socks.append(s)
while True:
    for s in select.select(socks, [], [])[0]:
        c, _ = s.accept(); c.close()
`;
/** open: connected; closed: refused (reachable, nothing listens); filtered: no answer. */
const PROBE = `import socket, sys
s = socket.socket(); s.settimeout(1.5)
try:
    s.connect((sys.argv[1], int(sys.argv[2]))); print('open')
except socket.timeout:
    print('filtered')
except OSError:
    print('closed')
`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function probe(from: string, to: string, port: number): Promise<string> {
  const r = await lab.exec(from, `python3 /tmp/probe.py ${lab.host(to).address} ${port}`);
  return r.stdout.trim();
}

beforeAll(async () => {
  lab = await startLab(['engine', 'kvm1', 'node1', 'mon1'].map((name) => ({ name })));
  const listening: Record<string, number[]> = { engine: [443, 54323, 9100], kvm1: [54321, 54322, 9100], node1: [9100] };
  for (const h of lab.hosts) {
    const ports = listening[h.name] ?? [];
    const setup = `echo ${b64(PROBE)} | base64 -d > /tmp/probe.py && echo ${b64(LISTEN)} | base64 -d > /tmp/listen.py`;
    const start = ports.length ? ` && (nohup python3 /tmp/listen.py ${ports.join(' ')} >/dev/null 2>&1 &)` : '';
    expect((await lab.exec(h.name, setup + start)).code).toBe(0);
  }
  const doc = {
    products: {
      olvm: { platforms: [{ platform: 'olvm', options: { 'image-io-proxy': true } }] },
      storware: { platforms: [{ platform: 'ovirt', method: 'Disk Image Transfer' }] },
    },
    defaults: {
      ssh: { user: 'ops', identityFile: lab.keyFile, become: true, hostKeys: 'accept-new', knownHostsFile: lab.knownHosts },
      firewall: { backend: 'nftables', inputPolicy: 'drop' },
      selinux: 'permissive',
    },
    hosts: Object.fromEntries(
      Object.entries(site).map(([name, roles]) => [
        name,
        { address: lab.host(name).address, roles, ssh: { host: lab.host(name).sshHost, port: lab.host(name).sshPort } },
      ]),
    ),
    networks: { monitoring: [`${lab.host('mon1').address}/32`] },
    flows: [{ from: 'monitoring', to: ['olvm/kvm-host', 'storware/node'], protocol: 'tcp', ports: ['9100'], purpose: 'Prometheus node_exporter' }],
  };
  const text = stringify(doc);
  flowLine = text.split('\n').findIndex((l) => l.includes('- from: monitoring')) + 1;
  inventory = join(lab.dir, 'dc1.yaml');
  writeFileSync(inventory, text);
}, 240_000);
afterAll(async () => {
  await lab?.stop();
});

const statuses = (doc: RunReport) => Object.fromEntries(doc.hosts.map((h) => [h.host, h.status]));
const vprovTables = async (host: string) => (await lab.exec(host, 'nft list tables')).stdout;

describe('a site of OLVM and Storware on shared hosts, drop policy everywhere', () => {
  it('plan reports every host pending and changes nothing', async () => {
    const r = await vprov('plan', '-i', inventory, '--format', 'json');
    expect(r.code).toBe(2);
    expect(statuses(JSON.parse(r.stdout))).toEqual({ engine: 'pending', kvm1: 'pending', node1: 'pending' });
    for (const h of Object.keys(site)) expect(await vprovTables(h)).not.toMatch(/inet vprov/);
  }, 120_000);

  it('apply changes every host; a second apply changes nothing', async () => {
    const first = await vprov('apply', '-i', inventory, '--format', 'json');
    expect(first.code, first.stderr).toBe(0);
    expect(statuses(JSON.parse(first.stdout))).toEqual({ engine: 'changed', kvm1: 'changed', node1: 'changed' });
    for (const h of Object.keys(site)) expect((await lab.exec(h, 'nft list table inet vprov')).stdout).toMatch(/policy drop;/);
    const again = await vprov('apply', '-i', inventory, '--format', 'json');
    expect(again.code, again.stderr).toBe(0);
    expect(statuses(JSON.parse(again.stdout))).toEqual({ engine: 'ok', kvm1: 'ok', node1: 'ok' });
  }, 240_000);

  it('one table on the engine holds both products’ rules and the KVM host’s the site flow', async () => {
    const engine = (await lab.exec('engine', 'nft list table inet vprov')).stdout;
    expect(engine).toMatch(/set olvm_kvm_host_v4/);
    expect(engine).toMatch(/set storware_node_v4/);
    const kvm = (await lab.exec('kvm1', 'nft list table inet vprov')).stdout;
    expect(kvm).toMatch(/@monitoring_v4 tcp dport 9100 accept/);
  });

  it('real TCP probes: every documented and site flow open, flows of the wrong pair filtered', async () => {
    const open: [string, string, number][] = [
      ['kvm1', 'engine', 443], // OLVM: KVM hosts → Manager, HTTP(S)
      ['node1', 'engine', 443], // Storware: node → oVirt API
      ['node1', 'engine', 54323], // Storware: ImageIO proxy fallback
      ['node1', 'kvm1', 54322], // Storware: ImageIO on the hypervisor
      ['engine', 'kvm1', 54321], // OLVM: VDSM
      ['engine', 'kvm1', 54322], // OLVM: Image I/O proxy
      ['mon1', 'kvm1', 9100], // the site's node_exporter flow
      ['mon1', 'node1', 9100],
    ];
    const filtered: [string, string, number][] = [
      ['mon1', 'engine', 9100], // the site flow goes to KVM hosts and nodes only
      ['kvm1', 'node1', 9100], // only the monitoring network may scrape
      ['mon1', 'engine', 54323], // not a node, not a portal client
      ['kvm1', 'engine', 54323], // KVM hosts are no source of 54323
      ['node1', 'kvm1', 54321], // VDSM is the manager's and the KVM hosts'
    ];
    const seen = await Promise.all([...open, ...filtered].map(async ([from, to, port]) => `${from}→${to}:${port} ${await probe(from, to, port)}`));
    expect(seen).toEqual([...open.map(([f, t, p]) => `${f}→${t}:${p} open`), ...filtered.map(([f, t, p]) => `${f}→${t}:${p} filtered`)]);
  }, 120_000);

  it('drift is in sync', async () => {
    const r = await vprov('drift', '-i', inventory, '--format', 'json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 120_000);

  it('explain engine:54323/tcp cites OLVM’s 003 and the Storware documents; kvm1:9100 cites the inventory line', async () => {
    const engine = await vprov('explain', '-i', inventory, 'engine:54323/tcp');
    expect(engine.code).toBe(0);
    expect(engine.stdout).toMatch(/documented in: 003_378dd85a2eeb4b0d\.txt — section "Engine Host Firewall Requirements"/);
    expect(engine.stdout).toMatch(/documented in: 000_bdf7cb44c7b5d374\.txt, 001_6ea25664ffb2ed16\.txt — section "oVirt\/RHV\/OLVM \/ Disk Image Transfer"/);
    const kvm = await vprov('explain', '-i', inventory, 'kvm1:9100/tcp');
    expect(kvm.stdout).toContain(`stated in: site: dc1.yaml:${flowLine}`);
  }, 60_000);

  it('evidence is met and cites 003, the Storware documents and the inventory', async () => {
    const r = await vprov('evidence', '-i', inventory, '--format', 'json');
    const doc = evidenceSchema.parse(JSON.parse(r.stdout));
    expect(doc.verdict, JSON.stringify(doc.requirements.filter((x) => x.verdict !== 'met'))).toBe('met');
    expect(doc.documents.map((d) => d.file)).toEqual(
      expect.arrayContaining(['000_bdf7cb44c7b5d374.txt', '001_6ea25664ffb2ed16.txt', '003_378dd85a2eeb4b0d.txt', `site: dc1.yaml:${flowLine}`]),
    );
    expect(doc.products?.map((p) => p.id)).toEqual(['olvm', 'storware']);
    const siteRows = doc.requirements.filter((x) => x.documents.includes(`site: dc1.yaml:${flowLine}`));
    expect(siteRows.map((x) => [x.host, x.verdict])).toEqual([
      ['kvm1', 'met'],
      ['node1', 'met'],
    ]);
  }, 120_000);
});
