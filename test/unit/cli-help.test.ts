/**
 * `vprov … --help` describes every option of every command, and `vprov completion` prints a
 * shell completion script. Help goes through yargs's own console output, captured here.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

async function help(args: string[]): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    const code = await main(args, { out: (t) => void lines.push(t), err: (t) => void lines.push(t), isTTY: false });
    expect(code, lines.join('\n')).toBe(0);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return lines.join('\n');
}

/** Option lines of a help text whose description is empty: "  -l, --limit      [string]". */
export function undescribed(text: string): string[] {
  const options = text.split(/^Options:$/m)[1] ?? '';
  return options
    .split('\n')
    .filter((l) => /^\s+-/.test(l))
    .filter((l) => {
      const m = /^\s+((?:-\w, )?--[\w-]+)(.*)$/.exec(l)!;
      return m[2]!.replace(/\[[^\]]*\]?/g, '').trim() === '';
    })
    .map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
}

const COMMANDS = [
  [],
  ['plan'],
  ['apply'],
  ['verify'],
  ['drift'],
  ['explain'],
  ['evidence'],
  ['schedule'],
  ['schedule', 'install'],
  ['schedule', 'remove'],
  ['schedule', 'status'],
  ['schedule', 'export'],
  ['report', 'merge'],
  ['catalog'],
  ['catalog', 'list'],
  ['catalog', 'show'],
  ['catalog', 'lint'],
  ['catalog', 'export'],
  ['inventory'],
  ['inventory', 'check'],
  ['inventory', 'graph'],
];

describe('--help', () => {
  afterEach(() => vi.restoreAllMocks());

  it('finds an option without a description', () => {
    expect(undescribed('Options:\n      --help     show help   [boolean]\n  -l, --limit                 [string]\n      --format   [choices: "a", "b"]\n')).toEqual(['-l, --limit', '--format [choices:']);
  });

  it.each(COMMANDS.map((c) => [c.join(' ') || '(top level)', c] as const))('vprov %s --help describes every option', async (_, args) => {
    const text = await help([...args, '--help']);
    expect(text).toMatch(/^Options:$/m);
    expect(undescribed(text)).toEqual([]);
  });

  it('plan --help explains --limit and --role-map', async () => {
    const text = await help(['plan', '--help']);
    expect(text).toMatch(/--limit\s+only these hosts/);
    expect(text).toMatch(/--role-map\s+Ansible inventories: group=role/);
  });
});

describe('vprov completion', () => {
  it('prints a bash completion script that asks vprov for completions', async () => {
    const text = await help(['completion']);
    expect(text).toMatch(/_vprov_yargs_completions\(\)/);
    expect(text).toMatch(/complete .*-F _vprov_yargs_completions vprov/);
  });

  it('completes commands and subcommands', async () => {
    expect((await help(['--get-yargs-completions', 'vprov', ''])).split('\n')).toEqual(expect.arrayContaining(['plan', 'apply', 'drift', 'catalog', 'completion']));
    expect((await help(['--get-yargs-completions', 'vprov', 'catalog', ''])).split('\n')).toEqual(expect.arrayContaining(['list', 'show', 'lint', 'export']));
  });
});
