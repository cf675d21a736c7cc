/** `vprov inventory check|graph`: validate and compile (no host is contacted). */
import type { Output } from '../output.js';
import { catalogOption, formatOption, inventoryOption, roleMapOption, type AddCommand } from '../options.js';

export const inventoryCommand: AddCommand = (y, { io, done }) =>
  y.command('inventory', 'validate inventories', (yy) =>
    yy
      .option('catalog', catalogOption)
      .option('role-map', roleMapOption)
      .command(
        'check',
        'validate an inventory against the catalog; print warnings',
        (c) => c.option('inventory', inventoryOption),
        (a) => done(inventoryCheck(io, a.inventory, a.roleMap, a.catalog)),
      )
      .command(
        'graph',
        'hosts × roles × flows: who reaches whom, on which ports',
        (c) => c.option('inventory', inventoryOption).option('format', formatOption(['text', 'json', 'dot'], 'text', 'text, JSON or Graphviz dot')),
        (a) => done(inventoryGraph(io, a.inventory, a.format, a.roleMap, a.catalog)),
      )
      .command(
        'schema',
        "the editor JSON Schema, with the catalog's names (products, platforms, methods, options, roles, port parameters) as enums",
        (c) => c.option('output', { alias: 'o', type: 'string', describe: 'write it to this file instead of stdout' }),
        (a) => done(inventorySchemaCmd(io, a.output, a.catalog)),
      )
      .demandCommand(1, 'name an inventory command'),
  );

/** Load catalog + inventory and compile them; notes go to stderr unless `quiet`. */
async function compileFile(io: Output, file: string, roleMap: string[] | undefined, catalogDir: string | undefined, quiet = false) {
  const { loadCatalog } = await import('../../catalog/load.js');
  const { loadInventory } = await import('../../inventory/load.js');
  const { compile } = await import('../../compile/compile.js');
  const { RESOURCES } = await import('../../resources/registry.js');
  const onNotice = quiet ? undefined : (m: string) => io.err(`note: ${m}\n`);
  const { resolveHostAddresses } = await import('../../app/resolve.js');
  const inv = loadInventory(file, loadCatalog(catalogDir), { roleMap, onNotice });
  const result = compile(inv, { modules: RESOURCES, resolved: await resolveHostAddresses(inv) });
  if (!quiet) for (const w of result.warnings) if (!w.acknowledged) io.err(`warning: ${w.message}\n`);
  return result;
}

/** " (1 acknowledged)" when the inventory's acknowledge: silenced some. */
const acknowledgedNote = (warnings: readonly { acknowledged?: boolean }[]) => {
  const n = warnings.filter((w) => w.acknowledged).length;
  return n ? ` (${n} acknowledged)` : '';
};

/** Validate and compile, print warnings; exit 1 on errors. */
export async function inventoryCheck(io: Output, file: string, roleMap: string[] | undefined, catalogDir?: string): Promise<number> {
  const result = await compileFile(io, file, roleMap, catalogDir);
  const rules = result.hosts.reduce((n, h) => n + h.firewall.rules.length, 0);
  io.out(
    `${file}: ok — ${result.hosts.length} hosts, ${result.flows.length} flows selected, ${rules} firewall rules, ${result.warnings.length} warnings${acknowledgedNote(result.warnings)}\n`,
  );
  return 0;
}

/** Hosts × roles × flows as text, JSON (stdout holds only the JSON) or Graphviz dot. */
export async function inventoryGraph(
  io: Output,
  file: string,
  format: 'text' | 'json' | 'dot',
  roleMap: string[] | undefined,
  catalogDir?: string,
): Promise<number> {
  const graph = await import('../../report/graph.js');
  const result = await compileFile(io, file, roleMap, catalogDir, format === 'json');
  io.out(format === 'json' ? graph.graphJson(result) : format === 'dot' ? graph.graphDot(result) : graph.graphText(result));
  return 0;
}

/** The editor schema with the catalog's names as enums, on stdout or written (atomically) to a file. */
export async function inventorySchemaCmd(io: Output, output: string | undefined, catalogDir?: string): Promise<number> {
  const { loadCatalog } = await import('../../catalog/load.js');
  const { inventoryJsonSchema } = await import('../../inventory/json-schema.js');
  const text = `${JSON.stringify(inventoryJsonSchema(loadCatalog(catalogDir)), null, 2)}\n`;
  if (output === undefined || output === '-') {
    io.out(text);
    return 0;
  }
  const { checkWritable, writeAtomic } = await import('../../app/output-file.js');
  checkWritable(output);
  writeAtomic(output, text);
  io.err(`wrote ${output}; name it on an inventory's first line: # yaml-language-server: $schema=${output}\n`);
  return 0;
}
