/**
 * The OLVM Manager keeps IPv6 enabled (document 003), on real lab hosts over SSH. A host started
 * with IPv6 disabled (docker run --sysctl) is pending in plan, naming the document's sentence, and
 * not met in evidence with what was found. Its apply cannot change the runtime value (Docker
 * mounts /proc/sys read-only in containers), so the resource fails with that cause, never "ok".
 * A Manager with IPv6 on is in sync. State is read from outside with docker exec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import type { RunReport } from '../../src/core/report.js';

const SENTENCE = 'requires IPv6 to remain enabled';
let lab: Lab;
let inv: string;

beforeAll(async () => {
  lab = await startLab([
    { name: 'mgr-v6-off', sysctls: { 'net.ipv6.conf.all.disable_ipv6': '1', 'net.ipv6.conf.default.disable_ipv6': '1' } },
    { name: 'mgr-v6-on' },
  ]);
  inv = lab.writeInventory('olvm-managers.yaml', {
    product: 'olvm',
    platforms: [{ platform: 'olvm' }],
    roles: { 'mgr-v6-off': ['manager'], 'mgr-v6-on': ['manager'] },
  });
}, 300_000);
afterAll(async () => {
  await lab?.stop();
});

const ipstack = (r: RunReport, host: string) => r.hosts.find((h) => h.host === host)?.resources.find((x) => x.resource === 'ipstack');
const runtime = async (host: string) =>
  (await lab.exec(host, 'cat /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/default/disable_ipv6')).stdout;

describe('the OLVM Manager keeps IPv6 enabled', () => {
  it('plan: the Manager with IPv6 off is pending, citing the sentence of document 003; nothing changes', async () => {
    const before = await runtime('mgr-v6-off');
    const plan = await vprov('plan', '-i', inv, '--format', 'json');
    expect(plan.code, plan.stderr).toBe(2);
    const r = JSON.parse(plan.stdout) as RunReport;
    const off = ipstack(r, 'mgr-v6-off')!;
    expect(off.status).toBe('pending');
    expect(off.changes.join('\n')).toMatch(/disable_ipv6 1 → 0 \(runtime\)/);
    expect([...off.notes, ...off.changes].join('\n')).toContain(SENTENCE);
    expect([...off.notes, ...off.changes].join('\n')).toContain('003_378dd85a2eeb4b0d.txt');
    expect(ipstack(r, 'mgr-v6-on')!.status).toBe('ok');
    expect(await runtime('mgr-v6-off')).toBe(before);
    expect((await lab.exec('mgr-v6-off', 'test -e /etc/sysctl.d/zz-vprov-ipv6.conf')).code).not.toBe(0);
  });

  it('evidence: not met on the Manager with IPv6 off, with what was found; met on the other', async () => {
    const ev = await vprov('evidence', '-i', inv, '--format', 'json');
    const doc = JSON.parse(ev.stdout) as { requirements: { host: string; kind: string; verdict: string; found: string[]; reason?: string }[] };
    const rows = doc.requirements.filter((x) => x.kind === 'ipstack');
    const off = rows.find((x) => x.host === 'mgr-v6-off')!;
    expect(off.verdict).toBe('not met');
    expect(off.reason).toMatch(/IPv6 disabled at runtime/);
    expect(off.found.join(' ')).toMatch(/disable_ipv6/);
    expect(rows.find((x) => x.host === 'mgr-v6-on')!.verdict).toBe('met');
  });

  it('apply: a read-only /proc/sys fails the resource with its cause; the runtime value is unchanged, the other Manager applied', async () => {
    const apply = await vprov('apply', '-i', inv, '--format', 'json');
    expect(apply.code & 4, apply.stderr).toBe(4);
    const r = JSON.parse(apply.stdout) as RunReport;
    const off = ipstack(r, 'mgr-v6-off')!;
    expect(off.status).toBe('failed');
    expect(off.error).toMatch(
      /cannot enable IPv6 at runtime: writing \/proc\/sys\/net\/ipv6\/conf\/all\/disable_ipv6 failed: .*(Read-only|read-only|Permission)/,
    );
    expect(await runtime('mgr-v6-off')).toBe('1\n1\n');
    // no file disables IPv6 persistently here, so vprov has no drop-in to write: only the runtime was wrong
    expect((await lab.exec('mgr-v6-off', 'test -e /etc/sysctl.d/zz-vprov-ipv6.conf')).code).not.toBe(0);
    // the other Manager is applied and its IPv6 stays on
    expect(r.hosts.find((h) => h.host === 'mgr-v6-on')!.status).toMatch(/^(changed|ok)$/);
    expect(await runtime('mgr-v6-on')).toBe('0\n0\n');
  });
});
