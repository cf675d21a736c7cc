/**
 * The documents' IP stack requirements on real lab hosts. State is read from outside with docker
 * exec, never through vprov.
 *
 * - The OLVM Manager keeps IPv6 enabled (document 003). A Manager started with IPv6 disabled
 *   (docker run --sysctl) is pending in plan, naming the document's sentence, and not met in
 *   evidence with what was found. Docker mounts /proc/sys read-only in containers, so its apply
 *   cannot change the runtime value: the ipstack resource fails with that cause, never "ok", while
 *   its firewall and the other Manager are applied.
 * - A Manager whose /proc/sys/net is writable (SYS_ADMIN, /proc/sys/net bind-remounted read-write;
 *   net.* sysctls belong to the container's network namespace, every other /proc/sys stays
 *   read-only) and whose /etc/sysctl.d/90-noipv6.conf disables IPv6: the three-run contract
 *   (check changes nothing, apply sets the runtime value and writes vprov's drop-in, re-apply
 *   changes nothing); `sysctl --system` (the boot's read order) then leaves IPv6 on, the drop-in
 *   outvoting the file. A line in /etc/sysctl.conf, which `sysctl --system` reads after the
 *   drop-in, is "!" not met with the line to remove named, and the file is not edited.
 * - The App Layering appliance has an IPv4 address (document 004), verified only: vprov runs on
 *   the appliance itself (--connection local, in the container), which is met on the bridge
 *   network and not met once the container is disconnected from it (loopback only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import type { RunReport } from '../../src/core/report.js';

const run = promisify(execFile);
const SENTENCE = 'requires IPv6 to remain enabled';
const DROPIN = '/etc/sysctl.d/zz-vprov-ipv6.conf';
const V6_OFF = { 'net.ipv6.conf.all.disable_ipv6': '1', 'net.ipv6.conf.default.disable_ipv6': '1' };
/** A flow source, so the Managers' firewall has rules to apply beside ipstack. */
const PORTAL = { 'portal-client': ['10.20.0.0/16'] };
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Bound into the appliance at the same path: its inventory. */
const shared = mkdtempSync(join(tmpdir(), 'vprov-ipstack-'));
let lab: Lab;
let inv: string;
let rwInv: string;

beforeAll(async () => {
  lab = await startLab([
    { name: 'mgr-v6-off', sysctls: V6_OFF },
    { name: 'mgr-v6-on' },
    { name: 'mgr-rw', sysctls: V6_OFF, capAdd: ['SYS_ADMIN'] },
    {
      name: 'appliance',
      binds: [
        { source: process.execPath, target: '/usr/local/bin/node' },
        { source: repo, target: '/opt/vprov' },
        { source: shared, target: shared },
      ],
    },
  ]);
  inv = lab.writeInventory('olvm-managers.yaml', {
    product: 'olvm',
    platforms: [{ platform: 'olvm' }],
    roles: { 'mgr-v6-off': ['manager'], 'mgr-v6-on': ['manager'] },
    networks: PORTAL,
  });
  rwInv = lab.writeInventory('olvm-manager-rw.yaml', {
    product: 'olvm',
    platforms: [{ platform: 'olvm' }],
    roles: { 'mgr-rw': ['manager'] },
    networks: PORTAL,
  });
}, 300_000);
afterAll(async () => {
  await lab?.stop();
  rmSync(shared, { recursive: true, force: true });
});

const ipstack = (r: RunReport, host: string) => r.hosts.find((h) => h.host === host)?.resources.find((x) => x.resource === 'ipstack');
const runtime = async (host: string) =>
  (await lab.exec(host, 'cat /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/default/disable_ipv6')).stdout;
