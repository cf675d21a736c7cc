/** ssh2 transport: one connection per host; every command is a channel on it. */
import { readFileSync } from 'node:fs';
import { Client, type ConnectConfig } from 'ssh2';
import { UnreachableError, HostError } from '../core/errors.js';
import type { SshTarget } from '../core/types.js';
import { verifyHostKey } from './known-hosts.js';
import type { Connection, ExecResult, RunOptions } from './types.js';

export interface ConnectOptions {
  onNotice?: (message: string) => void;
}

export async function connectSsh(target: SshTarget, opts: ConnectOptions = {}): Promise<Connection> {
  const client = new Client();
  let refusal: string | undefined;
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    readyTimeout: target.connectTimeoutMs,
    keepaliveInterval: 15_000,
    keepaliveCountMax: 4,
    agent: process.env.SSH_AUTH_SOCK,
    hostVerifier: (key: Buffer) => {
      const verdict = verifyHostKey({ policy: target.hostKeys, host: target.host, port: target.port, keyBlob: key, vprovFile: target.knownHostsFile });
      if (verdict.recorded) opts.onNotice?.(`recorded new host key ${verdict.recorded}`);
      if (!verdict.ok) refusal = verdict.reason;
      return verdict.ok;
    },
  };
  if (target.identityFile) {
    try {
      config.privateKey = readFileSync(target.identityFile);
    } catch (err) {
      throw new UnreachableError(`cannot read identity file ${target.identityFile}: ${(err as NodeJS.ErrnoException).code}`);
    }
  }
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', (err: Error & { level?: string }) => {
      const where = `${target.user}@${target.host}:${target.port}`;
      if (refusal) reject(new UnreachableError(`${where}: ${refusal}`));
      else if (err.level === 'client-authentication') reject(new UnreachableError(`${where}: authentication failed (${err.message})`));
      else reject(new UnreachableError(`${where}: ${err.message}`));
    });
    client.connect(config);
  });
  return new SshConnection(client, target);
}

class SshConnection implements Connection {
  roundTrips = 0;
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly target: SshTarget,
  ) {
    client.on('error', () => undefined); // errors after ready surface through the channel that sees them
    client.on('close', () => (this.closed = true));
  }

  runScript(script: string, opts: RunOptions = {}): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new UnreachableError(`connection to ${this.target.host} is closed`));
    this.roundTrips++;
    // sudo -n: never hang on a password prompt; the script travels on stdin, never on the command line.
    const shell = this.target.become ? 'sudo -n -- /bin/sh -s' : '/bin/sh -s';
    const command = opts.prelude ? `${opts.prelude}; exec ${shell}` : shell;
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, channel) => {
        if (err) return reject(new HostError(`cannot open a channel: ${err.message}`));
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        const timer = opts.timeoutMs
          ? setTimeout(() => {
              channel.close();
              reject(new HostError(`command timed out after ${opts.timeoutMs} ms`));
            }, opts.timeoutMs)
          : undefined;
        channel.on('data', (d: Buffer) => out.push(d));
        channel.stderr.on('data', (d: Buffer) => errOut.push(d));
        channel.on('close', (code: number | null) => {
          if (timer) clearTimeout(timer);
          const stderr = Buffer.concat(errOut).toString('utf8');
          if (this.target.become && code === 1 && /sudo: (a password is required|.*not in the sudoers|.*may not run)/.test(stderr)) {
            return reject(new HostError(`sudo refused for ${this.target.user}: ${stderr.trim()}`));
          }
          resolve({ code: code ?? 255, stdout: Buffer.concat(out).toString('utf8'), stderr });
        });
        channel.end(script);
      });
    });
  }

  close(): void {
    this.client.end();
  }
}
