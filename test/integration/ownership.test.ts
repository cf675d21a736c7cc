/**
 * One owner per host: an OLVM inventory applied to an engine and a KVM host, then a Storware
 * inventory (oVirt, Disk Image Transfer) naming the same hosts and a node of its own. The second
 * apply must leave the OLVM site's hosts exactly as they were (read from outside), apply its own
 * node, and say who owns the shared hosts; --take-over is explicit and audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { EXIT_HOST_FAILED } from '../../src/core/exit.js';
import { convergeAll } from '../../src/app/converge-all.js';
import { connectSsh } from '../../src/transport/ssh.js';
import type { Connection } from '../../src/transport/types.js';
import type { HostDesired } from '../../src/core/types.js';

let lab: Lab;
let olvm: string;
let storware: string;
const out = mkdtempSync(join(tmpdir(), 'vprov-ownership-'));
const table = async (host: string) => (await lab.exec(host, 'nft list table inet vprov')).stdout;

beforeAll(async () => {
  lab = await startLab([{ name: 'engine' }, { name: 'kvm1' }, { name: 'node1' }]);
  // No site: lines: each inventory's site is its file name (olvm, storware).
  olvm = lab.writeInventory('olvm.yaml', {
    site: null,
    product: 'olvm',
    platforms: [{ platform: 'olvm', options: { 'image-io-proxy': true } }],
    roles: { engine: ['manager'], kvm1: ['kvm-host'] },
    networks: { 'portal-client': ['10.20.0.0/16'] },
  });
  storware = lab.writeInventory('storware.yaml', {
    site: null,
    platforms: [{ platform: 'ovirt', method: 'Disk Image Transfer' }],
    roles: { engine: ['manager'], kvm1: ['hypervisor'], node1: ['node'] },
  });
}, 240_000);
afterAll(async () => {
  await lab?.stop();
});

describe('a second site on hosts another site owns', () => {
  const before: Record<string, string> = {};

  it('the first site applies and records itself as the owner, in a root-only file', async () => {
    const r = await vprov('apply', '-i', olvm);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of ['engine', 'kvm1']) {
      before[h] = await table(h);
      expect(before[h]).toContain('table inet vprov');
      const rec = await lab.exec(h, "stat -c '%U %a' /etc/vprov/host.json && cat /etc/vprov/host.json");
      expect(rec.stdout.split('\n')[0]).toBe('root 600');
      expect(JSON.parse(rec.stdout.split('\n').slice(1).join('\n'))).toMatchObject({ version: 1, site: 'olvm', controller: expect.stringMatching(/^.+@.+$/) });
    }
  });

  it("the second site's apply is refused on the shared hosts, which keep their table byte for byte; its own node is applied", async () => {
    const r = await vprov('apply', '-i', storware, '--format', 'json');
    expect(r.code & EXIT_HOST_FAILED).toBe(EXIT_HOST_FAILED);
    const doc = JSON.parse(r.stdout) as { site: string; hosts: { host: string; status: string; error?: string; resources: unknown[] }[] };
    expect(doc.site).toBe('storware');
    for (const h of ['engine', 'kvm1']) {
      const host = doc.hosts.find((x) => x.host === h)!;
      expect(host.status).toBe('failed');
      expect(host.error).toMatch(
        new RegExp(`^${h} is managed by site olvm \\(from .+@.+, \\d{4}-\\d\\d-\\d\\dT[^)]+\\): merge the inventories, or pass --take-over$`),
      );
      expect(host.resources).toEqual([]);
      expect(await table(h)).toBe(before[h]);
      expect((await lab.exec(h, 'id vprotect')).code).not.toBe(0);
    }
    expect(doc.hosts.find((x) => x.host === 'node1')!.status).toBe('changed');
    // The node receives no flow of this method: its account and sudoers show that it was applied.
    expect((await lab.exec('node1', 'id -nG vprotect')).stdout.split(/\s+/)).toContain('disk');
    expect(JSON.parse((await lab.exec('node1', 'cat /etc/vprov/host.json')).stdout).site).toBe('storware');
  });

  it("the first site's drift stays in sync; the second site's plan and drift name the owner instead of reporting drift", async () => {
    expect((await vprov('drift', '-i', olvm)).code).toBe(0);
    for (const cmd of ['plan', 'drift']) {
      const r = await vprov(cmd, '-i', storware);
      expect(r.code & EXIT_HOST_FAILED).toBe(EXIT_HOST_FAILED);
      expect(r.stdout).toMatch(/engine is managed by site olvm \(from .+\): merge the inventories, or pass --take-over/);
      expect(r.stdout).not.toMatch(/^\s+[-+] rule input/m);
    }
  });

  it('--take-over is explicit and audited: the second site then owns the host, and the first is told so', async () => {
    const audit = join(out, 'audit.jsonl');
    const r = await vprov('apply', '-i', storware, '--limit', 'kvm1', '--take-over', '--audit-log', audit);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const line = JSON.parse(readFileSync(audit, 'utf8').trim().split('\n').pop()!);
    expect(line).toMatchObject({ host: 'kvm1', site: 'storware', takeOver: { from: 'olvm' } });
    expect(JSON.parse((await lab.exec('kvm1', 'cat /etc/vprov/host.json')).stdout).site).toBe('storware');
    const d = await vprov('drift', '-i', olvm);
    expect(d.code & EXIT_HOST_FAILED).toBe(EXIT_HOST_FAILED);
    expect(d.stdout).toMatch(/kvm1 is managed by site storware/);
    expect(d.stdout).toMatch(/== engine: in sync/);
  });
});

describe('the owner as the apply lock sees it, and records that cannot be read', () => {
  /** Another controller records site "other" on the host between this run's facts and its apply script. */
  const writeBetween =
    (host: string) =>
    async (d: HostDesired): Promise<Connection> => {
      const conn = await connectSsh(d.ssh);
      let calls = 0;
      return {
        get roundTrips() {
          return conn.roundTrips;
        },
        close: () => conn.close(),
        async runScript(script, o) {
          if (++calls === 2) {
            const rec = JSON.stringify({ version: 1, site: 'other', controller: 'ops@ctl2', updated: '2026-01-02T03:04:05.000Z', runId: 'abc', written: [] });
            expect((await lab.exec(host, `printf '%s' '${rec}' > /etc/vprov/host.json`)).code).toBe(0);
          }
          return conn.runScript(script, o);
        },
      };
    };

  it('a record another controller wrote after the facts were read refuses the apply under the lock: nothing changed', async () => {
    const before = await table('engine');
    // engine has drifted (its table is gone): this run has something to apply
    expect((await lab.exec('engine', 'nft delete table inet vprov')).code).toBe(0);
    const report = await convergeAll({ inventory: olvm, check: false, limit: 'engine', connect: writeBetween('engine') });
    const engine = report.hosts[0]!;
    expect(engine.status).toBe('failed');
    expect(engine.error).toMatch(
      /^engine is managed by site other \(from ops@ctl2, 2026-01-02T03:04:05.000Z\): merge the inventories, or pass --take-over \(recorded while this run waited/,
    );
    expect((await lab.exec('engine', 'nft list table inet vprov')).code).not.toBe(0);
    expect(JSON.parse((await lab.exec('engine', 'cat /etc/vprov/host.json')).stdout).site).toBe('other');
    expect(before).toContain('table inet vprov');
  });

  it('a record that does not parse is a failed read with its cause, never "no owner"', async () => {
    expect((await lab.exec('engine', `printf '{"version":1,"site":"bad site"}' > /etc/vprov/host.json`)).code).toBe(0);
    const r = await vprov('plan', '-i', olvm, '--limit', 'engine');
    expect(r.code & EXIT_HOST_FAILED).toBe(EXIT_HOST_FAILED);
    expect(r.stdout).toMatch(/cannot tell who owns engine: \/etc\/vprov\/host.json on the host is not a vprov host record: site: not a site name/);
  });

  it('a host vprov applied before owners were recorded is adopted by the first site that applies, with a note', async () => {
    expect((await lab.exec('engine', 'rm -f /etc/vprov/host.json && test -f /var/lib/vprov/last-apply.json')).code).toBe(0);
    const plan = await vprov('plan', '-i', olvm, '--limit', 'engine');
    expect(plan.stdout).toMatch(/note: adopted by site olvm: vprov applied this host before it recorded owners/);
    const r = await vprov('apply', '-i', olvm, '--limit', 'engine');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/note: adopted by site olvm/);
    expect(JSON.parse((await lab.exec('engine', 'cat /etc/vprov/host.json')).stdout).site).toBe('olvm');
    const again = await vprov('apply', '-i', olvm, '--limit', 'engine', '--format', 'json');
    expect(again.code).toBe(0);
    const doc = JSON.parse(again.stdout);
    expect(doc.hosts[0]).toMatchObject({ status: 'ok', roundTrips: 1 });
    expect(doc.hosts[0].notes).toBeUndefined();
  });
});
