/**
 * The commit-confirm rollback on the host, run by a real sh in a scratch directory with a
 * recording nft: each run's timer and confirmation act on that run's change only. A confirmed
 * change's timer, still sleeping, never fires a later change's rollback; a change still
 * unconfirmed is superseded by the next one, which keeps the table it saved (the last confirmed
 * one) as its own rollback; one run's confirmation never confirms another's change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armRollbackScript, confirmRollbackScript } from '../../src/resources/firewall-nftables.js';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A host in a directory: /run/vprov is DIR/run; nft prints the table it is asked for (TABLE file) and records every call. */
function host() {
  dir = mkdtempSync(join(tmpdir(), 'vprov-confirm-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'table'), 'table 0\n');
  writeFileSync(
    join(dir, 'bin', 'nft'),
    `#!/bin/sh\necho "nft $*" >> '${dir}/calls'\ncase "$1" in list) cat '${dir}/table' ;; -f) cp "$2" '${dir}/restored' ;; esac\n`,
    { mode: 0o755 },
  );
  const sh = (run: string, script: string) =>
    spawnSync('/bin/sh', ['-c', `( set -e\n${script.replaceAll('/run/vprov', join(dir, 'run'))}\n)`], {
      env: { PATH: `${dir}/bin:/usr/bin:/bin`, VPROV_RUN: run },
      encoding: 'utf8',
    });
  return {
    /** arm a rollback for a change to table N, as run `run` */
    arm: (run: string, seconds: number, table: string) => {
      const r = sh(run, armRollbackScript(seconds));
      writeFileSync(join(dir, 'table'), `${table}\n`); // the change is live
      return r;
    },
    confirm: (run: string) => sh(run, confirmRollbackScript('true')),
    restored: () => (existsSync(join(dir, 'restored')) ? readFileSync(join(dir, 'restored'), 'utf8') : null),
    markers: () => readdirSync(join(dir, 'run')).filter((f) => f.startsWith('rollback.armed')),
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('commit-confirm rollback timers', () => {
  it("a confirmed change's timer, still sleeping, does not fire the next change's rollback", async () => {
    const h = host();
    expect(h.arm('r1', 1, 'table 1').status).toBe(0);
    expect(h.confirm('r1').stdout).toBe('confirmed\n');
    expect(h.arm('r2', 5, 'table 2').status).toBe(0);
    await sleep(2000); // r1's timer wakes now, inside r2's window
    expect(h.restored()).toBeNull();
    expect(h.markers()).toEqual(['rollback.armed.r2']);
    expect(h.confirm('r2').stdout).toBe('confirmed\n');
    expect(h.markers()).toEqual([]);
    expect(readdirSync(join(dir, 'run'))).not.toContain('rollback.nft'); // the saved table goes with the confirmation
  }, 10_000);

  it('an unconfirmed change is superseded: its confirmation is too late, the next one keeps the last confirmed table as its rollback', async () => {
    const h = host();
    h.arm('r1', 1, 'table 1');
    h.arm('r2', 2, 'table 2');
    const late = h.confirm('r1');
    expect(late.stdout).toBe('');
    expect(late.stderr).toMatch(/too late/);
    await sleep(1500); // r1's timer finds nothing of its own to fire
    expect(h.restored()).toBeNull();
    await sleep(1500); // r2's timer fires, restoring the table from before r1's change
    expect(h.restored()).toMatch(/table 0/);
    expect(h.restored()).not.toMatch(/table 1/);
    expect(h.markers()).toEqual([]);
    expect(h.confirm('r2').stderr).toMatch(/too late/);
  }, 10_000);
});
