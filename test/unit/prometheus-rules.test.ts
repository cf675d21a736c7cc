/**
 * The alerting rules vprov ships (prometheus/vprov.rules.yaml) read by Prometheus' own tools:
 * `promtool check rules`, and `promtool test rules` fed with the series vprov's textfiles really
 * contain (rendered by the drift and evidence renderers, then labelled as a scrape labels them).
 * The shipped file is what `vprov schedule export --prometheus-rules` prints.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { ResourceReport, RunReport } from '../../src/core/report.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderEvidencePrometheus } from '../../src/report/evidence-prometheus.js';
import { evidenceSchema } from '../../src/report/evidence-schema.js';
import { prometheusRules, promDuration } from '../../src/report/prometheus-rules.js';
import { vprov } from '../helpers/cli.js';
import { prerequisite } from '../helpers/prerequisite.js';
import { havePromtool } from '../helpers/consumers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHIPPED = join(ROOT, 'prometheus/vprov.rules.yaml');
const dir = mkdtempSync(join(tmpdir(), 'vprov-rules-'));

const res = (resource: ResourceReport['resource'], status: ResourceReport['status']): ResourceReport => ({
  resource,
  status,
  changes: [],
  warnings: [],
  notes: [],
  rebootRequired: false,
});

/** A drift run: hv1 drifted (firewall) and needs a reboot, hv2 has a resource that failed, hv3 unreachable, node1 clean. */
const drift: RunReport = {
  command: 'drift',
  site: 'dc1',
  inventory: 'dc1.yaml',
  startedAt: '1970-01-01T00:00:00.000Z',
  durationMs: 1000,
  warnings: [],
  hosts: [
    {
      host: 'hv1',
      status: 'pending',
      managed: true,
      resources: [res('firewall', 'pending'), res('account', 'ok')],
      rebootRequired: true,
      roundTrips: 1,
      durationMs: 1,
    },
    {
      host: 'hv2',
      status: 'failed',
      managed: true,
      resources: [res('firewall', 'ok'), res('sudoers', 'failed')],
      rebootRequired: false,
      roundTrips: 1,
      durationMs: 1,
    },
    { host: 'hv3', status: 'unreachable', managed: true, resources: [], rebootRequired: false, roundTrips: 0, durationMs: 1 },
    {
      host: 'node1',
      status: 'ok',
      managed: true,
      resources: [res('firewall', 'ok'), res('sudoers', 'ok')],
      rebootRequired: false,
      roundTrips: 1,
      durationMs: 1,
    },
  ],
} as RunReport;

/** A real evidence report (the golden one of the shipped Storware example): many requirements not met. */
const golden = JSON.parse(readFileSync(join(ROOT, 'test/golden/storware-openstack/evidence.json'), 'utf8'));
const evidence = evidenceSchema.parse({ ...golden, catalog: { ...golden.catalog, sha256: '0'.repeat(64) } });
evidence.generatedAt = '1970-01-01T00:00:00.000Z';
evidence.site = 'dc1';

/** `name{a="b"} 1` lines of a textfile → promtool input series, with the labels a scrape adds (and the site when the line has none). */
function series(text: string, values: string): { series: string; values: string }[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(l);
      if (!m) throw new Error(`not a sample line: ${l}`);
      const labels = m[2] ? m[2].split(/,(?=[a-z_]+=")/) : [];
      if (!labels.some((x) => x.startsWith('site='))) labels.push('site="dc1"');
      labels.push('instance="ctl1:9100"', 'job="node"');
      return { series: `${m[1]}{${labels.join(',')}}`, values: values.replace('V', m[3] === '1795500000.000' ? '0' : String(Number(m[3]))) };
    });
}

/** The alert's annotations as Prometheus expands them for these labels (only $labels.x and $value are used). */
function expanded(alert: string, labels: Record<string, string>, value: string): Record<string, string> {
  const rule = (parse(readFileSync(SHIPPED, 'utf8')).groups[0].rules as { alert: string; annotations: Record<string, string> }[]).find(
    (r) => r.alert === alert,
  )!;
  const fill = (t: string) => t.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, k: string) => labels[k] ?? '').replace(/\{\{ \$value \}\}/g, value);
  return Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, fill(v)]));
}

