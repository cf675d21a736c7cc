/**
 * A host whose probe answers something vprov does not expect costs that host its verdicts, not
 * the fleet its report: hv1's firewalld runtime probe answers `null` (firewall-cmd's interpreter
 * replaced by a root-owned program that prints it, as a compromised host could). `vprov evidence`
 * still reports every host and every requirement: hv1's firewall rows are "not verifiable",
 * naming what did not fit; node1's rows are judged as usual. `plan` fails hv1's firewall resource
 * with the same cause and plans node1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/hosts.js';
import { vprov } from '../helpers/cli.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab([{ name: 'node1' }, { name: 'hv1', firewall: 'firewalld' }]);
  const r = await lab.exec(
    'hv1',
    [
      `printf '#!/bin/sh\\ncat >/dev/null\\necho null\\n' > /usr/local/bin/null-python && chmod 755 /usr/local/bin/null-python`,
      "sed -i '1s|.*|#!/usr/local/bin/null-python|' /usr/bin/firewall-cmd",
    ].join(' && '),
  );
  expect(r.code, r.stderr).toBe(0);
}, 400_000);
afterAll(async () => {
  await lab?.stop();
});

const inventory = () => lab.writeInventory('null.yaml', { roles: { node1: ['node'], hv1: ['hypervisor'] }, hosts: { hv1: { firewall: 'firewalld' } } });

describe('a firewalld probe that answers null', () => {
  it("evidence: every host and requirement reported; hv1's firewall rows not verifiable, naming why", async () => {
    const r = await vprov('evidence', '-i', inventory(), '--format', 'json');
    expect(r.stderr).not.toMatch(/TypeError/);
    const report = JSON.parse(r.stdout);
    expect(report.hosts.map((h: { host: string; status: string }) => `${h.host}:${h.status}`).sort()).toEqual(['hv1:read', 'node1:read']);
    const hvFlows = report.requirements.filter((x: { kind: string; host: string }) => x.kind === 'flow' && x.host === 'hv1');
    expect(hvFlows.length).toBeGreaterThan(0);
    for (const row of hvFlows) {
      expect(row.verdict).toBe('not verifiable');
      expect(row.reason).toBe(
        "cannot read firewalld's runtime state: firewalld runtime probe output: unexpected shape at the top: Invalid input: expected object, received null",
      );
    }
    // node1's rows are judged from node1's own facts (its sudo and account rows exist and are read)
    const node1 = report.requirements.filter((x: { host: string }) => x.host === 'node1');
    expect(node1.length).toBeGreaterThan(0);
    expect(node1.every((x: { verdict: string }) => x.verdict === 'met' || x.verdict === 'not met')).toBe(true);
  });

  it("plan: hv1's firewall resource fails with the cause, node1 is planned", async () => {
    const r = await vprov('plan', '-i', inventory(), '--format', 'json');
    const by = Object.fromEntries(JSON.parse(r.stdout).hosts.map((h: { host: string }) => [h.host, h]));
    const fw = by.hv1.resources.find((x: { resource: string }) => x.resource === 'firewall');
    expect(fw.status).toBe('failed');
    expect(fw.error).toBe(
      "cannot read firewalld's runtime state: firewalld runtime probe output: unexpected shape at the top: Invalid input: expected object, received null",
    );
    expect(by.node1.status).toBe('pending');
    expect(r.code).toBe(2 | 4);
  });
});
