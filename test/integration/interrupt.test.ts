/**
 * SIGINT / SIGTERM in the middle of plan, apply and drift: no new host starts, the hosts in flight
 * finish (or, after the grace period or a second signal, are stopped: "unknown" once their apply
 * script started), every report asked for is written with every host, marked interrupted, and
 * the exit code has bit 4. At scale on simulated hosts, and on lab hosts over real SSH with a host
 * made slow (its nft sleeps), the end state read from outside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startVprov, type BinResult } from '../helpers/bin.js';
import { startSimFleet, type SimFleetHandle } from '../helpers/sim-fleet.js';
import { startLab, type Lab } from '../lab/hosts.js';

interface HostReport {
  host: string;
  status: string;
  error?: string;
  roundTrips: number;
  resources: { resource: string; status: string }[];
}
interface Report {
  interrupted?: { signal: string; notStarted: number };
  exitCode: number;
  hosts: HostReport[];
}

const HOSTS = 200;
const FORKS = 25;
const notStarted = (signal: string) => new RegExp(`^interrupted \\(${signal}\\): not started, nothing changed$`);

/** Runs vprov and sends `signals` once `when` says so (checked on every script a simulated host gets). */
function interruptAt(
  fleet: SimFleetHandle,
  args: string[],
  when: (scripts: { facts: number; apply: number }) => boolean,
  signals: string[],
  env: Record<string, string> = {},
) {
  const seen = { facts: 0, apply: 0 };
  let sent = false;
  const startedAtSignal = { hosts: 0 };
  const run = startVprov(args, { limitMs: 300_000, env });
  fleet.sim.onScript = (_host, isApply) => {
    seen[isApply ? 'apply' : 'facts']++;
    if (sent || !when(seen)) return;
    sent = true;
    startedAtSignal.hosts = fleet.sim.connected.size;
    // Apart: two signals pending at once are delivered as one.
    signals.forEach((s, i) => {
      setTimeout(() => process.kill(run.pid, s), i * 300);
    });
  };
  return run.done.then((r) => {
    fleet.sim.onScript = null;
    expect(sent, 'the signal was sent').toBe(true);
    return { ...r, startedAtSignal: startedAtSignal.hosts };
  });
}

function parse(r: BinResult, what = 'stdout'): Report {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`no JSON on ${what} (exit ${r.code}, signal ${r.signal}, hung ${r.hung}): ${r.stderr.slice(0, 1500)}`);
  }
}