const sh = async (host: string, command: string) => {
  const r = await lab.exec(host, command);
  if (r.code !== 0) throw new Error(`${host}: ${command} → exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};
const evidenceRows = async (file: string) => {
  const ev = await vprov('evidence', '-i', file, '--format', 'json');
  const doc = JSON.parse(ev.stdout) as { requirements: { host: string; kind: string; verdict: string; found: string[]; reason?: string }[] };
  return doc.requirements.filter((x) => x.kind === 'ipstack');
};

describe('the OLVM Manager keeps IPv6 enabled (read-only /proc/sys, as Docker gives it)', () => {
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
    expect((await lab.exec('mgr-v6-off', `test -e ${DROPIN}`)).code).not.toBe(0);
  });

  it('evidence: not met on the Manager with IPv6 off, with what was found; met on the other', async () => {
    const rows = await evidenceRows(inv);
    const off = rows.find((x) => x.host === 'mgr-v6-off')!;
    expect(off.verdict).toBe('not met');
    expect(off.reason).toMatch(/IPv6 disabled at runtime/);
    expect(off.found.join(' ')).toMatch(/disable_ipv6 = 1/);
    expect(rows.find((x) => x.host === 'mgr-v6-on')!.verdict).toBe('met');
  });

  it('apply: a read-only /proc/sys fails the resource with its cause; its firewall and the other Manager are applied', async () => {
    const apply = await vprov('apply', '-i', inv, '--format', 'json');
    expect(apply.code & 4, apply.stderr).toBe(4);
    const r = JSON.parse(apply.stdout) as RunReport;
    const off = ipstack(r, 'mgr-v6-off')!;
    expect(off.status).toBe('failed');
    // the write that failed, and why (the shell's own message for the read-only mount)
    expect(off.error).toMatch(/cannot enable IPv6 at runtime: writing \/proc\/sys\/net\/ipv6\/conf\/all\/disable_ipv6 failed: .*Read-only file system/);
    expect(await runtime('mgr-v6-off')).toBe('1\n1\n');
    // no file disables IPv6 persistently here, so vprov has no drop-in to write: only the runtime was wrong
    expect((await lab.exec('mgr-v6-off', `test -e ${DROPIN}`)).code).not.toBe(0);
    // the same host's firewall still got its result, and its table is loaded
    const host = r.hosts.find((h) => h.host === 'mgr-v6-off')!;
    expect(host.resources.find((x) => x.resource === 'firewall')!.status).toBe('changed');
    expect(await sh('mgr-v6-off', 'nft list table inet vprov')).toMatch(/chain input/);
    // the other Manager is applied and its IPv6 stays on
    expect(r.hosts.find((h) => h.host === 'mgr-v6-on')!.status).toMatch(/^(changed|ok)$/);
    expect(await sh('mgr-v6-on', 'nft list table inet vprov')).toMatch(/chain input/);
    expect(await runtime('mgr-v6-on')).toBe('0\n0\n');
  });
});

describe('the OLVM Manager keeps IPv6 enabled (writable /proc/sys/net)', () => {
  beforeAll(async () => {
    // Only net.* becomes writable: it is the container's own network namespace.
    await sh('mgr-rw', 'mount -o bind /proc/sys/net /proc/sys/net && mount -o remount,bind,rw /proc/sys/net');
    await sh('mgr-rw', 'printf "net.ipv6.conf.all.disable_ipv6 = 1\\nnet.ipv6.conf.default.disable_ipv6 = 1\\n" > /etc/sysctl.d/90-noipv6.conf');
  });
  /** What the boot runs (systemd-sysctl.service), limited to IPv6's keys. */
  const systemdSysctl = () => sh('mgr-rw', '/lib/systemd/systemd-sysctl --prefix=/net/ipv6/conf');
  /**
   * procps' `sysctl --system` (administrators, tuned, non-systemd boots): it reads /etc/sysctl.conf
   * last. The kernel.* and fs.* keys of the image's files are the machine's and read-only here:
   * refused, which is all it may say besides the IPv6 keys.
   */
  const sysctlSystem = async () => {
    const r = await lab.exec('mgr-rw', 'sysctl --system >/dev/null');
    expect(r.stderr.split('\n').filter((l) => l && !/^sysctl: permission denied on key "(kernel|fs)\./.test(l))).toEqual([]);
  };

  it('check changes nothing; apply sets the runtime value and writes the drop-in; re-apply changes nothing', async () => {
    expect(await runtime('mgr-rw')).toBe('1\n1\n');
    const check = await vprov('apply', '-i', rwInv, '--check', '--format', 'json');
    expect(check.code, check.stderr).toBe(2);
    const planned = ipstack(JSON.parse(check.stdout) as RunReport, 'mgr-rw')!;
    expect(planned.changes).toEqual([
      `+ ${DROPIN} (net.ipv6.conf.all/default.disable_ipv6 = 0, read after /etc/sysctl.d/90-noipv6.conf:1, /etc/sysctl.d/90-noipv6.conf:2)`,
      '~ net.ipv6.conf.all.disable_ipv6 1 → 0 (runtime)',
      '~ net.ipv6.conf.default.disable_ipv6 1 → 0 (runtime)',
    ]);
    expect(await runtime('mgr-rw')).toBe('1\n1\n');
    expect((await lab.exec('mgr-rw', `test -e ${DROPIN}`)).code).not.toBe(0);

    const apply = await vprov('apply', '-i', rwInv, '--format', 'json');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(await sh('mgr-rw', 'nft list table inet vprov')).toMatch(/10\.20\.0\.0\/16/);
    expect(ipstack(JSON.parse(apply.stdout) as RunReport, 'mgr-rw')!.status).toBe('changed');
    expect(await runtime('mgr-rw')).toBe('0\n0\n');
    expect(await sh('mgr-rw', `stat -c '%U %a' ${DROPIN}; cat ${DROPIN}`)).toBe(
      'root 644\n# Managed by vprov: IPv6 stays enabled (the product documents require it).\nnet.ipv6.conf.all.disable_ipv6 = 0\nnet.ipv6.conf.default.disable_ipv6 = 0\n',
    );
    // the host's own file is left as it was
    expect(await sh('mgr-rw', 'cat /etc/sysctl.d/90-noipv6.conf')).toBe('net.ipv6.conf.all.disable_ipv6 = 1\nnet.ipv6.conf.default.disable_ipv6 = 1\n');

    const again = await vprov('apply', '-i', rwInv, '--format', 'json');
    expect(again.code, again.stdout).toBe(0);
    const r = JSON.parse(again.stdout) as RunReport;
    expect(ipstack(r, 'mgr-rw')!.status).toBe('ok');
    expect(r.hosts[0]!.resources.filter((x) => x.status !== 'ok' && x.status !== 'not-applicable')).toEqual([]);
    expect((await evidenceRows(rwInv)).map((x) => x.verdict)).toEqual(['met']);
  });

  it('the drop-in outvotes the sysctl.d file in the boot order: systemd-sysctl and sysctl --system leave IPv6 on', async () => {
    const off = 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6';
    await sh('mgr-rw', off);
    await systemdSysctl();
    expect(await runtime('mgr-rw')).toBe('0\n0\n');
    await sh('mgr-rw', off);
    await sysctlSystem();
    expect(await runtime('mgr-rw')).toBe('0\n0\n');
  });

  it('a line in /etc/sysctl.conf (read after the drop-in) is "!" not met with the line to remove named; the file is not edited', async () => {
    await sh('mgr-rw', 'echo "net.ipv6.conf.all.disable_ipv6=1" >> /etc/sysctl.conf');
    const line = (await sh('mgr-rw', 'wc -l < /etc/sysctl.conf')).trim();
    const before = await sh('mgr-rw', `sha256sum /etc/sysctl.conf ${DROPIN}`);
    // why it is named: sysctl --system reads it last and turns IPv6 off again
    await sysctlSystem();
    // (the kernel carries a write to "all" over to "default")
    expect(await runtime('mgr-rw')).toBe('1\n1\n');
    await sh('mgr-rw', 'echo 0 > /proc/sys/net/ipv6/conf/all/disable_ipv6');
    expect(await runtime('mgr-rw')).toBe('0\n0\n');

    const plan = await vprov('plan', '-i', rwInv, '--format', 'json');
    expect(plan.code, plan.stderr).toBe(2);
    const planned = ipstack(JSON.parse(plan.stdout) as RunReport, 'mgr-rw')!;
    expect(planned.status).toBe('pending');
    expect(planned.changes).toHaveLength(1);
    expect(planned.changes[0]).toMatch(
      new RegExp(
        `^! /etc/sysctl\\.conf:${line} \\(net\\.ipv6\\.conf\\.all\\.disable_ipv6 = 1\\) disables IPv6 and is read after vprov's drop-in ${DROPIN.replace(/\./g, '\\.')}: remove that line \\(vprov does not edit files it does not own\\)`,
      ),
    );
    expect(planned.changes[0]).toContain(SENTENCE);

    const apply = await vprov('apply', '-i', rwInv, '--format', 'json');
    expect(apply.code & 4, apply.stdout).toBe(4);
    const applied = ipstack(JSON.parse(apply.stdout) as RunReport, 'mgr-rw')!;
    expect(applied.status).toBe('failed');
    expect(applied.error).toMatch(new RegExp(`/etc/sysctl\\.conf:${line} .* disables IPv6 after vprov's drop-in: remove that line`));
    expect(await sh('mgr-rw', `sha256sum /etc/sysctl.conf ${DROPIN}`)).toBe(before);
    expect(await runtime('mgr-rw')).toBe('0\n0\n');

    const rows = await evidenceRows(rwInv);
    expect(rows.map((x) => x.verdict)).toEqual(['not met']);
    expect(rows[0]!.reason).toMatch(new RegExp(`IPv6 disabled at the next boot by /etc/sysctl\\.conf:${line}`));
  });
});

