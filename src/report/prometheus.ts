/**
 * Prometheus text format for node_exporter's textfile collector. Names follow Prometheus
 * conventions: `vprov_` prefix, base units in the name (`_seconds`), a `site` label on every
 * series and a `host` label on the per-host ones. Each run
 * writes a snapshot, so every metric is a gauge; counts are gauges too and carry no `_total`
 * (that suffix is for counters). `promtool check metrics` accepts the output (tested).
 */
import type { HostReport, RunReport } from '../core/report.js';

const label = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const HOST_STATES = ['ok', 'changed', 'pending', 'failed', 'unreachable', 'skipped'] as const;

function family(name: string, help: string, samples: string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...samples];
}

const reached = (h: HostReport) => h.status !== 'skipped' && h.status !== 'unreachable' && !(h.status === 'failed' && h.resources.length === 0);

export function renderPrometheus(report: RunReport): string {
  const hosts = report.hosts.filter((h) => h.status !== 'skipped');
  const resources = report.hosts.flatMap((h) => h.resources.filter((r) => r.status !== 'not-applicable').map((r) => ({ host: h.host, ...r })));
  // Every series carries the site: two sites' scheduled checks never write the same series.
  const site = `site="${label(report.site)}"`;
  const hl = (host: string) => `${site},host="${label(host)}"`;
  // A shard's run-level series carry the shard too: the shards' textfiles sit side by side in one
  // collector directory, and two files with the same series make node_exporter drop them all.
  const run = report.shard ? `${site},shard="${label(report.shard)}"` : site;
  const lines = [
    ...family(
      'vprov_resource_drifted',
      '1 when the resource differs from its desired state, 0 when in sync; absent when it could not be read (see vprov_resource_failed).',
      resources
        .filter((r) => r.status !== 'failed' && r.status !== 'unknown')
        .map((r) => `vprov_resource_drifted{${hl(r.host)},resource="${r.resource}"} ${r.status === 'pending' ? 1 : 0}`),
    ),
    ...family(
      'vprov_resource_failed',
      '1 when the resource could not be read or compared, 0 otherwise.',
      resources.map((r) => `vprov_resource_failed{${hl(r.host)},resource="${r.resource}"} ${r.status === 'failed' || r.status === 'unknown' ? 1 : 0}`),
    ),
    ...family(
      'vprov_host_up',
      '1 when vprov reached the host and read its state, 0 when it did not.',
      hosts.map((h) => `vprov_host_up{${hl(h.host)}} ${reached(h) ? 1 : 0}`),
    ),
    ...family(
      'vprov_host_reboot_required',
      '1 when the host needs a reboot to reach its desired state.',
      hosts.map((h) => `vprov_host_reboot_required{${hl(h.host)}} ${h.rebootRequired ? 1 : 0}`),
    ),
    ...family(
      'vprov_hosts',
      'Hosts of the last run by status (skipped = managed: false).',
      HOST_STATES.map((s) => `vprov_hosts{${run},status="${s}"} ${report.hosts.filter((h) => h.status === s).length}`),
    ),
    ...family('vprov_last_run_timestamp_seconds', 'When the last run started, in seconds since the Unix epoch.', [
      `vprov_last_run_timestamp_seconds{${run}} ${(Date.parse(report.startedAt) / 1000).toFixed(3)}`,
    ]),
    ...family('vprov_last_run_duration_seconds', 'How long the last run took.', [
      `vprov_last_run_duration_seconds{${run}} ${(report.durationMs / 1000).toFixed(3)}`,
    ]),
    '',
  ];
  return lines.join('\n');
}
