/**
 * `vprov report merge`: shard JSON reports → one report, as if one controller had run.
 *
 * The shard files are streamed (report/merge-read.ts): each host is validated as it arrives, its
 * JSON object is kept on disk (spool.ts, as a run folds its hosts) and only a slim copy (status,
 * resource statuses, error) stays in memory, for the order, the checks, the exit code and the
 * recap. 40,000 hosts merge in the memory of their names and statuses, not of their diffs.
 *
 * Refused, naming the file, before anything is written: a file that is not a vprov report, two
 * sites, two commands, a shard missing or given twice, a host in two shards or in a shard its
 * name does not belong to (another split of the fleet).
 */
import { compareText } from '../core/text-order.js';
import { InputError } from '../core/errors.js';
import type { HostReport, RunReport } from '../core/report.js';
import { streamReport, type ReportHead } from '../report/merge-read.js';
import type { ReportDocument } from '../report/schema.js';
import { jsonHead, jsonHost, jsonTail, renderJson } from '../report/json.js';
import { hostText, textHead, textTail } from '../report/text.js';
import { renderPrometheus } from '../report/prometheus.js';
import { parseShard, shardOf } from './shard.js';
import { slimHost } from './report-fold.js';
import { Spool } from './spool.js';

export type MergeFormat = 'json' | 'text' | 'prometheus';

/** The merged run; `chunks` writes it host by host, read back from disk. */
export interface MergedFiles {
  /** the merged run, its hosts the slim copies, in the merged order (by host name) */
  report: RunReport;
  chunks(format: MergeFormat, exitCode: number, opts?: { diff?: boolean }): Iterable<string>;
  close(): void;
}

/** Streams `files` into one run. Bad input (InputError naming the file) before any output. */
export function mergeFiles(files: readonly string[]): MergedFiles {
  if (files.length === 0) throw new InputError('report merge: no reports given');
  const spool = new Spool();
  try {
    const merger = new Merger();
    for (const file of files) {
      const hosts: HostReport[] = [];
      const head = streamReport(file, (h) => {
        spool.put(merger.count + hosts.length, jsonHost(h));
        hosts.push(slimHost(h));
      });
      merger.add(file, head, hosts);
    }
    const { run, order, hosts } = merger.done();
    const report: RunReport = { ...run, hosts: order.map((i) => hosts[i]!) };
    return {
      report,
      chunks: (format, exitCode, opts = {}) => ({
        *[Symbol.iterator]() {
          if (format === 'prometheus') return yield renderPrometheus(report);
          if (format === 'json') {
            if (order.length === 0) return yield renderJson(report, exitCode);
            yield jsonHead(report, exitCode);
            for (const [n, i] of order.entries()) yield `${n > 0 ? ',' : ''}${spool.get(i)}`;
            return yield jsonTail(report, exitCode);
          }
          yield textHead(report);
          for (const i of order) yield hostText(JSON.parse(spool.get(i)) as HostReport, report.command, opts);
          yield textTail(report);
        },
      }),
      close: () => spool.close(),
    };
  } catch (err) {
    spool.close();
    throw err;
  }
}

/** A whole report read into memory (small reports, tests); mergeFiles streams. */
export function readReport(file: string): ReportDocument {
  const hosts: HostReport[] = [];
  const head = streamReport(file, (h) => hosts.push(h));
  return { ...head, hosts };
}

/** Reports already in memory, merged and checked as their files would be (`names`: what errors call them). */
export function mergeReports(reports: readonly ReportDocument[], names: readonly string[] = reports.map((_, i) => `report #${i + 1}`)): RunReport {
  if (reports.length === 0) throw new InputError('report merge: no reports given');
  const merger = new Merger();
  for (const [i, r] of reports.entries()) merger.add(names[i]!, r, r.hosts);
  const { run, order, hosts } = merger.done();
  return { ...run, hosts: order.map((i) => hosts[i]!) };
}

/** The checks and the run fields of a merge; hosts are numbered in the order they were added. */
class Merger {
  private readonly heads: { file: string; head: ReportHead }[] = [];
  private readonly hosts: HostReport[] = [];
  /** host name → the file it came from */
  private readonly seen = new Map<string, string>();

  get count(): number {
    return this.hosts.length;
  }

