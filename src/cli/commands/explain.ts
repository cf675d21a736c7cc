/** `vprov explain`: why a port is open on a host, or what a host may reach. No host is contacted. */
import { InputError } from '../../core/errors.js';
import type { Output } from '../output.js';

export interface ExplainArgs {
  inventory: string;
  target?: string;
  from?: string;
  format: 'text' | 'json';
  roleMap?: string[];
  catalog?: string;
}

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