describe('the App Layering appliance has an IPv4 address (verified only)', () => {
  /** vprov on the appliance itself: it may have no network to be reached over. */
  let applianceInv: string;
  beforeAll(() => {
    applianceInv = join(shared, 'appliance.yaml');
    writeFileSync(
      applianceInv,
      stringify({
        site: 'lab',
        product: 'app-layering',
        platforms: [{ platform: 'appliance' }],
        defaults: { ssh: { user: 'root', become: true }, firewall: 'none', selinux: 'keep' },
        hosts: { appliance: { address: '127.0.0.1', roles: ['appliance'] } },
      }),
    );
  });
  const onAppliance = async (command: string) => {
    const r = await lab.exec('appliance', `node /opt/vprov/bin/vprov.js ${command} -i ${applianceInv} --connection local --format json`);
    return { ...r, report: JSON.parse(r.stdout) as RunReport };
  };

  it('met with its bridge address; not met, and nothing configured, with loopback only', async () => {
    const ok = await onAppliance('plan');
    expect(ok.code, ok.stderr).toBe(0);
    const found = ipstack(ok.report, 'appliance')!;
    expect(found.status).toBe('ok');
    expect(found.notes.join('\n')).toContain(`IPv4: ${lab.host('appliance').address}/`);

    await run('docker', ['network', 'disconnect', 'bridge', lab.host('appliance').id]);
    expect(await sh('appliance', 'ip -4 -o addr show')).toMatch(/^\d+: lo +inet 127\.0\.0\.1\/8 /);
    expect(await sh('appliance', 'ip -4 -o addr show scope global')).toBe('');

    const none = await onAppliance('plan');
    expect(none.code, none.stderr).toBe(2);
    const missing = ipstack(none.report, 'appliance')!;
    expect(missing.changes).toEqual([
      expect.stringMatching(
        /^! no IPv4 address on this host: "The App Layering appliance uses the TCP\/IP protocol, and IPv4 is required\." \(004_1bba7742d99b4ea2\.txt, Firewall ports\); vprov does not configure addresses/,
      ),
    ]);

    const apply = await onAppliance('apply');
    expect(apply.code & 4, apply.stderr).toBe(4);
    expect(ipstack(apply.report, 'appliance')!.error).toMatch(/no IPv4 address on this host; the document requires one/);
    expect(await sh('appliance', 'ip -4 -o addr show scope global')).toBe('');
  });
});
