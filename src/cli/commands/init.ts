/** `vprov init PRODUCT… [--platform P] [--method M] [--output FILE]`: a commented starter inventory. */
import { writeFileSync } from 'node:fs';
import type { Output } from '../output.js';
import { catalogOption, type AddCommand } from '../options.js';

export const initCommand: AddCommand = (y, { io, done }) =>
  y.command(
    'init <products..>',
    'print (or write) a commented starter inventory for a product, from the catalog; never overwrites a file',
    (c) =>
      c
        .positional('products', { type: 'string', array: true, demandOption: true, describe: 'product id(s) (see vprov catalog list)' })
        .option('platform', { type: 'string', describe: 'the platform the deployment protects (needed when the product documents several)' })
        .option('method', { type: 'string', describe: 'the transfer method (needed when the platform documents several)' })
        .option('output', { alias: 'o', type: 'string', describe: 'write it to this new file instead of stdout (an existing file is never overwritten)' })
        .option('catalog', catalogOption),
    (a) => done(runInit(io, { products: a.products as string[], platform: a.platform, method: a.method, output: a.output, catalog: a.catalog })),
  );

interface InitArgs {
  products: string[];
  platform?: string;
  method?: string;
  output?: string;
  catalog?: string;
}

export async function runInit(io: Output, a: InitArgs): Promise<number> {
  const { loadCatalog } = await import('../../catalog/load.js');
  const { starterInventory } = await import('../../app/init.js');
  const { SHIPPED_SCHEMA } = await import('../../inventory/json-schema.js');
  const { InputError } = await import('../../core/errors.js');
  const words = ['vprov init', ...a.products, ...(a.platform ? ['--platform', a.platform] : []), ...(a.method ? ['--method', a.method] : [])];
  const command = words.map((w) => (/^[\w./-]+$/.test(w) || w === 'vprov init' ? w : JSON.stringify(w))).join(' ');
  const text = starterInventory(loadCatalog(a.catalog), { products: a.products, platform: a.platform, method: a.method, schemaPath: SHIPPED_SCHEMA, command });
  if (a.output === undefined || a.output === '-') {
    io.out(text);
    return 0;
  }
  try {
    // wx: created here or not at all; an operator's edited inventory is never replaced.
    writeFileSync(a.output, text, { flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new InputError(`--output ${a.output}: the file exists; vprov init never overwrites a file (choose another name, or remove it)`);
    throw new InputError(`--output ${a.output}: cannot write (${code ?? (err as Error).message})`);
  }
  io.err(`wrote ${a.output}: fill in the addresses, then vprov inventory check -i ${a.output}\n`);
  return 0;
}
