/** `vprov report merge`: join the JSON reports of drift shards into one. */
import type { Output } from '../output.js';
import { formatOption, outputOption, type AddCommand } from '../options.js';

export const reportCommand: AddCommand = (y, { io, done }) =>
  y.command('report', 'work with JSON reports', (yy) =>
    yy
      .command(
        'merge <files..>',
        'join shard JSON reports into one',
        (c) =>
          c
            .positional('files', { type: 'string', array: true, demandOption: true, describe: 'JSON reports of the shards' })
            .option(
              'format',
              formatOption(
                ['text', 'json', 'prometheus'],
                'json',
                "format of the merged report (prometheus: a textfile; one shard's report keeps its shard label)",
              ),
            )
            .option('output', outputOption),
        (a) => done(reportMerge(a.files as string[], a.format, io, a.output)),
      )
      .demandCommand(1, 'name a report command'),
  );

export async function reportMerge(files: string[], format: string, io: Output, output?: string): Promise<number> {
  const [{ mergeReports, readReport }, { exitCodeOf }, { renderJson }, { renderText }] = await Promise.all([
    import('../../app/merge.js'),
    import('../../app/exit-code.js'),
    import('../../report/json.js'),
    import('../../report/text.js'),
  ]);
  const merged = mergeReports(files.map(readReport));
  const code = exitCodeOf(merged);
  const body =
    format === 'json'
      ? renderJson(merged, code)
      : format === 'prometheus'
        ? (await import('../../report/prometheus.js')).renderPrometheus(merged)
        : renderText(merged);
  if (output) (await import('../../app/output-file.js')).writeAtomic(output, body);
  else io.out(body);
  return code;
}
