/**
 * The effect of the sudo configuration, as sudo itself reads it (`sudo -l -U USER`), compared
 * with the documented commands: a file can be valid and still grant more (a foreign drop-in),
 * or nothing at all (no @includedir, a name sudo skips). Pure: parses text, no I/O.
 */

export interface Grant {
  runas: string;
  /** tags such as NOPASSWD, in sudo's order */
  tags: string;
  command: string;
}

export interface SudoView {
  /** sudo answered; false when its output could not be read */
  readable: boolean;
  grants: Grant[];
  /** the "Matching Defaults entries" for the user, one per item */
  defaults: string[];
  raw: string;
}

/** Parses `sudo -l -U USER` (long lines are not wrapped without a terminal; continuation lines are joined anyway). */
export function parseSudoList(text: string): SudoView {
  const lines = text.replace(/\r/g, '').split('\n');
  const view: SudoView = { readable: false, grants: [], defaults: [], raw: text.trim() };
  let section: 'defaults' | 'commands' | null = null;
  const entries: string[] = [];
  const defaults: string[] = [];
  for (const line of lines) {
    if (/^Matching Defaults entries for /.test(line)) (section = 'defaults'), (view.readable = true);
    else if (/^(User|Runas and Command-specific defaults) /.test(line) && / may run the following commands on /.test(line))
      (section = 'commands'), (view.readable = true);
    else if (/^User \S+ is not allowed to run sudo on /.test(line)) (section = null), (view.readable = true);
    else if (/^Runas and Command-specific defaults/.test(line)) section = null;
    else if (/^\s+\S/.test(line) && section === 'commands') {
      if (/^ {4}\(/.test(line) || entries.length === 0) entries.push(line.trim());
      else entries[entries.length - 1] += ` ${line.trim()}`;
    } else if (/^\s+\S/.test(line) && section === 'defaults') defaults.push(line.trim());
  }
  view.defaults = splitList(defaults.join(', '));
  for (const entry of entries) {
    const m = /^\(([^)]*)\)\s*(.*)$/.exec(entry);
    const runas = m ? m[1]! : 'root';
    let tags = '';
    for (let item of splitList(m ? m[2]! : entry)) {
      const tagged = /^((?:[A-Z_]+:\s*)+)(.*)$/.exec(item);
      if (tagged) {
        tags = tagged[1]!.replace(/\s+/g, ' ').trim();
        item = tagged[2]!;
      }
      view.grants.push({ runas, tags, command: item.trim() });
    }
  }
  return view;
}

/** sudo's lists: comma-separated, a backslash escapes a comma. */
function splitList(text: string): string[] {
  return text
    .split(/(?<!\\), /)
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface EffectFacts {
  view: SudoView;
  /** /etc/sudoers includes /etc/sudoers.d */
  includesDir: boolean;
  /** files other than ours that name the user */
  foreignFiles: string[];
}

/** Why what sudo grants `user` is not exactly `commands` as root without a password, or null. */
export function effectProblem(user: string, commands: readonly string[], file: string, f: EffectFacts): string | null {
  if (!f.view.readable) return `cannot read what sudo grants ${user}: ${f.view.raw || 'no output from sudo -l -U'}`;
  const want = new Set(commands);
  const documented = (g: Grant) => want.has(g.command) && g.runas === 'root' && /\bNOPASSWD:/.test(g.tags);
  const extra = f.view.grants.filter((g) => !documented(g));
  const granted = new Set(f.view.grants.filter(documented).map((g) => g.command));
  const missing = commands.filter((c) => !granted.has(c));
  const reasons: string[] = [];
  if (extra.length > 0) {
    const where =
      f.foreignFiles.length > 0 ? ` (${user} is also named in ${f.foreignFiles.join(', ')})` : ' (from a rule vprov does not own, e.g. a group rule)';
    reasons.push(`grants more than documented: ${extra.map((g) => `(${g.runas}) ${g.tags ? `${g.tags} ` : ''}${g.command}`).join(', ')}${where}`);
  }
  if (missing.length > 0) {
    const why = !f.includesDir
      ? `: /etc/sudoers has no @includedir /etc/sudoers.d, so ${file} is never read`
      : missing.length === commands.length
        ? `: sudo does not read ${file}`
        : '';
    reasons.push(`does not grant ${missing.length === commands.length ? 'any documented command' : missing.join(', ')}${why}`);
  }
  // sudo -l lists the matching Defaults in the order sudo applies them: the last one wins.
  const blocking = f.view.defaults
    .filter((d) => d === 'requiretty' || d === '!requiretty')
    .slice(-1)
    .filter((d) => d === 'requiretty');
  // vprov writes what the vendor documents and nothing else: the fix is the operator's own policy.
  if (blocking.length > 0) {
    reasons.push(
      `Defaults ${blocking.join(', ')} applies to ${user}: its commands fail without a terminal; fix: "Defaults:${user} !requiretty" in a sudoers drop-in of your own that sudo reads after the line setting requiretty (see docs/resources.md)`,
    );
  }
  return reasons.length > 0 ? `sudo -l -U ${user} ${reasons.join('; ')}` : null;
}
