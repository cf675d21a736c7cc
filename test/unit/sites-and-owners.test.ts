/**
 * The site: its name (given, or the inventory file's name), the host record that names a host's
 * owner, who may apply to a host, and the site in every report.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import parsePrometheus from 'parse-prometheus-text-format';
import type { RunReport } from '../../src/core/report.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderText } from '../../src/report/text.js';
import { renderHtml } from '../../src/report/html.js';
import { mergeReports } from '../../src/app/merge.js';
import { reportSchema } from '../../src/report/schema.js';
import { renderJson } from '../../src/report/json.js';
import { inventoryOf } from '../helpers/catalog.js';
import { SITE_NAME } from '../../src/core/site.js';
import { HOST_RECORD, ownerOf, readRecordFact, type HostRecord, type RecordFact } from '../../src/resources/host-record.js';
import { auditLines } from '../../src/app/audit-log.js';

const doc = {
  product: 'storware',
  platforms: [{ platform: 'openstack', method: 'SSH transfer' }],
  hosts: { hv1: { address: '192.0.2.10', roles: ['hypervisor'] } },
};
const siteName = fc.stringMatching(SITE_NAME);

describe('the site name', () => {
  it("is site: when given, else the inventory file's name without its extension", () => {
    expect(inventoryOf(doc, '/x/dc1-olvm.yaml').site).toBe('dc1-olvm');
    expect(inventoryOf({ site: 'prod', ...doc }, '/x/dc1-olvm.yaml').site).toBe('prod');
  });

  it('is refused, with file, line and field, when it is no name', () => {
    for (const bad of ['', 'two words', '-lead', 'a/b', 'x'.repeat(64), 'ünï']) {
      expect(() => inventoryOf({ site: bad, ...doc }, 'inv.yaml')).toThrow(/^inv\.yaml:1: site: a site name uses letters, digits/);
    }
  });

  it('a file name that is no site name asks for site:', () => {
    expect(() => inventoryOf(doc, '/x/my inventory.yaml')).toThrow(
      /site: not set, and the file name "my inventory" is no site name .*: set site: in the inventory/,
    );
  });
});

const record = (site: string): HostRecord => ({ version: 1, site, controller: 'ops@ctl1', updated: '2026-01-02T03:04:05.000Z', runId: 'ab12', written: [] });
const present = (site: string): RecordFact => ({ state: 'present', record: record(site) });
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('the host record', () => {
  it('is read back as written, and an absent one says whether vprov applied the host before', () => {
    fc.assert(
      fc.property(siteName, (site) => {
        expect(readRecordFact({ record: b64(JSON.stringify(record(site))) })).toEqual(present(site));
      }),
    );
    expect(readRecordFact({ record: 'absent' })).toEqual({ state: 'absent', appliedBefore: false });
    expect(readRecordFact({ record: 'absent', applied_before: 'yes' })).toEqual({ state: 'absent', appliedBefore: true });
  });

  it('that cannot be read, is no JSON or is no record is a failed read with its cause, never "no owner"', () => {
    expect(readRecordFact({ record: 'e30!unreadable' })).toEqual({
      state: 'unreadable',
      error: `cannot read ${HOST_RECORD} on the host: it exists, but reading it failed`,
    });
    expect(readRecordFact({ record: b64('{"version":1,') })).toMatchObject({
      state: 'unreadable',
      error: expect.stringMatching(/host\.json on the host is not JSON/),
    });
    expect(readRecordFact({ record: b64(JSON.stringify({ ...record('a'), updated: 'yesterday' })) })).toMatchObject({
      state: 'unreadable',
      error: expect.stringMatching(/is not a vprov host record: updated: /),
    });
    expect(ownerOf('hv1', { state: 'unreadable', error: 'E' }, { site: 'a', takeOver: true })).toEqual({
      kind: 'refused',
      message: 'cannot tell who owns hv1: E',
    });
  });
});

describe('who may apply to a host', () => {
  it("another site's host is refused, naming the owner, its controller and date; --take-over takes it", () => {
    fc.assert(
      fc.property(siteName, siteName, (owner, me) => {
        fc.pre(owner !== me);
        expect(ownerOf('hv1', present(owner), { site: me, takeOver: false })).toEqual({
          kind: 'refused',
          message: `hv1 is managed by site ${owner} (from ops@ctl1, 2026-01-02T03:04:05.000Z): merge the inventories, or pass --take-over`,
        });
        expect(ownerOf('hv1', present(owner), { site: me, takeOver: true })).toMatchObject({ kind: 'mine', write: true, takenFrom: { site: owner } });
        // its own host: nothing extra to write, --take-over or not
        expect(ownerOf('hv1', present(me), { site: me, takeOver: true })).toEqual({ kind: 'mine', write: false, previous: record(me) });
      }),
    );
  });

  it('a host never recorded is claimed; one vprov applied before records existed is adopted, with a note', () => {
    expect(ownerOf('hv1', { state: 'absent', appliedBefore: false }, { site: 'a', takeOver: false })).toEqual({ kind: 'mine', write: true });
    expect(ownerOf('hv1', { state: 'absent', appliedBefore: true }, { site: 'a', takeOver: false })).toMatchObject({
      kind: 'mine',
      write: true,
      note: expect.stringMatching(/^adopted by site a: /),
    });
  });
});

const report = (site: string): RunReport => ({
  command: 'drift',
  site,
  inventory: 'inv.yaml',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 10,
  warnings: [],
  hosts: [
    {
      host: 'hv1',
      status: 'ok',
      managed: true,
      resources: [{ resource: 'firewall', status: 'ok', changes: [], warnings: [], notes: [], rebootRequired: false }],
      rebootRequired: false,
      roundTrips: 1,
      durationMs: 5,
    },
  ],
});

describe('every report names the site', () => {
  it('two sites never write the same Prometheus series', () => {
    const series = (site: string) =>
      (parsePrometheus(renderPrometheus(report(site))) as { name: string; metrics: { labels?: Record<string, string> }[] }[]).flatMap((f) =>
        f.metrics.map((m) => `${f.name}${JSON.stringify(m.labels ?? {})}`),
      );
    fc.assert(
      fc.property(siteName, siteName, (a, b) => {
        fc.pre(a !== b);
        const mine = new Set(series(a));
        expect(series(b).filter((s) => mine.has(s))).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('JSON, JUnit, HTML, text and the audit log carry it', () => {
    const r = report('dc1');
    expect(reportSchema.parse(JSON.parse(renderJson(r, 0))).site).toBe('dc1');
    expect(renderJunit(r)).toContain('<property name="site" value="dc1"/>');
    expect(renderHtml(r, 0)).toMatch(/<div class="meta">site dc1 · inv\.yaml/);
    expect(renderText(r).split('\n')[0]).toBe('site dc1: vprov drift of inv.yaml');
    const run = { runId: 'r1', controller: 'ctl', user: 'me', pid: 1, version: '0.1.0', startedAt: 'x', command: 'drift' };
    expect(JSON.parse(auditLines(r, run)[0]!)).toMatchObject({ site: 'dc1', host: 'hv1' });
  });

  it("report merge joins one site's shards and refuses two sites' reports", () => {
    const doc = (site: string, host: string) =>
      reportSchema.parse({ ...JSON.parse(renderJson(report(site), 0)), hosts: [{ ...report(site).hosts[0]!, host }] });
    expect(mergeReports([doc('dc1', 'a'), doc('dc1', 'b')]).site).toBe('dc1');
    expect(() => mergeReports([doc('dc1', 'a'), doc('dc2', 'b')])).toThrow(/reports are of different sites \(dc1, dc2\)/);
  });
});
