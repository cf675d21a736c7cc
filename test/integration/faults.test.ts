/**
 * The fault suite: an operator's bad day on real lab hosts. Frozen hosts (docker pause, SIGSTOP
 * of sshd from the docker host), a throttling bastion, a post-quantum-only server, two
 * controllers at once, sshd killed mid-apply, read-only /etc, a full file system, no sudo.
 * Every run is the real CLI in its own process: a crash, a hang and an exit code are what an
 * operator sees. No run may exit 1 (bad input) once a host was contacted.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startLab, type Lab } from '../lab/hosts.js';
import { runVprov, startVprov, type BinResult } from '../helpers/bin.js';

const docker = promisify(execFile);
// Each test bounds its own waits (runVprov limitMs); these cover several runs in a row.
vi.setConfig({ testTimeout: 300_000 });
let lab: Lab;
const targets = Array.from({ length: 9 }, (_, i) => `t${i + 1}`);
const SUDOERS = '/etc/sudoers.d/vprotect';

// The bastion's nine targets double as the other tests' plain hosts (fewer containers to start).
const [A, B, FZ, C1, C2] = ['t1', 't2', 't3', 't4', 't5'];

beforeAll(async () => {
  lab = await startLab([
    ...['nosudo', 'bj', ...targets].map((name) => ({ name })),
    { name: 'ro', capAdd: ['SYS_ADMIN'] },
    { name: 'full', capAdd: ['SYS_ADMIN'] },
  ]);
}, 300_000);

afterAll(async () => {
  for (const h of lab?.hosts ?? []) await docker('docker', ['unpause', h.id]).catch(() => undefined);
  await lab?.stop();
});

/** Generous limits for healthy hosts (the machine may be loaded); a frozen host gets short ones. */
const LIMITS = { connectTimeout: 60, commandTimeout: 180 };
const NETWORKS = { hypervisor: ['192.0.2.0/24'], node: ['198.51.100.0/24'] };

function inventory(file: string, roles: Record<string, string[]>, hosts: Record<string, Record<string, unknown>> = {}): string {
  return lab.writeInventory(file, { roles, networks: NETWORKS, defaults: { ssh: LIMITS }, hosts });
}

/** The host we freeze: short limits, so it costs seconds, not minutes. */
function frozenHost(name: string): Record<string, Record<string, unknown>> {
  const h = lab.host(name);
  return { [name]: { ssh: { host: h.sshHost, port: h.sshPort, connectTimeout: 5, commandTimeout: 20 } } };
}

function hostOf(r: BinResult, name: string): { status: string; error?: string; resources: { resource: string; status: string; error?: string }[] } {
  const doc = JSON.parse(r.stdout);
  const h = doc.hosts.find((x: { host: string }) => x.host === name);
  if (!h) throw new Error(`no host ${name} in report: ${r.stdout.slice(0, 500)}`);
  return h;
}