const scrape = { instance: 'ctl1:9100', job: 'node', site: 'dc1' };
const alert = (name: string, severity: string, labels: Record<string, string>, value = '1') => ({
  exp_labels: { severity, ...scrape, ...labels },
  exp_annotations: expanded(name, { ...scrape, ...labels }, value),
});

function promtool(...args: string[]) {
  const r = spawnSync('promtool', args, { encoding: 'utf8', cwd: dir });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('the shipped alerting rules', () => {
  it('are what `vprov schedule export --prometheus-rules` prints (every 1h); --every moves the staleness threshold', async () => {
    const printed = await vprov('schedule', 'export', '--prometheus-rules');
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(readFileSync(SHIPPED, 'utf8'));
    expect(printed.stdout).toBe(prometheusRules({ periodSeconds: 3600, everyText: '1h' }));
    const quarter = await vprov('schedule', 'export', '--prometheus-rules', '--every', '15m');
    expect(quarter.stdout).toContain('expr: time() - vprov_last_run_timestamp_seconds > 2700');
    expect(quarter.stdout).toContain('for: 45m');
    expect(promDuration(2 * 86400 + 900)).toBe('2d15m');
  });

  it('schedule export takes exactly one of --kubernetes and --prometheus-rules (exit 1 otherwise)', async () => {
    for (const args of [[], ['--kubernetes', '--prometheus-rules']]) {
      const r = await vprov('schedule', 'export', ...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/choose one of --kubernetes and --prometheus-rules/);
    }
  });

  it('name only metrics the textfiles contain, and only labels those metrics carry', () => {
    const text = renderPrometheus(drift) + renderEvidencePrometheus(evidence);
    const rules = parse(readFileSync(SHIPPED, 'utf8')).groups[0].rules as { expr: string; annotations: Record<string, string> }[];
    for (const r of rules) {
      for (const metric of r.expr.match(/vprov_[a-z_]+/g)!) expect(text, r.expr).toMatch(new RegExp(`^${metric}[{ ]`, 'm'));
    }
  });

  const ok = prerequisite('promtool', havePromtool, '.ci/run installs Debian’s prometheus package');

  it.skipIf(!ok)('pass promtool check rules, for every period --every accepts', () => {
    for (const [seconds, text] of [
      [3600, '1h'],
      [900, '15m'],
      [86400, '1d'],
    ] as const) {
      writeFileSync(join(dir, `rules-${text}.yaml`), prometheusRules({ periodSeconds: seconds, everyText: text }));
      const r = promtool('check', 'rules', `rules-${text}.yaml`);
      expect(r.output).toMatch(/SUCCESS: 7 rules found/);
      expect(r.status).toBe(0);
    }
    expect(promtool('check', 'rules', SHIPPED).status).toBe(0);
  });

  it.skipIf(!ok)('promtool test rules: each alert fires on the series a drift and an evidence run write, with the site among its labels, and no other', () => {
    const notMet = (host: string) => String(evidence.requirements.filter((x) => x.host === host && x.verdict === 'not met').length);
    const evidenceHosts = evidence.hosts.map((h) => h.host);
    const tests = {
      rule_files: [SHIPPED],
      evaluation_interval: '1m',
      tests: [
        {
          // One run at t=0 whose findings stay in the textfile: alerts fire at once and last.
          interval: '1m',
          input_series: [...series(renderPrometheus(drift), 'Vx200'), ...series(renderEvidencePrometheus(evidence), 'Vx200')],
          alert_rule_test: [
            { eval_time: '10m', alertname: 'VprovDriftFound', exp_alerts: [alert('VprovDriftFound', 'warning', { host: 'hv1', resource: 'firewall' })] },
            { eval_time: '10m', alertname: 'VprovHostUnreachable', exp_alerts: [alert('VprovHostUnreachable', 'critical', { host: 'hv3' })] },
            {
              eval_time: '10m',
              alertname: 'VprovResourceFailed',
              exp_alerts: [alert('VprovResourceFailed', 'critical', { host: 'hv2', resource: 'sudoers' })],
            },
            { eval_time: '10m', alertname: 'VprovRebootRequired', exp_alerts: [alert('VprovRebootRequired', 'info', { host: 'hv1' })] },
            {
              eval_time: '10m',
              alertname: 'VprovEvidenceNotMet',
              exp_alerts: evidenceHosts
                .filter((h) => notMet(h) !== '0')
                .map((h) => alert('VprovEvidenceNotMet', 'warning', { host: h, verdict: 'not_met' }, notMet(h))),
            },
            // The run started at t=0: on time at 2h15m, two runs missed after it.
            { eval_time: '2h15m', alertname: 'VprovRunMissing', exp_alerts: [] },
            {
              eval_time: '2h16m',
              alertname: 'VprovRunMissing',
              exp_alerts: [{ exp_labels: { severity: 'warning', ...scrape }, exp_annotations: expanded('VprovRunMissing', scrape, '') }],
            },
            { eval_time: '3h', alertname: 'VprovMetricsAbsent', exp_alerts: [] },
          ],
        },
        {
          // The next run (at 60m) finds hv1 back in sync and hv3 reachable: both alerts resolve.
          interval: '1m',
          input_series: [
            { series: 'vprov_resource_drifted{site="dc1",host="hv1",resource="firewall",instance="ctl1:9100",job="node"}', values: '1x59 0x60' },
            { series: 'vprov_host_up{site="dc1",host="hv3",instance="ctl1:9100",job="node"}', values: '0x59 1x60' },
          ],
          alert_rule_test: [
            { eval_time: '30m', alertname: 'VprovDriftFound', exp_alerts: [alert('VprovDriftFound', 'warning', { host: 'hv1', resource: 'firewall' })] },
            { eval_time: '61m', alertname: 'VprovDriftFound', exp_alerts: [] },
            { eval_time: '61m', alertname: 'VprovHostUnreachable', exp_alerts: [] },
          ],
        },
        {
          // No textfile at all: silence is an alert too, once it has lasted two periods.
          interval: '1m',
          input_series: [],
          alert_rule_test: [
            { eval_time: '2h', alertname: 'VprovMetricsAbsent', exp_alerts: [] },
            {
              eval_time: '2h16m',
              alertname: 'VprovMetricsAbsent',
              exp_alerts: [{ exp_labels: { severity: 'warning' }, exp_annotations: expanded('VprovMetricsAbsent', {}, '') }],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'vprov.rules.test.yaml'), stringify(tests, { lineWidth: 0 }));
    const r = promtool('test', 'rules', 'vprov.rules.test.yaml');
    expect(r.output).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });

  it('the evidence textfile counts every requirement once, per host and verdict', () => {
    const text = renderEvidencePrometheus(evidence);
    const total = [...text.matchAll(/^vprov_evidence_requirements\{site="dc1",host="([^"]+)",verdict="([a-z_]+)"\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[3]),
      0,
    );
    expect(total).toBe(evidence.requirements.length);
    const hv1 = (v: string) => Number(new RegExp(`^vprov_evidence_requirements\\{site="dc1",host="hv1",verdict="${v}"\\} (\\d+)$`, 'm').exec(text)![1]);
    expect(hv1('not_met')).toBe(evidence.requirements.filter((x) => x.host === 'hv1' && x.verdict === 'not met').length);
    expect(hv1('met')).toBe(0);
    expect(text).toMatch(/^vprov_evidence_last_run_timestamp_seconds\{site="dc1"\} 0\.000$/m);
  });

  it.skipIf(!ok)('the evidence textfile passes promtool check metrics', () => {
    const r = spawnSync('promtool', ['check', 'metrics'], { input: renderEvidencePrometheus(evidence), encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(!ok)('promtool test rules can fail: a wrong expectation is reported (the test above is not vacuous)', () => {
    const tests = {
      rule_files: [SHIPPED],
      tests: [
        {
          interval: '1m',
          input_series: [{ series: 'vprov_host_up{site="dc1",host="hv3"}', values: '1x10' }],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'VprovHostUnreachable', exp_alerts: [{ exp_labels: { severity: 'critical', site: 'dc1', host: 'hv3' } }] },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'wrong.test.yaml'), stringify(tests));
    const r = promtool('test', 'rules', 'wrong.test.yaml');
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/FAILED/);
  });
});
