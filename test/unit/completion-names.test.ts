/** Shell completion offers names, not only commands and options: hosts, groups, products, platforms, methods. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVprov, VPROV_BIN } from '../helpers/bin.js';

const INV = fileURLToPath(new URL('../../inventories/storware-openstack.yaml', import.meta.url));
/** As the shell asks: the built CLI with yargs' completion request (it prints with console.log). */
const complete = async (...words: string[]) => {
  const r = await startVprov(['--get-yargs-completions', ...words], { limitMs: 60_000 }).done;
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
};

describe('completion of names', () => {
  it('--limit: the inventory’s hosts and groups, also after a comma or a !', async () => {
    const all = await complete('plan', '-i', INV, '--limit', '');
    expect(all).toEqual(expect.arrayContaining(['node1', 'hv1']));
    expect(await complete('plan', '-i', INV, '--limit', 'hv')).toEqual(all.filter((n) => n.startsWith('hv')));
    expect(await complete('drift', '-i', INV, '-l', 'node1,!hv')).toEqual(all.filter((n) => n.startsWith('hv')).map((n) => `node1,!${n}`));
  });

  it('products after init and catalog show', async () => {
    expect(await complete('init', '')).toEqual(['app-layering', 'coriolis', 'olvm', 'storware']);
    expect(await complete('init', 'st')).toEqual(['storware']);
    expect(await complete('catalog', 'show', 'o')).toEqual(['olvm']);
  });

  it('platforms and methods of the product on the line', async () => {
    expect(await complete('init', 'storware', '--platform', 'ov')).toEqual(['ovirt']);
    expect(await complete('init', 'storware', '--platform', 'ovirt', '--method', '')).toEqual([
      'Changed-Block Tracking',
      'Disk Image Transfer',
      'Disk attachment',
      'SSH transfer',
    ]);
    expect(await complete('catalog', 'show', 'storware', '--platform', 'open')).toEqual(['opennebula', 'openshift', 'openstack']);
  });

  it('bash inserts a method title with spaces as one quoted word', async () => {
    // The script `vprov completion` prints, run by bash itself as on <TAB>.
    const script = (await startVprov(['completion'], { limitMs: 60_000 }).done).stdout;
    const dir = mkdtempSync(join(tmpdir(), 'vprov-completion-'));
    writeFileSync(join(dir, 'completion.sh'), script);
    const tab = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `vprov() { "${process.execPath}" "${VPROV_BIN}" "$@"; }
source "$0"; COMP_WORDS=(vprov "$@"); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
_vprov_yargs_completions; printf '%s\\n' "\${COMPREPLY[@]}"`,
          join(dir, 'completion.sh'),
          ...words,
        ],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean);
    expect(tab('init', 'storware', '--platform', 'ovirt', '--method', 'Disk')).toEqual(['"Disk Image Transfer"', '"Disk attachment"']);
    expect(tab('init', 'storware', '--platform', 'ovirt', '--method', 'SSH')).toEqual(['"SSH transfer"']);
  });

  it('commands and options complete as before', async () => {
    expect(await complete('')).toEqual(expect.arrayContaining(['plan', 'apply', 'init']));
    expect(await complete('plan', '--li')).toEqual(expect.arrayContaining(['--limit']));
  });
});
