import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../helpers/compile.js';
import { parseHop, parseSshConfig } from '../../src/transport/ssh-config.js';
import { connectLocal } from '../../src/transport/local.js';
import { inventoryOf } from '../helpers/catalog.js';

const base = { product: 'storware', platforms: [{ platform: 'openstack', method: 'SSH transfer' }] };

describe('ssh settings', () => {
  const config = parseSshConfig(`
Host bastion
  HostName 198.51.100.7
  User jumper
  Port 2022
Host *.lab
  ProxyJump bastion
  IdentityFile ~/.ssh/lab_ed25519
  User labops
`);

  it('~/.ssh/config fills what the inventory leaves open; the inventory wins', () => {
    const inv = inventoryOf({
      ...base,
      hosts: {
        hv1: { address: '192.0.2.10', roles: ['hypervisor'], ssh: { host: 'hv1.lab' } },
        hv2: { address: '192.0.2.11', roles: ['hypervisor'], ssh: { host: 'hv2.lab', user: 'admin', proxyJump: 'none' } },
      },
    });
    const [hv1, hv2] = compile(inv, { sshConfig: config, local: { user: 'me', home: '/home/me' } }).hosts;
    expect(hv1!.ssh).toMatchObject({ host: 'hv1.lab', user: 'labops', identityFile: '/home/me/.ssh/lab_ed25519', port: 22 });
    expect(hv1!.ssh.proxyJump).toMatchObject({ host: '198.51.100.7', user: 'jumper', port: 2022 });
    expect(hv2!.ssh.user).toBe('admin');
    expect(hv2!.ssh.proxyJump).toBeUndefined();
  });

  it('proxyJump naming an inventory host uses that host’s settings; chains and loops', () => {
    const inv = inventoryOf({
      ...base,
      hosts: {
        gw: { address: '192.0.2.1', roles: ['server'], ssh: { port: 2201, user: 'gwops' } },
        hv1: { address: '192.0.2.10', roles: ['hypervisor'], ssh: { proxyJump: 'ops@edge.example:2222,gw' } },
      },
    });
    const hv1 = compile(inv, { local: { user: 'me', home: '/home/me' } }).hosts.find((h) => h.name === 'hv1')!;
    expect(hv1.ssh.proxyJump).toMatchObject({ host: '192.0.2.1', port: 2201, user: 'gwops' });
    expect(hv1.ssh.proxyJump!.proxyJump).toMatchObject({ host: 'edge.example', port: 2222, user: 'ops' });
    const loop = inventoryOf({
      ...base,
      hosts: { a: { address: '192.0.2.1', roles: ['node'], ssh: { proxyJump: 'b' } }, b: { address: '192.0.2.2', roles: ['node'], ssh: { proxyJump: 'a' } } },
    });
    expect(() => compile(loop)).toThrow(/proxyJump: a → b → a loops/);
  });

  it.each([
    ['host', { host: 'host' }],
    ['ops@host', { user: 'ops', host: 'host' }],
    ['ops@host:2222', { user: 'ops', host: 'host', port: 2222 }],
    ['[2001:db8::1]:22', { host: '2001:db8::1', port: 22 }],
  ])('hop %s', (hop, want) => expect(parseHop(hop)).toMatchObject(want));
});

describe('--connection local', () => {
  it('runs the script on this machine, the script on stdin, counting round trips', async () => {
    const conn = connectLocal({ become: false, commandTimeoutMs: 10_000 });
    const r = await conn.runScript('x=$(( 6 * 7 )); echo "got:$x"; echo err >&2; exit 3\n');
    expect(r).toEqual({ code: 3, stdout: 'got:42\n', stderr: 'err\n' });
    const pre = await conn.runScript('echo body', { prelude: 'echo pre' });
    expect(pre.stdout).toBe('pre\nbody\n');
    expect(conn.roundTrips).toBe(2);
  });

  it('a command that prints more than its byte limit is stopped and fails saying so; up to the limit it runs', async () => {
    const conn = connectLocal({ become: false, commandTimeoutMs: 60_000, maxOutputBytes: 4096 });
    const exact = await conn.runScript('head -c 4096 /dev/zero\n');
    expect(exact.stdout.length).toBe(4096);
    await expect(conn.runScript('yes flood\n')).rejects.toThrow('output over 4096 bytes (ssh.maxOutput): the command was stopped and its output dropped');
    // stderr counts too
    await expect(conn.runScript('head -c 3000 /dev/zero; head -c 3000 /dev/zero >&2\n')).rejects.toThrow(/output over 4096 bytes/);
  });

  it("a script starts in / with a fixed PATH and umask 077, whatever the caller's", async () => {
    const conn = connectLocal({ become: false, commandTimeoutMs: 10_000 });
    const r = await conn.runScript('pwd; echo "$PATH"; umask\n');
    expect(r.stdout).toBe('/\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n0077\n');
  });

  it('times out a command that hangs', async () => {
    const conn = connectLocal({ become: false, commandTimeoutMs: 300 });
    await expect(conn.runScript('sleep 5')).rejects.toThrow(/timed out/);
  });

  /** The pid the script's own background child wrote, once it is there. */
  async function childPid(file: string): Promise<number> {
    for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
    return Number(readFileSync(file, 'utf8'));
  }
  /** Whether a process is gone (bounded wait: init reaps the orphan). */
  async function gone(pid: number): Promise<boolean> {
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).toBe('ESRCH');
        return true;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  it('a timeout ends the whole process tree, not only the shell', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vprov-local-')), 'pid');
    const conn = connectLocal({ become: false, commandTimeoutMs: 500 });
    const run = conn.runScript(`sleep 60 & echo $! > ${file}; wait\n`);
    const pid = await childPid(file);
    process.kill(pid, 0); // alive while the script runs
    await expect(run).rejects.toThrow(/timed out after/);
    expect(await gone(pid)).toBe(true);
  });

  it("close() (the host's time limit) ends a running script and its children", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vprov-local-')), 'pid');
    const conn = connectLocal({ become: false, commandTimeoutMs: 60_000 });
    const run = conn.runScript(`sleep 60 & echo $! > ${file}; wait\n`);
    const pid = await childPid(file);
    conn.close();
    await expect(run).rejects.toThrow(/connection closed while a command ran/);
    expect(await gone(pid)).toBe(true);
  });
});
