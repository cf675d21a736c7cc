/**
 * Every script vprov sends to a host (or runs locally) starts from a known place, whatever the
 * session it arrives in: the working directory of an SSH session is the login user's home and
 * `--connection local` inherits the controller's, where any local user may have put a program or
 * a module; the login environment's PATH and umask are the user's. So: `cd /`, a fixed PATH
 * (sudo's secure_path default), umask 077 (whatever vprov creates is root's alone unless it sets
 * a mode). Pure.
 */
export const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const SCRIPT_START = `cd / || exit 125\numask 077\nPATH=${SAFE_PATH}; export PATH\n`;

export function fromKnownPlace(script: string): string {
  return SCRIPT_START + script;
}