describe('interrupted runs at scale (simulated hosts)', () => {
  let fleet: SimFleetHandle;
  let dir: string;
  beforeAll(async () => {
    fleet = await startSimFleet(HOSTS, { delayMs: { slow: 200, overTime: 1500 } });
    dir = mkdtempSync(join(tmpdir(), 'vprov-interrupt-'));
  }, 300_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  /** Every host once; the ones never connected to are exactly the "not started" ones. */
  function checkNotStarted(report: Report, signal: string) {
    expect(report.hosts.map((h) => h.host).sort()).toEqual([...fleet.names].sort());
    const idle = report.hosts.filter((h) => notStarted(signal).test(h.error ?? ''));
    expect(idle.length).toBeGreaterThan(0);
    for (const h of idle) expect([h.status, h.roundTrips, fleet.sim.connected.has(h.host)], h.host).toEqual(['failed', 0, false]);
    for (const h of report.hosts.filter((x) => !idle.includes(x))) expect(fleet.sim.connected.has(h.host), h.host).toBe(true);
    expect(report.interrupted).toEqual({ signal, notStarted: idle.length });
    return idle;
  }

  it('drift, SIGINT: hosts in flight finish in sync, no new host starts; JSON on stdout, history and audit log written, marked interrupted; exit 4', async () => {
    await fleet.sim.setFaults(new Map(fleet.names.map((n) => [n, 'slow'])));
    fleet.setStates('converged');
    fleet.sim.connected.clear();
    const history = join(dir, 'history');
    const audit = join(dir, 'drift-audit.jsonl');
    const r = await interruptAt(
      fleet,
      ['drift', '-i', fleet.inventory, '--format', 'json', '--forks', String(FORKS), '--history', history, '--audit-log', audit],
      (s) => s.facts === 60,
      ['SIGINT'],
    );
    expect([r.code, r.signal, r.hung], r.stderr).toEqual([4, null, false]);
    expect(r.stderr).toMatch(/vprov: SIGINT: no new host starts; hosts in flight get 10 s to finish/);
    const report = parse(r);
    expect(report.exitCode).toBe(4);
    const idle = checkNotStarted(report, 'SIGINT');
    // At the signal at most FORKS hosts were in flight, and none was added after it.
    expect(fleet.sim.connected.size).toBeLessThanOrEqual(r.startedAtSignal + FORKS);
    const ran = report.hosts.filter((h) => !idle.includes(h));
    expect(ran.map((h) => h.status)).toEqual(ran.map(() => 'ok'));
    const kept = readdirSync(history);
    expect(kept).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(history, kept[0]!), 'utf8')).interrupted).toEqual(report.interrupted);
    const lines = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(HOSTS);
    expect(
      lines
        .filter((l) => notStarted('SIGINT').test(l.error ?? ''))
        .map((l) => l.host)
        .sort(),
    ).toEqual(idle.map((h) => h.host).sort());
  });

  it('drift --output FILE (junit), SIGTERM: the file is written with every host; stdout says interrupted', async () => {
    fleet.setStates('converged');
    fleet.sim.connected.clear();
    const out = join(dir, 'drift.xml');
    const r = await interruptAt(
      fleet,
      ['drift', '-i', fleet.inventory, '--format', 'junit', '--output', out, '--forks', String(FORKS)],
      (s) => s.facts === 40,
      ['SIGTERM'],
    );
    expect([r.code, r.hung], r.stderr).toEqual([4, false]);
    expect(r.stdout).toMatch(new RegExp(`^drift: ${HOSTS} hosts, 0 drifted, exit 4 \\(interrupted by SIGTERM: \\d+ not started\\); junit report written to `));
    const xml = readFileSync(out, 'utf8');
    for (const n of fleet.names) expect(xml).toContain(`classname="vprov.${n}"`);
    expect(xml).toMatch(/interrupted \(SIGTERM\): not started, nothing changed/);
  });

  it('apply, SIGTERM with a short grace: hosts stopped after their apply script started are "unknown", those still reading facts changed nothing', async () => {
    await fleet.sim.setFaults(new Map(fleet.names.map((n) => [n, 'over-time'])));
    fleet.setStates('fresh');
    fleet.sim.connected.clear();
    const audit = join(dir, 'apply-audit.jsonl');
    const r = await interruptAt(
      fleet,
      ['apply', '-i', fleet.inventory, '--format', 'json', '--forks', String(FORKS), '--audit-log', audit],
      (s) => s.apply === 30,
      ['SIGTERM'],
      { VPROV_INTERRUPT_GRACE_MS: '300' },
    );
    expect([r.code, r.hung], r.stderr).toEqual([4, false]);
    const report = parse(r);
    const idle = checkNotStarted(report, 'SIGTERM');
    const stopped = report.hosts.filter((h) => !idle.includes(h) && h.status !== 'changed');
    const unknown = stopped.filter((h) =>
      /^unknown: interrupted \(SIGTERM\): stopped after the apply script started; run plan to see the host's state$/.test(h.error ?? ''),
    );
    const early = stopped.filter((h) =>
      /^interrupted \(SIGTERM\): stopped while (connecting|reading facts); connection closed, nothing changed$/.test(h.error ?? ''),
    );
    expect(unknown.length, JSON.stringify(stopped.map((h) => [h.host, h.status, h.error]))).toBeGreaterThan(0);
    expect(unknown.length + early.length, JSON.stringify(stopped.map((h) => [h.host, h.error]))).toBe(stopped.length);
    for (const h of unknown) expect(h.resources.some((x) => x.status === 'unknown')).toBe(true);
    for (const h of [...early, ...idle]) expect(h.resources.filter((x) => x.status === 'changed')).toEqual([]);
    expect(readFileSync(audit, 'utf8').trim().split('\n')).toHaveLength(HOSTS);
  });

  it('plan, two SIGINTs at once: hosts in flight stop now, the text recap says interrupted; exit 4 (with 2 if a plan finished first)', async () => {
    await fleet.sim.setFaults(new Map(fleet.names.map((n) => [n, 'over-time'])));
    fleet.setStates('fresh');
    fleet.sim.connected.clear();
    const t0 = Date.now();
    const r = await interruptAt(fleet, ['plan', '-i', fleet.inventory, '--forks', String(FORKS)], (s) => s.facts === 10, ['SIGINT', 'SIGINT']);
    // Stopped (4); a host whose plan finished before the second signal has changes pending (2).
    expect(r.hung).toBe(false);
    expect([4, 6], r.stderr).toContain(r.code);
    expect(r.stdout).toMatch(/^INTERRUPTED by SIGINT: \d+ host\(s\) not started/m);
    expect(r.stdout).toMatch(/interrupted \(SIGINT\): stopped while (connecting|reading facts); connection closed, nothing changed/);
    // Stopped at once: nowhere near the 10 s grace, let alone a 200-host plan of 1.5 s steps.
    expect(Date.now() - t0).toBeLessThan(60_000);
  });
});

