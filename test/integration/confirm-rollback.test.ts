/**
 * A commit-confirmed change whose confirmation comes too late is rolled back, and says so: a
 * drop-policy change is applied, but the controller's NEW SSH connection (the one that proves
 * the change kept SSH open) is held on the way to the host until the host's rollback timer has
 * fired — a slow path, as a stalled jump host or a congested link would be. The host is reached
 * through a TCP relay in this test for that; vprov and the host are as in production. Checked
 * from outside (docker exec): the previous table and its persisted copy are back, nothing is
 * left staged; vprov reports the firewall failed with "rolled back", the recap says so; the
 * apply lock is free, and the next apply takes it at once and confirms in time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

let lab: Lab;
let relay: Server;
let relayPort = 0;
/** While true, a connection that arrives while a rollback is armed on the host waits until it has fired. */
let holdWhileArmed = false;
const held: string[] = [];

const sh = async (command: string) => {
  const r = await lab.exec('node1', command);
  if (r.code !== 0) throw new Error(`node1: ${command} → exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};
/** a run's rollback marker (rollback.armed.RUN) is there: armed, neither fired nor confirmed */
const armed = async () => (await lab.exec('node1', "ls /run/vprov | grep -q '^rollback\\.armed\\.[0-9a-f]*$'")).code === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }]);
  const target = lab.host('node1');
  relay = createServer((client: Socket) => {
    client.pause();
    void (async () => {
      if (holdWhileArmed && (await armed())) {
        const t0 = Date.now();
        while (await armed()) await sleep(200);
        held.push(`held ${((Date.now() - t0) / 1000).toFixed(1)} s until the rollback fired`);
      }
      const upstream = createConnection({ host: target.sshHost, port: target.sshPort });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    })();
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayPort = (relay.address() as { port: number }).port;
}, 300_000);
afterAll(async () => {
  relay?.close();
  await lab?.stop();
});

const inventory = (file: string, firewall: object) =>
  lab.writeInventory(file, {
    roles: { node1: ['node'] },
    // Through the relay; the connect timeout is wider than the hold, so the late connection is made (and comes late), not refused.
    hosts: { node1: { ssh: { host: '127.0.0.1', port: relayPort, connectTimeout: 60 } } },
    defaults: { firewall },
    networks: { hypervisor: ['10.20.1.0/24'] }, // a source, so that the accept-policy table has a rule to hold
  });

describe('a confirmation that comes after the rollback timer fired', () => {
  it('restores the previous table, fails the firewall with "rolled back", shows it in the recap, and leaves the lock free', async () => {
    const accept = inventory('accept.yaml', { backend: 'nftables', inputPolicy: 'accept' });
    const first = await vprov('apply', '-i', accept);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const before = { live: await sh('nft list table inet vprov'), persisted: await sh('cat /etc/vprov/vprov.nft') };
    expect(before.live).toMatch(/policy accept;/);

    const drop = inventory('drop.yaml', { backend: 'nftables', inputPolicy: 'drop', confirmTimeout: 5 });
    holdWhileArmed = true;
    const late = await vprov('apply', '-i', drop);
    holdWhileArmed = false;
    expect(held).toHaveLength(1); // the confirmation's connection, and only it, came late

    // The previous state is back, from outside: the live table, its persisted copy, nothing staged.
    expect(await sh('nft list table inet vprov')).toBe(before.live);
    expect(await sh('cat /etc/vprov/vprov.nft')).toBe(before.persisted);
    expect(await sh('ls -A /run/vprov')).toBe('lock\nlock.owner\n');

    // vprov says what happened: the firewall failed, rolled back; the recap names it; exit bit 4.
    expect(late.code, late.stdout + late.stderr).toBe(4);
    expect(late.stdout).toMatch(
      /rolled back: the confirmation came \d+(\.\d)? s after the change, too late for the 5 s rollback timer, which restored the previous state \(too late: the rollback timer already restored the previous table\)/,
    );
    expect(late.stdout).toMatch(/^node1 *: ok=\d+ changed=\d+ pending=0 failed=1 .*rolled-back$/m);
    expect(late.stdout).not.toMatch(/confirmed-after/);

    // The lock is not held: free from outside, and the next apply takes it at once (--lock-wait 1) and confirms in time.
    expect(await sh('flock -n /run/vprov/lock true; echo rc=$?')).toBe('rc=0\n');
    const t0 = Date.now();
    const again = await vprov('apply', '-i', drop, '--lock-wait', '1');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^node1 *: ok=\d+ changed=1 .* confirmed-after=\d+(\.\d)?s$/m);
    expect(await sh('nft list table inet vprov')).toMatch(/policy drop;/);
    console.log(`${held[0]}; the next apply took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
