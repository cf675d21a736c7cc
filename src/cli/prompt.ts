/** Read a secret from the terminal without echoing it. */
import { InputError } from '../core/errors.js';

export function promptSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new InputError('--ask-become-pass needs a terminal; set VPROV_BECOME_PASSWORD instead');
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          // Ctrl-C arrives as a character while the terminal is raw.
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          return reject(new InputError('cancelled at the password prompt'));
        }
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
