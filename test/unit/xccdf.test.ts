/**
 * `vprov evidence --format xccdf`: XCCDF 1.2 results read by the real consumer, OpenSCAP
 * (`oscap xccdf validate`, `oscap xccdf generate report`, the report rendered by Chromium), and
 * their structure checked with an XML parser: one Rule per documented requirement citing its
 * documents and section, one TestResult per host naming it and its address, a rule-result per
 * requirement proven there with the verdict and what was found.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { evidenceSchema, type EvidenceReport } from '../../src/report/evidence-schema.js';
import { renderXccdf } from '../../src/report/xccdf.js';
import { prerequisite } from '../helpers/prerequisite.js';
import { chromium, headlessChromium } from '../helpers/consumers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vprov-xccdf-'));

/** The golden evidence of the shipped Storware example (every firewall rule missing: not met), made to carry every verdict. */
function report(): EvidenceReport {
  const golden = JSON.parse(readFileSync(join(ROOT, 'test/golden/storware-openstack/evidence.json'), 'utf8'));
  const r = evidenceSchema.parse({ ...golden, catalog: { ...golden.catalog, sha256: 'ab'.repeat(32) } });
  for (const row of r.requirements.filter((x) => x.host === 'node1'))
    Object.assign(row, { verdict: 'met', reason: undefined, found: [`${row.requirement}: found <as documented> & "in effect"`] });
  const hv2 = r.hosts.find((h) => h.host === 'hv2')!;
  Object.assign(hv2, { status: 'unreachable', error: 'connect ECONNREFUSED 192.0.2.11:22', firewall: undefined });
  for (const row of r.requirements.filter((x) => x.host === 'hv2'))
    Object.assign(row, { verdict: 'not verifiable', found: [], reason: 'hv2 unreachable: connect ECONNREFUSED 192.0.2.11:22' });
  return r;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['Rule', 'TestResult', 'rule-result', 'message', 'reference', 'fact'].includes(name),
});
type Node = Record<string, unknown> & { '#text'?: string };
const text = (n: unknown) => (typeof n === 'object' && n !== null ? String((n as Node)['#text'] ?? '') : String(n));

