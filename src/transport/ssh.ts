/**
 * ssh2 transport: one connection per host, every command a channel on it; jump hosts shared
 * (one connection per bastion, a bounded number of forwarded channels over it); host keys
 * checked by policy; root through sudo as become.ts drives it (the password only ever answers
 * sudo's own prompt; a pty when sudo requires a tty). Every error of every client, channel and
 * forwarded stream is handled for the object's whole life: ssh2 may emit several, and an
 * unhandled one ends the process.
 */
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  Client,
  type AgentAuthMethod,
  type AuthenticationType,
  type CipherAlgorithm,
  type ParsedKey,
  type PublicKeyAuthMethod,
  type ClientChannel,
  type ConnectConfig,
  type ExecOptions,
} from 'ssh2';
import { ConnectionLostError, UnreachableError, HostError, outputLimitMessage } from '../core/errors.js';
import { DEFAULT_MAX_OUTPUT, type SshTarget } from '../core/types.js';
import { verifyHostKey } from './known-hosts.js';
import { HandshakeLists } from './ssh-algorithms.js';
import { Slots, withRetry } from './retry.js';
import type { Connection, ExecResult, RunOptions } from './types.js';
import { BecomeSession, NeedsTtyError } from './become.js';
import { fromKnownPlace } from './script-start.js';
import { identityKey } from './identity.js';

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

/** Forwarded channels open at once over one jump-host connection; the rest wait their turn. */
export const JUMP_CHANNELS = 10;
/** A session closed politely (end) is destroyed after this if the peer never answers (frozen host). */
const CLOSE_GRACE_MS = 2000;
/** Keepalives: a host that stops answering is declared lost after interval × (count + 1). */
const KEEPALIVE_MS = 10_000;
const KEEPALIVE_COUNT = 3;
/** AES-GCM runs in OpenSSL; chacha20-poly1305 would fall back to JS/WASM without ssh2's addon. */
const CIPHERS: CipherAlgorithm[] = ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes256-ctr', 'chacha20-poly1305@openssh.com'];

interface Link {
  client: Client;
  /** close this client and give back what it borrowed (jump channel, jump connection) */
  release: () => void;
}

export async function connectSsh(target: SshTarget, opts: ConnectOptions = {}): Promise<Connection> {
  const link = await dial(target, opts);
  return new SshConnection(link.client, target, opts.becomePassword, link.release);
}

/** A ready client for `target`, through its (shared) jump host; throttled set-ups are retried. */
async function dial(target: SshTarget, opts: ConnectOptions): Promise<Link> {
  if (!target.proxyJump) return withRetry(() => handshake(target, opts));
  const hop = await acquireJump(target.proxyJump, opts);
  let freeSlot: (() => void) | undefined;
  const giveBack = once(() => {
    freeSlot?.();
    hop.release();
  });
  try {
    freeSlot = await hop.slots.acquire();
    const link = await withRetry(async () => {
      const stream = await forward(hop.client, target.proxyJump!, target);
      return handshake(target, opts, stream).catch((err: unknown) => {
        stream.destroy();
        throw err;
      });
    });
    return {
      client: link.client,
      release: once(() => {
        link.release();
        giveBack();
      }),
    };
  } catch (err) {
    giveBack();
    throw err;
  }
}

interface Jump {
  link: Link;
  slots: Slots;
  users: number;
  dead: boolean;
}

/** One connection per jump host (and its own hops), shared by every target behind it. */
const jumps = new Map<string, Promise<Jump>>();

function jumpKey(t: SshTarget): string {
  return `${t.user}@${t.host}:${t.port}|${t.identityFile ?? ''}|${t.proxyJump ? jumpKey(t.proxyJump) : ''}`;
}

async function acquireJump(hop: SshTarget, opts: ConnectOptions): Promise<{ client: Client; slots: Slots; release: () => void }> {
  const key = jumpKey(hop);
  let pending = jumps.get(key);
  if (!pending) {
    // The jump host only forwards: no sudo, no script runs there.
    const opening: Promise<Jump> = dial(hop, { onNotice: opts.onNotice }).then((link) => {
      const jump: Jump = { link, slots: new Slots(JUMP_CHANNELS), users: 0, dead: false };
      link.client.on('close', () => {
        jump.dead = true;
        if (jumps.get(key) === opening) jumps.delete(key);
      });
      return jump;
    });
    opening.catch(() => {
      if (jumps.get(key) === opening) jumps.delete(key);
    });
    jumps.set(key, opening);
    pending = opening;
  }
  const jump = await pending;
  if (jump.dead) return acquireJump(hop, opts);
  jump.users++;
  return {
    client: jump.link.client,
    slots: jump.slots,
    release: once(() => {
      if (--jump.users > 0) return;
      jump.dead = true;
      if (jumps.get(key) === pending) jumps.delete(key);
      jump.link.release();
    }),
  };
}

