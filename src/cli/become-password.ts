/** The sudo password: from --ask-become-pass or VPROV_BECOME_PASSWORD, checked before any host is touched. */
import { InputError } from '../core/errors.js';

export async function becomePassword(ask: boolean | undefined): Promise<string | undefined> {
  const password = ask ? await (await import('./prompt.js')).promptSecret('BECOME password: ') : process.env.VPROV_BECOME_PASSWORD;
  // One line of printable text: it is typed at sudo's prompt, where a newline would end it early
  // (and what followed would be read as script) and a pty would act on control characters.
  // eslint-disable-next-line no-control-regex
  if (password !== undefined && /[\u0000-\u001f\u007f]/.test(password)) {
    throw new InputError(
      `${ask ? 'the password typed' : 'VPROV_BECOME_PASSWORD'} contains a newline or another control character; sudo reads one line of text`,
    );
  }
  return password;
}
