/**
 * Shell completion of names, beside yargs' commands and options: hosts and groups after
 * --limit (from the inventory given with -i), products after `init` and `catalog show`,
 * platforms after --platform and methods after --method (from the product named on the line).
 * Anything unreadable completes nothing rather than failing the shell. Synchronous (yargs prints a
 * completion and stops only when it is given at once): cli/main.ts loads this module, and with it
 * the catalog and inventory loaders, only when the shell asks for completions.
 */
import { loadCatalog } from '../catalog/load.js';
import { loadInventory } from '../inventory/load.js';

type Argv = Record<string, unknown> & { _: (string | number)[] };

const words = (x: unknown): string[] => (Array.isArray(x) ? x.map(String) : typeof x === 'string' ? [x] : []);
const starting = (current: string, names: Iterable<string>) => [...new Set(names)].filter((n) => n.startsWith(current)).sort();

function catalogOf(argv: Argv) {
  return loadCatalog(typeof argv.catalog === 'string' ? argv.catalog : undefined);
}

/** The shell passes the program's own name first: the words after it. */
function positionals(argv: Argv): string[] {
  const words = argv._.map(String);
  return words[0] === 'vprov' || words[0]?.endsWith('/vprov') ? words.slice(1) : words;
}

/** Whether `current` is a name vprov completes (decided without I/O, so yargs' own completion stays synchronous). */
export function completesNames(current: string, argv: Argv): boolean {
  const [command, sub, third] = positionals(argv);
  const completing = (key: string) => typeof argv[key] === 'string' && argv[key] === current;
  if (completing('limit') || completing('platform') || completing('method')) return true;
  if (current.startsWith('-')) return false;
  return (
    (command === 'init' && (sub === undefined || sub === current)) || (command === 'catalog' && sub === 'show' && (third === undefined || third === current))
  );
}

/** The names to offer for `current`, or null when yargs' own completion (commands, options) applies. */
export function completeNames(current: string, argv: Argv): string[] | null {
  try {
    if (!completesNames(current, argv)) return null;
    argv = { ...argv, _: positionals(argv) };
    const command = String(argv._[0] ?? '');
    // yargs has parsed the word being completed as the option's value: that option is being completed.
    const completing = (key: string) => typeof argv[key] === 'string' && argv[key] === current;
    if (completing('limit') && typeof argv.inventory === 'string') {
      const inv = loadInventory(argv.inventory, catalogOf(argv), { roleMap: words(argv.roleMap) });
      // --limit a,b,<TAB>: complete the last term, keep the others (and a leading ! or &).
      const cut = Math.max(current.lastIndexOf(','), current.lastIndexOf(':')) + 1;
      const head = current.slice(0, cut);
      const term = current.slice(cut);
      const sign = /^[!&]/.test(term) ? term[0]! : '';
      return starting(term.slice(sign.length), [...Object.keys(inv.data.hosts), ...Object.keys(inv.data.groups)]).map((n) => `${head}${sign}${n}`);
    }
    // The product word: init's first positional, or catalog show's.
    const product =
      command === 'init'
        ? String(argv._[1] ?? words(argv.products)[0] ?? '')
        : command === 'catalog'
          ? String(argv._[2] ?? words(argv.product)[0] ?? '')
          : undefined;
    if (completing('platform') || completing('method')) {
      const p = product ? catalogOf(argv).products.get(product) : undefined;
      if (!p) return [];
      if (completing('platform'))
        return starting(
          current,
          p.platforms.map((x) => x.id),
        );
      const platform = p.platforms.find((x) => x.id === argv.platform) ?? (p.platforms.length === 1 ? p.platforms[0] : undefined);
      return starting(
        current,
        (platform?.methods ?? []).filter((m): m is string => m !== null),
      );
    }
    const positional = argv._.map(String);
    const productSlot =
      (command === 'init' && !current.startsWith('-')) ||
      (command === 'catalog' && positional[1] === 'show' && positional.length <= 3 && !current.startsWith('-'));
    if (productSlot && (command === 'init' || positional.length === 2 || positional[2] === current)) {
      return starting(current, catalogOf(argv).products.keys());
    }
  } catch {
    return [];
  }
  return null;
}
