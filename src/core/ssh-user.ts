/**
 * The remote user names OpenSSH's client accepts (valid_ruser() in OpenSSH's misc.c): it refuses
 * shell metacharacters, control characters, a leading "-", whitespace before a "-" and a trailing
 * backslash, because the name can reach a shell (Match exec, %r in ProxyCommand, the remote side's
 * own scripts). vprov refuses the same names before any host is contacted.
 */
const FORBIDDEN = `'\`";&<>|(){}`;

/** Why OpenSSH would refuse `user` as a remote user name, or null when it would take it. */
export function sshUserProblem(user: string): string | null {
  if (user.startsWith('-')) return `"${user}" starts with "-" (it would read as an option)`;
  for (let i = 0; i < user.length; i++) {
    const c = user[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return `${JSON.stringify(user)} contains a control character`;
    if (FORBIDDEN.includes(c)) return `"${user}" contains ${JSON.stringify(c)}; OpenSSH refuses user names with any of ${FORBIDDEN}`;
    if (/\s/.test(c) && user[i + 1] === '-') return `"${user}" has whitespace followed by "-" (it would read as an option)`;
    if (c === '\\' && i === user.length - 1) return `"${user}" ends with a backslash`;
  }
  return null;
}
