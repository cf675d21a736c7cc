/** JSON report: one document on stdout, nothing else. `version` changes when the shape does. */
import type { RunReport } from '../core/report.js';

export const REPORT_VERSION = 1;

export function renderJson(report: RunReport, exitCode: number): string {
  return JSON.stringify({ version: REPORT_VERSION, exitCode, ...report }, null, 2) + '\n';
}
