/** `vprov catalog …`: read-only views of the shipped catalog. */
import type { Output } from '../output.js';
import { catalogOption, formatOption, type AddCommand } from '../options.js';

export const catalogCommand: AddCommand = (y, { io, done }) =>
  y.command('catalog', 'read the catalog', (yy) =>
    yy
      .option('catalog', catalogOption)
      .command('list', 'products, platforms, methods, roles', {}, (a) => done(catalogList(io, a.catalog as string | undefined)))
      .command(
        'show <product>',
        'the flows and host requirements of a product, as a table',
        (c) =>
          c
            .positional('product', { type: 'string', demandOption: true, describe: 'product id (see catalog list)' })
            .option('platform', { type: 'string', describe: 'only this platform of the product' }),
        (a) => done(catalogShow(io, a.product, a.platform, a.catalog)),
      )
      .command('lint', 'validate the catalog and report the quirks of its source documents', {}, (a) => done(catalogLint(io, a.catalog as string | undefined)))
      .command(
        'export',
        'every flow as JSON',
        (c) => c.option('format', formatOption(['json'], 'json', 'output format')),
        (a) => done(catalogExport(io, a.catalog)),
      )
      .demandCommand(1, 'name a catalog command'),
  );

export async function catalogExport(io: Output, dir?: string): Promise<number> {
  const { loadCatalog } = await import('../../catalog/load.js');
  const { exportHostRequirements, exportRules } = await import('../../catalog/export.js');
  const catalog = loadCatalog(dir);
  io.out(`${JSON.stringify({ rules: exportRules(catalog), hostRequirements: exportHostRequirements(catalog) }, null, 2)}\n`);
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
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

export async function catalogLint(io: Output, dir?: string): Promise<number> {
  const { loadCatalog } = await import('../../catalog/load.js');
  const { lintCatalog } = await import('../../catalog/lint.js');
  const catalog = loadCatalog(dir);
  const findings = lintCatalog(catalog);
  for (const f of findings) io.out(`${f.level}: ${f.product}: ${f.message}\n`);
  const flows = [...catalog.products.values()].reduce((n, p) => n + p.flows.length, 0);
  io.out(`catalog ok: ${catalog.products.size} products, ${flows} flows; ${findings.filter((f) => f.level === 'warning').length} warnings\n`);
  return 0;
}

export async function catalogShow(io: Output, product: string, platform: string | undefined, dir?: string): Promise<number> {
  const { loadCatalog } = await import('../../catalog/load.js');
  const { InputError } = await import('../../core/errors.js');
  const { didYouMean } = await import('../../core/suggest.js');
  const catalog = loadCatalog(dir);
  const p = catalog.products.get(product);
  if (!p) {
    const all = [...catalog.products.values()];
    throw new InputError(
      `unknown product "${product}" (catalog has: ${all.map((x) => x.id).join(', ')})${didYouMean(
        product,
        all.map((x) => ({ name: x.id, title: x.title })),
      )}`,
    );
  }
  if (platform && !p.platforms.some((x) => x.id === platform)) {
    throw new InputError(
      `unknown platform "${platform}" for ${product} (platforms: ${p.platforms.map((x) => x.id).join(', ')})${didYouMean(
        platform,
        p.platforms.map((x) => ({ name: x.id, title: x.title })),
      )}`,
    );
  }
  const rows = p.flows
    .filter((f) => !platform || f.platform === platform)
    .map((f) => [f.platform ?? '', f.method ?? f.section, `${f.from} → ${f.to}`, `${f.ports.join(',') || '-'}/${f.protocol}`, f.condition ?? '', f.purpose]);
  const head = ['platform', 'method', 'flow', 'ports', 'condition', 'purpose'];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.slice(0, widths[i]).padEnd(widths[i]!))).join('  ');
  io.out(`${[`${p.title} (${p.id})`, line(head), ...rows.map(line)].join('\n')}\n`);
  const req = p.requirements;
  if (req.account) io.out(`\naccount: ${req.account.user}, groups ${req.account.groups.join(', ')}\n`);
  for (const [role, s] of Object.entries(req.sudo)) io.out(`sudo (${role}, ${s.commands.length} commands): ${s.commands.join(' ')}\n`);
  if (req.selinux) io.out(`selinux: ${req.selinux.mode} — ${req.selinux.reason}\n`);
  return 0;
}
