/** JSON report: one document on stdout, nothing else. `version` changes when the shape does. */
import type { HostReport, RunReport } from '../core/report.js';

export const REPORT_VERSION = 1;

export function renderJson(report: RunReport, exitCode: number): string {
  return [...jsonChunks(report, exitCode)].join('');
}

/**
 * The same document, host by host: written as it is made, a 1,000-host apply report (≈10 MB
 * with its diffs) never exists as one string plus its encoded copy at the end of the run.
 */
export function* jsonChunks(report: RunReport, exitCode: number): Generator<string> {
  if (report.hosts.length === 0) {
    yield `${JSON.stringify({ version: REPORT_VERSION, exitCode, ...report }, null, 2)}\n`;
    return;
  }
  yield jsonHead(report, exitCode);
  for (const [i, host] of report.hosts.entries()) yield `${i > 0 ? ',' : ''}${jsonHost(host)}`;
  yield jsonTail(report, exitCode);
}

// A top-level key is the only line that starts with two spaces and a quote: string values
// carry their newlines and quotes escaped, nested keys are indented deeper.
const parts = (report: RunReport, exitCode: number) =>
  JSON.stringify({ version: REPORT_VERSION, exitCode, ...report, hosts: [] }, null, 2).split(HOSTS_LINE) as [string, string];

/** The document up to its first host (a report with at least one host). */
export const jsonHead = (report: RunReport, exitCode: number): string => `${parts(report, exitCode)[0]}\n  "hosts": [`;

/** One host of the document, as jsonChunks writes it (the comma before every host but the first is the caller's). */
export const jsonHost = (host: HostReport): string => `\n    ${JSON.stringify(host, null, 2).replace(/\n/g, '\n    ')}`;

/** The document after its last host. */
export const jsonTail = (report: RunReport, exitCode: number): string => `\n  ]${parts(report, exitCode)[1]}\n`;

const HOSTS_LINE = '\n  "hosts": []';
