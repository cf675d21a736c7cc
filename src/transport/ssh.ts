/**
 * ssh2 transport: one connection per host, every command a channel on it; ProxyJump through
 * a first connection; host keys checked by policy; root through sudo as become.ts drives it
 * (the password only ever answers sudo's own prompt; a pty when sudo requires a tty).
 */
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { Client, type ClientChannel, type ConnectConfig, type ExecOptions } from 'ssh2';
import { UnreachableError, HostError } from '../core/errors.js';
import type { SshTarget } from '../core/types.js';
import { verifyHostKey } from './known-hosts.js';
import type { Connection, ExecResult, RunOptions } from './types.js';
import { BecomeSession, NeedsTtyError } from './become.js';

interface ChannelHandlers {
  start(channel: ClientChannel): void;
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  /** the command's result, or throws why it has none */
  close(code: number | null): ExecResult;
}

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

class SshConnection implements Connection {
  roundTrips = 0;
  private closed = false;
  /** sudo said requiretty: every later command on this host asks for a pty */
  private pty = false;

  constructor(
    readonly client: Client,
    private readonly target: SshTarget,
    private readonly becomePassword: string | undefined,
    private readonly onClose: () => void,
  ) {
    client.on('error', () => undefined); // errors after ready surface through the channel that sees them
    client.on('close', () => (this.closed = true));
  }

  async runScript(script: string, opts: RunOptions = {}): Promise<ExecResult> {
    if (this.closed) throw new UnreachableError(`connection to ${this.target.host} is closed`);
    this.roundTrips++;
    if (!this.target.become) return this.plain(script, opts);
    try {
      return await this.become(script, opts);
    } catch (err) {
      if (!(err instanceof NeedsTtyError) || this.pty) throw err;
      this.pty = true; // requiretty: sudo refused before asking anything, so retrying costs no PAM attempt
      return this.become(script, opts);
    }
  }

  /** No become: the login shell starts sh (by name: rbash forbids paths) and reads the script. */
  private plain(script: string, opts: RunOptions): Promise<ExecResult> {
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    return this.channel(opts.prelude ? `${opts.prelude}; sh -s` : 'sh -s', false, opts, {
      start: (ch) => ch.end(script),
      stdout: (d) => out.push(d),
      stderr: (d) => errOut.push(d),
      close: (code) => ({ code: code ?? 255, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') }),
    });
  }

  private become(script: string, opts: RunOptions): Promise<ExecResult> {
    let channel: ClientChannel | undefined;
    const session = new BecomeSession(
      { script, password: this.becomePassword, pty: this.pty, prelude: opts.prelude, user: this.target.user },
      {
        write: (data) => channel?.write(data),
        end: () => channel?.end(),
        kill: (pgid) => void this.killSudo(channel, pgid),
      },
    );
    return this.channel(session.command, this.pty, opts, {
      start: (ch) => (channel = ch),
      stdout: (d) => session.stdout(d),
      stderr: (d) => session.stderr(d),
      close: (code) => session.finish(code),
    });
  }

  /**
   * Stop sudo with SIGKILL before it reads a second password: SIGTERM, SIGHUP or EOF would each
   * count as one more PAM failure. The signal request needs OpenSSH 7.9+; the kill over a second
   * channel (the login shell's process group, same user) works everywhere. Then close.
   */
  private async killSudo(channel: ClientChannel | undefined, pgid: number | undefined): Promise<void> {
    try {
      channel?.signal('KILL');
    } catch {
      /* the server may not take signals; the kill below does */
    }
    if (pgid !== undefined && Number.isSafeInteger(pgid) && pgid > 1) {
      await new Promise<void>((resolve) => {
        this.client.exec(`kill -KILL -- -${pgid}`, (err, ch) => {
          if (err) return resolve();
          ch.on('close', () => resolve());
          ch.on('error', () => resolve());
          ch.resume();
          ch.stderr.resume();
        });
      });
    }
    channel?.close();
  }

  private channel(command: string, pty: boolean, opts: RunOptions, on: ChannelHandlers): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? this.target.commandTimeoutMs;
    // ECHO off from the start: nothing typed into the pty (the password) is ever sent back.
    const execOpts: ExecOptions = pty ? { pty: { term: 'dumb', cols: 512, rows: 24, modes: { ECHO: 0 } } } : {};
    return new Promise((resolve, reject) => {
      this.client.exec(command, execOpts, (err, channel) => {
        if (err) return reject(new HostError(`cannot open a channel: ${err.message}`));
        const timer = setTimeout(() => {
          channel.close();
          reject(new HostError(`command timed out after ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        channel.on('data', on.stdout);
        channel.stderr.on('data', on.stderr);
        channel.on('error', () => undefined); // the close that follows carries the outcome
        channel.on('close', (code: number | null) => {
          clearTimeout(timer);
          try {
            resolve(on.close(code));
          } catch (e) {
            reject(e);
          }
        });
        on.start(channel);
      });
    });
  }

  close(): void {
    this.client.end();
    this.onClose();
  }
}
