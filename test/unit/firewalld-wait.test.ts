/**
 * The firewalld wait, as the host runs it: the real facts script and reload script under `sh`,
 * with firewalld's commands replaced by stubs that follow a clock (`sleep` advances it, `date`
 * reads it), so a 90 s bound is checked without waiting 90 s. Hosts without systemd here (no
 * systemctl on PATH); the systemd states are proven on lab hosts (integration/firewalld-wait).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { factsFromOutput, factsScript } from '../../src/resources/facts.js';
import { firewallResource } from '../../src/resources/firewall.js';
import { FIREWALLD_WAIT_S, PROC_COMM, parseFirewalldStatus, removeFirewalld } from '../../src/resources/firewall-firewalld.js';
import type { HostDesired } from '../../src/core/types.js';
import { firewalldFacts, planRaw } from '../helpers/facts.js';

interface Host {
  /** firewalld answers from this tick on (Infinity: never) */
  readyAt: number;
  /** a firewalld process exists until this tick (0: none) */
  processUntil: number;
  /**
   * its name in /proc: firewalld (started by its shebang; found by name, pidof never asked) or
   * python3 (started as `python3 firewalld`: only pidof -x finds it). Default firewalld.
   */
  comm?: 'firewalld' | 'python3';
  /** firewall-cmd's interpreter is there (its shebang) */
  interpreter?: boolean;
  /** firewall-cmd and firewalld are installed */
  installed?: boolean;
  /** what getenforce says (no getenforce when undefined) */
  selinux?: 'Enforcing' | 'Permissive';
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A PATH of stubs and the few real tools the scripts use; the clock starts at tick 0. */
function stubHost(h: Host): {
  dir: string;
  run: (script: string) => { code: number; stdout: string; stderr: string };
  tick: () => number;
  calls: () => string[];
  pidofCalls: () => number;
} {
  const dir = mkdtempSync(join(tmpdir(), 'vprov-fwwait-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of ['base64', 'sed', 'tr', 'cat', 'rm', 'mkdir', 'cut', 'sha256sum']) {
    const real = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find(existsSync);
    if (real) symlinkSync(real, join(bin, tool));
  }
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\nD=${dir}\nt=$(cat $D/tick)\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  writeFileSync(join(dir, 'tick'), '0');
  writeFileSync(join(dir, 'calls'), '');
  const tickOf = (n: number) => (Number.isFinite(n) ? String(n) : '999999');
  const ready = tickOf(h.readyAt);
  // /proc as the scripts read it: other processes (names near firewalld's), and firewalld's while it runs
  const procs = { 1: 'systemd', 2: 'firewalld2', 3: ' firewalld', 4: 'firewalld ', 5: 'python3', 6: 'xfirewalld' };
  for (const [pid, name] of Object.entries(procs)) {
    mkdirSync(join(dir, 'proc', pid), { recursive: true });
    writeFileSync(join(dir, 'proc', pid, 'comm'), `${name}\n`);
  }
  const fwdComm = join(dir, 'proc', '4242', 'comm');
  if (h.processUntil > 0) {
    mkdirSync(join(dir, 'proc', '4242'));
    writeFileSync(fwdComm, `${h.comm ?? 'firewalld'}\n`);
  }
  stub('sleep', `echo $((t + 1)) > $D/tick; [ $((t + 1)) -lt ${tickOf(h.processUntil)} ] || rm -f ${fwdComm}`);
  stub('date', 'echo $t');
  // The stubs live under the temp directory, which others may write: they are shown to the
  // interpreter check as root's own (the check itself is proven on lab hosts).
  stub('readlink', 'echo "$3"');
  stub('stat', 'shift 2; for p in "$@"; do echo "0 81ed $p"; done');
  stub('pgrep', 'echo pgrep >> $D/calls; exit 1');
  stub('pidof', `echo pidof >> $D/pidof-calls\n${h.comm === 'python3' ? `[ "$t" -lt ${tickOf(h.processUntil)} ]` : 'exit 1'}`);
  // firewalld's Python: firewall-cmd (by its shebang) and the probe (script on stdin) both run it.
  stub(
    'fwpython',
    [
      `if [ "$1" = ${bin}/firewall-cmd ]; then echo "$2" >> $D/calls`,
      `  if [ "$t" -ge ${ready} ]; then echo running; exit 0; else echo 'not running'; exit 252; fi`,
      `fi`,
      `cat >/dev/null; echo probe >> $D/calls`,
      `if [ "$t" -ge ${ready} ]; then echo '{"version": "1.3.3", "ipsets": {}, "policies": {}}'; else echo 'firewalld does not answer on D-Bus'; exit 1; fi`,
    ].join('\n'),
  );
  if (h.installed !== false) {
    writeFileSync(join(bin, 'firewall-cmd'), `#!${bin}/fwpython\n`);
    chmodSync(join(bin, 'firewall-cmd'), 0o755);
  }
  if (h.interpreter === false) rmSync(join(bin, 'fwpython'));
  if (h.selinux) stub('getenforce', `echo ${h.selinux}`);
  return {
    dir,
    run: (script) => {
      const r = spawnSync('/bin/sh', ['-c', script.replaceAll(PROC_COMM, `${dir}/proc/[0-9]*/comm`)], {
        env: { PATH: bin },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    tick: () => Number(readFileSync(join(dir, 'tick'), 'utf8')),
    calls: () => readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean),
    pidofCalls: () => (existsSync(join(dir, 'pidof-calls')) ? readFileSync(join(dir, 'pidof-calls'), 'utf8').split('\n').filter(Boolean).length : 0),
  };
}

const desired = { name: 'h', managed: true, firewall: { backend: 'firewalld' } } as unknown as HostDesired;
const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

/** The real facts script of the firewall resource, parsed as the controller parses it. */
function facts(h: Host) {
  const host = stubHost(h);
  const r = host.run(factsScript([firewallResource], desired));
  expect(r.code).toBe(0);
  const f = factsFromOutput(r.stdout, undefined);
  const kv = Object.fromEntries((f.raw.firewall ?? '').split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return {
    f,
    status: parseFirewalldStatus(kv),
    runtime: kv.runtime,
    error: kv.runtime_error === undefined ? undefined : b64(kv.runtime_error),
    tick: host.tick(),
    calls: host.calls(),
    pidof: host.pidofCalls(),
  };
}

describe('firewalld that runs but does not answer yet (host without systemd)', () => {
  it('answers at once: the probe is the only firewalld call, no wait', () => {
    const r = facts({ readyAt: 0, processUntil: Infinity });
    expect(r.status.running).toBe(true);
    expect(JSON.parse(b64(r.runtime)).version).toBe('1.3.3');
    expect(r.calls).toEqual(['probe']);
    expect(r.tick).toBe(0);
  });

  it.each([1, 5, 30, FIREWALLD_WAIT_S - 1])('answers after %i s: waited, polled `firewall-cmd --state`, probed again', (readyAt) => {
    const r = facts({ readyAt, processUntil: Infinity });
    expect(r.error).toBeUndefined();
    expect(JSON.parse(b64(r.runtime)).version).toBe('1.3.3');
    expect(r.tick).toBe(readyAt);
    expect(r.calls).toEqual(['probe', ...Array(readyAt + 1).fill('--state'), 'probe']);
  });

  it('never answers: the wait is bounded and says so', () => {
    const r = facts({ readyAt: Infinity, processUntil: Infinity });
    expect(r.runtime).toBeUndefined();
    expect(r.error).toMatch(new RegExp(`firewalld runs but did not answer on D-Bus within ${FIREWALLD_WAIT_S} s: not running`));
    expect(r.tick).toBe(FIREWALLD_WAIT_S);
  });

  it.each(['Enforcing', 'Permissive', undefined] as const)(
    'never answers with SELinux %s: the error points at dbus denials only under enforcing',
    (selinux) => {
      const r = facts({ readyAt: Infinity, processUntil: Infinity, selinux });
      expect(r.error).toMatch(/did not answer on D-Bus within/);
      if (selinux === 'Enforcing') expect(r.error).toMatch(/SELinux is enforcing: look for firewalld_t send_msg denials with ausearch -m USER_AVC/);
      else expect(r.error).not.toMatch(/SELinux/);
    },
  );

  it('the process goes away while vprov waits: the wait ends at once with the cause', () => {
    const r = facts({ readyAt: Infinity, processUntil: 3 });
    expect(r.error).toBe('no firewalld process is running');
    expect(r.tick).toBe(3);
  });

  it('started as `python3 firewalld` (its name in /proc is python3): found by pidof -x, waited for, gone: the cause', () => {
    const answers = facts({ readyAt: 2, processUntil: Infinity, comm: 'python3' });
    expect(answers.status.running).toBe(true);
    expect(JSON.parse(b64(answers.runtime)).version).toBe('1.3.3');
    expect(answers.tick).toBe(2);
    const gone = facts({ readyAt: Infinity, processUntil: 3, comm: 'python3' });
    expect(gone.error).toBe('no firewalld process is running');
    expect(gone.tick).toBe(3);
  });

  it("firewall-cmd cannot run (its interpreter is gone): no wait, the probe's own error", () => {
    const r = facts({ readyAt: 0, processUntil: Infinity, interpreter: false });
    expect(r.error).toMatch(/^interpreter .*fwpython: /);
    expect(r.tick).toBe(0);
  });

  it.each([
    [{ readyAt: 0, processUntil: 0 }, 'no firewalld process', 1],
    // pidof is a process of its own (≈40 ms on a busy host): not started where firewalld is not installed
    [{ readyAt: 0, processUntil: 0, installed: false }, 'not installed', 0],
  ])('not running (%j): not waited for, the cause is a fact', (h, state, pidof) => {
    const r = facts(h);
    expect(r.status.running).toBe(false);
    expect(r.status.down).toEqual({ state, log: '' });
    expect(r.calls).toEqual([]);
    expect(r.pidof).toBe(pidof);
    expect(r.tick).toBe(0);
  });

  it('not installed but a process named firewalld runs: still counted as running (found by name, pidof not asked)', () => {
    const r = facts({ readyAt: 0, processUntil: Infinity, installed: false });
    expect(r.status.running).toBe(true);
    expect(r.pidof).toBe(0);
  });
});

describe("the apply's reload when firewalld restarted meanwhile", () => {
  const raw = (dir: string) => `file:${dir}/vprov-x.xml=${Buffer.from('<ipset/>').toString('base64')}`;

  it('reload refused ("not running"): waits until it answers, reloads again, succeeds', () => {
    const host = stubHost({ readyAt: 4, processUntil: Infinity });
    writeFileSync(join(host.dir, 'vprov-x.xml'), '<ipset/>');
    const r = host.run(`( set -e\n${removeFirewalld(firewalldFacts(raw(host.dir)), true)!.script}\n)`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(host.dir, 'vprov-x.xml'))).toBe(false);
    expect(host.calls()).toEqual(['--reload', ...Array(5).fill('--state'), '--reload']);
  });

  it("firewalld gone for good: the resource fails naming both the reload's error and the cause", () => {
    const host = stubHost({ readyAt: Infinity, processUntil: 2 });
    writeFileSync(join(host.dir, 'vprov-x.xml'), '<ipset/>');
    const r = host.run(`( set -e\n${removeFirewalld(firewalldFacts(raw(host.dir)), true)!.script}\n)`);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^firewall-cmd --reload failed: not running; no firewalld process is running$/m);
  });
});

describe('a firewalld that is not running is named, never read as "nothing there"', () => {
  const plan = (backend: 'firewalld' | 'auto', firewalldDown: { state: string; log: string }) =>
    planRaw(
      firewallResource,
      `nft=no\nfirewalld=no\nfirewalld_state=${firewalldDown.state}\nfirewalld_log=${Buffer.from(firewalldDown.log).toString('base64')}`,
      { ...desired, firewall: { backend, sets: [], rules: [], inputPolicy: 'accept', sshAdminSources: [], confirmTimeout: 60 } } as HostDesired,
      { systemd: true },
    );

  it.each(['firewalld.service: inactive', 'not installed', 'no firewalld process'])(
    'firewall: firewalld, %s: refused with the state, nothing written',
    (state) => {
      const p = plan('firewalld', { state, log: '' });
      expect(p.changes).toEqual([`! firewalld is not running (${state}; firewall: firewalld in the inventory)`]);
      expect(p.script).toContain(`firewalld is not running (${state})`);
    },
  );

  it.each(['firewalld', 'auto'] as const)('firewall: %s, unit failed: an error with the last log lines (auto does not fall back to nftables)', (backend) => {
    const p = plan(backend, {
      state: 'firewalld.service: failed',
      log: 'firewalld.service: Control process exited, code=exited, status=1/FAILURE | Failed to start firewalld.service',
    });
    expect(p.status).toBe('failed');
    expect(p.error).toMatch(/^firewalld is not running: firewalld\.service is failed; last log lines: .*status=1\/FAILURE \| Failed to start/);
    expect(p.script).toBe('');
  });

  it('firewall: auto, firewalld stopped on purpose: nftables, as documented', () => {
    expect(plan('auto', { state: 'firewalld.service: inactive', log: '' }).notes[0]).toBe('backend: nftables (table inet vprov)');
  });
});
