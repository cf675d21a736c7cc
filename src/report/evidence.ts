/** The evidence report as JSON, Markdown and one self-contained HTML page (prints on A4). Pure. */
import { render } from '../core/templates.js';
import { markdownText } from './neutral.js';
import { foreignLine } from './text.js';
import type { EvidenceReport, EvidenceRow } from './evidence-schema.js';
import { EVIDENCE_GROUPS } from '../resources/registry.js';

export { EVIDENCE_GROUPS };

export function renderEvidenceJson(r: EvidenceReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

const cls = (s: string) => s.replace(/ /g, '-');
const anchor = (row: EvidenceRow) => `r-${row.id.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
const context = (row: EvidenceRow) =>
  row.kind === 'flow' ? [row.platform, row.method].filter(Boolean).join(' / ') + (row.condition ? ` (condition ${row.condition})` : '') : '';

export function renderEvidenceHtml(r: EvidenceReport): string {
  return render('evidence.html.hbs', {
    ...r,
    // "met except N not verifiable" is shown as what it is short of: not verifiable
    verdictClass: r.verdict.startsWith('met except') ? 'not-verifiable' : cls(r.verdict),
    seconds: (r.durationMs / 1000).toFixed(1),
    notAppliedCount: r.notApplied.length,
    notMet: r.requirements
      .filter((x) => x.verdict === 'not met')
      .map((x) => ({ anchor: anchor(x), host: x.host, requirement: x.requirement, reason: x.reason ?? '' })),
    hosts: r.hosts.map((h) => ({ ...h, firewall: h.managed ? (h.firewall ?? '') : 'not managed', owner: h.owner ?? '', error: h.error ?? null })),
    groups: EVIDENCE_GROUPS.map((g) => ({
      id: g.id,
      title: g.title,
      rows: r.requirements
        .filter((x) => x.kind === g.kind)
        .map((x) => ({
          anchor: anchor(x),
          host: x.host,
          requirement: x.requirement,
          sources: x.sources?.join(', ') ?? null,
          context: context(x) || null,
          rootEquivalent: x.rootEquivalent ?? false,
          found: x.found,
          verdict: x.verdict,
          verdictClass: cls(x.verdict),
          reason: x.reason ?? null,
          documents: x.documents.join(', '),
          section: x.section,
        })),
    })).filter((g) => g.rows.length > 0),
    notApplied: r.notApplied.map((n) => ({ ...n, statusClass: cls(n.status), documents: n.documents.join(', ') })),
    otherAccess: otherAccess(r).map((h) => ({
      host: h.host,
      lines: [...h.foreign.notes, ...h.foreign.items.map(foreignLine), ...(h.foreign.errors ?? []).map((e) => `cannot read: ${e}`)],
    })),
  });
}

/** Hosts where something vprov does not own is open (or could not be read): every format lists them. */
function otherAccess(r: EvidenceReport) {
  return r.hosts.flatMap((h) =>
    h.foreign && (h.foreign.items.length > 0 || h.foreign.notes.length > 0 || h.foreign.errors?.length) ? [{ host: h.host, foreign: h.foreign }] : [],
  );
}

/** Markdown: the same sections, for change tickets and wikis. */
export function renderEvidenceMd(r: EvidenceReport): string {
  // Host and inventory text is escaped (no HTML, links or column breaks); vprov's own <br> joins the pieces.
  const cell = markdownText;
  const cells = (parts: readonly string[]) => parts.map(markdownText).join('<br>');
  const out: string[] = [
    `# Requirements evidence: ${r.product.title}`,
    '',
    `**Overall verdict: ${r.verdict}** (exit code ${r.exitCode})`,
    '',
    ...(r.interrupted
      ? [`**INTERRUPTED by ${r.interrupted.signal}**: ${r.interrupted.notStarted} host(s) not started; hosts stopped in flight say so (see their errors)`, '']
      : []),
    `- site: ${r.site}`,
    `- inventory: ${markdownText(r.inventory)}`,
    `- platforms: ${r.platforms.map((p) => `${p.platform}${p.method ? ` / ${p.method}` : ''}${p.options.length ? ` (options: ${p.options.join(', ')})` : ''}`).join('; ')}`,
    `- catalog: ${r.catalog.file}, sha256 \`${r.catalog.sha256}\``,
    `- controller: ${r.controller.user}@${r.controller.host}`,
    `- generated: ${r.generatedAt} (${(r.durationMs / 1000).toFixed(1)} s)`,
    '',
    '## Summary',
    '',
    `met ${r.counts.met} · not met ${r.counts.notMet} · not applicable ${r.counts.notApplicable} · not verifiable ${r.counts.notVerifiable} · not applied / flagged ${r.notApplied.length}`,
    '',
  ];
  for (const x of r.requirements.filter((y) => y.verdict === 'not met')) out.push(`- **not met**: ${x.host}: ${cell(x.requirement)} — ${cell(x.reason ?? '')}`);
  out.push('', '## Hosts', '', '| host | address | roles | firewall | owner | read |', '|---|---|---|---|---|---|');
  for (const h of r.hosts)
    out.push(
      `| ${h.host} | ${cell(h.address)} | ${h.roles.join(', ')} | ${h.managed ? (h.firewall ?? '') : 'not managed'} | ${cell(h.owner ?? '')} | ${cell(h.status + (h.error ? `: ${h.error}` : ''))} |`,
    );
  const other = otherAccess(r);
  if (other.length > 0) {
    out.push('', "## Anything else open (not vprov's: reported, never changed)", '');
    for (const h of other) {
      const f = h.foreign;
      out.push(
        `- **${h.host}**`,
        ...f.notes.map((n) => `  - ${cell(n)}`),
        ...f.items.map((i) => `  - ${cell(foreignLine(i))}`),
        ...(f.errors ?? []).map((e) => `  - cannot read: ${cell(e)}`),
      );
    }
  }
  for (const g of EVIDENCE_GROUPS) {
    const rows = r.requirements.filter((x) => x.kind === g.kind);
    if (rows.length === 0) continue;
    out.push('', `## ${g.title}`, '', '| host | requirement | found on the host | verdict | document, section |', '|---|---|---|---|---|');
    for (const x of rows) {
      const req = cells(
        [x.requirement, x.sources ? `from ${x.sources.join(', ')}` : '', context(x), x.rootEquivalent ? 'root-equivalent' : ''].filter(Boolean),
      );
      const verdict = x.verdict === 'not met' ? `**not met**` : x.verdict;
      out.push(
        `| ${x.host} | ${req} | ${cells(x.found)} | ${verdict}${x.reason ? `: ${cell(x.reason)}` : ''} | ${cell(x.documents.join(', '))}, ${cell(x.section)} |`,
      );
    }
  }
  out.push('', '## Documented requirements not applied, and flagged', '');
  if (r.notApplied.length === 0) out.push('Every documented requirement of the selected platforms is applied.');
  else {
    out.push('| requirement | status | why | document, section |', '|---|---|---|---|');
    for (const n of r.notApplied)
      out.push(`| ${cell(n.requirement)} | ${n.status} | ${cell(n.reason)} | ${cell(n.documents.join(', '))}, ${cell(n.section)} |`);
  }
  out.push('', '## Documents', '');
  for (const d of r.documents) out.push(`- \`${d.file}\`: ${d.title}`);
  if (r.warnings.length) out.push('', '## Warnings', '', ...r.warnings.map((w) => `- ${w}`));
  return `${out.join('\n')}\n`;
}
