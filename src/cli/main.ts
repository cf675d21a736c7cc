/**
 * vprov CLI: wires the commands (each with its options, in commands/) and catches typed errors
 * here, in one place, mapping them to exit codes.
 */
import yargs from 'yargs';
import { InputError, describeError } from '../core/errors.js';
import { EXIT_HOST_FAILED, EXIT_INPUT } from '../core/exit.js';
import { vprovVersion } from '../app/run-identity.js';
import { processOutput, type Output } from './output.js';
import { interrupts } from './signals.js';
import type { AddCommand, CommandContext } from './options.js';
import { applyCommand, planCommand, verifyCommand } from './commands/converge.js';
import { catalogCommand } from './commands/catalog.js';
import { inventoryCommand } from './commands/inventory.js';
import { driftCommand } from './commands/drift.js';
import { explainCommand } from './commands/explain.js';
import { evidenceCommand } from './commands/evidence.js';
import { scheduleCommand } from './commands/schedule.js';
import { reportCommand } from './commands/report.js';
import { initCommand } from './commands/init.js';

/** Every command, in the order --help lists them; each one's options live beside it in commands/. */
const COMMANDS: readonly AddCommand[] = [
  initCommand,
  planCommand,
  applyCommand,
  verifyCommand,
  driftCommand,
  explainCommand,
  evidenceCommand,
  scheduleCommand,
  reportCommand,
  catalogCommand,
  inventoryCommand,
];

/**
 * yargs lays out the whole help text after every command, to print it should the command fail
 * later; vprov's fail handler never prints it, and the layout was ≈20 ms of every run. `--help`
 * and usage errors render their help when asked, as before.
 */
function withoutHelpCache(cli: ReturnType<typeof yargs>): void {
  const internals = cli as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = internals.getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

export async function main(argv: string[], io: Output = processOutput): Promise<number> {
  let code = 0;
  const set = (p: Promise<number>) => p.then((c) => void (code = c));
  const signals = interrupts(io);
  try {
    // Names (hosts, products, …) are completed synchronously from modules loaded only when the shell asks.
    const completion = argv.includes('--get-yargs-completions') ? await import('./completion.js') : undefined;
    const cli = yargs(argv);
    withoutHelpCache(cli);
    const ctx: CommandContext = { io, done: set, interrupt: signals.get };
    let wired = cli
      .scriptName('vprov')
      .usage('$0 <command> [options]\n\nProvision documented firewall flows, service accounts, sudoers, SELinux and host requirements over SSH.');
    for (const add of COMMANDS) wired = add(wired, ctx);
    await wired
      .demandCommand(1, 'name a command (see --help)')
      .strict()
      .exitProcess(false)
      .fail((msg, err) => {
        // yargs' own errors (unknown option, a value refused by a coerce check) are bad input.
        if (!err || err.name === 'YError') throw new InputError(msg ?? err?.message ?? 'invalid arguments');
        throw err;
      })
      .completion(
        'completion',
        'print a bash/zsh completion script (add `source <(vprov completion)` to ~/.bashrc or ~/.zshrc); it completes host, group, product, platform and method names too',
        (
          current: string,
          argv: Record<string, unknown>,
          fallback: (done: (err: Error | null, list?: string[]) => void) => void,
          done: (list: string[]) => void,
        ) => {
          const names = completion?.completeNames(current, argv as never) ?? null;
          if (names === null) fallback((_err, list) => done(list ?? []));
          else done(names);
        },
      )
      .help('help', 'show help (every command has its own: vprov COMMAND --help)')
      // Given, not guessed: yargs would look for a package.json above its own file, which in the bundle is not ours.
      .version(vprovVersion())
      .describe('version', 'show the version of vprov')
      .parseAsync();
  } catch (err) {
    if (err instanceof InputError) {
      io.err(`error: ${err.message}\n`);
      for (const d of err.details.slice(1)) io.err(`error: ${d}\n`);
      return EXIT_INPUT;
    }
    // Not bad input: a failure of vprov itself or of its environment, maybe after hosts were
    // contacted. Exit 1 would claim nothing was touched; bit 4 says "failed", with context.
    const frame = err instanceof Error ? /\n\s+at (.+)/.exec(err.stack ?? '')?.[1] : undefined;
    io.err(`error: vprov failed unexpectedly (${err instanceof Error ? err.name : typeof err}: ${describeError(err)}${frame ? `, at ${frame}` : ''})\n`);
    return EXIT_HOST_FAILED;
  } finally {
    signals.release();
  }
  return code;
}
