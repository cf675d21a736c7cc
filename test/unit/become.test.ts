/**
 * The become protocol against scripted sudo transcripts, cut into chunks at every possible
 * byte boundary: the password is written only after sudo's prompt, the script only after the
 * root shell's token, a second prompt kills sudo, and the output comes back without markers.
 * (The real thing, on lab hosts over SSH, is test/integration/become.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { BecomeSession, NeedsTtyError, type BecomeSpec } from '../../src/transport/become.js';

interface Wire {
  prompt: string;
  token: string;
  pidTag: string;
  errTag: string;
}

function wireOf(command: string): Wire {
  const prompt = /-p '([^']+)'/.exec(command)?.[1] ?? 'no prompt';
  const token = /echo (vprov-become-ok-[0-9a-f]+)/.exec(command)![1]!;
  const pidTag = /echo (vprov-become-pid-[0-9a-f]+=)\$\$/.exec(command)![1]!;
  const errTag = `${token.replace('-ok-', '-stderr-')}:`;
  return { prompt, token, pidTag, errTag };
}

type Event = { stream: 'out' | 'err'; text: string };

/**
 * Play a transcript: `host(w, written)` says what the host prints next, given what was written
 * so far (so a transcript can wait for the password). Every event is cut at `cut`.
 */
function play(spec: Omit<BecomeSpec, 'user'>, host: (w: Wire, written: string) => Event[], cut: number, code = 0) {
  let written = '';
  let ended = false;
  let killed: number | undefined | null = null;
  const s = new BecomeSession({ ...spec, user: 'ops' }, { write: (d) => void (written += d), end: () => void (ended = true), kill: (p) => void (killed = p) });
  const w = wireOf(s.command);
  const log: string[] = [];
  let seen = 0;
  for (;;) {
    const events = host(w, written).slice(seen);
    if (events.length === 0) break;
    for (const e of events) {
      seen++;
      const bytes = Buffer.from(e.text, 'utf8');
      for (let i = 0; i < bytes.length; i += cut) {
        const chunk = bytes.subarray(i, i + cut);
        if (e.stream === 'out') s.stdout(chunk);
        else s.stderr(chunk);
        log.push(`${e.stream}:${chunk.toString('latin1')}|written=${written.length}`);
      }
      if (killed !== null) break;
    }
    if (killed !== null) break;
  }
  let result: unknown;
  try {
    result = s.finish(code);
  } catch (e) {
    result = e;
  }
  return { written, ended, killed, result, w, command: s.command };
}

const SCRIPT = 'echo "@@vprov:host@@"\necho systemd=no\n';
const PW = `p'"\\\`|;$(x)`;
const cuts = [1, 2, 3, 5, 7, 64, 4096];

