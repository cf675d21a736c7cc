/**
 * Root scripts start from a known place and every Python they start is isolated: a module
 * planted by a local user of a managed host (in the login user's home, which is the working
 * directory of an SSH session, in /tmp, in root's home) is never imported by vprov's root probes
 * (the firewalld runtime probe during plan/drift/evidence, the TCP probe of `verify
 * --connectivity` and `evidence`), nor with `--connection local` started from a directory that
 * holds such a module. Each planted module appends a line to a log when imported; the log is
 * read from outside (docker exec). And firewall-cmd's interpreter is run only when nobody but
 * root can change it or a directory above it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, existsSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';
import { runVprov } from '../helpers/bin.js';

/** Every module the probes import (directly or through json, dbus, socket and firewall.config). */
const MODULES = [
  'json',
  'socket',
  'errno',
  'dbus',
  'enum',
  're',
  'selectors',
  'struct',
  'base64',
  'codecs',
  'binascii',
  'types',
  'weakref',
  'functools',
  'collections',
  'sys',
  'os',
  'io',
];
const LOG = '/var/tmp/vprov-planted.log';
const DIRS = ['/home/ops', '/tmp', '/root', '/'];

const plantedModule = (log: string) => `import os as _o\nopen(${JSON.stringify(log)}, "a").write("%s uid=%d\\n" % (__file__, _o.getuid()))\n`;

/** sh that plants every module (and a firewall package) in `dir`, owned by ops as an attacker would. */
function plantScript(dir: string): string {
  const b64 = Buffer.from(plantedModule(LOG)).toString('base64');
  return [
    ...MODULES.map((m) => `printf '%s' '${b64}' | base64 -d > ${dir}/${m}.py`),
    `mkdir -p ${dir}/firewall && printf '%s' '${b64}' | base64 -d > ${dir}/firewall/__init__.py && cp ${dir}/firewall/__init__.py ${dir}/firewall/config.py`,
    `chown -R ops ${dir}/firewall ${MODULES.map((m) => `${dir}/${m}.py`).join(' ')}`,
  ].join(' && ');
}

let lab: Lab;
beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }, { name: 'hv1', firewall: 'firewalld' }]);
  for (const h of ['node1', 'hv1']) {
    for (const dir of DIRS) {
      const r = await lab.exec(h, plantScript(dir));
      expect(r.code, r.stderr).toBe(0);
    }
  }
}, 400_000);
afterAll(async () => {
  await lab?.stop();
});

async function planted(host: string): Promise<string> {
  return (await lab.exec(host, `cat ${LOG} 2>/dev/null; true`)).stdout;
}

const inventory = () => lab.writeInventory('isolated.yaml', { roles: { node1: ['node'], hv1: ['hypervisor'] }, hosts: { hv1: { firewall: 'firewalld' } } });

describe('a module planted on a managed host is never imported by a root probe', () => {
  it('plan runs the firewalld runtime probe (it answers) without importing any planted module', async () => {
    const r = await vprov('plan', '-i', inventory(), '--format', 'json');
    const hv1 = JSON.parse(r.stdout).hosts.find((h: { host: string }) => h.host === 'hv1');
    const firewall = hv1.resources.find((x: { resource: string }) => x.resource === 'firewall');
    // the probe ran and its answer was read: the runtime is known, the plan is to add vprov's objects
    expect(firewall.status, JSON.stringify(firewall)).toBe('pending');
    expect(firewall.notes.join(' ')).toMatch(/backend: firewalld \d/);
    expect(await planted('hv1')).toBe('');
    expect(await planted('node1')).toBe('');
  });

  it('verify --connectivity runs the TCP probe (it answers) without importing any planted module', async () => {
    const r = await vprov('verify', '-i', inventory(), '--connectivity', '--format', 'json');
    const probes = JSON.parse(r.stdout).connectivity as { result: string; from: string }[];
    expect(probes.length).toBeGreaterThan(0);
    expect(
      probes.filter((p) => p.result === 'unknown'),
      JSON.stringify(probes),
    ).toEqual([]);
    expect(await planted('node1')).toBe('');
    expect(await planted('hv1')).toBe('');
  });

  it('evidence runs both probes without importing any planted module', async () => {
    const r = await vprov('evidence', '-i', inventory(), '--format', 'json');
    const report = JSON.parse(r.stdout);
    expect(report.hosts.map((h: { status: string }) => h.status)).toEqual(['read', 'read']);
    const flows = report.requirements.filter((x: { kind: string }) => x.kind === 'flow');
    expect(flows.some((x: { found: string[] }) => x.found.some((f) => /tcp connect from node1 .*: (open|refused|filtered)/.test(f)))).toBe(true);
    expect(await planted('node1')).toBe('');
    expect(await planted('hv1')).toBe('');
  });
});

