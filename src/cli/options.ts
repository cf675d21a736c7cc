/**
 * Options several commands share, each declared once: a command adds the ones it takes with
 * `.option(name, theOption)`, and may override its `describe` where its meaning is narrower.
 */
import type { Argv } from 'yargs';
import type { Output } from './output.js';
import type { Interrupt } from '../app/interrupt.js';
import { seconds, wholeNumber } from './values.js';

/** What a command needs from cli/main.ts: where it prints, and where its exit code goes. */
export interface CommandContext {
  io: Output;
  /** records the command's exit code; the handler returns what this returns, so yargs awaits it */
  done: (code: Promise<number>) => Promise<void>;
  /** SIGINT/SIGTERM for a command that works on hosts (cli/signals.ts); asking installs the handlers */
  interrupt: () => Interrupt;
}

/** Adds one command (with its options and subcommands) to the CLI. */
export type AddCommand = <T>(y: Argv<T>, ctx: CommandContext) => Argv<T>;

export const inventoryOption = { alias: 'i', type: 'string', demandOption: true, describe: 'inventory file (YAML or Ansible)' } as const;
export const limitOption = {
  alias: 'l',
  type: 'string',
  describe: 'only these hosts: names, groups, globs, !exclusions, &intersections, comma-separated',
} as const;
export const roleMapOption = {
  type: 'string',
  array: true,
  describe: 'Ansible inventories: group=role (repeatable); an inventory given directly names vprov_product and vprov_platform in group all',
} as const;
/** Tests and catalog authors only: hidden from --help. */
export const catalogOption = { type: 'string', hidden: true, describe: 'catalog directory (default: the shipped catalog)' } as const;
export const forksOption = {
  alias: 'f',
  type: 'number',
  default: 25,
  coerce: wholeNumber('forks', 1, 1000),
  describe: 'hosts worked on at once (1-1000)',
} as const;
export const timeoutOption = { type: 'number', default: 600, coerce: seconds('timeout', 86_400), describe: 'seconds one host may take' } as const;
export const connectionOption = {
  alias: 'c',
  choices: ['ssh', 'local'] as const,
  default: 'ssh' as const,
  describe: 'local: run on this machine without SSH',
} as const;
export const askBecomePassOption = {
  alias: 'K',
  type: 'boolean',
  default: false,
  describe: 'prompt for the sudo password (or set VPROV_BECOME_PASSWORD)',
} as const;
export const auditLogOption = { type: 'string', describe: 'append one JSON line per host and run to this file' } as const;
export const outputOption = { alias: 'o', type: 'string', describe: 'write the report here (atomically) instead of stdout' } as const;

/** --format: the choices are the command's, the option is the same everywhere. */
export function formatOption<const C extends readonly string[]>(choices: C, byDefault: C[number], describe: string) {
  return { choices, default: byDefault, describe } as const;
}
