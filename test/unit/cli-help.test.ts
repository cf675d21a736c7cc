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

/** Subcommands a help text lists: "  vprov catalog show <product>  …" → ['catalog', 'show']. */
export function subcommands(text: string): string[][] {
  const section = /^Commands:$([\s\S]*?)^$/m.exec(text)?.[1] ?? '';
  return [...section.matchAll(/^ {2}vprov ((?:[a-z][\w-]* ?)+)/gm)].map((m) => m[1]!.trim().split(' ')).filter((c) => c[0] !== 'completion');
}

/** Every command path, found by walking the help texts: new commands are covered without a list. */
async function allCommands(): Promise<string[][]> {
  const found: string[][] = [[]];
  for (let i = 0; i < found.length; i++) {
    for (const c of subcommands(await help([...found[i]!, '--help']))) if (c.length > found[i]!.length) found.push(c);
  }
  return found;
}

describe('--help', () => {
  afterEach(() => vi.restoreAllMocks());

  it('finds an option without a description', () => {
    expect(
      undescribed('Options:\n      --help     show help   [boolean]\n  -l, --limit                 [string]\n      --format   [choices: "a", "b"]\n'),
    ).toEqual(['-l, --limit', '--format [choices:']);
  });

  it('every command of every level describes every option', async () => {
    const commands = await allCommands();
    expect(commands.map((c) => c.join(' '))).toEqual(
      expect.arrayContaining([
        '',
        'plan',
        'drift',
        'explain',
        'evidence',
        'schedule install',
        'schedule export',
        'report merge',
        'catalog show',
        'inventory graph',
      ]),
    );
    const missing: string[] = [];
    for (const c of commands) {
      const text = await help([...c, '--help']);
      expect(text, c.join(' ')).toMatch(/^Options:$/m);
      for (const o of undescribed(text)) missing.push(`vprov ${c.join(' ')}: ${o}`.replace('  ', ' '));
    }
    expect(missing).toEqual([]);
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
    expect((await help(['--get-yargs-completions', 'vprov', ''])).split('\n')).toEqual(
      expect.arrayContaining(['plan', 'apply', 'drift', 'catalog', 'completion']),
    );
    expect((await help(['--get-yargs-completions', 'vprov', 'catalog', ''])).split('\n')).toEqual(expect.arrayContaining(['list', 'show', 'lint', 'export']));
  });
});
