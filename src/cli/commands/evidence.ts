/** `vprov evidence`: the requirements-coverage report of one deployment. Read-only. */
import type { Interrupt } from '../../app/interrupt.js';
import type { Output } from '../output.js';
import {
  askBecomePassOption,
  catalogOption,
  connectionOption,
  forksOption,
  formatOption,
  inventoryOption,
  outputOption,
  roleMapOption,
  timeoutOption,
  type AddCommand,
} from '../options.js';

export interface EvidenceArgs {
  inventory: string;
  format: 'html' | 'json' | 'md' | 'prometheus' | 'xccdf';
  output?: string;
  forks: number;
  connection?: 'ssh' | 'local';
  askBecomePass?: boolean;
  timeout?: number;
  roleMap?: string[];
  catalog?: string;
}

export const evidenceCommand: AddCommand = (y, { io, done, interrupt }) =>
  y.command(
    'evidence',
    'read-only: every applicable requirement proven on its host (found, verdict, document and section); exit 2 when one is not met',
    (yy) =>
      yy
        .option('inventory', inventoryOption)
        .option(
          'format',
          formatOption(
            ['md', 'html', 'json', 'prometheus', 'xccdf'],
            'md',
            'Markdown, self-contained HTML (prints on A4), JSON (docs/evidence.schema.json), a Prometheus textfile (counts per host and verdict) or XCCDF 1.2 results (OpenSCAP and compliance tools)',
          ),
        )
        .option('output', outputOption)
        .option('forks', forksOption)
        .option('connection', connectionOption)
        .option('ask-become-pass', askBecomePassOption)
        .option('timeout', timeoutOption)
        .option('role-map', roleMapOption)
        .option('catalog', catalogOption),
    (a) => done(runEvidence(a, io, interrupt)),
  );

export async function runEvidence(args: EvidenceArgs, io: Output, interrupt?: () => Interrupt): Promise<number> {
  const [{ collectEvidence }, report] = await Promise.all([import('../../app/evidence.js'), import('../../report/evidence.js')]);
  const quiet = (args.format === 'json' || args.format === 'prometheus' || args.format === 'xccdf') && !args.output;
  const becomePassword = args.askBecomePass ? await (await import('../prompt.js')).promptSecret('BECOME password: ') : process.env.VPROV_BECOME_PASSWORD;
  const r = await collectEvidence({
    inventory: args.inventory,
    catalogDir: args.catalog,
    roleMap: args.roleMap,
    forks: args.forks,
    connection: args.connection,
    becomePassword,
    hostTimeoutMs: args.timeout ? args.timeout * 1000 : undefined,
    interrupt: interrupt?.(),
    onWarning: quiet ? undefined : (m) => io.err(`warning: ${m}\n`),
  });
  const body =
    args.format === 'json'
      ? report.renderEvidenceJson(r)
      : args.format === 'html'
        ? report.renderEvidenceHtml(r)
        : args.format === 'prometheus'
          ? (await import('../../report/evidence-prometheus.js')).renderEvidencePrometheus(r)
          : args.format === 'xccdf'
            ? (await import('../../report/xccdf.js')).renderXccdf(r)
            : report.renderEvidenceMd(r);
  if (args.output) {
    const { writeAtomic } = await import('../../app/output-file.js');
    writeAtomic(args.output, body);
    const stopped = r.interrupted ? ` (interrupted by ${r.interrupted.signal}: ${r.interrupted.notStarted} not started)` : '';
    io.out(
      `evidence: ${r.verdict} — met ${r.counts.met}, not met ${r.counts.notMet}, not applicable ${r.counts.notApplicable}, not verifiable ${r.counts.notVerifiable}${stopped}; ${args.format} written to ${args.output}\n`,
    );
  } else {
    io.out(body);
  }
  return r.exitCode;
}
