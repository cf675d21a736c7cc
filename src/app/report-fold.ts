/**
 * Reports folded as hosts finish, so that a run's memory does not grow with its fleet: each
 * finished host's part of every requested report (its JSON object, its text block, its audit
 * line) is rendered at once and kept on disk (spool.ts); the run keeps only a slim copy of the
 * host (status, resource statuses, error) for the exit code, the recap and the counts. The
 * reports read back are byte for byte what the renderers make from the whole run.
 */
import type { HostReport, ResourceReport, RunReport } from '../core/report.js';
import { jsonHead, jsonHost, jsonTail, renderJson } from '../report/json.js';
import { hostText, textHead, textTail } from '../report/text.js';
import { auditHostPart, auditLine } from './audit-log.js';
import type { RunIdentity } from './run-identity.js';
import { Spool } from './spool.js';

export interface FoldNeeds {
  /** the JSON document (stdout, --output, --history, --on-drift) */
  json?: boolean;
  /** the text report; diff: show file diffs */
  text?: { diff: boolean };
  /** --audit-log lines */
  audit?: boolean;
}

/** What the exit code, the recap and the counts read of a host: no diff, change, note or foreign item. */
export function slimHost(h: HostReport): HostReport {
  return {
    host: h.host,
    status: h.status,
    managed: h.managed,
    resources: h.resources.map(slimResource),
    ...(h.error !== undefined ? { error: h.error } : {}),
    rebootRequired: h.rebootRequired,
    roundTrips: h.roundTrips,
    durationMs: h.durationMs,
  };
}

function slimResource(r: ResourceReport): ResourceReport {
  return {
    resource: r.resource,
    status: r.status,
    changes: [],
    warnings: [],
    notes: [],
    rebootRequired: r.rebootRequired,
    ...(r.confirmedAfterSeconds !== undefined ? { confirmedAfterSeconds: r.confirmedAfterSeconds } : {}),
    ...(r.rolledBack ? { rolledBack: true } : {}),
  };
}

export class ReportFold {
  private readonly json: Spool | null;
  private readonly text: Spool | null;
  private readonly audit: Spool | null;

  constructor(
    private readonly command: RunReport['command'],
    private readonly needs: FoldNeeds,
  ) {
    this.json = needs.json ? new Spool() : null;
    this.text = needs.text ? new Spool() : null;
    this.audit = needs.audit ? new Spool() : null;
  }

  /** A host finished (or was never started): its parts are rendered now; the slim copy is what the run keeps. */
  keep(h: HostReport, index: number): HostReport {
    this.json?.put(index, jsonHost(h));
    this.text?.put(index, hostText(h, this.command, { diff: this.needs.text?.diff }));
    this.audit?.put(index, auditHostPart(h));
    return slimHost(h);
  }

  /** The JSON document of `report` (whose hosts are the slim copies, in order). */
  *jsonChunks(report: RunReport, exitCode: number): Generator<string> {
    if (!this.json) throw new Error('report fold: no JSON kept');
    if (report.hosts.length === 0) {
      yield renderJson(report, exitCode);
      return;
    }
    yield jsonHead(report, exitCode);
    for (let i = 0; i < report.hosts.length; i++) yield `${i > 0 ? ',' : ''}${this.json.get(i)}`;
    yield jsonTail(report, exitCode);
  }

  *textChunks(report: RunReport): Generator<string> {
    if (!this.text) throw new Error('report fold: no text kept');
    yield textHead(report);
    for (let i = 0; i < report.hosts.length; i++) yield this.text.get(i);
    yield textTail(report);
  }

  auditLines(report: RunReport, run: RunIdentity): string[] {
    if (!this.audit) throw new Error('report fold: no audit lines kept');
    return report.hosts.map((_, i) => auditLine(report, run, this.audit!.get(i)));
  }

  close(): void {
    this.json?.close();
    this.text?.close();
    this.audit?.close();
  }
}
