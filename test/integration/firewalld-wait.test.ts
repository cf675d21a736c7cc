/**
 * firewalld that runs but does not answer D-Bus yet (right after a boot or a restart, on a slow
 * host): vprov waits for it, bounded, and then works; firewalld stopped or failed is an error
 * naming the cause, at once. fw1 boots systemd (the unit is "activating" for a while: a drop-in
 * sleeps before firewalld starts); fw2 runs firewalld without systemd (a firewalld that sleeps
 * before it takes its D-Bus name). Every state is read from outside (docker exec).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

/** firewalld restarts with a 15 s head start, several per test, on a loaded 2-core machine. */
const SLOW = 420_000;
/** How long the test hosts' firewalld is held back before it starts: the window vprov must wait through. */
const HOLD_S = 15;
const DROP_IN = '/etc/systemd/system/firewalld.service.d/vprov-test-slow.conf';
let lab: Lab;

beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }, { name: 'fw1', systemd: true, firewall: 'firewalld' }, { name: 'fw2', firewall: 'firewalld' }]);
}, 400_000);
afterAll(async () => {
  await lab?.stop();
});

const inventory = (backend: 'firewalld' | 'auto') =>
  lab.writeInventory(`fw-${backend}.yaml`, {
    roles: { node1: ['node'], fw1: ['hypervisor'], fw2: ['hypervisor'] },
    defaults: { firewall: backend },
    hosts: { node1: { managed: false } },
  });

const sh = async (host: string, command: string) => {
  const r = await lab.exec(host, command);
  if (r.code !== 0) throw new Error(`${host}: ${command} → exit ${r.code}: ${r.stdout}${r.stderr}`);
  return r.stdout;
};
function expectOk(r: { code: number; stdout: string; stderr: string }) {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).not.toMatch(/FAILED|failed=[1-9]/);
}
/** Bounded wait until `command` succeeds on `host`. */
async function until(host: string, command: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let last = await lab.exec(host, command);
  while (last.code !== 0) {
    if (Date.now() > deadline) throw new Error(`${host}: "${command}" did not succeed within ${timeoutMs / 1000} s: ${last.stdout}${last.stderr}`);
    await new Promise((r) => setTimeout(r, 500));
    last = await lab.exec(host, command);
  }
}
/** vprov's objects as firewalld itself lists them (once it answers). */
async function owned(host: string) {
  await until(host, 'firewall-cmd --state');
  return sh(host, 'firewall-cmd --info-policy=vprov-in && firewall-cmd --info-ipset=vprov-node_v4');
}
function expectApplied(state: string) {
  expect(state).toMatch(/rule family="ipv4" source ipset="vprov-node_v4" port port="22" protocol="tcp" accept/);
  expect(state).toContain(`entries: ${lab.host('node1').address}`);
}

