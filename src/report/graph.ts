/** `inventory graph`: hosts × roles × flows, as a table, JSON or Graphviz dot. Pure. */
import type { CompileResult } from '../compile/compile.js';

export function graphJson(c: CompileResult): string {
  return `${JSON.stringify(
    {
      hosts: c.hosts.map((h) => ({ name: h.name, address: h.address, roles: h.roles, managed: h.managed })),
      edges: c.edges.map((e) => ({
        flow: e.flow.id,
        from: [...e.sourceHosts, ...e.sourceNetworks],
        to: e.dest,
        protocol: e.flow.protocol,
        ports: e.flow.ports,
        purpose: e.flow.purpose,
      })),
      warnings: c.warnings.map((w) => w.message),
    },
    null,
    2,
  )}\n`;
}

export function graphText(c: CompileResult): string {
  const lines = ['HOSTS'];
  const w = Math.max(4, ...c.hosts.map((h) => h.name.length));
  for (const h of c.hosts) lines.push(`  ${h.name.padEnd(w)}  ${h.address.padEnd(15)}  ${h.roles.join(',')}${h.managed ? '' : '  (managed: false)'}`);
  lines.push('', 'FLOWS (destination ← sources: protocol/ports — purpose)');
  for (const e of c.edges) {
    const from = [...e.sourceHosts, ...e.sourceNetworks].join(', ');
    lines.push(`  ${e.dest.padEnd(w)} ← ${from}: ${e.flow.protocol}/${e.flow.ports.join(',') || '-'} — ${e.flow.purpose} [${e.flow.id}]`);
  }
  return `${lines.join('\n')}\n`;
}

export function graphDot(c: CompileResult): string {
  const id = (s: string) => JSON.stringify(s);
  const lines = ['digraph vprov {', '  rankdir=LR;', '  node [shape=box];'];
  for (const h of c.hosts) lines.push(`  ${id(h.name)} [label=${id(`${h.name}\n${h.roles.join(',')}`)}${h.managed ? '' : ', style=dashed'}];`);
  const networks = new Set(c.edges.flatMap((e) => e.sourceNetworks));
  for (const n of networks) lines.push(`  ${id(n)} [shape=ellipse];`);
  for (const e of c.edges) {
    for (const s of [...e.sourceHosts, ...e.sourceNetworks]) {
      lines.push(`  ${id(s)} -> ${id(e.dest)} [label=${id(`${e.flow.protocol}/${e.flow.ports.join(',') || '-'}`)}];`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
