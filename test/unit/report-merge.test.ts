/**
 * `vprov report merge` of shard reports, streamed: for any fleet split by --shard's rule, the
 * merged report holds every host once, each exactly as the one report of the whole fleet has it
 * (JSON, text); and a set of files that is not one run's shards is refused naming the file. Host
 * records are the golden plan's (real resources, diffs, changes), renamed and restatused.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeFiles } from '../../src/app/merge.js';
import { shardOf } from '../../src/app/shard.js';
import { exitCodeOf } from '../../src/app/exit-code.js';
import { renderJson } from '../../src/report/json.js';
import { renderText } from '../../src/report/text.js';
import { InputError } from '../../src/core/errors.js';
import { compareText } from '../../src/core/text-order.js';
import type { HostReport, RunReport } from '../../src/core/report.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GOLDEN = JSON.parse(readFileSync(join(ROOT, 'test/golden/olvm-with-storware/plan.json'), 'utf8')) as RunReport & { version: 1; exitCode: number };
const STATUSES = ['ok', 'pending', 'failed', 'unreachable'] as const;

function fleet(names: readonly string[], statuses: readonly number[]): RunReport {
  const hosts: HostReport[] = names.map((host, i) => {
    const base = GOLDEN.hosts[i % GOLDEN.hosts.length]!;
    const status = STATUSES[statuses[i % statuses.length]! % STATUSES.length]!;
    return { ...base, host, status, ...(status === 'unreachable' ? { error: `connect ECONNREFUSED for ${host}`, resources: [] } : {}), durationMs: i };
  });
  const { version: _v, exitCode: _e, ...run } = GOLDEN;
  return { ...run, command: 'drift', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1000, hosts };
}

/** The whole run split as `--shard i/n` splits it, each shard's report in its own file (its hosts in the run's order). */
function writeShards(dir: string, whole: RunReport, n: number, edit: (r: RunReport, i: number) => RunReport = (r) => r): string[] {
  return Array.from({ length: n }, (_, k) => {
    const shard: RunReport = edit(
      { ...whole, shard: `${k + 1}/${n}`, startedAt: `2026-01-01T00:00:0${k}.000Z`, hosts: whole.hosts.filter((h) => shardOf(h.host, n) === k + 1) },
      k,
    );
    const file = join(dir, `shard-${k + 1}.json`);
    writeFileSync(file, renderJson(shard, exitCodeOf(shard)));
    return file;
  });
}

const join_ = (it: Iterable<string>) => [...it].join('');
const tmp = () => mkdtempSync(join(tmpdir(), 'vprov-merge-'));

