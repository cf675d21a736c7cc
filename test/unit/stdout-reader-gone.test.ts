/**
 * A reader of vprov's stdout that goes away early (`vprov drift --format json | head -c 100`, a
 * monitoring agent that dies) makes every later write fail with EPIPE. That is no failure of the
 * run: vprov still writes its other reports (--history, --audit-log) whole and exits with the
 * code the hosts earned, saying on stderr that the report on stdout was cut. Real processes and
 * a real pipe: the built CLI, whose stdout the test closes after the first bytes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { VPROV_BIN } from '../helpers/bin.js';

const dir = mkdtempSync(join(tmpdir(), 'vprov-reader-gone-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Hosts vprov never logs into (managed: false): each still has its place in every report. */
function inventory(hosts: number): string {
  const file = join(dir, `site-${hosts}.yaml`);
  writeFileSync(
    file,
    stringify({
      product: 'storware',
      platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
      hosts: Object.fromEntries(
        Array.from({ length: hosts }, (_, i) => [`h${i}`, { address: `10.1.${i >> 8}.${i & 255}`, roles: ['hypervisor'], managed: false }]),
      ),
    }),
  );
  return file;
}

/** Runs vprov with stdout on a pipe the test closes once `keep` bytes arrived; stderr read whole. */
function runClosingStdout(args: string[], keep: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VPROV_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      // The reader goes away: its end of the pipe is closed, as when `head` has what it wanted.
      if (stdout.length >= keep) child.stdout.destroy();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vprov did not end within 60 s; stderr: ${stderr}`));
    }, 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('a stdout reader that goes away', () => {
  it("drift --format json: the history report and audit log are still whole, the exit code is the hosts', stderr says stdout was cut", async () => {
    const hosts = 3000; // a JSON report far larger than a pipe's buffer: writes go on after the reader left
    const history = join(dir, 'history');
    const audit = join(dir, 'audit.jsonl');
    const r = await runClosingStdout(['drift', '-i', inventory(hosts), '--format', 'json', '--history', history, '--audit-log', audit], 100);
    expect(r.signal).toBeNull();
    expect(r.stderr).not.toMatch(/failed unexpectedly|EPIPE.*\n\s+at |Unhandled 'error' event/);
    // Every host is skipped (never logged into): nothing pending, nothing failed.
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: stdout: the reader went away \(EPIPE\)/);
    const [saved] = readdirSync(history);
    const report = JSON.parse(readFileSync(join(history, saved!), 'utf8'));
    expect(report.hosts).toHaveLength(hosts);
    expect(report.exitCode).toBe(0);
    const lines = readFileSync(audit, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(hosts);
    const names = Array.from({ length: hosts }, (_, i) => `h${i}`).sort();
    expect(lines.map((l) => JSON.parse(l).host).sort()).toEqual(names);
    expect(report.hosts.map((h: { host: string }) => h.host).sort()).toEqual(names);
  }, 90_000);

  it('a stderr reader that goes away too: the run still ends with its exit code and its reports', async () => {
    const audit = join(dir, 'audit-both.jsonl');
    const r = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      const child = spawn(process.execPath, [VPROV_BIN, 'plan', '-i', inventory(2000), '--audit-log', audit], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stderr.destroy();
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    expect(r).toEqual({ code: 0, signal: null });
    expect(readFileSync(audit, 'utf8').trim().split('\n')).toHaveLength(2000);
  }, 90_000);
});