describe('XCCDF 1.2 results', () => {
  const r = report();
  const xml = renderXccdf(r);
  const doc = parser.parse(xml).Benchmark as Node;
  const rules = doc.Rule as Node[];
  const results = doc.TestResult as Node[];

  it('a Benchmark whose Rules are the requirements, each citing its documents and section', () => {
    expect(doc['@xmlns']).toBe('http://checklists.nist.gov/xccdf/1.2');
    expect(doc['@id']).toBe('xccdf_org.vprov_benchmark_storware');
    const keys = new Set(r.requirements.map((x) => x.id.replace(/@[^@]*$/, '')));
    expect(rules).toHaveLength(keys.size);
    const ssh = rules.find((x) => text(x.ident) === 'flow:storware/openstack/ssh-transfer/1')!;
    expect(ssh['@id']).toBe('xccdf_org.vprov_rule_flow-storware-openstack-ssh-transfer-1');
    expect(text(ssh.title)).toBe('node → hypervisor tcp/22 (SSH access)');
    const refs = (ssh.reference as Node[]).map((x) => [x['@href'], text(x)]);
    expect(refs).toEqual([
      ['urn:vprov:document:000_bdf7cb44c7b5d374.txt', expect.stringMatching(/, section "OpenStack \/ SSH transfer"$/)],
      ['urn:vprov:document:001_6ea25664ffb2ed16.txt', expect.stringMatching(/, section "OpenStack \/ SSH transfer"$/)],
    ]);
    expect(new Set(rules.map((x) => x['@id'])).size).toBe(rules.length); // ids unique
  });

  it('a TestResult per host: its name and address, a rule-result per requirement proven there', () => {
    expect(results.map((t) => text(t.target))).toEqual(r.hosts.map((h) => h.host));
    for (const t of results) {
      const host = r.hosts.find((h) => h.host === text(t.target))!;
      expect(text(t['target-address'])).toBe(host.address);
      const rows = r.requirements.filter((x) => x.host === host.host);
      expect((t['rule-result'] as Node[] | undefined) ?? []).toHaveLength(rows.length);
      for (const rr of (t['rule-result'] as Node[] | undefined) ?? []) expect(rules.some((x) => x['@id'] === rr['@idref'])).toBe(true);
    }
  });

  it('verdicts as XCCDF results: met pass, not met fail, not applicable notapplicable, unreadable error, not managed notchecked; found as messages', () => {
    const resultOf = (host: string) => (results.find((t) => text(t.target) === host)!['rule-result'] as Node[]).map((x) => text(x.result));
    expect(new Set(resultOf('node1'))).toEqual(new Set(['pass']));
    expect(new Set(resultOf('hv1'))).toEqual(new Set(['fail']));
    expect(new Set(resultOf('hv2'))).toEqual(new Set(['error']));
    expect(resultOf('server1')).toContain('notapplicable');
    expect(new Set(resultOf('mon1'))).toEqual(new Set(['notchecked']));
    const hv1 = (results.find((t) => text(t.target) === 'hv1')!['rule-result'] as Node[])[0]!;
    const messages = (hv1.message as Node[]).map((m) => [m['@severity'], text(m)]);
    expect(messages).toContainEqual(['info', 'firewalld: no vprov accept rule for node1 (192.0.2.5) tcp/22; node2 (192.0.2.6) tcp/22']);
    expect(messages).toContainEqual(['error', 'no accept rule in the live firewall for node1 (192.0.2.5) tcp/22; node2 (192.0.2.6) tcp/22']);
    // What was found survives escaping exactly.
    const node1 = (results.find((t) => text(t.target) === 'node1')!['rule-result'] as Node[])[0]!;
    expect(text((node1.message as Node[])[0])).toMatch(/: found <as documented> & "in effect"$/);
    // The score counts pass against fail.
    expect(text(results.find((t) => text(t.target) === 'node1')!.score)).toBe('100.00');
    expect(text(results.find((t) => text(t.target) === 'hv1')!.score)).toBe('0.00');
  });

  const oscap = prerequisite('oscap', spawnSync('oscap', ['--version']).status === 0, '.ci/run installs Debian’s openscap-scanner');

  it.skipIf(!oscap)('oscap xccdf validate accepts it (schema and schematron), hostile host names and control characters included', () => {
    const hostile = report();
    hostile.hosts[0]!.host = 'hv<1> & "x"\u0007';
    for (const row of hostile.requirements.filter((x) => x.host === 'hv1')) row.host = hostile.hosts[0]!.host;
    for (const [name, body] of [
      ['evidence.xccdf.xml', xml],
      ['hostile.xccdf.xml', renderXccdf(hostile)],
    ] as const) {
      writeFileSync(join(dir, name), body);
      const v = spawnSync('oscap', ['xccdf', 'validate', join(dir, name)], { encoding: 'utf8' });
      expect(v.stdout + v.stderr).not.toMatch(/Error|Invalid/);
      expect(v.status).toBe(0);
    }
  });

  it.skipIf(!oscap)('oscap validate rejects what XCCDF forbids (the check above can fail)', () => {
    writeFileSync(join(dir, 'broken.xml'), xml.replace('<result>pass</result>', '<result>passed</result>'));
    expect(spawnSync('oscap', ['xccdf', 'validate', join(dir, 'broken.xml')], { encoding: 'utf8' }).status).not.toBe(0);
  });

  it.skipIf(!oscap || !prerequisite('chromium', !!chromium, '.ci/run installs the chromium package'))(
    "oscap xccdf generate report renders a host's results; Chromium shows them",
    () => {
      const file = join(dir, 'evidence.xccdf.xml');
      writeFileSync(file, xml);
      const html = join(dir, 'report.html');
      writeFileSync(
        html,
        execFileSync('oscap', ['xccdf', 'generate', 'report', '--result-id', 'xccdf_org.vprov_testresult_server1', file], { encoding: 'utf8' }),
      );
      const dom = headlessChromium(html, '--virtual-time-budget=5000', '--dump-dom');
      // Asserted as booleans: a failure message should not print the whole report (it carries jQuery).
      const shows = (s: string) => dom.includes(s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      const server1 = r.hosts.find((h) => h.host === 'server1')!;
      expect(dom.includes('<th>Evaluation target</th><td>server1</td>')).toBe(true);
      for (const s of ['Storware Backup & Recovery', server1.address]) expect(shows(s), s).toBe(true);
      for (const row of r.requirements.filter((x) => x.host === 'server1')) expect(shows(row.requirement), row.requirement).toBe(true);
      // The rule overview: one row per result, with oscap's class for it.
      const overview = (result: string) =>
        dom.split('<tr').filter((row) => row.includes('rule-overview-leaf') && row.includes(`rule-result-${result}"`)).length;
      expect(overview('fail')).toBe(r.requirements.filter((x) => x.host === 'server1' && x.verdict === 'not met').length);
      expect(overview('notapplicable')).toBe(1);
      const png = join(dir, 'report.png');
      headlessChromium(html, '--virtual-time-budget=5000', '--window-size=1200,1500', `--screenshot=${png}`);
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
      if (process.env.VPROV_DOCS_SCREENSHOT) execFileSync('cp', [png, process.env.VPROV_DOCS_SCREENSHOT]);
    },
    120_000,
  );
});