describe("firewall-cmd's interpreter", () => {
  it('is not run when a directory above it is writable by someone but root: the firewall resource fails naming it', async () => {
    // A copy of the real firewall-cmd whose shebang points into a directory ops owns: ops could put any program there.
    const setup = await lab.exec(
      'hv1',
      [
        'mkdir -p /opt/ops-py && chown ops /opt/ops-py',
        `printf '#!/bin/sh\\necho "$0 uid=$(id -u)" >> ${LOG}\\nexec /usr/bin/python3 "$@"\\n' > /opt/ops-py/python3 && chmod 755 /opt/ops-py/python3`,
        'cp -p /usr/bin/firewall-cmd /usr/bin/firewall-cmd.orig',
        "sed -i '1s|.*|#!/opt/ops-py/python3|' /usr/bin/firewall-cmd",
      ].join(' && '),
    );
    expect(setup.code, setup.stderr).toBe(0);
    try {
      const r = await vprov('plan', '-i', inventory(), '--limit', 'hv1', '--format', 'json');
      const firewall = JSON.parse(r.stdout).hosts[0].resources.find((x: { resource: string }) => x.resource === 'firewall');
      expect(firewall.status).toBe('failed');
      expect(firewall.error).toMatch(/interpreter \/opt\/ops-py\/python3 .*is not run as root: \/opt\/ops-py \(owner uid [1-9]\d*, mode 755\)/);
      expect(r.code).toBe(4);
      expect(await planted('hv1')).toBe('');
    } finally {
      await lab.exec('hv1', `mv -f /usr/bin/firewall-cmd.orig /usr/bin/firewall-cmd; rm -f ${LOG}`);
    }
  });
});

describe('--connection local', () => {
  it('started from a directory holding planted modules, imports none of them (TCP probe as root)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vprov-planted-'));
    const log = join(cwd, 'imported.log');
    try {
      for (const m of MODULES) writeFileSync(join(cwd, `${m}.py`), plantedModule(log));
      mkdirSync(join(cwd, 'firewall'));
      writeFileSync(join(cwd, 'firewall', '__init__.py'), plantedModule(log));
      chmodSync(cwd, 0o755);
      // node1 probes hv1's SSH port on this machine: the probe's answer proves Python ran.
      const inv = join(cwd, 'local.yaml');
      writeFileSync(
        inv,
        stringify({
          product: 'storware',
          platforms: [{ platform: 'openstack', method: 'SSH transfer' }],
          defaults: { ssh: { user: 'root', become: true }, firewall: 'none', selinux: 'keep' },
          hosts: { node1: { address: '127.0.0.1', roles: ['node'] }, hv1: { address: '127.0.0.2', roles: ['hypervisor'] } },
        }),
      );
      const r = await runVprov(['verify', '-i', inv, '--connection', 'local', '--connectivity', '--format', 'json'], { cwd });
      const report = JSON.parse(r.stdout);
      expect(report.connectivity.length, r.stderr).toBeGreaterThan(0);
      expect(
        report.connectivity.filter((p: { result: string }) => p.result === 'unknown'),
        JSON.stringify(report.connectivity),
      ).toEqual([]);
      expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
