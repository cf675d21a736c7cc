/**
 * Drift reports read by the tools that consume them: the Prometheus textfile by `promtool check
 * metrics` (Debian's prometheus package) and by a text-format parser, the JUnit file by
 * junitparser (Debian's python3-junitparser, as CI report tools use it). The report covers every
 * status and host names and diffs with characters that need escaping. .ci/run installs both tools.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import parsePrometheus from 'parse-prometheus-text-format';
import type { ResourceReport, RunReport } from '../../src/core/report.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderJunit } from '../../src/report/junit.js';
import { prerequisite } from '../helpers/prerequisite.js';
import { haveJunitparser, havePromtool, promtoolCheck, readJunit } from '../helpers/consumers.js';

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
  site: 'dc1',
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
    {
      host: 'node1.example.com',
      status: 'ok',
      managed: true,
      resources: [res('firewall', 'ok'), res('account', 'ok')],
      rebootRequired: false,
      roundTrips: 1,
      durationMs: 500,
    },
    {
      host: 'we"ird\\host',
      status: 'unreachable',
      managed: true,
      resources: [],
      error: 'connect ETIMEDOUT',
      rebootRequired: false,
      roundTrips: 0,
      durationMs: 3000,
    },
    { host: 'mon1', status: 'skipped', managed: false, resources: [], rebootRequired: false, roundTrips: 0, durationMs: 0 },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'vprov-consumers-'));

describe('Prometheus textfile', () => {
  const text = renderPrometheus(report);

  it('follows the naming conventions: vprov_ prefix, base units, a site label on every series, a host label, no _total on gauges', () => {
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
      // two sites' scheduled checks never write the same series
      for (const m of f.metrics) expect(m.labels?.site, f.name).toBe('dc1');
    }
    const values = (name: string) =>
      Object.fromEntries(
        families
          .find((f) => f.name === name)!
          .metrics.map((m) => [
            Object.entries(m.labels ?? {})
              .filter(([k]) => k !== 'site')
              .map(([, v]) => v)
              .join('/'),
            m.value,
          ]),
      );
    expect(values('vprov_resource_drifted')).toEqual({
      'hv1/firewall': '1',
      'hv1/account': '0',
      'node1.example.com/firewall': '0',
      'node1.example.com/account': '0',
    });
    expect(values('vprov_resource_failed')['hv1/sudoers']).toBe('1');
    expect(values('vprov_host_up')).toEqual({ hv1: '1', 'node1.example.com': '1', 'we"ird\\host': '0' });
    expect(values('vprov_host_reboot_required').hv1).toBe('1');
    expect(values('vprov_hosts')).toEqual({ ok: '1', changed: '0', pending: '1', failed: '0', unreachable: '1', skipped: '1' });
    expect(values('vprov_last_run_timestamp_seconds')['']).toBe('1795500000.000');
    expect(values('vprov_last_run_duration_seconds')['']).toBe('4.321');
  });

  it("a shard's run-level series carry its shard, so the shards' textfiles never repeat a series", () => {
    const a = renderPrometheus({ ...report, shard: '1/2' });
    const b = renderPrometheus({ ...report, shard: '2/2', hosts: [] });
    expect(a).toMatch(/^vprov_last_run_timestamp_seconds\{site="[^"]*",shard="1\/2"\} /m);
    expect(a).toMatch(/^vprov_hosts\{site="[^"]*",shard="1\/2",status="ok"\} 1$/m);
    expect(a).not.toMatch(/^vprov_host_up\{[^}]*shard=/m);
    const series = (t: string) =>
      t
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.slice(0, l.lastIndexOf(' ')));
    expect(series(a).filter((x) => series(b).includes(x))).toEqual([]);
  });

  it.skipIf(!prerequisite('promtool', havePromtool, '.ci/run installs Debian’s prometheus package'))('passes promtool check metrics', () => {
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    // and promtool does complain about what the conventions forbid
    const bad = promtoolCheck('# HELP vprov_hosts_total x\n# TYPE vprov_hosts_total gauge\nvprov_hosts_total 1\n');
    expect(bad.status).not.toBe(0);
    expect(bad.output).toMatch(/non-counter metrics should not have "_total" suffix/);
  });
});

describe('JUnit file', () => {
  it.skipIf(!prerequisite('python3-junitparser', haveJunitparser, '.ci/run installs Debian’s python3-junitparser package'))(
    'is read by junitparser: one case per host × resource, drift a failure with its diff',
    () => {
      const file = join(dir, 'drift.xml');
      writeFileSync(file, renderJunit(report));
      const [suite] = readJunit(file);
      expect(suite).toMatchObject({ name: 'inventories/storware "prod".yaml', tests: 8, failures: 1, errors: 2, skipped: 2, time: 4.321 });
      expect(suite!.cases.map((c) => `${c.name}=${c.result}`)).toEqual([
        'hv1: firewall=failure',
        'hv1: account=passed',
        'hv1: selinux=skipped',
        'hv1: sudoers=error',
        'node1.example.com: firewall=passed',
        'node1.example.com: account=passed',
        'we"ird\\host: reachable=error',
        'mon1=skipped',
      ]);
      const drift = suite!.cases[0]!;
      expect(drift.text).toContain('+ rule input: ip.saddr == @node_v4 && tcp.dport == 22 accept');
      expect(drift.text).toContain('-<rule> & "quoted"');
      expect(drift.text).toContain('+]]> end');
      expect(drift.text).toContain('\\x07 bell'); // a control character XML cannot carry, shown instead of breaking the file
      expect(suite!.cases[3]!.text).toBe('visudo: >>> /etc/sudoers.d/vprotect: syntax error <<<');
    },
  );
});
