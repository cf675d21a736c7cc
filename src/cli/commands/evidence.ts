/** `vprov evidence`: the requirements-coverage report of one deployment. Read-only. */
import type { Output } from '../output.js';

export interface EvidenceArgs {
  inventory: string;
  format: 'html' | 'json' | 'md';
  output?: string;
  forks: number;
  connection?: 'ssh' | 'local';
  askBecomePass?: boolean;
  timeout?: number;
  roleMap?: string[];
  catalog?: string;
}

export async function runEvidence(args: EvidenceArgs, io: Output): Promise<number> {
  const [{ collectEvidence }, report] = await Promise.all([import('../../app/evidence.js'), import('../../report/evidence.js')]);
  const quiet = args.format === 'json' && !args.output;
  const becomePassword = args.askBecomePass ? await (await import('../prompt.js')).promptSecret('BECOME password: ') : process.env.VPROV_BECOME_PASSWORD;
  const r = await collectEvidence({
    inventory: args.inventory,
    catalogDir: args.catalog,
    roleMap: args.roleMap,
    forks: args.forks,
    connection: args.connection,
    becomePassword,
    hostTimeoutMs: args.timeout ? args.timeout * 1000 : undefined,
    onWarning: quiet ? undefined : (m) => io.err(`warning: ${m}\n`),
  });
  const body = args.format === 'json' ? report.renderEvidenceJson(r) : args.format === 'html' ? report.renderEvidenceHtml(r) : report.renderEvidenceMd(r);
  if (args.output) {
    const { writeAtomic } = await import('../../app/output-file.js');
    writeAtomic(args.output, body);
    io.out(`evidence: ${r.verdict} — met ${r.counts.met}, not met ${r.counts.notMet}, not applicable ${r.counts.notApplicable}, not verifiable ${r.counts.notVerifiable}; ${args.format} written to ${args.output}\n`);
  } else {
    io.out(body);
  }
  return r.exitCode;
}
