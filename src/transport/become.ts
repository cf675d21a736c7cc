/**
 * Becoming root with sudo, the same way over SSH and locally: one remote command, driven by
 * what the host prints. The password is written only after sudo's own prompt (a marker unique
 * to this run) appears, and the script only after the root shell has printed its success token
 * — so neither can ever reach a shell that did not ask for it (NOPASSWD, root, a cached
 * timestamp). A second prompt means the password was wrong: the caller kills sudo before it can
 * read again, so a run costs exactly one PAM failure.
 *
 * The outer command is run by the user's login shell, which may be rbash: no `exec`, no
 * redirections, no command names with a slash there. Everything else runs in /bin/sh as root.
 */
import { randomBytes } from 'node:crypto';
import { HostError } from '../core/errors.js';
import type { ExecResult } from './types.js';

export interface BecomeSpec {
  script: string;
  /** sudo password; without one, sudo runs with -n and never waits for input */
  password?: string;
  /** a pty was requested (requiretty): stdout and stderr arrive merged on one stream */
  pty: boolean;
  /** sh run unprivileged before sudo */
  prelude?: string;
  /** who logs in, for messages */
  user: string;
}

/** What a driver must do for the protocol; all writes go to the command's stdin. */
export interface BecomeIo {
  write(data: string): void;
  /** stdin is finished (not used with a pty: the script's length tells the root shell where it ends) */
  end(): void;
  /** stop sudo with SIGKILL (process group of the login shell, pgid given) before it reads again */
  kill(pgid: number | undefined): void;
}

/** sudo could not be run at all because it wants a terminal; retry with a pty. */
export class NeedsTtyError extends HostError {}

const SUDO_REFUSED =
  /sudo: (a password is required|a terminal is required|\d+ incorrect password attempts?|.*is not in the sudoers file.*|.*may not run.*|no tty present.*|.*must have a tty.*)/;
const NEEDS_TTY = /sorry, you must have a tty to run sudo|a terminal is required to read the password/;

