/** --history DIR: timestamped JSON drift reports, and what changed between runs (--since). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { reportSchema, type ReportDocument } from '../report/schema.js';
import { writeAtomic } from './output-file.js';

export function historyFileName(startedAt: string): string {
  // Milliseconds kept: two runs in one second must not overwrite each other.
  return `drift-${startedAt.replace(/[-:]/g, '')}.json`;
}

export function saveHistory(dir: string, json: string | Iterable<string>, startedAt: string): string {
  const path = join(dir, historyFileName(startedAt));
  writeAtomic(path, json);
  return path;
}

export function parseSince(spec: string, now = Date.now()): number {
  const m = /^(\d+)([smhdw])$/.exec(spec);
  if (!m) throw new InputError(`--since: expected a duration like 30m, 12h, 7d or 2w, got "${spec}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return now - Number(m[1]) * unit * 1000;
}

export function loadHistory(dir: string, sinceMs: number): ReportDocument[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^drift-.*\.json$/.test(n));
  } catch {
    throw new InputError(`--history: cannot read ${dir}`);
  }
  return names
    .map((n) => {
      const parsed = reportSchema.safeParse(JSON.parse(readFileSync(join(dir, n), 'utf8')));
      if (!parsed.success) throw new InputError(`${join(dir, n)}: not a vprov report: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    })
    .filter((r) => Date.parse(r.startedAt) >= sinceMs)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export interface Transition {
  at: string;
  host: string;
  resource: string;
  change: 'new drift' | 'resolved' | 'unreachable' | 'reachable again';
  detail: string[];
}

/** Drift state of one run: "host resource" → differences (only drifted ones). */
function driftOf(r: ReportDocument): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const h of r.hosts) {
    if (h.status === 'unreachable') out.set(`${h.host} (host)`, [h.error ?? 'unreachable']);
    for (const res of h.resources) if (res.status === 'pending' || res.status === 'failed') out.set(`${h.host} ${res.resource}`, res.changes);
  }
  return out;
}

export function transitions(runs: ReportDocument[]): Transition[] {
  const out: Transition[] = [];
  for (let i = 1; i < runs.length; i++) {
    const before = driftOf(runs[i - 1]!);
    const after = driftOf(runs[i]!);
    const at = runs[i]!.startedAt;
    for (const [key, detail] of after) {
      if (before.has(key)) continue;
      const [host, resource] = key.split(' ') as [string, string];
      out.push({ at, host, resource, change: resource === '(host)' ? 'unreachable' : 'new drift', detail });
    }
    for (const [key] of before) {
      if (after.has(key)) continue;
      const [host, resource] = key.split(' ') as [string, string];
      out.push({ at, host, resource, change: resource === '(host)' ? 'reachable again' : 'resolved', detail: [] });
    }
  }
  return out;
}

export function renderHistory(runs: ReportDocument[]): string {
  if (runs.length === 0) return 'no reports in that period\n';
  const sites = [...new Set(runs.map((r) => r.site ?? '(unnamed)'))];
  const lines = [`site ${sites.join(', ')}: ${runs.length} run(s) from ${runs[0]!.startedAt} to ${runs[runs.length - 1]!.startedAt}`];
  const t = transitions(runs);
  if (t.length === 0) lines.push('no change between runs');
  for (const x of t) {
    lines.push(`${x.at}  ${x.change.padEnd(15)} ${x.host} ${x.resource}`);
    for (const d of x.detail) lines.push(`    ${d}`);
  }
  const last = driftOf(runs[runs.length - 1]!);
  lines.push(`now: ${last.size === 0 ? 'in sync' : `${last.size} drifted: ${[...last.keys()].join(', ')}`}`);
  return `${lines.join('\n')}\n`;
}
