/**
 * The VM tier for ipstack: the OLVM Manager keeps IPv6 enabled (document 003) on a real kernel
 * with a writable /proc/sys and real boots (the lab's containers have neither). vprov works over
 * SSH; every state is read over the test's own second SSH session, never through vprov.
 *
 * One guest, in order: IPv6 disabled at runtime (sysctl -w) and in /etc/sysctl.d/90-noipv6.conf
 * → plan and evidence say so → check, apply, re-apply → a reboot keeps it enabled (the drop-in
 * outvotes the file at boot) → the guest booted with ipv6.disable=1 (QEMU's -append: the boot
 * loader's part) is not met, the boot-loader fix named, nothing edited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Vm } from './vm.js';
import { vprov } from '../helpers/cli.js';
import { reportSchema } from '../../src/report/schema.js';

const DROPIN = '/etc/sysctl.d/zz-vprov-ipv6.conf';
const NOIPV6 = '/etc/sysctl.d/90-noipv6.conf';
const SENTENCE = 'Oracle Linux Virtualization Manager requires IPv6 to remain enabled';
let vm: Vm;
let inv: string;
const started = Date.now();

beforeAll(async () => {
  vm = await Vm.start();
  inv = join(vm.dir, 'olvm-manager.yaml');
  writeFileSync(
    inv,
    stringify({
      site: 'vm',
      product: 'olvm',
      platforms: [{ platform: 'olvm' }],
      defaults: {
        // TCG on a shared machine: handshakes are slow.
        ssh: {
          user: 'ops',
          identityFile: vm.keyFile,
          become: true,
          hostKeys: 'accept-new',
          knownHostsFile: join(vm.dir, 'known_hosts'),
          connectTimeout: 120,
          commandTimeout: 900,
        },
        // ipstack is this file's subject; the firewall and SELinux have their own VM story
        firewall: 'none',
        selinux: 'keep',
      },
      hosts: { vm: { address: '10.0.2.15', roles: ['manager'], ssh: { host: '127.0.0.1', port: vm.sshPort } } },
    }),
  );
});
afterAll(async () => {
  if (vm) console.log(`vm ipstack: seconds to SSH per boot: ${vm.bootSeconds.join(', ')}; ${Math.round((Date.now() - started) / 1000)} s in all`);
  await vm?.stop();
});

const runtime = async () => (await vm.sh('cat /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/default/disable_ipv6')).trim();
const ipstack = (stdout: string) =>
  reportSchema
    .parse(JSON.parse(stdout))
    .hosts.find((h) => h.host === 'vm')!
    .resources.find((r) => r.resource === 'ipstack')!;
const evidence = async () => {
  const ev = await vprov('evidence', '-i', inv, '--format', 'json');
  const doc = JSON.parse(ev.stdout) as { requirements: { host: string; kind: string; verdict: string; found: string[]; reason?: string }[] };
  return doc.requirements.filter((x) => x.kind === 'ipstack');
};
/** Every sysctl file and the kernel command line: what "nothing edited" is checked against. */
const sysctlFiles = () => vm.sh('cat /proc/cmdline; sha256sum /etc/sysctl.conf /etc/sysctl.d/*.conf');

