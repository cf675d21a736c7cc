/**
 * Drift reports read by the tools that consume them: the Prometheus textfile by `promtool check
 * metrics` (Debian's prometheus package) and by a text-format parser, the JUnit file by
 * junitparser (Debian's python3-junitparser, as CI report tools use it). The report covers every
 * status and host names and diffs with characters that need escaping. .ci/run installs both tools.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import parsePrometheus from 'parse-prometheus-text-format';
import type { ResourceReport, RunReport } from '../../src/core/report.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderJunit } from '../../src/report/junit.js';
import { prerequisite } from '../helpers/prerequisite.js';

const res = (resource: ResourceReport['resource'], status: ResourceReport['status'], extra: Partial<ResourceReport> = {}): ResourceReport => ({
  resource,
  status,
  changes: status === 'pending' ? ['+ rule input: ip.saddr == @node_v4 && tcp.dport == 22 accept'] : [],
  warnings: [],
  notes: [],
  rebootRequired: false,
  ...extra,
});

const report: RunReport = {
  command: 'drift',
  inventory: 'inventories/storware "prod".yaml',
  startedAt: '2026-11-24T06:00:00.000Z',
  durationMs: 4321,
  warnings: [],
  hosts: [
    {
      host: 'hv1',
      status: 'pending',
      managed: true,
      resources: [
        res('firewall', 'pending', { diff: '--- a\n+++ b\n-<rule> & "quoted"\u0007 bell\n+]]> end' }),
        res('account', 'ok'),
        res('selinux', 'not-applicable', { notes: ['no SELinux userland'] }),
        res('sudoers', 'failed', { error: 'visudo: >>> /etc/sudoers.d/vprotect: syntax error <<<' }),
      ],
      rebootRequired: true,
      roundTrips: 1,
      durationMs: 800,
    },
    { host: 'node1.example.com', status: 'ok', managed: true, resources: [res('firewall', 'ok'), res('account', 'ok')], rebootRequired: false, roundTrips: 1, durationMs: 500 },
    { host: 'we"ird\\host', status: 'unreachable', managed: true, resources: [], error: 'connect ETIMEDOUT', rebootRequired: false, roundTrips: 0, durationMs: 3000 },
    { host: 'mon1', status: 'skipped', managed: false, resources: [], rebootRequired: false, roundTrips: 0, durationMs: 0 },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'vprov-consumers-'));
const promtool = spawnSync('promtool', ['--version']).status === 0;
const junitparser = spawnSync('/usr/bin/python3', ['-c', 'import junitparser']).status === 0;

describe('Prometheus textfile', () => {
  const text = renderPrometheus(report);

  it('follows the naming conventions: vprov_ prefix, base units, a host label, no _total on gauges', () => {
    const families = parsePrometheus(text) as { name: string; type: string; metrics: { labels?: Record<string, string>; value: string }[] }[];
    expect(families.map((f) => f.name)).toEqual([
      'vprov_resource_drifted',
      'vprov_resource_failed',
      'vprov_host_up',
      'vprov_host_reboot_required',
      'vprov_hosts',
      'vprov_last_run_timestamp_seconds',
      'vprov_last_run_duration_seconds',
    ]);
    for (const f of families) {
      expect(f.type).toBe('GAUGE');
      expect(f.name).not.toMatch(/_total$/);
    }
    const values = (name: string) => Object.fromEntries(families.find((f) => f.name === name)!.metrics.map((m) => [Object.values(m.labels ?? {}).join('/'), m.value]));
    expect(values('vprov_resource_drifted')).toEqual({ 'hv1/firewall': '1', 'hv1/account': '0', 'node1.example.com/firewall': '0', 'node1.example.com/account': '0' });
    expect(values('vprov_resource_failed')['hv1/sudoers']).toBe('1');
    expect(values('vprov_host_up')).toEqual({ hv1: '1', 'node1.example.com': '1', 'we"ird\\host': '0' });
    expect(values('vprov_host_reboot_required').hv1).toBe('1');
    expect(values('vprov_hosts')).toEqual({ ok: '1', changed: '0', pending: '1', failed: '0', unreachable: '1', skipped: '1' });
    expect(values('vprov_last_run_timestamp_seconds')['']).toBe('1795500000.000');
    expect(values('vprov_last_run_duration_seconds')['']).toBe('4.321');
  });

  it.skipIf(!prerequisite('promtool', promtool, '.ci/run installs Debian’s prometheus package'))('passes promtool check metrics', () => {
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    // and promtool does complain about what the conventions forbid
    const bad = spawnSync('promtool', ['check', 'metrics'], { input: '# HELP vprov_hosts_total x\n# TYPE vprov_hosts_total gauge\nvprov_hosts_total 1\n', encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/non-counter metrics should not have "_total" suffix/);
  });
});

/** Reads a JUnit file with junitparser and prints what a CI system would show. */
const READ_JUNIT = `
import sys, json
from junitparser import JUnitXml
out = []
for suite in JUnitXml.fromfile(sys.argv[1]):
    cases = [{"classname": c.classname, "name": c.name,
              "result": type(c.result[0]).__name__.lower() if c.result else "passed",
              "message": c.result[0].message if c.result else None,
              "text": c.result[0].text if c.result else None} for c in suite]
    out.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "errors": suite.errors, "skipped": suite.skipped, "time": suite.time, "cases": cases})
print(json.dumps(out))
`;

describe('JUnit file', () => {
  it.skipIf(!prerequisite('python3-junitparser', junitparser, '.ci/run installs Debian’s python3-junitparser package'))('is read by junitparser: one case per host × resource, drift a failure with its diff', () => {
    const file = join(dir, 'drift.xml');
    writeFileSync(file, renderJunit(report));
    const r = spawnSync('/usr/bin/python3', ['-c', READ_JUNIT, file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [suite] = JSON.parse(r.stdout);
    expect(suite).toMatchObject({ name: 'inventories/storware "prod".yaml', tests: 8, failures: 1, errors: 2, skipped: 2, time: 4.321 });
    expect(suite.cases.map((c: { name: string; result: string }) => `${c.name}=${c.result}`)).toEqual([
      'hv1: firewall=failure',
      'hv1: account=passed',
      'hv1: selinux=skipped',
      'hv1: sudoers=error',
      'node1.example.com: firewall=passed',
      'node1.example.com: account=passed',
      'we"ird\\host: reachable=error',
      'mon1=skipped',
    ]);
    const drift = suite.cases[0];
    expect(drift.text).toContain('+ rule input: ip.saddr == @node_v4 && tcp.dport == 22 accept');
    expect(drift.text).toContain('-<rule> & "quoted"');
    expect(drift.text).toContain('+]]> end');
    expect(drift.text).toContain('\\x07 bell'); // a control character XML cannot carry, shown instead of breaking the file
    expect(suite.cases[3].text).toBe('visudo: >>> /etc/sudoers.d/vprotect: syntax error <<<');
  });
});