  add(file: string, head: ReportHead, hosts: readonly HostReport[]): void {
    const first = this.heads[0];
    if (first && head.site !== undefined && first.head.site !== undefined && head.site !== first.head.site)
      throw new InputError(
        `report merge: the reports are of different sites (${first.head.site}, ${head.site}): ${file} is of site ${head.site}, ${first.file} of site ${first.head.site}; merge one site's shards at a time`,
        file,
      );
    if (first && head.command !== first.head.command)
      throw new InputError(`report merge: ${file} is a ${head.command} report, ${first.file} a ${first.head.command} report: merge one run's shards`, file);
    const shard = head.shard === undefined ? undefined : parseShardOf(file, head.shard);
    for (const h of hosts) {
      const other = this.seen.get(h.host);
      if (other !== undefined) throw new InputError(`report merge: host ${h.host} is in two reports, ${other} and ${file}: shards must not overlap`, file);
      this.seen.set(h.host, file);
      if (shard && shardOf(h.host, shard.count) !== shard.index)
        throw new InputError(
          `report merge: host ${h.host} is in ${file} (shard ${head.shard}), but --shard ${shard.count} puts it in shard ${shardOf(h.host, shard.count)}/${shard.count}: not a shard of one split of the fleet`,
          file,
        );
      this.hosts.push(h);
    }
    this.heads.push({ file, head });
  }

  /** The run fields, after the shard set is checked; `order`: host numbers by name. */
  done(): { run: Omit<RunReport, 'hosts'>; order: number[]; hosts: HostReport[] } {
    const heads = this.heads;
    this.checkShards();
    const warnings = new Map(heads.flatMap(({ head }) => head.warnings).map((w) => [w.message, w]));
    const starts = heads.map(({ head }) => Date.parse(head.startedAt));
    const ends = heads.map(({ head }) => Date.parse(head.startedAt) + head.durationMs);
    const connectivity = heads.flatMap(({ head }) => head.connectivity ?? []);
    // One interrupted shard makes the whole run interrupted.
    const stopped = heads.filter(({ head }) => head.interrupted).map(({ head }) => head.interrupted!);
    const interrupted = stopped.length ? { signal: stopped[0]!.signal, notStarted: stopped.reduce((n, s) => n + s.notStarted, 0) } : undefined;
    const first = heads[0]!.head;
    const order = this.hosts.map((_, i) => i).sort((a, b) => compareText(this.hosts[a]!.host, this.hosts[b]!.host));
    return {
      order,
      hosts: this.hosts,
      run: {
        command: first.command,
        // reports written before sites were named carry none
        site: heads.find(({ head }) => head.site !== undefined)?.head.site ?? 'unnamed',
        inventory: first.inventory,
        startedAt: new Date(Math.min(...starts)).toISOString(),
        durationMs: Math.max(...ends) - Math.min(...starts),
        warnings: [...warnings.values()],
        ...(connectivity.length ? { connectivity } : {}),
        // One shard's report "merged" alone (to change its format) is still that shard's.
        ...(heads.length === 1 && first.shard ? { shard: first.shard } : {}),
        ...(interrupted ? { interrupted } : {}),
      },
    };
  }

  /** Several shard reports: all of one split, each shard once, none missing. */
  private checkShards(): void {
    const heads = this.heads;
    const labelled = heads.filter(({ head }) => head.shard !== undefined);
    if (heads.length < 2 || labelled.length === 0) return;
    const plain = heads.find(({ head }) => head.shard === undefined);
    if (plain) throw new InputError(`report merge: ${plain.file} is no shard's report (it has no shard), the others are shards`, plain.file);
    const count = parseShardOf(labelled[0]!.file, labelled[0]!.head.shard!).count;
    const byIndex = new Map<number, string>();
    for (const { file, head } of labelled) {
      const s = parseShardOf(file, head.shard!);
      if (s.count !== count)
        throw new InputError(`report merge: ${file} is shard ${head.shard}, ${labelled[0]!.file} shard ${labelled[0]!.head.shard}: not one split`, file);
      const twice = byIndex.get(s.index);
      if (twice) throw new InputError(`report merge: ${twice} and ${file} are both shard ${head.shard}: each shard once`, file);
      byIndex.set(s.index, file);
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    if (missing.length)
      throw new InputError(
        `report merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing (given: ${labelled.map(({ file, head }) => `${file} = ${head.shard}`).join(', ')})`,
      );
  }
}

function parseShardOf(file: string, label: string) {
  try {
    return parseShard(label);
  } catch {
    throw new InputError(`report merge: ${file}: shard "${label}" is not i/n`, file);
  }
}