describe('IPv6 kept enabled on the OLVM Manager (QEMU guest)', () => {
  it('IPv6 disabled at runtime and in a sysctl.d file (which the boot applies): plan pending citing document 003, evidence not met', async () => {
    expect(await runtime()).toBe('0\n0');
    await vm.sh(`printf 'net.ipv6.conf.all.disable_ipv6 = 1\\nnet.ipv6.conf.default.disable_ipv6 = 1\\n' > ${NOIPV6}`);
    // the file is what the boot applies (systemd-sysctl), and sysctl -w sets it now as well
    await vm.sh('/lib/systemd/systemd-sysctl');
    expect(await runtime()).toBe('1\n1');
    await vm.sh('sysctl -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1');
    expect(await vm.sh('ip -6 addr show dev lo')).toBe('');

    const plan = await vprov('plan', '-i', inv, '--format', 'json');
    expect(plan.code, plan.stderr).toBe(2);
    const p = ipstack(plan.stdout);
    expect(p.status).toBe('pending');
    expect(p.changes).toEqual([
      `+ ${DROPIN} (net.ipv6.conf.all/default.disable_ipv6 = 0, read after ${NOIPV6}:1, ${NOIPV6}:2)`,
      '~ net.ipv6.conf.all.disable_ipv6 1 → 0 (runtime)',
      '~ net.ipv6.conf.default.disable_ipv6 1 → 0 (runtime)',
    ]);
    expect(p.notes.join('\n')).toContain(SENTENCE);
    expect(p.notes.join('\n')).toContain('003_378dd85a2eeb4b0d.txt');

    const [row] = await evidence();
    expect(row).toMatchObject({ host: 'vm', verdict: 'not met', reason: expect.stringMatching(/IPv6 disabled at runtime/) });
    expect(row!.found).toContain(`${NOIPV6}:1: net.ipv6.conf.all.disable_ipv6 = 1`);
  });

  it('check changes nothing; apply enables it at runtime and writes the drop-in; re-apply changes nothing; evidence met', async () => {
    const before = await sysctlFiles();
    const check = await vprov('apply', '-i', inv, '--check', '--format', 'json');
    expect(check.code, check.stderr).toBe(2);
    expect(await runtime()).toBe('1\n1');
    expect(await sysctlFiles()).toBe(before);

    const apply = await vprov('apply', '-i', inv, '--format', 'json');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(ipstack(apply.stdout).status).toBe('changed');
    expect(await runtime()).toBe('0\n0');
    // IPv6 works again: the loopback has ::1
    expect(await vm.sh('ip -6 addr show dev lo')).toMatch(/inet6 ::1\/128/);
    expect(await vm.sh(`stat -c '%U %a' ${DROPIN}; cat ${DROPIN}`)).toBe(
      'root 644\n# Managed by vprov: IPv6 stays enabled (the product documents require it).\nnet.ipv6.conf.all.disable_ipv6 = 0\nnet.ipv6.conf.default.disable_ipv6 = 0\n',
    );
    // the host's own file is not vprov's: left as it was
    expect(await vm.sh(`cat ${NOIPV6}`)).toBe('net.ipv6.conf.all.disable_ipv6 = 1\nnet.ipv6.conf.default.disable_ipv6 = 1\n');

    const again = await vprov('apply', '-i', inv, '--format', 'json');
    expect(again.code, again.stdout).toBe(0);
    expect(ipstack(again.stdout)).toMatchObject({ status: 'ok', changes: [] });
    expect((await evidence()).map((r) => r.verdict)).toEqual(['met']);
  });

  it('a reboot keeps IPv6 enabled: the drop-in outvotes the file at boot; evidence met, re-apply changes nothing', async () => {
    const before = await vm.bootId();
    await vm.reboot();
    expect(await vm.bootId()).not.toBe(before);
    expect(await runtime()).toBe('0\n0');
    expect(await vm.sh('systemctl is-active systemd-sysctl.service')).toBe('active\n');
    expect((await evidence()).map((r) => r.verdict)).toEqual(['met']);
    const again = await vprov('apply', '-i', inv, '--format', 'json');
    expect(again.code, again.stdout).toBe(0);
    expect(ipstack(again.stdout)).toMatchObject({ status: 'ok', changes: [] });
  });

  it('booted with ipv6.disable=1: not met, "boot-loader change + reboot needed" with the fix, nothing edited', async () => {
    const files = (await sysctlFiles()).split('\n').slice(1).join('\n');
    await vm.powerCycle({ append: 'ipv6.disable=1' });
    expect(await vm.sh('cat /proc/cmdline')).toMatch(/ ipv6\.disable=1( |\n)/);
    expect((await vm.exec('test -d /proc/sys/net/ipv6')).code).not.toBe(0);

    const plan = await vprov('plan', '-i', inv, '--format', 'json');
    expect(plan.code, plan.stderr).toBe(2);
    expect(ipstack(plan.stdout).changes).toEqual([
      expect.stringMatching(
        /^! the kernel was booted with ipv6\.disable=1: not met: boot-loader change \+ reboot needed \(remove ipv6\.disable=1 from the kernel command line in the boot loader \(grubby --update-kernel=ALL --remove-args=ipv6\.disable, or GRUB_CMDLINE_LINUX .*\) and reboot; vprov does not edit the boot loader\); "Oracle Linux Virtualization Manager requires IPv6/,
      ),
    ]);
    const [row] = await evidence();
    expect(row).toMatchObject({ verdict: 'not met', reason: 'IPv6 disabled at boot: boot-loader change + reboot needed' });
    expect(row!.found).toContain('/proc/cmdline: ipv6.disable=1');

    const apply = await vprov('apply', '-i', inv, '--format', 'json');
    expect(apply.code & 4, apply.stdout).toBe(4);
    const a = ipstack(apply.stdout);
    expect(a.status).toBe('failed');
    expect(a.error).toMatch(/IPv6 is disabled at boot \(the kernel was booted with ipv6\.disable=1\): remove ipv6\.disable=1/);
    // nothing edited: the sysctl files as they were; the guest boots by QEMU's -kernel, so no boot loader exists to touch
    expect((await sysctlFiles()).split('\n').slice(1).join('\n')).toBe(files);
    expect((await vm.exec('test -e /etc/default/grub || test -e /boot/grub')).code).not.toBe(0);
  });
});
