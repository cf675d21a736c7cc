/** `vprov inventory check`: validate and compile, print warnings; exit 1 on errors. */
import type { Output } from '../output.js';

export async function inventoryCheck(io: Output, file: string, roleMap: string[] | undefined, catalogDir?: string): Promise<number> {
  const { loadCatalog } = await import('../../catalog/load.js');
  const { loadInventory } = await import('../../inventory/load.js');
  const { compile } = await import('../../compile/compile.js');
  const inv = loadInventory(file, loadCatalog(catalogDir), { roleMap, onNotice: (m) => io.err(`note: ${m}\n`) });
  const result = compile(inv);
  for (const w of result.warnings) io.err(`warning: ${w.message}\n`);
  const rules = result.hosts.reduce((n, h) => n + h.firewall.rules.length, 0);
  io.out(`${file}: ok — ${result.hosts.length} hosts, ${result.flows.length} flows selected, ${rules} firewall rules, ${result.warnings.length} warnings\n`);
  return 0;
}

export async function inventoryGraph(io: Output, file: string, format: 'text' | 'json' | 'dot', roleMap: string[] | undefined, catalogDir?: string): Promise<number> {
  const { loadCatalog } = await import('../../catalog/load.js');
  const { loadInventory } = await import('../../inventory/load.js');
  const { compile } = await import('../../compile/compile.js');
  const graph = await import('../../report/graph.js');
  const result = compile(loadInventory(file, loadCatalog(catalogDir), { roleMap }));
  if (format !== 'json') for (const w of result.warnings) io.err(`warning: ${w.message}\n`);
  io.out(format === 'json' ? graph.graphJson(result) : format === 'dot' ? graph.graphDot(result) : graph.graphText(result));
  return 0;
}
