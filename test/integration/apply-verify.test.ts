/**
 * The apply pipeline's round trips and its verification: a first apply costs two SSH
 * round trips per host (facts; apply script, which prints the facts again under the lock after
 * its changes), and what it verifies from is what the host really holds. A firewall change with
 * a commit-confirm still proves SSH over a new connection. State is checked from outside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { listedIPv4 } from '../helpers/addresses.js';
import type { HostReport, RunReport } from '../../src/core/report.js';
import { convergeAll } from '../../src/app/converge-all.js';
import { connectSsh } from '../../src/transport/ssh.js';
import type { Connection } from '../../src/transport/types.js';
import type { HostDesired } from '../../src/core/types.js';
import { ConnectionLostError } from '../../src/core/errors.js';

let lab: Lab;
let inventory: string;
const roles = { node1: ['node'], hv1: ['hypervisor'], hv2: ['hypervisor'], fake1: ['node'] };

beforeAll(async () => {
  lab = await startLab(Object.keys(roles).map((name) => ({ name })));
  inventory = lab.writeInventory('apply-verify.yaml', {
    roles,
    // hv2's change may cut SSH (input policy drop): commit-confirmed over a second connection.
    hosts: { hv2: { firewall: { backend: 'nftables', inputPolicy: 'drop', confirmTimeout: 60 } } },
  });
  // fake1's useradd "succeeds" and does nothing: the account resource's script exits 0, yet the
  // host does not hold the account. Only the verification can tell.
  const wrap = await lab.exec('fake1', `printf '#!/bin/sh\\nexit 0\\n' > /usr/local/sbin/useradd && chmod 755 /usr/local/sbin/useradd`);
  expect(wrap.code).toBe(0);
}, 240_000);
afterAll(async () => {
  await lab?.stop();
});

const hostOf = (doc: RunReport, name: string): HostReport => doc.hosts.find((h) => h.host === name)!;

describe('first apply', () => {
  let doc: RunReport;

  beforeAll(async () => {
    const r = await vprov('apply', '-i', inventory, '--format', 'json');
    doc = JSON.parse(r.stdout);
  }, 180_000);

  it('costs two round trips per host: facts, then the apply script that also prints the facts to verify', () => {
    for (const h of ['node1', 'hv1']) {
      expect(hostOf(doc, h)).toMatchObject({ status: 'changed', roundTrips: 2 });
      expect(hostOf(doc, h).resources.filter((r) => r.status === 'failed' || r.status === 'unknown')).toEqual([]);
    }
  });

  it('the changes it reports are on the hosts, read from outside', async () => {
    expect((await lab.exec('node1', 'id -nG vprotect')).stdout.split(/\s+/)).toContain('disk');
    expect((await lab.exec('node1', 'visudo -c && cat /etc/sudoers.d/vprotect')).stdout).toContain('vprotect ALL=(root) NOPASSWD: VPROV_VPROTECT');
    expect(listedIPv4((await lab.exec('hv1', 'nft list table inet vprov')).stdout)).toContain(lab.host('node1').address);
  });

  it('a change that may cut SSH is still verified over a new connection after its confirmation', async () => {
    const hv2 = hostOf(doc, 'hv2');
    expect(hv2.status).toBe('changed');
    // facts + apply on the first connection; confirm + facts on the second
    expect(hv2.roundTrips).toBe(4);
    expect((await lab.exec('hv2', 'nft list table inet vprov')).stdout).toMatch(/policy drop;/);
    // confirmed: the confirmation persisted it (an unconfirmed change is never persisted)
    expect((await lab.exec('hv2', 'cat /etc/vprov/vprov.nft')).stdout).toMatch(/policy drop;/);
  });

  it('a resource whose script succeeds without changing the host is "not converged", from the folded facts', async () => {
    const fake1 = hostOf(doc, 'fake1');
    expect(fake1.status).toBe('failed');
    expect(fake1.roundTrips).toBe(2);
    const account = fake1.resources.find((r) => r.resource === 'account')!;
    expect(account.status).toBe('failed');
    expect(account.error).toMatch(/^not converged: still differs after apply: .*vprotect/);
    // the sudoers drop-in needs the account: refused with its reason, not reported as changed
    const sudoers = fake1.resources.find((r) => r.resource === 'sudoers')!;
    expect(sudoers.status).toBe('failed');
    expect(sudoers.error).toMatch(/user vprotect does not exist/);
    const outside = await lab.exec('fake1', 'getent passwd vprotect; echo "rc=$?"; test -e /etc/sudoers.d/vprotect && echo sudoers-present');
    expect(outside.stdout).toBe('rc=2\n'); // getent: no such key; and no drop-in
    // the firewall, which did converge, is reported changed
    expect(fake1.resources.find((r) => r.resource === 'firewall')!.status).toBe('changed');
  });

  it('a re-apply on the converged hosts changes nothing in one round trip', async () => {
    const r = await vprov('apply', '-i', inventory, '--limit', 'node1,hv1,hv2', '--format', 'json');
    const again: RunReport = JSON.parse(r.stdout);
    for (const h of again.hosts) expect(h).toMatchObject({ status: 'ok', roundTrips: 1 });
  });
});

/** SSH, but the apply script's output reaches the controller cut inside its verify section. */
function cutAfterApply(opts: { thenLost: boolean }) {
  return async (d: HostDesired): Promise<Connection> => {
    const conn = await connectSsh(d.ssh);
    let lost = false;
    return {
      get roundTrips() {
        return conn.roundTrips;
      },
      close: () => conn.close(),
      async runScript(script, o) {
        if (lost) {
          conn.close();
          throw new ConnectionLostError('connection lost (test)');
        }
        const r = await conn.runScript(script, o);
        const at = r.stdout.indexOf('\n@@vprov:verify@@\n');
        if (at < 0) return r;
        lost = opts.thenLost;
        // keep the facts' first section only: no "end" marker of their own
        const cut = r.stdout.indexOf('\n@@vprov:', at + 20);
        return { ...r, stdout: r.stdout.slice(0, cut + 1) };
      },
    };
  };
}

describe('verification facts that did not come whole', () => {
  it('are read again over the same connection (a third round trip), never taken as they are', async () => {
    expect((await lab.exec('hv1', 'nft delete table inet vprov')).code).toBe(0);
    const report = await convergeAll({ inventory, check: false, limit: 'hv1', connect: cutAfterApply({ thenLost: false }) });
    expect(report.hosts[0]).toMatchObject({ host: 'hv1', status: 'changed', roundTrips: 3 });
    expect(listedIPv4((await lab.exec('hv1', 'nft list table inet vprov')).stdout)).toContain(lab.host('node1').address);
  });

  it('leave the changes "unknown" when the connection is lost before they could be read again', async () => {
    expect((await lab.exec('hv1', 'nft delete table inet vprov')).code).toBe(0);
    const report = await convergeAll({ inventory, check: false, limit: 'hv1', connect: cutAfterApply({ thenLost: true }) });
    const hv1 = report.hosts[0]!;
    expect(hv1.status).toBe('failed');
    expect(hv1.error).toMatch(/^unknown: the connection was lost after the apply script started .*connection lost \(test\)/);
    expect(hv1.resources.find((r) => r.resource === 'firewall')!.status).toBe('unknown');
    // the change itself went through on the host
    expect((await lab.exec('hv1', 'nft list table inet vprov')).code).toBe(0);
  });
});
