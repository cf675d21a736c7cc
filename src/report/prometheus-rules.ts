/**
 * Prometheus alerting rules for the textfile metrics of `vprov drift --format prometheus`
 * (report/prometheus.ts) and `vprov evidence --format prometheus` (report/evidence-prometheus.ts).
 * Pure: the schedule's period sets how old the last run may get. The package ships the rules for
 * the default period (prometheus/vprov.rules.yaml); `vprov schedule export --prometheus-rules
 * --every P` prints them for another.
 *
 * Each run replaces its textfile, so every value is the last run's finding: an alert fires from
 * the scrape after the run that found it and resolves after the run that no longer does. The
 * expressions keep every label of the series (site, host, resource, the scrape's instance), so
 * Alertmanager can group by site.
 */
import { stringify } from 'yaml';

/** How long past its period a run may be late (the run itself, the timer's random delay) before it counts as missed. */
const GRACE_SECONDS = 15 * 60;

export interface RulesOptions {
  /** the schedule's period in seconds (`--every`) */
  periodSeconds: number;
  /** as given, for the header (`1h`) */
  everyText: string;
}

/** Prometheus duration, largest units first: 8100 → "2h15m". */
export function promDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('') || '0s';
}

export function prometheusRules(opts: RulesOptions): string {
  // Two periods without a run: one missed run may be a reboot of the controller; two are not.
  const stale = 2 * opts.periodSeconds + GRACE_SECONDS;
  const staleText = promDuration(stale);
  const rules = [
    {
      alert: 'VprovDriftFound',
      expr: 'vprov_resource_drifted == 1',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'vprov: {{ $labels.resource }} on {{ $labels.host }} differs from its documented state',
        description:
          'The last vprov drift run of site {{ $labels.site }} found {{ $labels.resource }} on {{ $labels.host }} out of sync with the vendor documents. See what differs with `vprov plan -i INVENTORY --limit {{ $labels.host }}`; `vprov apply` puts it back.',
      },
    },
    {
      alert: 'VprovHostUnreachable',
      expr: 'vprov_host_up == 0',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'vprov: {{ $labels.host }} was not reached or its state could not be read',
        description:
          'The last vprov drift run of site {{ $labels.site }} could not read {{ $labels.host }} (unreachable, refused, or failed before any resource was read): its firewall, account, sudoers and SELinux state is unknown. The run report says why.',
      },
    },
    {
      alert: 'VprovResourceFailed',
      expr: 'vprov_resource_failed == 1',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'vprov: {{ $labels.resource }} on {{ $labels.host }} could not be read or compared',
        description:
          'The last vprov drift run of site {{ $labels.site }} failed on {{ $labels.resource }} of {{ $labels.host }}: its state is unknown, or what the host enforces differs from what the files say (e.g. sudo does not read the drop-in). The run report gives the reason and the fix.',
      },
    },
    {
      alert: 'VprovRebootRequired',
      expr: 'vprov_host_reboot_required == 1',
      labels: { severity: 'info' },
      annotations: {
        summary: 'vprov: {{ $labels.host }} needs a reboot to reach its documented state',
        description:
          'The configured SELinux mode of {{ $labels.host }} (site {{ $labels.site }}) takes effect only after a reboot: `vprov apply --reboot --limit {{ $labels.host }}`.',
      },
    },
    {
      alert: 'VprovEvidenceNotMet',
      expr: 'vprov_evidence_requirements{verdict="not_met"} > 0',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'vprov: {{ $value }} documented requirement(s) not met on {{ $labels.host }}',
        description:
          'The last `vprov evidence` run of site {{ $labels.site }} proved {{ $value }} requirement(s) of the vendor documents not met on {{ $labels.host }}. The evidence report names each one, with its document and section.',
      },
    },
    {
      alert: 'VprovRunMissing',
      expr: `time() - vprov_last_run_timestamp_seconds > ${stale}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: `vprov: no drift run for {{ $labels.site }} in over ${staleText}`,
        description: `The last vprov drift run that wrote its metrics (site {{ $labels.site }}, {{ $labels.instance }}) started more than ${staleText} ago: two scheduled runs (every ${opts.everyText}) are missing or failed before writing a report. The findings above are that old. Check the schedule (\`vprov schedule status\`, the timer's or CronJob's log).`,
      },
    },
    {
      alert: 'VprovMetricsAbsent',
      expr: 'absent(vprov_last_run_timestamp_seconds)',
      for: staleText,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'vprov: no drift metrics at all',
        description: `No vprov drift metrics have been scraped for ${staleText}: the textfile was never written, was removed, or node_exporter's textfile collector does not read its directory.`,
      },
    },
  ];
  const header = [
    `# Alerting rules for vprov's textfile metrics, for a drift schedule of every ${opts.everyText}.`,
    `# Printed by: vprov schedule export --prometheus-rules${opts.everyText === '1h' ? '' : ` --every ${opts.everyText}`}`,
    '# Checked with promtool check rules and promtool test rules; what each alert means: docs/drift.md#alerting.',
    '',
  ].join('\n');
  return header + stringify({ groups: [{ name: 'vprov', rules }] }, { lineWidth: 0 });
}