function forward(jump: Client, hop: SshTarget, target: SshTarget): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    try {
      jump.forwardOut('127.0.0.1', 0, target.host, target.port, (err, stream) => {
        if (err) return reject(new UnreachableError(`${target.host}:${target.port} via ${hop.host}: ${err.message}`));
        stream.on('error', () => undefined); // the client riding on it reports the loss
        resolve(stream);
      });
    } catch (err) {
      reject(new UnreachableError(`${target.host}:${target.port} via ${hop.host}: ${(err as Error).message}`));
    }
  });
}

/** TCP (or a forwarded stream), SSH handshake and authentication, within connectTimeoutMs. */
function handshake(target: SshTarget, opts: ConnectOptions, sock?: Duplex): Promise<Link> {
  const where = `${target.user}@${target.host}:${target.port}`;
  let privateKey: ParsedKey | undefined;
  if (target.identityFile) {
    let data: Buffer;
    try {
      data = readFileSync(target.identityFile);
    } catch (err) {
      return Promise.reject(new UnreachableError(`cannot read identity file ${target.identityFile}: ${(err as NodeJS.ErrnoException).code}`));
    }
    const key = identityKey(data);
    if (key instanceof Error) return Promise.reject(new UnreachableError(`${where}: ${key.message}`));
    privateKey = key;
  }
  const client = new Client();
  const lists = new HandshakeLists();
  let refusal: string | undefined;
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    readyTimeout: target.connectTimeoutMs,
    keepaliveInterval: KEEPALIVE_MS,
    keepaliveCountMax: KEEPALIVE_COUNT,
    agent: process.env.SSH_AUTH_SOCK,
    // The key goes in parsed (identity.ts), not as the file's text ssh2 would parse per connection.
    authHandler: authMethods(privateKey !== undefined, process.env.SSH_AUTH_SOCK !== undefined).map((type): PublicKeyAuthMethod | AgentAuthMethod =>
      type === 'publickey' ? { type, username: target.user, key: privateKey! } : { type: 'agent', username: target.user, agent: process.env.SSH_AUTH_SOCK! },
    ),
    algorithms: { cipher: CIPHERS },
    debug: lists.debug,
    ...(sock ? { sock } : {}),
    hostVerifier: (key: Buffer) => {
      const verdict = verifyHostKey({ policy: target.hostKeys, host: target.host, port: target.port, keyBlob: key, knownHostsFile: target.knownHostsFile });
      if (verdict.recorded) opts.onNotice?.(`recorded new host key ${verdict.recorded}`);
      if (!verdict.ok) refusal = verdict.reason;
      return verdict.ok;
    },
  };
  return new Promise<Link>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(new UnreachableError(`${where}: ${message}`));
    };
    // Listens for the client's whole life: later errors reach the connection's channels as a closed session.
    client.on('error', (err: Error & { level?: string }) => {
      if (refusal) return fail(refusal);
      if (err.level === 'client-authentication') return fail(`authentication failed (${err.message})`);
      if (err.level === 'client-timeout') return fail(`no SSH handshake within ${Math.round(target.connectTimeoutMs / 1000)} s (ssh.connectTimeout)`);
      fail(lists.explain(err.message) ?? err.message);
    });
    client.on('close', () => fail('connection closed during set-up'));
    client.once('ready', () => {
      settled = true;
      quietAfterHandshake(client);
      resolve({ client, release: once(() => closeClient(client)) });
    });
    try {
      client.connect(config);
      ignoreHostKeyAnnouncements(client);
      const tcp = (client as unknown as { _sock?: unknown })._sock;
      if (tcp instanceof Socket) writesPerTick(tcp);
    } catch (err) {
      fail((err as Error).message);
    }
  });
}

/**
 * The methods vprov authenticates with, in ssh2's order (key, then agent), without the "none"
 * probe ssh2 sends first by default: that probe only asks which methods the server allows, and
 * costs a request per host. No method at all fails as before: "All configured authentication
 * methods failed".
 */
export function authMethods(hasKey: boolean, hasAgent: boolean): AuthenticationType[] {
  return [...(hasKey ? ['publickey' as const] : []), ...(hasAgent ? ['agent' as const] : [])];
}

/** ssh2's protocol object: the two places below reach past its public API (see each for why). */
interface Ssh2Protocol {
  _handlers?: Record<string, unknown>;
  _debug?: unknown;
  requestSuccess?: () => void;
}

function protocolOf(client: Client): Ssh2Protocol | undefined {
  return (client as unknown as { _protocol?: Ssh2Protocol })._protocol;
}

/**
 * After authentication OpenSSH announces all its host keys (hostkeys-00, for UpdateHostKeys).
 * ssh2 answers every announcement by asking the server to prove each key: on every connection
 * the host signs once per host key (RSA-3072 among them) and vprov verifies each signature, for
 * keys vprov never uses (it checks the one key of the key exchange). ssh2 has no option for
 * this, so its handler for global requests is wrapped; when ssh2 no longer has that handler
 * where expected, its own behaviour stays (slower, never wrong).
 */
