/**
 * A state vprov cannot read is an error with its cause, never "nothing there": a lab host whose
 * sudoers drop-in exists but is root-only, planned without become (the login user cannot read
 * it). The sudoers resource fails naming the file; before, the file read as empty and plan
 * proposed rewriting it. The other resources are still planned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }]);
});
afterAll(async () => {
  await lab?.stop();
});

describe('a file fact the host cannot read', () => {
  it('sudoers drop-in readable by root only, plan without become: sudoers fails naming the file, the account is still planned', async () => {
    const withBecome = lab.writeInventory('root.yaml', { roles: { node1: ['node'] } });
    const applied = await vprov('apply', '-i', withBecome);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const before = await lab.exec('node1', 'stat -c "%a %U" /etc/sudoers.d/vprotect && sha256sum /etc/sudoers.d/vprotect');
    expect(before.stdout).toMatch(/^440 root\n[0-9a-f]{64} /);

    const asOps = lab.writeInventory('ops.yaml', { roles: { node1: ['node'] }, defaults: { ssh: { become: false } } });
    const r = await vprov('plan', '-i', asOps, '--format', 'json');
    const host = JSON.parse(r.stdout).hosts[0];
    const byName = Object.fromEntries(host.resources.map((x: { resource: string }) => [x.resource, x]));
    expect(byName.sudoers.status).toBe('failed');
    expect(byName.sudoers.error).toBe('cannot read /etc/sudoers.d/vprotect on the host: it exists, but reading it failed');
    expect(byName.sudoers.changes).toEqual([]);
    expect(byName.account.status).toBe('ok'); // read without root, and planned all the same
    expect(r.code).toBe(4);

    const after = await lab.exec('node1', 'stat -c "%a %U" /etc/sudoers.d/vprotect && sha256sum /etc/sudoers.d/vprotect');
    expect(after.stdout).toBe(before.stdout);
  });
});
