/** `vprov catalog …`: read-only views of the shipped catalog. */
import type { Output } from '../output.js';

export async function catalogExport(io: Output, dir?: string): Promise<number> {
  const { loadCatalog } = await import('../../catalog/load.js');
  const { exportRules } = await import('../../catalog/export.js');
  io.out(JSON.stringify({ rules: exportRules(loadCatalog(dir)) }, null, 2) + '\n');
  return 0;
}

export async function catalogList(io: Output, dir?: string): Promise<number> {
  const { loadCatalog } = await import('../../catalog/load.js');
  const catalog = loadCatalog(dir);
  const lines: string[] = [];
  for (const p of catalog.products.values()) {
    lines.push(`${p.id}: ${p.title}`);
    lines.push(`  roles: ${Object.keys(p.roles).join(', ')}`);
    for (const pl of p.platforms) {
      const methods = pl.methods.filter(Boolean);
      lines.push(`  ${pl.id} (${pl.title})${methods.length ? `: ${methods.join(', ')}` : ''}`);
    }
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}
