/**
 * ssh2 transport: one connection per host, every command a channel on it; ProxyJump through
 * a first connection; host keys checked by policy; sudo with -n, or with a password fed on
 * stdin (never on a command line, never in a message).
 */
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { UnreachableError, HostError } from '../core/errors.js';
import type { SshTarget } from '../core/types.js';
import { verifyHostKey } from './known-hosts.js';
import type { Connection, ExecResult, RunOptions } from './types.js';

export interface ConnectOptions {
  onNotice?: (message: string) => void;
  /** sudo password (from VPROV_BECOME_PASSWORD or --ask-become-pass) */
  becomePassword?: string;
}

export async function connectSsh(target: SshTarget, opts: ConnectOptions = {}): Promise<Connection> {
  let jump: Client | undefined;
  let sock: Duplex | undefined;
  if (target.proxyJump) {
    // The jump host only forwards: no sudo, no script runs there.
    const hop = await openClient(target.proxyJump, opts, undefined);
    jump = hop.client;
    sock = await new Promise<Duplex>((resolve, reject) => {
      hop.client.forwardOut('127.0.0.1', 0, target.host, target.port, (err, stream) => {
        if (err) reject(new UnreachableError(`${target.host}:${target.port} via ${target.proxyJump!.host}: ${err.message}`));
        else resolve(stream);
      });
    }).catch((err) => {
      hop.close();
      throw err;
    });
  }
  try {
    const { client } = await openClient(target, opts, sock);
    return new SshConnection(client, target, opts.becomePassword, () => jump?.end());
  } catch (err) {
    jump?.end();
    throw err;
  }
}

async function openClient(target: SshTarget, opts: ConnectOptions, sock: Duplex | undefined): Promise<{ client: Client; close: () => void }> {
  if (target.proxyJump && !sock) {
    // A hop that is itself behind another hop.
    const inner = await connectSsh(target, opts);
    return { client: (inner as SshConnection).client, close: () => inner.close() };
  }
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
    // AES-GCM runs in OpenSSL; chacha20-poly1305 would fall back to JS/WASM without ssh2's addon.
    algorithms: { cipher: ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes256-ctr', 'chacha20-poly1305@openssh.com'] },
    ...(sock ? { sock } : {}),
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
  return { client, close: () => client.end() };
}

const SUDO_REFUSED = /sudo: (a password is required|a terminal is required|\d+ incorrect password attempts?|.*is not in the sudoers file|.*may not run|no tty present)/;

class SshConnection implements Connection {
  roundTrips = 0;
  private closed = false;

  constructor(
    readonly client: Client,
    private readonly target: SshTarget,
    private readonly becomePassword: string | undefined,
    private readonly onClose: () => void,
  ) {
    client.on('error', () => undefined); // errors after ready surface through the channel that sees them
    client.on('close', () => (this.closed = true));
  }

  runScript(script: string, opts: RunOptions = {}): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new UnreachableError(`connection to ${this.target.host} is closed`));
    this.roundTrips++;
    const password = this.target.become ? this.becomePassword : undefined;
    // The script travels on stdin; with a password, sudo -S reads its one line first.
    const shell = !this.target.become ? '/bin/sh -s' : password !== undefined ? `sudo -S -p '' -- /bin/sh -s` : 'sudo -n -- /bin/sh -s';
    const command = opts.prelude ? `${opts.prelude}; exec ${shell}` : shell;
    const timeoutMs = opts.timeoutMs ?? this.target.commandTimeoutMs;
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, channel) => {
        if (err) return reject(new HostError(`cannot open a channel: ${err.message}`));
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        const timer = setTimeout(() => {
          channel.close();
          reject(new HostError(`command timed out after ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        channel.on('data', (d: Buffer) => out.push(d));
        channel.stderr.on('data', (d: Buffer) => errOut.push(d));
        channel.on('close', (code: number | null) => {
          clearTimeout(timer);
          const stderr = Buffer.concat(errOut).toString('utf8');
          const refused = this.target.become && code === 1 && SUDO_REFUSED.exec(stderr);
          if (refused) {
            const hint = password === undefined ? ' (set VPROV_BECOME_PASSWORD or use --ask-become-pass if sudo needs a password)' : '';
            return reject(new HostError(`sudo refused for ${this.target.user}: ${refused[0]}${hint}`));
          }
          resolve({ code: code ?? 255, stdout: Buffer.concat(out).toString('utf8'), stderr });
        });
        channel.end(password !== undefined ? `${password}\n${script}` : script);
      });
    });
  }

  close(): void {
    this.client.end();
    this.onClose();
  }
}
