/** JSON report: one document on stdout, nothing else. `version` changes when the shape does. */
import type { RunReport } from '../core/report.js';

export const REPORT_VERSION = 1;

export function renderJson(report: RunReport, exitCode: number): string {
  return [...jsonChunks(report, exitCode)].join('');
}

/**
 * The same document, host by host: written as it is made, a 1,000-host apply report (≈10 MB
 * with its diffs) never exists as one string plus its encoded copy at the end of the run.
 */
export function* jsonChunks(report: RunReport, exitCode: number): Generator<string> {
  const doc = { version: REPORT_VERSION, exitCode, ...report };
  if (report.hosts.length === 0) {
    yield `${JSON.stringify(doc, null, 2)}\n`;
    return;
  }
  // A top-level key is the only line that starts with two spaces and a quote: string values
  // carry their newlines and quotes escaped, nested keys are indented deeper.
  const [head, tail] = JSON.stringify({ ...doc, hosts: [] }, null, 2).split(HOSTS_LINE) as [string, string];
  yield `${head}\n  "hosts": [`;
  for (const [i, host] of report.hosts.entries()) {
    yield `${i > 0 ? ',' : ''}\n    ${JSON.stringify(host, null, 2).replace(/\n/g, '\n    ')}`;
  }
  yield `\n  ]${tail}\n`;
}

const HOSTS_LINE = '\n  "hosts": []';
