/**
 * Shell completion of names, beside yargs' commands and options: hosts and groups after
 * --limit (from the inventory given with -i), products after `init` and `catalog show`,
 * platforms after --platform and methods after --method (from the product named on the line).
 * Anything unreadable completes nothing rather than failing the shell.
 */
type Argv = Record<string, unknown> & { _: (string | number)[] };

const words = (x: unknown): string[] => (Array.isArray(x) ? x.map(String) : typeof x === 'string' ? [x] : []);
const starting = (current: string, names: Iterable<string>) => [...new Set(names)].filter((n) => n.startsWith(current)).sort();

async function catalogOf(argv: Argv) {
  const { loadCatalog } = await import('../catalog/load.js');
  return loadCatalog(typeof argv.catalog === 'string' ? argv.catalog : undefined);
}

/** The names to offer for `current`, or null when yargs' own completion (commands, options) applies. */
export async function completeNames(current: string, argv: Argv): Promise<string[] | null> {
  try {
    const command = String(argv._[0] ?? '');
    // yargs has parsed the word being completed as the option's value: that option is being completed.
    const completing = (key: string) => typeof argv[key] === 'string' && argv[key] === current;
    if (completing('limit') && typeof argv.inventory === 'string') {
      const { loadInventory } = await import('../inventory/load.js');
      const inv = loadInventory(argv.inventory, await catalogOf(argv), { roleMap: words(argv.roleMap) });
      // --limit a,b,<TAB>: complete the last term, keep the others (and a leading ! or &).
      const cut = Math.max(current.lastIndexOf(','), current.lastIndexOf(':')) + 1;
      const head = current.slice(0, cut);
      const term = current.slice(cut);
      const sign = /^[!&]/.test(term) ? term[0]! : '';
      return starting(term.slice(sign.length), [...Object.keys(inv.data.hosts), ...Object.keys(inv.data.groups)]).map((n) => `${head}${sign}${n}`);
    }
    // The product word: init's first positional, or catalog show's.
    const product = command === 'init' ? String(argv._[1] ?? words(argv.products)[0] ?? '') : command === 'catalog' ? String(argv._[2] ?? words(argv.product)[0] ?? '') : undefined;
    if (completing('platform') || completing('method')) {
      const p = product ? (await catalogOf(argv)).products.get(product) : undefined;
      if (!p) return [];
      if (completing('platform')) return starting(current, p.platforms.map((x) => x.id));
      const platform = p.platforms.find((x) => x.id === argv.platform) ?? (p.platforms.length === 1 ? p.platforms[0] : undefined);
      return starting(current, (platform?.methods ?? []).filter((m): m is string => m !== null));
    }
    const positional = argv._.map(String);
    const productSlot = (command === 'init' && !current.startsWith('-')) || (command === 'catalog' && positional[1] === 'show' && positional.length <= 3 && !current.startsWith('-'));
    if (productSlot && (command === 'init' || positional.length === 2 || positional[2] === current)) {
      return starting(current, (await catalogOf(argv)).products.keys());
    }
  } catch {
    return [];
  }
  return null;
}