export function ignoreHostKeyAnnouncements(client: Client): boolean {
  const proto = protocolOf(client);
  const handlers = proto?._handlers;
  const original = handlers?.GLOBAL_REQUEST;
  if (!proto || !handlers || typeof original !== 'function' || typeof proto.requestSuccess !== 'function') return false;
  handlers.GLOBAL_REQUEST = (p: unknown, name: string, wantReply: boolean, data: unknown) => {
    if (name !== 'hostkeys-00@openssh.com') return original(p, name, wantReply, data);
    if (wantReply) proto.requestSuccess!();
  };
  return true;
}

/**
 * ssh2 formats a debug line for every packet while `debug` is set; vprov only needs the
 * handshake's algorithm lists (HandshakeLists), so the per-packet lines stop once it is ready.
 */
function quietAfterHandshake(client: Client): void {
  const proto = protocolOf(client);
  if (proto && '_debug' in proto) proto._debug = undefined;
}

/**
 * ssh2 writes every packet to the socket on its own: a system call each (and, on loopback or a
 * busy link, a segment each), several per host and step. The packets of one tick are sent
 * together instead: the socket is corked at the tick's first write and uncorked at its end, so
 * they leave in one writev, in order, before any I/O of the next tick. (ssh2 creates the socket
 * itself; where it is not a net.Socket, e.g. through a jump host, writes go as before.)
 */
export function writesPerTick(sock: Socket): void {
  const write = sock.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    sock.uncork();
  };
  sock.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      sock.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}

/** Polite close; destroyed when the peer does not answer (a frozen host never would). */
function closeClient(client: Client): void {
  // client.destroy() skips a socket that is no longer writable, which end() just made it:
  // the half-closed socket to a frozen host would keep the process alive. Destroy it ourselves.
  const hardStop = () => {
    client.destroy();
    (client as unknown as { _sock?: Duplex })._sock?.destroy();
  };
  const timer = setTimeout(hardStop, CLOSE_GRACE_MS);
  timer.unref();
  client.once('close', () => clearTimeout(timer));
  try {
    client.end();
  } catch {
    hardStop();
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

class SshConnection implements Connection {
  roundTrips = 0;
  private closed = false;
  /** sudo said requiretty: every later command on this host asks for a pty */
  private pty = false;
  /** the last error the client reported once ready: the cause a lost session is reported with */
  private lastError: Error | undefined;

  constructor(
    readonly client: Client,
    private readonly target: SshTarget,
    private readonly becomePassword: string | undefined,
    private readonly release: () => void,
  ) {
    client.on('error', (err) => (this.lastError = err));
    client.on('close', () => (this.closed = true));
  }

  private lost(): ConnectionLostError {
    return new ConnectionLostError(`connection to ${this.target.host} lost${this.lastError ? `: ${this.lastError.message}` : ''}`);
  }

  async runScript(body: string, opts: RunOptions = {}): Promise<ExecResult> {
    if (this.closed) throw this.lost();
    this.roundTrips++;
    const script = fromKnownPlace(body);
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
      const onChannel = (err: Error | undefined, channel: ClientChannel) => {
        if (err) return reject(this.closed ? this.lost() : new HostError(`cannot open a channel: ${err.message}`));
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          channel.close();
          reject(new HostError(`command timed out after ${Math.round(timeoutMs / 1000)} s (ssh.commandTimeout)`));
        }, timeoutMs);
        // Bounded: past the limit nothing more is kept, the channel is closed and the host fails.
        const limit = this.target.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
        let bytes = 0;
        const within = (d: Buffer): boolean => {
          if (timedOut) return false;
          bytes += d.length;
          if (bytes <= limit) return true;
          timedOut = true;
          clearTimeout(timer);
          channel.close();
          reject(new HostError(outputLimitMessage(limit)));
          return false;
        };
        channel.on('data', (d: Buffer) => within(d) && on.stdout(d));
        channel.stderr.on('data', (d: Buffer) => within(d) && on.stderr(d));
        channel.on('error', (e: Error) => (this.lastError = e)); // the close that follows carries the outcome
        channel.stderr.on('error', () => undefined);
        channel.on('close', (code: number | null) => {
          clearTimeout(timer);
          if (timedOut) return;
          // No exit status and the connection gone: the session ended under the command.
          if ((code === null || code === undefined) && this.closed) return reject(this.lost());
          try {
            resolve(on.close(code));
          } catch (e) {
            reject(e);
          }
        });
        on.start(channel);
      };
      try {
        this.client.exec(command, execOpts, onChannel);
      } catch {
        reject(this.lost()); // ssh2 throws "Not connected" once the socket is gone
      }
    });
  }

  close(): void {
    this.closed = true;
    this.release();
  }
}