describe('become protocol', () => {
  it.each(cuts)('NOPASSWD: the password is never written, the script only after the token (chunks of %i)', (cut) => {
    const r = play(
      { script: SCRIPT, password: PW, pty: false, prelude: "echo '@@vprov:ssh@@'" },
      (w, written) => [
        { stream: 'out', text: `@@vprov:ssh@@\n${w.pidTag}4242\n${w.token}\n` },
        ...(written
          ? [
              { stream: 'out' as const, text: 'host-out\n' },
              { stream: 'err' as const, text: 'host-err\n' },
            ]
          : []),
      ],
      cut,
    );
    expect(r.written).toBe(SCRIPT);
    expect(r.ended).toBe(true);
    expect(r.result).toEqual({ code: 0, stdout: '@@vprov:ssh@@\nhost-out\n', stderr: 'host-err\n' });
  });

  it.each(cuts)('password: written once, right after the prompt; the prompt is not in stderr (chunks of %i)', (cut) => {
    const r = play(
      { script: SCRIPT, password: PW, pty: false },
      (w, written) => [
        { stream: 'out', text: `${w.pidTag}4242\n` },
        { stream: 'err', text: `We trust you have received the usual lecture\n${w.prompt}` },
        ...(written.startsWith(`${PW}\n`)
          ? [
              { stream: 'err' as const, text: '\n' },
              { stream: 'out' as const, text: `${w.token}\n` },
            ]
          : []),
        ...(written.endsWith(SCRIPT) ? [{ stream: 'out' as const, text: 'done\n' }] : []),
      ],
      cut,
    );
    expect(r.written).toBe(`${PW}\n${SCRIPT}`);
    expect(r.result).toEqual({ code: 0, stdout: 'done\n', stderr: 'We trust you have received the usual lecture\n' });
  });

  it.each(cuts)('a second prompt kills the login shell’s group and fails with "sudo: incorrect password" (chunks of %i)', (cut) => {
    const r = play(
      { script: SCRIPT, password: 'wrong', pty: false },
      (w, written) => [
        { stream: 'out', text: `${w.pidTag}4242\n` },
        { stream: 'err', text: w.prompt },
        ...(written ? [{ stream: 'err' as const, text: `\nSorry, try again.\n${w.prompt}` }] : []),
      ],
      cut,
      1,
    );
    expect(r.written).toBe('wrong\n');
    expect(r.killed).toBe(4242);
    expect((r.result as Error).message).toBe('sudo: incorrect password for ops');
  });

  it.each(cuts)('pty: merged stream with CRLF before the token, stderr after its tag (chunks of %i)', (cut) => {
    const r = play(
      { script: SCRIPT, password: PW, pty: true, prelude: "echo '@@vprov:ssh@@'" },
      (w, written) => [
        { stream: 'out', text: `@@vprov:ssh@@\r\n${w.pidTag}77\r\n${w.prompt}` },
        ...(written ? [{ stream: 'out' as const, text: `\r\n${w.token}\n` }] : []),
        ...(written.endsWith(SCRIPT) ? [{ stream: 'out' as const, text: `line1\nline2 \r kept\n${w.errTag}warning: x` }] : []),
      ],
      cut,
      3,
    );
    expect(r.written).toBe(`${PW}\n${SCRIPT}`);
    expect(r.ended).toBe(false); // a pty has no EOF: the root shell reads exactly the script's bytes
    expect(r.command).toContain(`head -c ${Buffer.byteLength(SCRIPT)} |`);
    expect(r.result).toEqual({ code: 3, stdout: '@@vprov:ssh@@\nline1\nline2 \r kept\n', stderr: 'warning: x' });
  });

  it('requiretty is its own error (the caller retries with a pty); other refusals name the cause', () => {
    const tty = play(
      { script: SCRIPT, pty: false },
      (w) => [
        { stream: 'out', text: `${w.pidTag}1\n` },
        { stream: 'err', text: 'sudo: sorry, you must have a tty to run sudo\n' },
      ],
      64,
      1,
    );
    expect(tty.result).toBeInstanceOf(NeedsTtyError);
    const nopw = play(
      { script: SCRIPT, pty: false },
      (w) => [
        { stream: 'out', text: `${w.pidTag}1\n` },
        { stream: 'err', text: 'sudo: a password is required\n' },
      ],
      64,
      1,
    );
    expect((nopw.result as Error).message).toBe('sudo refused for ops: sudo: a password is required (set VPROV_BECOME_PASSWORD or use --ask-become-pass)');
    const none = play(
      { script: SCRIPT, pty: false },
      (w) => [
        { stream: 'out', text: `${w.pidTag}1\n` },
        { stream: 'err', text: 'bash: sudo: command not found\n' },
      ],
      64,
      127,
    );
    expect((none.result as Error).message).toBe('could not become root with sudo (exit 127): bash: sudo: command not found');
    expect(nopw.written + none.written).toBe('');
  });

  it('the login shell’s command has no exec, no redirection and no command path (rbash runs it)', () => {
    for (const password of [undefined, PW]) {
      const { command } = new BecomeSession(
        { script: SCRIPT, password, pty: false, prelude: 'echo "ssh=$SSH_CONNECTION"', user: 'ops' },
        { write() {}, end() {}, kill() {} },
      );
      const outer = command.replace(/'[^']*'/g, "''"); // what the login shell itself parses
      expect(outer).not.toMatch(/\bexec\b|[<>]|(^|[;|&]\s*)\S*\//);
      expect(command).not.toContain(PW);
    }
  });

  it('markers are unique per run', () => {
    const a = new BecomeSession({ script: '', pty: false, user: 'ops', password: 'x' }, { write() {}, end() {}, kill() {} });
    const b = new BecomeSession({ script: '', pty: false, user: 'ops', password: 'x' }, { write() {}, end() {}, kill() {} });
    expect(wireOf(a.command).token).not.toBe(wireOf(b.command).token);
    expect(wireOf(a.command).prompt).not.toBe(wireOf(b.command).prompt);
  });
});
