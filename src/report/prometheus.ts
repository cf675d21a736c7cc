/** Prometheus textfile-collector format (node_exporter --collector.textfile). */
import type { RunReport } from '../core/report.js';

const label = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderPrometheus(report: RunReport): string {
  const out: string[] = [
    '# HELP vprov_drift 1 when the resource differs from the desired state, 0 when in sync.',
    '# TYPE vprov_drift gauge',
  ];
  for (const h of report.hosts) {
    for (const r of h.resources) {
      if (r.status === 'not-applicable') continue;
      out.push(`vprov_drift{host="${label(h.host)}",resource="${r.resource}"} ${r.status === 'pending' || r.status === 'failed' ? 1 : 0}`);
    }
  }
  out.push('# HELP vprov_host_up 1 when vprov reached the host and read its state.', '# TYPE vprov_host_up gauge');
  for (const h of report.hosts) if (h.status !== 'skipped') out.push(`vprov_host_up{host="${label(h.host)}"} ${h.status === 'unreachable' || (h.status === 'failed' && h.resources.length === 0) ? 0 : 1}`);
  out.push(
    '# HELP vprov_reboot_required 1 when a host needs a reboot to reach its desired state.',
    '# TYPE vprov_reboot_required gauge',
    ...report.hosts.filter((h) => h.status !== 'skipped').map((h) => `vprov_reboot_required{host="${label(h.host)}"} ${h.rebootRequired ? 1 : 0}`),
    '# HELP vprov_last_run_timestamp_seconds When the last drift check started (Unix time).',
    '# TYPE vprov_last_run_timestamp_seconds gauge',
    `vprov_last_run_timestamp_seconds ${(Date.parse(report.startedAt) / 1000).toFixed(3)}`,
    '# HELP vprov_run_duration_seconds How long the last drift check took.',
    '# TYPE vprov_run_duration_seconds gauge',
    `vprov_run_duration_seconds ${(report.durationMs / 1000).toFixed(3)}`,
    '',
  );
  return out.join('\n');
}
