/** `vprov report merge`: join the JSON reports of drift shards into one. */
import { type Output, writeChunks } from '../output.js';
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
  const [{ mergeFiles }, { exitCodeOf }] = await Promise.all([import('../../app/merge.js'), import('../../app/exit-code.js')]);
  // Streamed: each shard's hosts are read one at a time and written back from disk, in host order.
  const merged = mergeFiles(files);
  try {
    const code = exitCodeOf(merged.report);
    const chunks = merged.chunks(format as 'json' | 'text' | 'prometheus', code);
    if (output) (await import('../../app/output-file.js')).writeAtomic(output, chunks);
    else await writeChunks(io, chunks);
    return code;
  } finally {
    merged.close();
  }
}