export class BecomeSession {
  /** The command for the login shell. */
  readonly command: string;
  private readonly prompt: string;
  private readonly token: string;
  private readonly pidTag: string;
  private readonly errTag: string;
  private phase: 'auth' | 'run' | 'done' = 'auth';
  private prompts = 0;
  private pgid: number | undefined;
  /** everything before the token, both streams, still to be interpreted */
  private authOut = '';
  private authErr = '';
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];
  private failure: HostError | undefined;

  constructor(
    private readonly spec: BecomeSpec,
    private readonly io: BecomeIo,
  ) {
    // eslint-disable-next-line no-control-regex
    if (spec.password !== undefined && /[\u0000-\u001f\u007f]/.test(spec.password)) throw new HostError('the sudo password must be one line of text');
    const id = randomBytes(9).toString('hex');
    this.prompt = `[vprov-sudo-${id}] password:`;
    this.token = `vprov-become-ok-${id}`;
    this.pidTag = `vprov-become-pid-${id}=`;
    this.errTag = `vprov-become-stderr-${id}:`;
    const n = Buffer.byteLength(spec.script, 'utf8');
    // With a pty, stdin never reaches EOF and the tty would rewrite bytes: raw mode, and the
    // script's byte count. Its stderr is captured and sent after a tag, since the pty merges both.
    const root = spec.pty
      ? `stty raw -echo 2>/dev/null; echo ${this.token}; exec 3>&1; e=$(head -c ${n} | /bin/sh -s 2>&1 1>&3 3>&-); c=$?; printf %s ${this.errTag}"$e"; exit $c`
      : `echo ${this.token}; /bin/sh -s`;
    const sudo = spec.password !== undefined ? `sudo -S -p '${this.prompt}'` : 'sudo -n';
    this.command = [spec.prelude, `echo ${this.pidTag}$$`, `${sudo} -- /bin/sh -c '${root}'`].filter(Boolean).join('; ');
  }

  stdout(chunk: Buffer): void {
    if (this.phase === 'run') return void this.out.push(chunk);
    if (this.phase === 'done') return;
    this.authOut += chunk.toString('utf8');
    if (this.spec.pty) this.watchPrompts(this.authOut);
    const at = this.tokenAt();
    if (at) this.started(at);
  }

  stderr(chunk: Buffer): void {
    if (this.phase === 'run') return void this.err.push(chunk);
    if (this.phase === 'done') return;
    this.authErr += chunk.toString('utf8');
    if (!this.spec.pty) this.watchPrompts(this.authErr);
  }

  /** The command ended: its result, or why becoming root failed. */
  finish(code: number | null): ExecResult {
    const phase = this.phase;
    this.phase = 'done';
    if (this.failure) throw this.failure;
    if (phase === 'auth') throw this.refusal(code);
    let stdout = Buffer.concat(this.out).toString('utf8');
    let stderr = this.clean(this.authErr) + Buffer.concat(this.err).toString('utf8');
    if (this.spec.pty) {
      const cut = stdout.lastIndexOf(this.errTag);
      if (cut < 0) throw new HostError(`the root shell ended without its output (exit ${code ?? 'none'}): ${clip(stdout)}`);
      stderr = stdout.slice(cut + this.errTag.length);
      stdout = stdout.slice(0, cut);
    }
    return { code: code ?? 255, stdout: this.preludeOut() + stdout, stderr };
  }

  private watchPrompts(stream: string): void {
    const seen = stream.split(this.prompt).length - 1;
    if (seen <= this.prompts) return;
    this.prompts = seen;
    this.pgid ??= this.readPgid();
    if (this.prompts === 1 && this.spec.password !== undefined) {
      this.io.write(`${this.spec.password}\n`);
    } else {
      // sudo asks again: the password was wrong. Kill it before it can read (EOF or a
      // catchable signal would count as a second PAM failure).
      this.failure = new HostError(`sudo: incorrect password for ${this.spec.user}`);
      this.phase = 'done';
      this.io.kill(this.pgid);
    }
  }

  private readPgid(): number | undefined {
    const m = new RegExp(`${escapeRe(this.pidTag)}(\\d+)`).exec(this.authOut);
    return m ? Number(m[1]) : undefined;
  }

  /** The token and its line end (\n or \r\n); string search, not a RegExp made per session. */
  private tokenAt(): { start: number; end: number } | undefined {
    const text = this.authOut;
    for (let i = text.indexOf(this.token); i >= 0; i = text.indexOf(this.token, i + 1)) {
      let end = i + this.token.length;
      if (text[end] === '\r') end++;
      if (text[end] === '\n') return { start: i, end: end + 1 };
    }
    return undefined;
  }

  private started(at: { start: number; end: number }): void {
    this.phase = 'run';
    const rest = this.authOut.slice(at.end);
    this.authOut = this.authOut.slice(0, at.start);
    if (rest) this.out.push(Buffer.from(rest, 'utf8'));
    if (this.spec.pty) this.io.write(this.spec.script);
    else {
      this.io.write(this.spec.script);
      this.io.end();
    }
  }

  /** What the prelude printed (before the pid line), without the pty's carriage returns. */
  private preludeOut(): string {
    const i = this.authOut.indexOf(this.pidTag);
    const text = i < 0 ? '' : this.authOut.slice(0, i);
    return this.spec.pty ? text.replace(/\r\n/g, '\n') : text;
  }

  /** sudo's own messages, without our prompt (and the newline sudo prints after it). */
  private clean(text: string): string {
    // Usually nothing to clean (sudo -n said nothing): no RegExp is made then.
    if (!text.includes(this.prompt) && !text.includes('\r')) return text;
    return text.replace(new RegExp(`${escapeRe(this.prompt)}\\r?\\n?`, 'g'), '').replace(/\r\n/g, '\n');
  }

  /** With a pty, what sudo printed: everything after our pid line. */
  private afterPidLine(): string {
    const i = this.authOut.indexOf(this.pidTag);
    return i < 0 ? this.authOut : this.authOut.slice(i).replace(/^[^\n]*\n?/, '');
  }

  private refusal(code: number | null): HostError {
    const said = this.clean(this.spec.pty ? this.afterPidLine() : this.authErr);
    if (NEEDS_TTY.test(said) && !this.spec.pty) return new NeedsTtyError(`sudo wants a tty for ${this.spec.user}`);
    const refused = SUDO_REFUSED.exec(said);
    if (refused) {
      const hint = this.spec.password === undefined && /password is required/.test(refused[0]) ? ' (set VPROV_BECOME_PASSWORD or use --ask-become-pass)' : '';
      return new HostError(`sudo refused for ${this.spec.user}: ${refused[0].trim()}${hint}`);
    }
    return new HostError(`could not become root with sudo (exit ${code ?? 'none'}): ${clip(said) || 'no message'}`);
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function clip(s: string): string {
  const t = s.trim();
  return t.length > 400 ? `${t.slice(0, 400)}…` : t;
}