describe('interrupted runs on lab hosts (real SSH, a slow host)', () => {
  let lab: Lab;
  let inventory: string;
  const names = ['i1', 'i2', 'i3'];
  beforeAll(async () => {
    lab = await startLab(names.map((name) => ({ name })));
    // i2 is slow: its nft sleeps 6 s before every call (facts and apply both call it).
    const slow = await lab.exec(
      'i2',
      `mv /usr/sbin/nft /usr/sbin/nft.real && printf '#!/bin/sh\\nsleep 6\\nexec /usr/sbin/nft.real "$@"\\n' > /usr/sbin/nft && chmod 755 /usr/sbin/nft`,
    );
    expect(slow.code, slow.stderr).toBe(0);
    inventory = lab.writeInventory('interrupt.yaml', { roles: Object.fromEntries(names.map((n) => [n, ['node']])) });
  }, 300_000);
  afterAll(async () => {
    await lab?.stop();
  });

  const hasAccount = async (n: string) => (await lab.exec(n, 'getent passwd vprotect')).code === 0;
  const waitFor = async (what: () => Promise<boolean>, ms = 120_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await what()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('timed out waiting');
  };
  /** i2's nft wrapper is sleeping: its facts (or its apply) are in flight. */
  const i2Sleeping = async () => (await lab.exec('i2', 'pgrep -x sleep >/dev/null')).code === 0;
  /**
   * Runs vprov once i2 is idle, sends `signals` (300 ms apart: two pending at once are delivered
   * as one) while i2's nft sleeps; the run's result and how long it took after the last signal.
   */
  const signalWhileSlow = async (args: string[], signals: NodeJS.Signals[], env: Record<string, string> = {}) => {
    await waitFor(async () => !(await i2Sleeping())); // the apply script of a test before may still be running on i2
    const run = startVprov(args, { limitMs: 180_000, env });
    try {
      await waitFor(i2Sleeping);
    } finally {
      for (const [i, signal] of signals.entries()) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 300));
        process.kill(run.pid, signal);
      }
    }
    const stoppedAt = Date.now();
    const r = await run.done;
    return { r, afterSignalMs: Date.now() - stoppedAt };
  };

  it('apply --forks 1, SIGTERM while the slow host reads facts: it finishes (changed), the next host is never touched; --output-less JSON and audit log complete, exit 4', async () => {
    const audit = join(lab.dir, 'audit.jsonl');
    // A grace period long enough for i2's apply (each of its nft calls sleeps 6 s).
    const { r } = await signalWhileSlow(['apply', '-i', inventory, '--forks', '1', '--format', 'json', '--audit-log', audit], ['SIGTERM'], {
      VPROV_INTERRUPT_GRACE_MS: '120000',
    });
    expect([r.code, r.hung], r.stderr).toEqual([4, false]);
    const report = parse(r);
    expect(report.interrupted).toEqual({ signal: 'SIGTERM', notStarted: 1 });
    expect(report.hosts.map((h) => [h.host, h.status])).toEqual([
      ['i1', 'changed'],
      ['i2', 'changed'],
      ['i3', 'failed'],
    ]);
    expect(report.hosts[2]!.error).toMatch(notStarted('SIGTERM'));
    // From outside: the host in flight converged, the one after it untouched.
    expect([await hasAccount('i1'), await hasAccount('i2'), await hasAccount('i3')]).toEqual([true, true, false]);
    expect((await lab.exec('i3', 'test -e /etc/sudoers.d/vprotect || test -e /etc/vprov')).code).not.toBe(0);
    const lines = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.host, l.result])).toEqual([
      ['i1', 'changed'],
      ['i2', 'changed'],
      ['i3', 'failed'],
    ]);
  });

  it('drift --output, SIGINT twice while the slow host reads facts: it is stopped at once, the report file lists every host', async () => {
    const out = join(lab.dir, 'drift.json');
    writeFileSync(out, 'old report\n');
    const { r, afterSignalMs } = await signalWhileSlow(['drift', '-i', inventory, '--forks', '1', '--format', 'json', '--output', out], ['SIGINT', 'SIGINT']);
    expect(afterSignalMs).toBeLessThan(5_000); // not the 6 s of the sleeping nft, nor the 10 s grace
    expect([r.code, r.hung], r.stderr).toEqual([4, false]);
    expect(existsSync(out)).toBe(true);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.interrupted).toEqual({ signal: 'SIGINT', notStarted: 1 });
    expect(report.hosts.map((h) => h.host)).toEqual(names);
    expect(report.hosts[1]!.error).toMatch(/^interrupted \(SIGINT\): stopped while reading facts; connection closed, nothing changed$/);
    expect(report.hosts[2]!.error).toMatch(notStarted('SIGINT'));
  });

  it('evidence --output, SIGTERM while the slow host reads facts: it finishes, the next host is not started; the report file lists every host, marked interrupted, exit 4', async () => {
    const out = join(lab.dir, 'evidence.json');
    writeFileSync(out, 'old report\n');
    const { r } = await signalWhileSlow(['evidence', '-i', inventory, '--forks', '1', '--format', 'json', '--output', out], ['SIGTERM'], {
      VPROV_INTERRUPT_GRACE_MS: '120000',
    });
    expect([(r.code ?? 0) & 4, r.signal, r.hung], r.stderr).toEqual([4, null, false]);
    expect(r.stderr).toMatch(/vprov: SIGTERM: no new host starts/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report & { verdict: string; hosts: { host: string; status: string; error?: string }[] };
    expect(report.interrupted).toEqual({ signal: 'SIGTERM', notStarted: 1 });
    expect(report.exitCode).toBe(r.code);
    expect(report.verdict).not.toMatch(/^met/);
    expect(report.hosts.map((h) => [h.host, h.status])).toEqual([
      ['i1', 'read'],
      ['i2', 'read'],
      ['i3', 'failed'],
    ]);
    expect(report.hosts[2]!.error).toMatch(notStarted('SIGTERM'));
  });

  it('evidence, SIGINT twice while the slow host reads facts: it is stopped at once, the JSON on stdout lists every host, exit 4', async () => {
    const { r, afterSignalMs } = await signalWhileSlow(['evidence', '-i', inventory, '--forks', '1', '--format', 'json'], ['SIGINT', 'SIGINT']);
    expect(afterSignalMs).toBeLessThan(5_000); // not the 6 s of the sleeping nft, nor the 10 s grace
    expect([(r.code ?? 0) & 4, r.signal, r.hung], r.stderr).toEqual([4, null, false]);
    const report = parse(r) as Report & { hosts: { host: string; status: string; error?: string }[] };
    expect(report.interrupted).toEqual({ signal: 'SIGINT', notStarted: 1 });
    expect(report.hosts.map((h) => [h.host, h.status])).toEqual([
      ['i1', 'read'],
      ['i2', 'failed'],
      ['i3', 'failed'],
    ]);
    expect(report.hosts[1]!.error).toMatch(/^interrupted \(SIGINT\): stopped while reading facts; connection closed, nothing changed$/);
    expect(report.hosts[2]!.error).toMatch(notStarted('SIGINT'));
  });
});
