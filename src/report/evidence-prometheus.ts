/**
 * The evidence report as a node_exporter textfile: per host, how many documented requirements
 * are met, not met, not applicable and not verifiable, and when the run started. What the
 * VprovEvidenceNotMet alert reads (report/prometheus-rules.ts). Pure.
 */
import type { EvidenceReport } from './evidence-schema.js';
import { VERDICTS } from './evidence-schema.js';

const label = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
/** Label values in the metric style: "not met" → not_met. */
const verdictLabel = (v: string) => v.replace(/ /g, '_');

export function renderEvidencePrometheus(r: EvidenceReport): string {
  const hosts = r.hosts;
  // Every series carries the site, as the drift textfile's do.
  const site = `site="${label(r.site)}"`;
  const count = (host: string, verdict: string) => r.requirements.filter((x) => x.host === host && x.verdict === verdict).length;
  return [
    '# HELP vprov_evidence_requirements Documented requirements proven on the host by the last evidence run, by verdict.',
    '# TYPE vprov_evidence_requirements gauge',
    ...hosts.flatMap((h) =>
      VERDICTS.map((v) => `vprov_evidence_requirements{${site},host="${label(h.host)}",verdict="${verdictLabel(v)}"} ${count(h.host, v)}`),
    ),
    '# HELP vprov_evidence_host_read 1 when the last evidence run read the (managed) host, 0 when it could not.',
    '# TYPE vprov_evidence_host_read gauge',
    ...hosts.filter((h) => h.managed).map((h) => `vprov_evidence_host_read{${site},host="${label(h.host)}"} ${h.status === 'read' ? 1 : 0}`),
    '# HELP vprov_evidence_last_run_timestamp_seconds When the last evidence run started, in seconds since the Unix epoch.',
    '# TYPE vprov_evidence_last_run_timestamp_seconds gauge',
    `vprov_evidence_last_run_timestamp_seconds{${site}} ${(Date.parse(r.generatedAt) / 1000).toFixed(3)}`,
    '',
  ].join('\n');
}
