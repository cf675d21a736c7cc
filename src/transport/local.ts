/** --connection local: run the same scripts on this machine, without SSH. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { HostError, outputLimitMessage } from '../core/errors.js';
import { DEFAULT_MAX_OUTPUT, type SshTarget } from '../core/types.js';
import type { Connection, ExecResult, RunOptions } from './types.js';
import { BecomeSession, NeedsTtyError } from './become.js';
import { fromKnownPlace } from './script-start.js';

export function connectLocal(target: Pick<SshTarget, 'become' | 'commandTimeoutMs' | 'maxOutputBytes'>, becomePassword?: string): Connection {
  let roundTrips = 0;
  let closed = false;
  const root = process.getuid?.() === 0;
  // Every script runs in its own process group, so a timeout or close() ends the whole tree
  // (the script's own children, sudo), not just the shell that started it.
  const running = new Set<ChildProcessWithoutNullStreams>();
  const killTree = (child: ChildProcessWithoutNullStreams) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return {
    get roundTrips() {
      return roundTrips;
    },
    runScript(body: string, opts: RunOptions = {}): Promise<ExecResult> {
      roundTrips++;
      const script = fromKnownPlace(body);
      const sudo = target.become && !root;
      return new Promise((resolve, reject) => {
        const plain = { command: opts.prelude ? `${opts.prelude}; sh -s` : 'sh -s' };
        const session: BecomeSession | undefined = sudo
          ? new BecomeSession(
              { script, password: becomePassword, pty: false, prelude: opts.prelude, user: process.env.USER ?? 'this user' },
              {
                write: (data) => child.stdin.write(data),
                end: () => child.stdin.end(),
                kill: () => killTree(child),
              },
            )
          : undefined;
        const child: ChildProcessWithoutNullStreams = spawn('/bin/sh', ['-c', (session ?? plain).command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        running.add(child);
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const timeoutMs = opts.timeoutMs ?? target.commandTimeoutMs;
        const timer = setTimeout(() => {
          killTree(child);
          reject(new HostError(`command timed out after ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        // Bounded as over SSH: past the limit the child's tree is killed and this run fails.
        const limit = target.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
        let bytes = 0;
        let over = false;
        const within = (d: Buffer): boolean => {
          if (over) return false;
          bytes += d.length;
          if (bytes <= limit) return true;
          over = true;
          clearTimeout(timer);
          killTree(child);
          reject(new HostError(outputLimitMessage(limit)));
          return false;
        };
        child.stdout.on('data', (d: Buffer) => within(d) && (session ? session.stdout(d) : out.push(d)));
        child.stderr.on('data', (d: Buffer) => within(d) && (session ? session.stderr(d) : err.push(d)));
        child.on('error', (e) => reject(new HostError(e.message)));
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          running.delete(child);
          if (signal === 'SIGKILL' && closed) return reject(new HostError('connection closed while a command ran'));
          if (!session) return resolve({ code: code ?? 255, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
          try {
            resolve(session.finish(code));
          } catch (e) {
            reject(
              e instanceof NeedsTtyError ? new HostError('sudo requires a tty here (requiretty): run vprov as root, or over SSH, which asks for a pty') : e,
            );
          }
        });
        child.stdin.on('error', () => undefined);
        if (!session) child.stdin.end(script);
      });
    },
    close() {
      closed = true;
      for (const child of running) killTree(child);
    },
  };
}