describe('report merge of shard reports, streamed', () => {
  it('every host once, each as the whole run has it; text as the whole run renders it; the exit code of the whole', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(3), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 6 }),
        (names, statuses, n) => {
          const whole = fleet(names, statuses);
          const merged = mergeFiles(writeShards(tmp(), whole, n));
          try {
            const sorted = [...whole.hosts].sort((a, b) => compareText(a.host, b.host));
            const code = exitCodeOf(merged.report);
            expect(code).toBe(exitCodeOf(whole));
            const doc = JSON.parse(join_(merged.chunks('json', code)));
            expect(doc.hosts).toEqual(sorted);
            // byte for byte: each host as its shard wrote it, never rewritten by the schema
            expect(join_(merged.chunks('json', code))).toBe(renderJson({ ...merged.report, hosts: sorted }, code));
            expect(doc.exitCode).toBe(code);
            // one file alone keeps its shard (a format change); shards merged are no shard's
            if (n > 1) expect(doc).not.toHaveProperty('shard');
            expect(join_(merged.chunks('text', code))).toBe(renderText({ ...merged.report, hosts: sorted }));
          } finally {
            merged.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a shard report reformatted (one line, keys in another order) merges the same', () => {
    const whole = fleet(['a', 'b', 'c', 'd', 'e', 'f', 'g'], [0, 1, 2, 3]);
    const dir = tmp();
    const files = writeShards(dir, whole, 2);
    const expected = JSON.parse(join_(mergeFiles(files).chunks('json', 6)));
    const doc = JSON.parse(readFileSync(files[0]!, 'utf8'));
    const { hosts, ...rest } = doc;
    writeFileSync(files[0]!, JSON.stringify({ hosts: hosts.map((h: HostReport) => Object.fromEntries(Object.entries(h).reverse())), ...rest }));
    expect(JSON.parse(join_(mergeFiles(files).chunks('json', 6)))).toEqual(expected);
  });

  const refused = (files: string[], message: RegExp, file?: string) => {
    let err: unknown;
    try {
      mergeFiles(files).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(message);
    if (file) expect((err as Error).message).toContain(file);
  };
  const whole = fleet(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], [0, 1, 2]);

  it('a shard missing, or given twice: refused naming the files', () => {
    const files = writeShards(tmp(), whole, 3);
    refused([files[0]!, files[2]!], /shard 2\/3 missing \(given: .*shard-1\.json = 1\/3, .*shard-3\.json = 3\/3\)/);
    refused([files[0]!, files[1]!, files[1]!, files[2]!], /host \S+ is in two reports, .*shard-2\.json and .*shard-2\.json/, 'shard-2.json');
    const copy = join(tmp(), 'again.json');
    writeFileSync(copy, readFileSync(files[1]!, 'utf8').replace(/"hosts": \[[\s\S]*\n {2}\]/, '"hosts": []'));
    refused([...files, copy], /shard-2\.json and .*again\.json are both shard 2\/3/, 'again.json');
  });

  it('another site, another command, another split, a host in two shards or in the wrong one: refused naming the file', () => {
    const dir = tmp();
    refused(
      writeShards(dir, whole, 2, (r, k) => (k === 1 ? { ...r, site: 'dc2' } : r)),
      new RegExp(`reports are of different sites \\(${whole.site}, dc2\\): .*shard-2\\.json is of site dc2`),
      'shard-2.json',
    );
    refused(
      writeShards(tmp(), whole, 2, (r, k) => (k === 1 ? { ...r, command: 'plan' } : r)),
      /shard-2\.json is a plan report, .*shard-1\.json a drift report/,
    );
    const two = writeShards(tmp(), whole, 2);
    const three = writeShards(tmp(), fleet(['p', 'q', 'r', 's', 't', 'u', 'v', 'w'], [0]), 3);
    refused([two[0]!, three[1]!], /shard-2\.json is shard 2\/3, .*shard-1\.json shard 1\/2: not one split/, 'shard-2.json');
    // moved to the other shard's file: in one report only, but not where --shard puts it
    const stray = whole.hosts.find((h) => shardOf(h.host, 2) === 1)!;
    refused(
      writeShards(tmp(), whole, 2, (r, k) => (k === 1 ? { ...r, hosts: [...r.hosts, stray] } : { ...r, hosts: r.hosts.filter((h) => h !== stray) })),
      new RegExp(`host ${stray.host} is in .*shard-2\\.json \\(shard 2/2\\), but --shard 2 puts it in shard 1/2`),
      'shard-2.json',
    );
  });

  it('a host record the schema refuses, or a file that is not JSON: refused naming the file and the host', () => {
    const files = writeShards(tmp(), whole, 2);
    writeFileSync(files[1]!, readFileSync(files[1]!, 'utf8').replace('"status": "', '"status": "sideways-'));
    refused(files, /shard-2\.json: not a vprov report: hosts\.0\.status: /, 'shard-2.json');
    writeFileSync(files[1]!, readFileSync(files[1]!, 'utf8').slice(0, 500));
    refused(files, /shard-2\.json: not (readable JSON|a vprov report)/);
    refused([join(tmp(), 'absent.json')], /absent\.json: cannot read it: ENOENT/);
  });
});
