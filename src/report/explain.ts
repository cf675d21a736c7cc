/** `vprov explain` as text (for people) and JSON (for scripts). Pure. */
import type { Flow } from '../core/types.js';
import type { Explanation, ExplainQuery } from '../compile/explain.js';

/** The asked port in words: "9100/tcp", "9100/tcp+udp", "icmp", "any port". */
export const portWords = (query: ExplainQuery) => (query.port !== undefined ? `${query.port}/${query.protocol ?? 'tcp+udp'}` : (query.protocol ?? 'any port'));

export function explainText(x: Explanation): string {
  const { query } = x;
  const what = portWords(query);
  const lines: string[] = [];
  const ports = (f: Flow) => `${f.protocol}/${f.ports.join(',') || '-'}`;
  const where = (f: Flow) =>
    (f.product === 'site' ? "the site's own flow" : [f.platformTitle ?? f.platform, f.method].filter(Boolean).join(' / ')) +
    (f.condition ? ` (condition ${f.condition})` : '');
  // A site flow is stated by the inventory, not by a document.
  const cite = (f: Flow) =>
    f.product === 'site' ? `    stated in: ${f.sources.join(', ')}` : `    documented in: ${f.sources.join(', ')} — section "${f.section}"`;
  if (query.from !== undefined) {
    lines.push(`${query.from} may reach${query.host ? ` ${query.host}` : ''} on ${what}:`);
    if (x.flows.length === 0) lines.push(`  nothing: no documented flow of this inventory lets ${query.from} reach ${query.host ?? 'any host'} on ${what}`);
    for (const e of x.flows) {
      lines.push(`  ${e.to} ${ports(e.flow)} — ${e.flow.purpose}${e.managed ? '' : ' (managed: false: vprov does not open it)'}`);
      lines.push(`    flow ${e.flow.id}: ${e.flow.from} → ${e.flow.to}, ${where(e.flow)}`, cite(e.flow));
    }
  } else {
    lines.push(`${query.host} ${what}:`);
    if (x.flows.length === 0) lines.push(`  no documented flow of this inventory opens ${what} on ${query.host}`);
    for (const e of x.flows) {
      const from = [...e.sourceHosts, ...e.sourceNetworks];
      lines.push(
        `  ${ports(e.flow)} open to ${from.join(', ')} — ${e.flow.purpose}${e.managed ? '' : ' (managed: false: verified only, vprov does not open it)'}`,
      );
      lines.push(`    flow ${e.flow.id}: ${e.flow.from} → ${e.flow.to}, ${where(e.flow)}`, cite(e.flow));
    }
  }
  if (x.skipped.length > 0) {
    lines.push('', 'would apply, but skipped:');
    for (const s of x.skipped) {
      lines.push(`  ${s.to ?? '(no host)'} ${ports(s.flow)} — ${s.flow.purpose}`, `    flow ${s.flow.id}: ${s.reason}`, cite(s.flow));
    }
  }
  if (Object.keys(x.documents).length > 0) {
    lines.push('', 'documents:');
    for (const [file, title] of Object.entries(x.documents)) lines.push(`  ${file}: ${title}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--format json`: the same answer, flows flattened to the catalog export's fields. */
export function explainJson(x: Explanation): string {
  const flow = (f: Flow) => ({
    id: f.id,
    platform: f.platform,
    platformTitle: f.platformTitle,
    method: f.method,
    from: f.from,
    to: f.to,
    protocol: f.protocol,
    ports: f.ports,
    purpose: f.purpose,
    condition: f.condition,
    sources: f.sources,
    section: f.section,
  });
  return `${JSON.stringify(
    {
      query: x.query,
      flows: x.flows.map((e) => ({ host: e.to, managed: e.managed, sourceHosts: e.sourceHosts, sourceNetworks: e.sourceNetworks, flow: flow(e.flow) })),
      skipped: x.skipped.map((s) => ({ host: s.to, reason: s.reason, flow: flow(s.flow) })),
      documents: x.documents,
    },
    null,
    2,
  )}\n`;
}
