/**
 * The evidence report as XCCDF 1.2 results, what compliance tooling ingests (OpenSCAP, Satellite,
 * STIG Viewer, Heimdall's converters): one Benchmark whose Rules are the documented requirements
 * (one per requirement, whichever hosts it applies to), each citing its documents and section,
 * and one TestResult per host with a rule-result per requirement proven there: the verdict as
 * pass / fail / notapplicable / error / notchecked, what was found as messages. Pure.
 */
import type { EvidenceReport, EvidenceRow } from './evidence-schema.js';
import { xmlEscape as esc } from './xml.js';

/** XCCDF 1.2 ids are xccdf_<reverse DNS>_<type>_<name>, the name an NCName tail. */
const NS = 'org.vprov';
const idPart = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
/** The requirement a row proves, whatever the host: its id without "@host". */
const requirementKey = (row: EvidenceRow) => row.id.replace(/@[^@]*$/, '');
const ruleId = (key: string) => `xccdf_${NS}_rule_${idPart(key)}`;

type Result = 'pass' | 'fail' | 'error' | 'notapplicable' | 'notchecked';

/** How an evidence verdict reads in XCCDF. "Not verifiable" is an error when reading failed, notchecked when vprov does not look by design. */
export function xccdfResult(row: EvidenceRow, hostStatus: string | undefined): Result {
  if (row.verdict === 'met') return 'pass';
  if (row.verdict === 'not met') return 'fail';
  if (row.verdict === 'not applicable') return 'notapplicable';
  if (hostStatus === 'not managed' || /^firewall: none/.test(row.reason ?? '')) return 'notchecked';
  return 'error';
}

export function renderXccdf(r: EvidenceReport): string {
  const titleOf = new Map(r.documents.map((d) => [d.file, d.title]));
  const rules = new Map<string, EvidenceRow>();
  for (const row of r.requirements) if (!rules.has(requirementKey(row))) rules.set(requirementKey(row), row);
  const end = new Date(Date.parse(r.generatedAt) + r.durationMs).toISOString();
  const benchmarkId = `xccdf_${NS}_benchmark_${idPart(r.product.id)}`;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" xmlns:dc="http://purl.org/dc/elements/1.1/" id="${benchmarkId}" resolved="1" xml:lang="en" style="SCAP_1.2">`,
    `  <status date="${r.generatedAt.slice(0, 10)}">accepted</status>`,
    `  <title>${esc(`${r.product.title}: documented host requirements`)}</title>`,
    `  <description>${esc(
      `The firewall flows, service account, sudo commands and SELinux mode that the vendor documents require of the hosts of ${r.inventory}, as transcribed into vprov's catalog (${r.catalog.file}, sha256 ${r.catalog.sha256}), and what vprov evidence found on each host.`,
    )}</description>`,
    ...r.documents.map((d) => `  <reference href="urn:vprov:document:${esc(d.file)}">${esc(`${d.title} (${d.file})`)}</reference>`),
    `  <version>${esc(`${r.catalog.file} sha256:${r.catalog.sha256}`)}</version>`,
    '  <metadata>',
    '    <dc:creator>vprov evidence</dc:creator>',
    ...r.documents.map((d) => `    <dc:source>${esc(d.file)}</dc:source>`),
    `    <dc:date>${r.generatedAt.slice(0, 10)}</dc:date>`,
    '  </metadata>',
  ];
  /** The evidence check of one requirement: the row of `vprov evidence --format json` with that id. */
  const check = (indent: string, id: string) => [
    `${indent}<check system="urn:vprov:evidence">`,
    `${indent}  <check-content-ref href="urn:vprov:evidence-json" name="${esc(id)}"/>`,
    `${indent}</check>`,
  ];
  for (const [key, row] of rules) {
    const context = [row.platform, row.method, row.condition ? `condition ${row.condition}` : null].filter(Boolean).join(' / ');
    out.push(
      `  <Rule id="${ruleId(key)}" selected="true" severity="${row.rootEquivalent ? 'high' : 'medium'}">`,
      `    <title>${esc(row.requirement)}</title>`,
      `    <description>${esc([`${row.kind} requirement${context ? ` (${context})` : ''}, documented in ${row.documents.join(', ')}, section "${row.section}".`, row.rootEquivalent ? 'The command gives root to whoever may run it: the vendor documents it, vprov grants it as documented and flags it.' : ''].filter(Boolean).join(' '))}</description>`,
      ...row.documents.map((d) => `    <reference href="urn:vprov:document:${esc(d)}">${esc(`${titleOf.get(d) ?? d}, section "${row.section}"`)}</reference>`),
      `    <ident system="urn:vprov:requirement">${esc(key)}</ident>`,
      ...check('    ', key),
      '  </Rule>',
    );
  }
  for (const h of r.hosts) {
    const rows = r.requirements.filter((x) => x.host === h.host);
    const results = rows.map((row) => ({ row, result: xccdfResult(row, h.status) }));
    const passed = results.filter((x) => x.result === 'pass').length;
    const scored = results.filter((x) => x.result === 'pass' || x.result === 'fail').length;
    out.push(
      `  <TestResult id="xccdf_${NS}_testresult_${idPart(h.host)}" start-time="${r.generatedAt}" end-time="${end}" test-system="vprov evidence">`,
      `    <benchmark href="#${benchmarkId}" id="${benchmarkId}"/>`,
      `    <title>${esc(`vprov evidence: ${h.host}`)}</title>`,
      `    <identity authenticated="true" privileged="true">${esc(r.controller.user)}</identity>`,
      `    <target>${esc(h.host)}</target>`,
      `    <target-address>${esc(h.address)}</target-address>`,
      '    <target-facts>',
      ...h.roles.map((role) => `      <fact name="urn:vprov:role" type="string">${esc(role)}</fact>`),
      `      <fact name="urn:vprov:status" type="string">${esc(h.status)}</fact>`,
      ...(h.firewall ? [`      <fact name="urn:vprov:firewall" type="string">${esc(h.firewall)}</fact>`] : []),
      ...(h.error ? [`      <fact name="urn:vprov:error" type="string">${esc(h.error)}</fact>`] : []),
      '    </target-facts>',
      ...results.flatMap(({ row, result }) => [
        `    <rule-result idref="${ruleId(requirementKey(row))}" time="${end}" severity="${row.rootEquivalent ? 'high' : 'medium'}">`,
        `      <result>${result}</result>`,
        ...row.found.map((f) => `      <message severity="info">${esc(f)}</message>`),
        ...(row.reason && row.verdict !== 'met'
          ? [`      <message severity="${result === 'fail' || result === 'error' ? 'error' : 'info'}">${esc(row.reason)}</message>`]
          : []),
        ...check('      ', row.id),
        '    </rule-result>',
      ]),
      `    <score system="urn:xccdf:scoring:default" maximum="100">${scored ? ((100 * passed) / scored).toFixed(2) : '100.00'}</score>`,
      '  </TestResult>',
    );
  }
  out.push('</Benchmark>', '');
  return out.join('\n');
}
