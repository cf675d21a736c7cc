/** `vprov explain`: why a port is open on a host, or what a host may reach. No host is contacted. */
import { InputError } from '../../core/errors.js';
import type { Output } from '../output.js';
import { catalogOption, formatOption, inventoryOption, roleMapOption, type AddCommand } from '../options.js';

export interface ExplainArgs {
  inventory: string;
  target?: string;
  from?: string;
  format: 'text' | 'json';
  roleMap?: string[];
  catalog?: string;
}

export const explainCommand: AddCommand = (y, { io, done }) =>
  y.command(
    'explain [target]',
    'why a port is open on a host (HOST[:PORT[/PROTO]]), or with --from HOST what that host may reach: each flow with its document and section',
    (yy) =>
      yy
        .positional('target', { type: 'string', describe: 'HOST, HOST:PORT, HOST:PORT/PROTO or HOST/icmp' })
        .option('inventory', inventoryOption)
        .option('from', { type: 'string', describe: 'the reverse question: what this host may reach, where and why' })
        .option('format', formatOption(['text', 'json'], 'text', 'text for people, one JSON document for scripts'))
        .option('role-map', roleMapOption)
        .option('catalog', catalogOption),
    (a) => done(runExplain(a, io)),
  );

export async function runExplain(args: ExplainArgs, io: Output): Promise<number> {
  const [{ prepareRun }, { explain, parseTarget }, render] = await Promise.all([
    import('../../app/converge-all.js'),
    import('../../compile/explain.js'),
    import('../../report/explain.js'),
  ]);
  if (args.target === undefined && args.from === undefined) throw new InputError('explain needs HOST[:PORT[/PROTO]] or --from HOST');
  const target = args.target === undefined ? {} : parseTarget(args.target);
  const json = args.format === 'json';
  const { inv, compiled } = await prepareRun({
    inventory: args.inventory,
    catalogDir: args.catalog,
    roleMap: args.roleMap,
    onWarning: json ? undefined : (m) => io.err(`warning: ${m}\n`),
  });
  const answer = explain(inv, compiled, { ...target, ...(args.from !== undefined ? { from: args.from } : {}) });
  io.out(json ? render.explainJson(answer) : render.explainText(answer));
  return 0;
}
