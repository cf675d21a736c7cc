/** `vprov report merge`: shard JSON reports → one report, as if one controller had run. */
import { compareText } from '../core/text-order.js';
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import { reportSchema, type ReportDocument } from '../report/schema.js';
import type { RunReport } from '../core/report.js';

export function readReport(file: string): ReportDocument {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file}: not readable JSON: ${(err as Error).message}`, file);
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(`${file}: not a vprov report: ${i.path.join('.')}: ${i.message}`, file);
  }
  return parsed.data;
}

export function mergeReports(reports: ReportDocument[]): RunReport {
  if (reports.length === 0) throw new InputError('report merge: no reports given');
  const seen = new Map<string, string>();
  for (const r of reports) {
    for (const h of r.hosts) {
      const other = seen.get(h.host);
      if (other !== undefined)
        throw new InputError(`report merge: host ${h.host} is in two reports (shards ${other} and ${r.shard ?? '?'}): shards must not overlap`);
      seen.set(h.host, r.shard ?? '?');
    }
  }
  const sites = [...new Set(reports.map((r) => r.site).filter((s): s is string => s !== undefined))];
  if (sites.length > 1) throw new InputError(`report merge: the reports are of different sites (${sites.join(', ')}): merge one site's shards at a time`);
  const warnings = new Map(reports.flatMap((r) => r.warnings).map((w) => [w.message, w]));
  const starts = reports.map((r) => Date.parse(r.startedAt));
  const ends = reports.map((r) => Date.parse(r.startedAt) + r.durationMs);
  const connectivity = reports.flatMap((r) => r.connectivity ?? []);
  // One interrupted shard makes the whole run interrupted.
  const stopped = reports.filter((r) => r.interrupted);
  const interrupted = stopped.length
    ? { signal: stopped[0]!.interrupted!.signal, notStarted: stopped.reduce((n, r) => n + r.interrupted!.notStarted, 0) }
    : undefined;
  return {
    command: reports[0]!.command,
    // reports written before sites were named carry none
    site: sites[0] ?? 'unnamed',
    inventory: reports[0]!.inventory,
    startedAt: new Date(Math.min(...starts)).toISOString(),
    durationMs: Math.max(...ends) - Math.min(...starts),
    warnings: [...warnings.values()],
    hosts: reports.flatMap((r) => r.hosts).sort((a, b) => compareText(a.host, b.host)),
    ...(connectivity.length ? { connectivity } : {}),
    // One shard's report "merged" alone (to change its format) is still that shard's.
    ...(reports.length === 1 && reports[0]!.shard ? { shard: reports[0]!.shard } : {}),

    ...(interrupted ? { interrupted } : {}),
  };
}
