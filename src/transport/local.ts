/** --connection local: run the same scripts on this machine, without SSH. */
import { spawn } from 'node:child_process';
import { HostError } from '../core/errors.js';
import type { SshTarget } from '../core/types.js';
import type { Connection, ExecResult, RunOptions } from './types.js';

export function connectLocal(target: Pick<SshTarget, 'become' | 'commandTimeoutMs'>, becomePassword?: string): Connection {
  let roundTrips = 0;
  const root = process.getuid?.() === 0;
  return {
    get roundTrips() {
      return roundTrips;
    },
    runScript(script: string, opts: RunOptions = {}): Promise<ExecResult> {
      roundTrips++;
      const sudo = target.become && !root;
      const shell = !sudo ? '/bin/sh -s' : becomePassword !== undefined ? `sudo -S -p '' -- /bin/sh -s` : 'sudo -n -- /bin/sh -s';
      // SSH_CONNECTION is what the facts prelude reads; locally there is no remote peer.
      const command = opts.prelude ? `${opts.prelude}; exec ${shell}` : shell;
      return new Promise((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const timeoutMs = opts.timeoutMs ?? target.commandTimeoutMs;
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new HostError(`command timed out after ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        child.stdout.on('data', (d: Buffer) => out.push(d));
        child.stderr.on('data', (d: Buffer) => err.push(d));
        child.on('error', (e) => reject(new HostError(e.message)));
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code: code ?? 255, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(sudo && becomePassword !== undefined ? `${becomePassword}\n${script}` : script);
      });
    },
    close() {},
  };
}
