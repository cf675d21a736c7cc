/** The exit code of a run, as a bit set (docs/design.md §7). */
import { EXIT_HOST_FAILED, EXIT_OK, EXIT_PENDING, EXIT_REBOOT } from '../core/exit.js';
import type { RunReport } from '../core/report.js';

export function exitCodeOf(report: RunReport): number {
  // A stopped run is a failed run, whatever the hosts that finished said.
  let code = report.interrupted ? EXIT_HOST_FAILED : EXIT_OK;
  for (const h of report.hosts) {
    if (h.status === 'failed' || h.status === 'unreachable') code |= EXIT_HOST_FAILED;
    if (h.status === 'pending') code |= EXIT_PENDING;
    if (h.rebootRequired) code |= EXIT_REBOOT;
  }
  for (const p of report.connectivity ?? []) {
    if (p.result === 'filtered') code |= EXIT_PENDING;
    if (p.result === 'unknown') code |= EXIT_HOST_FAILED;
  }
  return code;
}
