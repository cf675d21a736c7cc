/**
 * One host cannot make the controller hold what it streams: a host whose facts print far more
 * than the byte limit (a `stat` on root's PATH that floods, as a hostile host would) fails with
 * "output over N bytes" and its channel is closed; the other host is planned as usual, and the
 * JSON report and the audit log have a line for each host. ssh.maxOutput raises the limit for
 * sites that need more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from '../lab/hosts.js';
import { runVprov } from '../helpers/bin.js';
import { DEFAULT_MAX_OUTPUT } from '../../src/core/types.js';

const FLOOD_BYTES = 3 * DEFAULT_MAX_OUTPUT;

let lab: Lab;
beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }, { name: 'node2' }]);
  // The sudoers facts stat every granted path: on node2, that stat prints three times the default limit.
  const r = await lab.exec('node2', `printf '#!/bin/sh\\nyes vprov-flood | head -c ${FLOOD_BYTES}\\n' > /usr/local/bin/stat && chmod 755 /usr/local/bin/stat`);
  expect(r.code, r.stderr).toBe(0);
}, 300_000);
afterAll(async () => {
  await lab?.stop();
});

describe('a host that streams more than the output limit', () => {
  it('fails with "output over N bytes"; the other host is planned, the report and the audit log cover both', async () => {
    const inv = lab.writeInventory('flood.yaml', { roles: { node1: ['node'], node2: ['node'] } });
    const log = join(lab.dir, 'audit.jsonl');
    const r = await runVprov(['plan', '-i', inv, '--format', 'json', '--audit-log', log], { limitMs: 170_000 });
    expect(r.hung).toBe(false);
    const report = JSON.parse(r.stdout);
    const by = Object.fromEntries(report.hosts.map((h: { host: string }) => [h.host, h]));
    expect(by.node2.status).toBe('failed');
    expect(by.node2.error).toBe(`output over ${DEFAULT_MAX_OUTPUT} bytes (ssh.maxOutput): the command was stopped and its output dropped`);
    expect(by.node1.status).toBe('pending');
    expect(r.code).toBe(2 | 4);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.host, l.result]).sort()).toEqual([
      ['node1', 'pending'],
      ['node2', 'failed'],
    ]);
    expect(lines.find((l) => l.host === 'node2').error).toMatch(/^output over \d+ bytes/);
  });

  it('ssh.maxOutput above what the host prints: the host is read as before', async () => {
    const inv = lab.writeInventory('flood-allowed.yaml', { roles: { node2: ['node'] }, defaults: { ssh: { maxOutput: '64M' } } });
    const r = await runVprov(['plan', '-i', inv, '--format', 'json'], { limitMs: 170_000 });
    const host = JSON.parse(r.stdout).hosts[0];
    expect(host.error).toBeUndefined();
    expect(host.status).toBe('pending');
  });
});
