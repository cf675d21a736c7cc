/** `vprov explain`: why a port is open on a host, or what a host may reach. No host is contacted, unless --live asks the host too. */
import { InputError } from '../../core/errors.js';
import { EXIT_HOST_FAILED } from '../../core/exit.js';
import type { Output } from '../output.js';
import {
  askBecomePassOption,
  catalogOption,
  connectionOption,
  formatOption,
  inventoryOption,
  roleMapOption,
  timeoutOption,
  type AddCommand,
} from '../options.js';

export interface ExplainArgs {
  inventory: string;
  target?: string;
  from?: string;
  format: 'text' | 'json';
  roleMap?: string[];
  catalog?: string;
  live?: boolean;
  askBecomePass?: boolean;
  connection?: 'ssh' | 'local';
  timeout?: number;
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
        .option('live', {
          type: 'boolean',
          default: false,
          describe: "also read the host now (one check-mode connection, nothing changed): vprov's rules in sync or not, and what else opens the port there",
        })
        .option('ask-become-pass', askBecomePassOption)
        .option('connection', connectionOption)
        .option('timeout', timeoutOption)
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
  if (!args.live) {
    io.out(json ? render.explainJson(answer) : render.explainText(answer));
    return 0;
  }
  const host = answer.query.host;
  if (host === undefined || args.from !== undefined) throw new InputError('--live reads the host a port is open on: give HOST[:PORT[/PROTO]], not --from');
  // A managed: false host is never logged into: there is nothing to read, and no answer to give about it.
  if (compiled.hosts.some((h) => h.name === host && !h.managed))
    throw new InputError(
      `--live: ${host} is managed: false: vprov never logs into it; explain without --live shows its flows, verify --connectivity probes them`,
    );
  const [{ convergeAll }, { becomePassword }, live] = await Promise.all([
    import('../../app/converge-all.js'),
    import('../become-password.js'),
    import('../../report/explain-live.js'),
  ]);
  const report = await convergeAll({
    inventory: args.inventory,
    catalogDir: args.catalog,
    roleMap: args.roleMap,
    check: true,
    command: 'verify',
    limit: host,
    connection: args.connection,
    becomePassword: await becomePassword(args.askBecomePass ?? false),
    hostTimeoutMs: args.timeout ? args.timeout * 1000 : undefined,
    onWarning: json ? undefined : (m) => io.err(`warning: ${m}\n`),
  });
  const onHost = live.liveAnswer(report.hosts.find((h) => h.host === host)!, answer.query);
  if (json) {
    const doc = JSON.parse(render.explainJson(answer)) as Record<string, unknown>;
    io.out(`${JSON.stringify({ ...doc, live: onHost }, null, 2)}\n`);
  } else {
    io.out(render.explainText(answer) + live.liveText(onHost, render.portWords(answer.query)));
  }
  // Only a host that could not be read fails explain: drift is drift's to report.
  return live.liveFailed(onHost) ? EXIT_HOST_FAILED : 0;
}