describe('systemd host: firewalld.service activating (just restarted, slow start)', { timeout: SLOW }, () => {
  /** Restart firewalld without waiting, and see the unit really is on its way up, not answering yet. */
  async function restartNoBlock(how: string) {
    await sh('fw1', how);
    await until('fw1', 'test "$(systemctl is-active firewalld.service)" = activating');
    expect((await lab.exec('fw1', 'firewall-cmd --state')).code).not.toBe(0);
  }

  beforeAll(async () => {
    await sh(
      'fw1',
      `mkdir -p ${DROP_IN.replace(/\/[^/]+$/, '')} && printf '[Service]\\nExecStartPre=/bin/sleep ${HOLD_S}\\n' > ${DROP_IN} && systemctl daemon-reload`,
    );
  });

  it('apply, right after `systemctl restart --no-block firewalld`, waits for it and converges', async () => {
    await restartNoBlock('systemctl restart --no-block firewalld.service');
    expectOk(await vprov('apply', '-i', inventory('firewalld'), '--limit', 'fw1'));
    expect(await sh('fw1', 'systemctl is-active firewalld.service')).toBe('active\n');
    expectApplied(await owned('fw1'));
    expect((await lab.exec('fw1', 'nft list table inet vprov')).stderr).toMatch(/No such file or directory/);
  });

  it('drift under firewall: auto waits for firewalld rather than taking the host for an nftables one', async () => {
    const before = await owned('fw1');
    await restartNoBlock('systemctl restart --no-block firewalld.service');
    const r = await vprov('drift', '-i', inventory('auto'), '--limit', 'fw1');
    expectOk(r);
    expect(r.stdout).toMatch(/drifted=0/);
    expect(await owned('fw1')).toBe(before);
  });

  it('plan after stop + start --no-block: in sync, nothing pending', async () => {
    await sh('fw1', 'systemctl stop firewalld.service');
    await restartNoBlock('systemctl start --no-block firewalld.service');
    const r = await vprov('plan', '-i', inventory('firewalld'), '--limit', 'fw1');
    expectOk(r);
    expect(r.stdout).toMatch(/changed=0/);
    expect(r.stdout).not.toMatch(/pending=[1-9]|changed=[1-9]/);
  });

  it('firewalld stopped: an error naming the unit state, at once, nothing changed', async () => {
    await until('fw1', 'firewall-cmd --state');
    await sh('fw1', 'systemctl stop firewalld.service');
    const r = await vprov('apply', '-i', inventory('firewalld'), '--limit', 'fw1');
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/firewalld is not running \(firewalld\.service: inactive\)/);
    expect(await sh('fw1', 'systemctl is-active firewalld.service || true')).toBe('inactive\n');
  });

  it("firewalld failed: drift fails naming the state and the unit's last log lines, even under firewall: auto", async () => {
    await sh('fw1', `printf '[Service]\\nExecStartPre=/bin/false\\n' > ${DROP_IN} && systemctl daemon-reload`);
    expect((await lab.exec('fw1', 'systemctl start firewalld.service')).code).not.toBe(0);
    expect(await sh('fw1', 'systemctl is-active firewalld.service || true')).toBe('failed\n');
    const r = await vprov('drift', '-i', inventory('auto'), '--limit', 'fw1');
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/firewalld\.service is failed/);
    expect(r.stdout).toMatch(/Failed to start|FAILURE|exited/);
    expect((await lab.exec('fw1', 'nft list table inet vprov')).stderr).toMatch(/No such file or directory/);
  });

  afterAll(async () => {
    await lab.exec('fw1', `rm -f ${DROP_IN}; systemctl daemon-reload; systemctl reset-failed firewalld.service; systemctl start firewalld.service`);
  });
});

describe('host without systemd: firewalld runs but has not taken its D-Bus name yet', { timeout: SLOW }, () => {
  it('apply polls `firewall-cmd --state` until it answers, then converges', async () => {
    // The same firewalld, held back before it starts: the process is there, D-Bus has no answer.
    await sh('fw2', `sed '2i import time; time.sleep(${HOLD_S})' /usr/sbin/firewalld > /usr/local/sbin/firewalld && chmod 755 /usr/local/sbin/firewalld`);
    await sh('fw2', 'kill $(pidof -x firewalld)');
    await until('fw2', '! pidof -x firewalld >/dev/null');
    await sh('fw2', 'setsid /usr/local/sbin/firewalld --nofork </dev/null >/dev/null 2>&1 &');
    expect(await sh('fw2', 'pgrep -x firewalld >/dev/null && echo present')).toBe('present\n');
    const state = await lab.exec('fw2', 'firewall-cmd --state');
    expect(state.code).toBe(252);
    expect(state.stdout + state.stderr).toMatch(/not running/);
    expectOk(await vprov('apply', '-i', inventory('firewalld'), '--limit', 'fw2'));
    expectApplied(await owned('fw2'));
    const again = await vprov('apply', '-i', inventory('firewalld'), '--limit', 'fw2');
    expectOk(again);
    expect(again.stdout).toMatch(/changed=0/);
  });
});
