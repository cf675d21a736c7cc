/** A single self-contained HTML page: summary first, then every host with its differences. */
import type { RunReport } from '../core/report.js';
import { render } from '../core/templates.js';

const RESOURCE_LABEL: Record<string, string> = {
  ok: 'in sync',
  changed: 'changed',
  pending: 'drifted',
  failed: 'failed',
  'not-applicable': 'not applicable',
  unknown: 'unknown',
};
const HOST_LABEL: Record<string, string> = {
  ok: 'in sync',
  changed: 'changed',
  pending: 'drifted',
  failed: 'failed',
  unreachable: 'unreachable',
  skipped: 'skipped (managed: false)',
};

export function renderHtml(report: RunReport, exitCode: number): string {
  const by = (s: string) => report.hosts.filter((h) => h.status === s).length;
  const counts = { insync: by('ok') + by('changed'), drifted: by('pending'), failed: by('failed'), unreachable: by('unreachable'), skipped: by('skipped') };
  const headline =
    counts.drifted + counts.failed + counts.unreachable === 0
      ? 'all hosts in sync'
      : `${counts.drifted} drifted, ${counts.failed + counts.unreachable} failed or unreachable`;
  return render('report.html.hbs', {
    command: report.command,
    site: report.site,
    inventory: report.inventory,
    startedAt: report.startedAt,
    seconds: (report.durationMs / 1000).toFixed(1),
    exitCode,
    shard: report.shard ?? null,
    headline,
    counts,
    hosts: report.hosts.map((h) => ({
      host: h.host,
      status: h.status,
      statusLabel: HOST_LABEL[h.status],
      error: h.error ?? null,
      resources: h.resources.map((r) => ({
        resource: r.resource,
        status: r.status,
        label: RESOURCE_LABEL[r.status],
        changes: r.changes,
        diff: r.diff ?? null,
        error: r.error ?? null,
        notes: r.notes,
      })),
    })),
  });
}
