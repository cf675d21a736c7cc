/**
 * Run the built CLI (bin/vprov.js → dist/) as its own process: what a crash, a hang or an
 * exit code look like to an operator. VPROV_BIN points elsewhere (e.g. an older build).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const VPROV_BIN = process.env.VPROV_BIN ?? fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));

export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** the process had not exited after `limitMs` and was killed */
  hung: boolean;
}

export interface BinRun {
  done: Promise<BinResult>;
  pid: number;
}

/** Start vprov; `limitMs` bounds the wait (a process still running then is killed and reported hung). */
export function startVprov(args: string[], opts: { limitMs?: number; env?: Record<string, string>; cwd?: string } = {}): BinRun {
  const child = spawn(process.execPath, [VPROV_BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, opts.limitMs ?? 180_000);
  const done = new Promise<BinResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
  return { done, pid: child.pid ?? 0 };
}

export function runVprov(args: string[], opts: { limitMs?: number; env?: Record<string, string>; cwd?: string } = {}): Promise<BinResult> {
  return startVprov(args, opts).done;
}