/** Exited by itself, not by a signal or our kill, and never with 1 (a host was contacted). */
function expectExited(r: BinResult, code: number): void {
  expect({ hung: r.hung, signal: r.signal, crashed: /Unhandled 'error' event|uncaughtException|Error \[ERR_/.test(r.stderr) }).toEqual({
    hung: false,
    signal: null,
    crashed: false,
  });
  expect(r.code, `${r.stderr}\n${r.stdout.slice(0, 3000)}`).toBe(code);
}

async function waitFor(name: string, command: string, limitMs = 60_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    if ((await lab.exec(name, command)).code === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name}: "${command}" never succeeded`);
}

/** A visudo that waits while /tmp/slow exists: an apply that is still running when we strike. */
async function slowVisudo(name: string, seconds: number): Promise<void> {
  const shim = `#!/bin/sh\nif [ -f /tmp/slow ]; then touch /tmp/slow.running; sleep ${seconds}; fi\nexec /usr/sbin/visudo "$@"\n`;
  const r = await lab.exec(
    name,
    `printf '%s' '${shim}' > /usr/local/sbin/visudo && chmod 755 /usr/local/sbin/visudo && touch /tmp/slow && rm -f /tmp/slow.running`,
  );
  expect(r.code, r.stderr).toBe(0);
}

/** What vprov leaves on a host: no temp file of any run, anywhere it writes. */
async function leftovers(name: string): Promise<string> {
  return (
    await lab.exec(
      name,
      `find /etc /var/lib/vprov -name '*.vprov-new' 2>/dev/null; ls -A /etc/sudoers.d | grep -v '^README$' | grep -v '^vprotect$' | grep -v '^\\.fill$' || true`,
    )
  ).stdout.trim();
}

/** Back to a fresh host: no account, no sudoers drop-in, no table, nothing vprov wrote. */
const reset =
  'userdel -r vprotect >/dev/null 2>&1; rm -f /etc/sudoers.d/vprotect; nft delete table inet vprov 2>/dev/null; rm -rf /etc/vprov /var/lib/vprov; true';

async function sshdPid(name: string): Promise<string> {
  const { stdout } = await docker('docker', ['inspect', '-f', '{{.State.Pid}}', lab.host(name).id]);
  return stdout.trim();
}

describe('a frozen host', () => {
  it('plan: a host paused from outside is unreachable within the connect limit; the others are planned', async () => {
    const inv = inventory('frozen-plan.yaml', { [A]: ['hypervisor'], [B]: ['hypervisor'], [FZ]: ['hypervisor'] }, frozenHost(FZ));
    await docker('docker', ['pause', lab.host(FZ).id]);
    try {
      const r = await runVprov(['plan', '-i', inv, '--format', 'json', '--timeout', '120'], { limitMs: 200_000 });
      expectExited(r, 2 | 4);
      expect(hostOf(r, FZ)).toMatchObject({ status: 'unreachable', error: expect.stringMatching(/no SSH handshake within 5 s \(ssh\.connectTimeout\)/) });
      for (const h of [A, B]) expect(hostOf(r, h).status).toBe('pending');
    } finally {
      await docker('docker', ['unpause', lab.host(FZ).id]);
    }
  });

  it('drift --output: sshd SIGSTOPped from the docker host; the report file is written with every other host', async () => {
    const inv = inventory('frozen-drift.yaml', { [A]: ['hypervisor'], [B]: ['hypervisor'], [FZ]: ['hypervisor'] }, frozenHost(FZ));
    const out = join(lab.dir, 'drift.prom');
    const pid = await sshdPid(FZ);
    await docker('kill', ['-STOP', pid]);
    try {
      const r = await runVprov(['drift', '-i', inv, '--format', 'prometheus', '--output', out, '--timeout', '120'], { limitMs: 200_000 });
      expectExited(r, 2 | 4);
      expect(existsSync(out)).toBe(true);
      const prom = readFileSync(out, 'utf8');
      expect(prom).toContain(`vprov_host_up{site="lab",host="${A}"} 1`);
      expect(prom).toContain(`vprov_host_up{site="lab",host="${B}"} 1`);
      expect(prom).toContain(`vprov_host_up{site="lab",host="${FZ}"} 0`);
    } finally {
      await docker('kill', ['-CONT', pid]);
    }
  });

  it('apply: a host frozen while its apply script runs is "unknown" (never pending), the run ends, the next apply converges', async () => {
    const inv = inventory('frozen-apply.yaml', { [A]: ['hypervisor'], [B]: ['hypervisor'], [FZ]: ['node'] }, frozenHost(FZ));
    await slowVisudo(FZ, 8);
    const run = startVprov(['apply', '-i', inv, '--format', 'json', '--timeout', '150'], { limitMs: 250_000 });
    await waitFor(FZ, 'test -f /tmp/slow.running');
    await docker('docker', ['pause', lab.host(FZ).id]);
    let r: BinResult;
    try {
      r = await run.done;
    } finally {
      await docker('docker', ['unpause', lab.host(FZ).id]);
    }
    expectExited(r, 4);
    const fz = hostOf(r, FZ);
    expect(fz.status).toBe('failed');
    expect(fz.error).toMatch(/^unknown: .*after the apply script started.*; run plan/);
    expect(fz.resources.filter((x) => x.status === 'pending')).toEqual([]);
    expect(fz.resources.find((x) => x.resource === 'sudoers')?.status).toBe('unknown');
    for (const h of [A, B]) expect(hostOf(r, h).status).toBe('changed');
    await lab.exec(FZ, 'rm -f /tmp/slow');
    const again = await runVprov(['apply', '-i', inv, '--limit', FZ, '--format', 'json'], { limitMs: 150_000 });
    expectExited(again, 0);
    expect((await runVprov(['plan', '-i', inv, '--limit', FZ])).code).toBe(0);
    expect(await leftovers(FZ)).toBe('');
  });

  it('apply --timeout: the host is stopped at its limit, its connection closed, and the process exits', async () => {
    const inv = inventory('timeout.yaml', { [FZ]: ['node'] });
    await lab.exec(FZ, reset);
    await slowVisudo(FZ, 600);
    try {
      const r = await runVprov(['apply', '-i', inv, '--format', 'json', '--timeout', '40'], { limitMs: 200_000 });
      expectExited(r, 4);
      expect(hostOf(r, FZ).error).toMatch(/^unknown: timed out after 40 s \(--timeout\) after the apply script started/);
      // the controller's connection is gone: nothing established on the host's sshd port any more
      await waitFor(FZ, `! ss -Htn state established '( sport = :22 )' | grep -q .`, 30_000);
    } finally {
      await lab.exec(FZ, 'rm -f /tmp/slow /usr/local/sbin/visudo; pkill -f "sleep 600" || true');
    }
  });
});

describe('algorithm mismatch', () => {
  beforeAll(async () => {
    const r = await lab.exec(
      'bj',
      [
        '/usr/sbin/sshd -p 2222 -o KexAlgorithms=sntrup761x25519-sha512@openssh.com',
        '/usr/sbin/sshd -p 2223 -o Ciphers=aes128-cbc,3des-cbc',
        '/usr/sbin/sshd -p 2224 -o Ciphers=aes128-ctr -o MACs=umac-64@openssh.com',
      ].join(' && '),
    );
    expect(r.code, r.stderr).toBe(0);
  });

  it('a post-quantum-only server: one clear message, exit bit 4, no crash in 20 runs', async () => {
    const inv = inventory('kex.yaml', { bj: ['hypervisor'] }, { bj: { ssh: { host: lab.host('bj').address, port: 2222 } } });
    for (let batch = 0; batch < 5; batch++) {
      const runs = await Promise.all(Array.from({ length: 4 }, () => runVprov(['plan', '-i', inv], { limitMs: 180_000 })));
      for (const r of runs) {
        expectExited(r, 4);
        expect(r.stdout).toMatch(
          /no common key exchange algorithm: the server offers sntrup761x25519-sha512@openssh\.com; vprov supports [^\n]*curve25519-sha256[^\n]*\. vprov \(ssh2\) has no post-quantum key exchange \(sntrup761, mlkem768\) yet\. Add one of vprov's to the server's KexAlgorithms/,
        );
        expect(r.stdout.match(/no common key exchange/g)).toHaveLength(1);
      }
    }
  });

  it.each([
    [2223, /no common cipher: the server offers aes128-cbc, 3des-cbc; vprov supports aes128-gcm@openssh\.com, [^\n]*Ciphers/],
    [2224, /no common MAC: the server offers umac-64@openssh\.com; vprov supports [^\n]*hmac-sha2-256[^\n]*MACs/],
  ])('port %i: names both lists and the sshd setting', async (port, message) => {
    const inv = inventory(`algo-${port}.yaml`, { bj: ['hypervisor'] }, { bj: { ssh: { host: lab.host('bj').address, port } } });
    const r = await runVprov(['plan', '-i', inv], { limitMs: 180_000 });
    expectExited(r, 4);
    expect(r.stdout).toMatch(message);
  });
});

describe('a throttling bastion', () => {
  it('9 targets behind one bastion with MaxStartups 2:30:4 are all applied (one shared connection)', async () => {
    const r0 = await lab.exec('bj', '/usr/sbin/sshd -p 2230 -o MaxStartups=2:30:4');
    expect(r0.code, r0.stderr).toBe(0);
    const bj = lab.host('bj');
    const hosts = Object.fromEntries(targets.map((t) => [t, { ssh: { host: lab.host(t).address, port: 22, proxyJump: `ops@${bj.address}:2230` } }]));
    const inv = inventory('bastion.yaml', Object.fromEntries(targets.map((t) => [t, ['hypervisor']])), hosts);
    const r = await runVprov(['apply', '-i', inv, '--format', 'json', '--forks', '9'], { limitMs: 180_000 });
    expectExited(r, 0);
    for (const t of targets) expect(hostOf(r, t).status).toBe('changed');
    for (const t of targets) expect((await lab.exec(t, 'nft list table inet vprov')).stdout).toContain('198.51.100.0/24');
  });
});

describe('two controllers at once', () => {
  it('5 × two concurrent applies on the same fresh hosts: both succeed and the state is right', async () => {
    const inv = inventory('twice.yaml', { [C1]: ['node'], [C2]: ['node'] });
    for (let round = 0; round < 5; round++) {
      for (const h of [C1, C2]) expect((await lab.exec(h, reset)).code).toBe(0);
      const [x, y] = await Promise.all([0, 1].map(() => runVprov(['apply', '-i', inv, '--format', 'json'], { limitMs: 180_000 })));
      for (const r of [x!, y!]) {
        expectExited(r, 0);
        for (const h of [C1, C2]) expect(['changed', 'ok']).toContain(hostOf(r, h).status);
      }
      for (const h of [C1, C2]) {
        expect((await lab.exec(h, 'id -nG vprotect')).stdout).toMatch(/\bdisk\b/);
        expect((await lab.exec(h, `visudo -c && test -f ${SUDOERS}`)).code).toBe(0);
        expect((await lab.exec(h, 'nft list table inet vprov')).stdout).toContain('192.0.2.0/24');
        expect((await lab.exec(h, 'test -f /etc/vprov/vprov.nft')).code).toBe(0);
        expect(await leftovers(h)).toBe('');
      }
      expectExited(await runVprov(['plan', '-i', inv]), 0);
    }
  });

  it('a lock held past --lock-wait fails that host naming the holder; read-only commands never wait', async () => {
    const inv = inventory('locked.yaml', { [C1]: ['node'] });
    await lab.exec(C1, reset);
    await lab.exec(C1, `mkdir -p /run/vprov && echo 'other-controller/4242 (alice, run abc) since 2026-01-01T00:00:00.000Z' > /run/vprov/lock.owner`);
    const holder = lab.exec(C1, 'flock /run/vprov/lock sleep 300');
    await waitFor(C1, `pgrep -f '[s]leep 300'`);
    const plan = await runVprov(['plan', '-i', inv, '--format', 'json'], { limitMs: 180_000 });
    expectExited(plan, 2);
    const apply = await runVprov(['apply', '-i', inv, '--format', 'json', '--lock-wait', '2'], { limitMs: 180_000 });
    expectExited(apply, 4);
    expect(hostOf(apply, C1).error).toMatch(/^locked by other-controller\/4242 \(alice, run abc\) since 2026-01-01T00:00:00\.000Z \(waited 2 s/);
    expect((await lab.exec(C1, 'id vprotect')).code).not.toBe(0); // nothing was changed
    await lab.exec(C1, `pkill -f '[s]leep 300'`);
    await holder;
  });
});

describe('clean per-host failures', () => {
  it('sshd killed mid-apply: that host is unknown, the others applied, nothing partial, the next apply converges', async () => {
    const inv = inventory('killed.yaml', { [A]: ['hypervisor'], [FZ]: ['node'] });
    await lab.exec(FZ, reset);
    await slowVisudo(FZ, 4);
    const run = startVprov(['apply', '-i', inv, '--format', 'json'], { limitMs: 150_000 });
    await waitFor(FZ, 'test -f /tmp/slow.running');
    // [s]: the pattern must not match the shell that runs pkill
    expect((await lab.exec(FZ, `pkill -f '[s]shd: ops'`)).code).toBe(0);
    const r = await run.done;
    expectExited(r, 4);
    expect(hostOf(r, FZ).error).toMatch(/^unknown: the connection was lost after the apply script started/);
    expect(hostOf(r, A).status).not.toBe('failed');
    // the script goes on to its end on the host: each file old or new, never half
    await waitFor(FZ, 'test -f /var/lib/vprov/last-apply.json');
    expect((await lab.exec(FZ, 'visudo -c')).code).toBe(0);
    expect(await leftovers(FZ)).toBe('');
    await lab.exec(FZ, 'rm -f /tmp/slow');
    expectExited(await runVprov(['apply', '-i', inv, '--limit', FZ]), 0);
    expectExited(await runVprov(['plan', '-i', inv, '--limit', FZ]), 0);
  });

  it('read-only /etc: a one-line cause per resource, nothing changed, the next apply converges', async () => {
    const inv = inventory('ro.yaml', { [A]: ['hypervisor'], ro: ['node'] });
    expect((await lab.exec('ro', 'mount -o bind /etc /etc && mount -o remount,bind,ro /etc')).code).toBe(0);
    const r = await runVprov(['apply', '-i', inv, '--format', 'json'], { limitMs: 120_000 });
    expectExited(r, 4);
    const ro = hostOf(r, 'ro');
    expect(ro.status).toBe('failed');
    const failed = ro.resources.filter((x) => x.status === 'failed');
    expect(failed.find((x) => x.resource === 'account')?.error).toMatch(/Read-only file system|cannot lock|cannot open/i);
    // sudoers is never written for a user that does not exist: its cause is the account's failure.
    for (const res of failed.filter((x) => x.resource !== 'account')) {
      expect(res.error).toMatch(/Read-only file system|cannot lock|cannot open|user vprotect does not exist \(the account resource did not create it\)/i);
    }
    expect(ro.resources.map((x) => x.status)).not.toContain('changed');
    expect(hostOf(r, A).status).toBe('changed');
    expect((await lab.exec('ro', 'id vprotect')).code).not.toBe(0);
    expect((await lab.exec('ro', `test -e ${SUDOERS} || test -e /etc/vprov`)).code).not.toBe(0);
    expect((await lab.exec('ro', 'umount /etc')).code).toBe(0);
    expectExited(await runVprov(['apply', '-i', inv, '--limit', 'ro']), 0);
    expectExited(await runVprov(['plan', '-i', inv, '--limit', 'ro']), 0);
    expect(await leftovers('ro')).toBe('');
  });

  it('a full file system under /etc/sudoers.d: sudoers fails with its cause, no partial file, the next apply converges', async () => {
    const inv = inventory('full.yaml', { [A]: ['hypervisor'], full: ['node'] });
    // mode=0755 as a real /etc/sudoers.d has: sudo ignores a world-writable includedir (tmpfs defaults to 1777).
    expect(
      (
        await lab.exec(
          'full',
          'mount -t tmpfs -o size=8k,mode=0755 tmpfs /etc/sudoers.d && (dd if=/dev/zero of=/etc/sudoers.d/.fill bs=1k count=64 2>/dev/null; true)',
        )
      ).code,
    ).toBe(0);
    const r = await runVprov(['apply', '-i', inv, '--format', 'json'], { limitMs: 120_000 });
    expectExited(r, 4);
    const sudoers = hostOf(r, 'full').resources.find((x) => x.resource === 'sudoers');
    expect(sudoers).toMatchObject({ status: 'failed', error: expect.stringMatching(/No space left on device/) });
    expect((await lab.exec('full', `test -e ${SUDOERS}`)).code).not.toBe(0);
    expect(await leftovers('full')).toBe('');
    await lab.exec('full', 'rm -f /etc/sudoers.d/.fill');
    expectExited(await runVprov(['apply', '-i', inv, '--limit', 'full']), 0);
    expect((await lab.exec('full', `visudo -c && test -f ${SUDOERS}`)).code).toBe(0);
  });

  it('no sudo rights: that host fails with the cause and failed=1 in its own recap line', async () => {
    await lab.exec('nosudo', `sed -i 's/^ops ALL=(ALL) NOPASSWD: ALL$//' /etc/sudoers && visudo -c`);
    const inv = inventory('nosudo.yaml', { [A]: ['hypervisor'], nosudo: ['node'] });
    const r = await runVprov(['apply', '-i', inv], { limitMs: 120_000 });
    expectExited(r, 4);
    expect(r.stdout).toMatch(/== nosudo: failed\n\s+error: sudo refused for ops: sudo: /);
    expect(r.stdout).toMatch(/^nosudo\s+: ok=0 changed=0 pending=0 failed=1 unreachable=0/m);
    expect(r.stdout).toMatch(/^hosts: 2 ok=\d changed=\d pending=0 failed=1 unreachable=0/m);
  });
});

describe('audit', () => {
  it('--audit-log: one JSON line per host and run, no secret; the host keeps last-apply.json of the same run', async () => {
    const inv = inventory('audit.yaml', { [A]: ['hypervisor'], [C2]: ['node'] });
    await lab.exec(C2, 'userdel -r vprotect >/dev/null 2>&1; rm -f /etc/sudoers.d/vprotect; true');
    const log = join(lab.dir, 'audit', 'vprov.jsonl');
    const r = await runVprov(['apply', '-i', inv, '--audit-log', log], { limitMs: 120_000 });
    expectExited(r, 0);
    await runVprov(['plan', '-i', inv, '--audit-log', log], { limitMs: 120_000 });
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    // what a line may carry: nothing else (no password, no environment)
    const allowed = [
      'time',
      'startedAt',
      'runId',
      'command',
      'site',
      'controller',
      'user',
      'pid',
      'vprovVersion',
      'inventory',
      'host',
      'result',
      'error',
      'changed',
      'resources',
      'durationMs',
    ];
    for (const l of lines) expect(Object.keys(l).filter((k) => !allowed.includes(k))).toEqual([]);
    const c2 = lines.find((l) => l.host === C2 && l.command === 'apply');
    expect(c2).toMatchObject({
      result: 'changed',
      user: expect.any(String),
      controller: expect.any(String),
      vprovVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(c2.changed.account[0]).toMatch(/^\+ user vprotect/);
    expect(Date.parse(c2.time)).not.toBeNaN();
    const onHost = JSON.parse((await lab.exec(C2, 'cat /var/lib/vprov/last-apply.json')).stdout);
    expect(onHost).toMatchObject({ runId: c2.runId, host: C2, results: { account: 0, sudoers: 0 }, vprovVersion: c2.vprovVersion });
    expect(await leftovers(C2)).toBe('');
  });
});
