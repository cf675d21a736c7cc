/**
 * ssh2 says only "no matching key exchange algorithm". Its debug lines carry both sides'
 * lists during the handshake: keep those, and turn a mismatch into a message that names
 * what the server offered, what vprov supports and which sshd setting to change.
 */

const KINDS = [
  { debug: 'KEX method', error: /key exchange algorithm/, title: 'key exchange algorithm', setting: 'KexAlgorithms' },
  { debug: 'Host key format', error: /host key format/i, title: 'host key algorithm', setting: 'HostKeyAlgorithms' },
  { debug: 'C->S cipher', error: /C->S cipher/, title: 'cipher', setting: 'Ciphers' },
  { debug: 'S->C cipher', error: /S->C cipher/, title: 'cipher', setting: 'Ciphers' },
  { debug: 'C->S MAC', error: /C->S MAC/, title: 'MAC', setting: 'MACs' },
  { debug: 'S->C MAC', error: /S->C MAC/, title: 'MAC', setting: 'MACs' },
] as const;

/** Pseudo-algorithms that only signal extensions; never worth showing. */
const PSEUDO = /^(ext-info-[cs]|kex-strict-[cs]-v00@openssh\.com)$/;
const POST_QUANTUM = /sntrup|mlkem|kyber/;

export class HandshakeLists {
  private readonly lists = new Map<string, { local: string[]; remote: string[] }>();

  /** ssh2's `debug` option: called for every debug line; only handshake lists are kept. */
  readonly debug = (line: string): void => {
    const m = /^Handshake: \((local|remote)\) (KEX method|Host key format|C->S cipher|S->C cipher|C->S MAC|S->C MAC): (.*)$/.exec(line);
    if (!m) return;
    const entry = this.lists.get(m[2]!) ?? { local: [], remote: [] };
    entry[m[1] as 'local' | 'remote'] = m[3]!.split(',').filter((a) => a && !PSEUDO.test(a));
    this.lists.set(m[2]!, entry);
  };

  /** A readable mismatch message, or undefined when `message` is not an algorithm mismatch. */
  explain(message: string): string | undefined {
    if (!/^Handshake failed: no matching/.test(message)) return undefined;
    const kind = KINDS.find((k) => k.error.test(message));
    if (!kind) return undefined;
    return explainMismatch(kind.title, kind.setting, this.lists.get(kind.debug) ?? { local: [], remote: [] });
  }
}

export function explainMismatch(title: string, setting: string, lists: { local: string[]; remote: string[] }): string {
  const offered = lists.remote.length ? lists.remote.join(', ') : '(not seen)';
  const supported = lists.local.join(', ');
  const parts = [`no common ${title}: the server offers ${offered}; vprov supports ${supported}.`];
  if (title === 'key exchange algorithm' && lists.remote.length > 0 && lists.remote.every((a) => POST_QUANTUM.test(a))) {
    parts.push('vprov (ssh2) has no post-quantum key exchange (sntrup761, mlkem768) yet.');
  }
  const suggestion = lists.local[0];
  parts.push(`Add one of vprov's to the server's ${setting}${suggestion ? ` (e.g. ${setting} +${suggestion})` : ''}.`);
  return parts.join(' ');
}
