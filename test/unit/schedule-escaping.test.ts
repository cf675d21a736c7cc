/**
 * Scheduled commands run exactly as shown: `%` and `$` in the inventory path and the --on-drift
 * hook survive systemd's specifier/variable expansion and cron's `%` rule; `--name` is checked.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { vprov } from '../helpers/cli.js';
import { prerequisite } from '../helpers/prerequisite.js';

const olvm = fileURLToPath(new URL('../../inventories/olvm.yaml', import.meta.url));
const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

/** An inventory whose path holds what systemd and cron would otherwise rewrite. */
function hostileInventory(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'vprov-sched-')), '100%d $HOME %n ${X} a\\%b');
  mkdirSync(dir);
  const inv = join(dir, "it's%%-$$.yaml");
  copyFileSync(olvm, inv);
  return inv;
}
const hook = `printf '%s\\n' "drift 100% at $(date +%F) in $HOME" | logger -t 'vprov ${'$'}{X} \\%x' ; echo a\\%b`;

/** How sh splits the shown command into argv (its quoting is the reference). */
function shArgv(command: string): string[] {
  return execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${command}`], { encoding: 'utf8' })
    .split('\0')
    .slice(0, -1);
}

/**
 * ExecStart= as systemd.service(5) and systemd.unit(5) document it: words, double quotes with C
 * escapes, then `%%` → `%` (specifiers) and `$$` → `$` (variables); any other `%x` or `$X` would be expanded.
 */
function systemdArgv(execStart: string): string[] {
  const words: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(execStart)) && m[0].trim()) {
    const raw = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
    expect(raw.replace(/%%|\$\$/g, '')).not.toMatch(/%|\$/); // nothing left for systemd to expand
    words.push(raw.replace(/%%/g, '%').replace(/\$\$/g, '$'));
  }
  return words;
}

/** Debian cron (do_command.c): `\%` becomes `%`; the first bare `%` ends the command (the rest is stdin). */
function cronCommand(text: string): { command: string; stdin: string | undefined } {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '%') {
      out += '%';
      i++;
    } else if (text[i] === '%') return { command: out, stdin: text.slice(i + 1) };
    else out += text[i];
  }
  return { command: out, stdin: undefined };
}

const shown = (stdout: string) => /^runs: (.*)$/m.exec(stdout)?.[1];

describe('schedule escaping', () => {
  it('systemd: ExecStart, as systemd unescapes it, is the shown command; the unit verifies', async () => {
    const inv = hostileInventory();
    const dir = mkdtempSync(join(tmpdir(), 'vprov-units-'));
    const r = await vprov('schedule', 'install', '--no-verify', '-i', inv, '--every', '1h', '--dir', dir, '--on-drift', hook);
    expect(r.code, r.stderr).toBe(0);
    const command = shown(r.stdout)!;
    expect(command).toBeDefined();
    const argv = shArgv(command);
    expect(argv.slice(2)).toEqual(['drift', '-i', inv, '--on-drift', hook]);
    const service = readFileSync(join(dir, 'vprov-drift.service'), 'utf8');
    expect(systemdArgv(/^ExecStart=(.*)$/m.exec(service)![1]!)).toEqual(argv);
    expect(/^Description=(.*)$/m.exec(service)![1]!.replace(/%%/g, '%')).toBe(`vprov drift check of ${inv}`);
    if (prerequisite('systemd-analyze', !!analyze, '.ci/run installs the systemd package')) {
      execFileSync(analyze!, ['verify', join(dir, 'vprov-drift.service'), join(dir, 'vprov-drift.timer')], { stdio: 'pipe' });
    }
  });

  it("cron: the line, after cron's % rule, is the shown command and sends nothing on stdin", async () => {
    const inv = hostileInventory();
    const dir = mkdtempSync(join(tmpdir(), 'vprov-cron-'));
    const r = await vprov('schedule', 'install', '--no-verify', '-i', inv, '--every', '1h', '--cron', '--dir', dir, '--on-drift', hook);
    expect(r.code, r.stderr).toBe(0);
    const command = shown(r.stdout)!;
    const line = readFileSync(join(dir, 'vprov-drift'), 'utf8')
      .split('\n')
      .find((l) => /^0 \* \* \* \* /.test(l))!;
    const cron = cronCommand(line.replace(/^(\S+\s+){6}/, ''));
    expect(cron).toEqual({ command, stdin: undefined });
    expect(shArgv(cron.command).slice(2)).toEqual(['drift', '-i', inv, '--on-drift', hook]);
  });

  it('refuses a line break in a scheduled command, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-units-'));
    const r = await vprov('schedule', 'install', '--no-verify', '-i', olvm, '--dir', dir, '--on-drift', 'true\nExecStartPost=/bin/sh -c id');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/control characters/);
    expect(readdirSync(dir)).toEqual([]);
  });

  for (const name of ['../../etc/passwd', 'a b', '', 'x.service', 'x'.repeat(65), 'drift;id', 'é']) {
    it(`--name ${JSON.stringify(name)} is refused with the accepted form, nothing written`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vprov-units-'));
      for (const args of [
        ['install', '-i', olvm, '--dir', dir],
        ['install', '-i', olvm, '--cron', '--dir', dir],
        ['remove', '--dir', dir],
        ['status', '--dir', dir],
      ]) {
        const r = await vprov('schedule', ...args, '--name', name);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr).toContain('expected 1 to 64 letters, digits');
        expect(readdirSync(dir)).toEqual([]);
      }
    });
  }

  it('accepts the documented form', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-units-'));
    expect((await vprov('schedule', 'install', '--no-verify', '-i', olvm, '--dir', dir, '--name', `Drift_${'x'.repeat(56)}-1`)).code).toBe(0);
    expect(readdirSync(dir)).toHaveLength(2);
  });
});
