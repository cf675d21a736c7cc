/**
 * sudoers drop-in: rendered from templates/sudoers.hbs, written to a temp name sudo ignores,
 * checked with `visudo -cf`, renamed atomically (0440 root:root); the whole configuration is
 * checked again with `visudo -c` and the previous file restored when that fails.
 */
import { createTwoFilesPatch } from 'diff';
import type { HostDesired } from '../core/types.js';
import { isRootEquivalent } from '../core/root-equivalent.js';
import { decodeBase64Fact, decodeFileFact, q, readFileFact, runTemp, writeFileToWord } from './shell.js';
import { render } from '../core/templates.js';
import { emptyPlan, notNeeded, type HostFacts, type ResourcePlan } from './types.js';
import { createHash } from 'node:crypto';
import { HOST_RECORD, recordedEntry } from './host-record.js';
import { effectProblem, parseSudoList, type SudoView } from './sudo-effect.js';
import { grantFor } from './evidence-facts.js';
import type { NotApplied, ResourceModule, RowBase } from './module.js';

export interface SudoersDesired {
  user: string;
  /** file name under /etc/sudoers.d */
  file: string;
  /** roles whose documented command lists are merged here */
  roles: string[];
  commands: string[];
  /** subset of commands that grant root to whoever may run them */
  rootEquivalent: string[];
}

declare module '../core/types.js' {
  interface DesiredSlices {
    sudoers: SudoersDesired | null;
  }
}

export const SUDOERS_DIR = '/etc/sudoers.d';

export function renderSudoers(d: SudoersDesired): string {
  return render('sudoers.hbs', {
    roles: d.roles,
    user: d.user,
    alias: `VPROV_${d.user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`,
    // sudoers continuation lines: every command but the last ends in ", \".
    lines: d.commands.map((c, i) => (i < d.commands.length - 1 ? `${c}, \\` : c)),
    rootEquivalent: d.rootEquivalent,
  });
}

type Perm = { mode: number; owner: string; group: string };

export interface SudoersFacts {
  userExists: boolean;
  /** vprov's drop-in, null when absent */
  content: string | null;
  /** "MODE OWNER GROUP" of the drop-in */
  meta: string | null;
  /** documented commands not installed on the host */
  missing: string[];
  /** what `sudo -l -U USER` says (absent when the user does not exist) */
  effect: SudoView | null;
  includesDir: boolean;
  /** other sudoers files naming the user */
  foreignFiles: string[];
  /** mode and owner of each granted path and every directory above it */
  perms: Map<string, Perm>;
}

export type SudoRow = RowBase & { kind: 'sudo'; user: string; command: string; rootEquivalent: boolean };

export const sudoersResource: ResourceModule<'sudoers', SudoersFacts, SudoRow> = {
  kind: 'sudoers',
  evidence: { kind: 'sudo', group: 'sudo', title: 'sudo commands (per host)' },
  // null: no role here has sudo commands; a drop-in vprov wrote is still checked (retired)
  everyHost: true,

  // The drop-in is named after the user; a command is root-equivalent when the catalog flags it or it is one by its nature.
  desired: ({ union: { sudo } }) =>
    sudo
      ? {
          user: sudo.user,
          file: sudo.user,
          roles: sudo.roles,
          commands: sudo.commands,
          rootEquivalent: sudo.commands.filter((c) => sudo.flagged.has(c) || isRootEquivalent(c)),
        }
      : null,

  probe(desired) {
    if (!desired.sudoers) return desired.retired?.sudoersFile ? readFileFact('content', `${SUDOERS_DIR}/${desired.retired.sudoersFile}`) : '';
    const path = `${SUDOERS_DIR}/${desired.sudoers.file}`;
    const { user, commands } = desired.sudoers;
    // Each line costs at most one exec (a fork+exec is most of a host's cost here): no $(…)
    // around a pipeline, one stat for every path, sed both drops our own file and prefixes.
    return [
      `if getent passwd ${q(user)} >/dev/null; then echo user=yes; vprov_sudo_user=1; else echo user=no; vprov_sudo_user=; fi`,
      readFileFact('content', path),
      `if [ -e ${q(path)} ]; then stat -c 'meta=%a %U %G' ${q(path)} || echo meta=; fi`,
      ...commands.map((c) => `[ -e ${q(c)} ] || printf '%s\\n' ${q(`missing=${c}`)}`),
      // What sudo itself makes of the whole configuration, and where to look when it differs.
      `if [ -n "$vprov_sudo_user" ]; then printf effect=; sudo -l -U ${q(user)} 2>&1 | base64 -w0; echo; fi`,
      `if grep -Eq '^[[:space:]]*[@#]includedir[[:space:]]+/etc/sudoers.d/?[[:space:]]*$' /etc/sudoers; then echo includedir=yes; else echo includedir=no; fi`,
      foreignFilesCmd(user, path, ['/etc/sudoers', `${SUDOERS_DIR}/*`]),
      // Every granted path and each directory above it: who could replace what root runs.
      permsCmd(pathsAbove(commands)),
    ].join('\n');
  },

  parse(raw, desired) {
    const lines = raw.split('\n');
    const value = (key: string) => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
    const perms = new Map<string, Perm>();
    for (const l of lines) {
      const m = /^perm:(.*)=([0-7]+) (\S+) (\S+)$/.exec(l);
      if (m) perms.set(m[1]!, { mode: parseInt(m[2]!, 8), owner: m[3]!, group: m[4]! });
    }
    const effect = value('effect');
    return {
      userExists: lines.includes('user=yes'),
      content: decodeFileFact(value('content'), `${SUDOERS_DIR}/${desired.sudoers?.file ?? desired.retired?.sudoersFile ?? ''}`),
      meta: value('meta') ?? null,
      missing: lines.filter((l) => l.startsWith('missing=')).map((l) => l.slice(8)),
      effect: effect === undefined ? null : parseSudoList(decodeBase64Fact(effect)),
      includesDir: value('includedir') === 'yes',
      foreignFiles: lines.filter((l) => l.startsWith('foreign=')).map((l) => l.slice(8)),
      perms,
    };
  },

  plan(facts, desired, host) {
    const d = desired.sudoers;
    if (!d) return planRetired(facts.content, desired, host);
    const path = `${SUDOERS_DIR}/${d.file}`;
    const { content: current, meta, missing } = facts;
    const wanted = renderSudoers(d);
    const plan: ResourcePlan = emptyPlan('sudoers');
    // Once in this state, the file is what vprov writes: recorded as vprov's, to be removed when no role needs it.
    plan.owns = { kinds: ['sudoers'], entries: [{ kind: 'sudoers', path, sha256: sha256(wanted) }] };
    if (missing.length > 0)
      plan.warnings.push(`${missing.length} documented command(s) not installed on this host (rule written anyway): ${missing.join(', ')}`);
    if (d.rootEquivalent.length > 0) plan.notes.push(`root-equivalent commands granted as documented: ${d.rootEquivalent.join(', ')}`);
    plan.warnings.push(...writableWarnings(d.user, d.commands, facts.perms));
    if (current !== wanted) {
      plan.changes.push(current === null ? `+ ${path}` : `~ ${path} (content)`);
      plan.diff = createTwoFilesPatch(current === null ? '/dev/null' : path, path, current ?? '', wanted, undefined, undefined, { context: 3 });
    }
    if (current !== null && meta !== '440 root root') plan.changes.push(`~ ${path} mode/owner ${meta} → 440 root root`);
    if (plan.changes.length === 0) {
      // The file is as vprov writes it: now the effect, as sudo reads the whole configuration.
      const problem = effectProblem(d.user, d.commands, path, {
        view: facts.effect ?? parseSudoList(''),
        includesDir: facts.includesDir,
        foreignFiles: facts.foreignFiles,
      });
      if (problem) return { ...plan, status: 'failed', error: problem };
      return plan;
    }
    plan.status = 'pending';
    // Never a rule for a user that does not exist: the account resource runs first in the same
    // apply; if it could not create the user, this fails with that reason.
    const userMissing = !facts.userExists;
    if (userMissing) plan.notes.push(`user ${d.user} does not exist yet: the file is written once the account resource has created it`);
    plan.script = `${
      userMissing
        ? `getent passwd ${q(d.user)} >/dev/null || { echo ${q(`user ${d.user} does not exist (the account resource did not create it): ${path} not written`)} >&2; exit 3; }
`
        : ''
    }${installSudoersScript(path, wanted)}`;
    return plan;
  },

  requirements(ctx, h) {
    const { inv } = ctx;
    if (h) {
      if (!h.sudoers) return { rows: [], notApplied: [] };
      const sudoers = h.sudoers;
      // Which product a qualified role belongs to (storware/node → storware, node).
      const owner = (qualified: string) => {
        const sp = inv.products.find((p) => qualified.startsWith(p.prefix) && qualified.slice(p.prefix.length) in p.product.requirements.sudo)!;
        return sp.product.requirements.sudo[qualified.slice(sp.prefix.length)]!;
      };
      const rows = sudoers.commands.map((command): SudoRow => {
        const sudo = sudoers.roles.map(owner).filter((x) => x.commands.includes(command));
        return {
          id: `sudo:${command}@${h.name}`,
          kind: 'sudo',
          host: h.name,
          managed: h.managed,
          documents: [...new Set(sudo.flatMap((x) => x.sources))].sort(),
          section: sudo.map((x) => x.section).join('; '),
          user: sudoers.user,
          command,
          rootEquivalent: sudoers.rootEquivalent.includes(command),
        };
      });
      return { rows, notApplied: [] };
    }
    const notApplied: NotApplied[] = [];
    for (const sp of inv.products) {
      for (const [role, sudo] of Object.entries(sp.product.requirements.sudo)) {
        const qualified = sp.prefix + role;
        if (!ctx.hosts.some((x) => x.sudoers?.roles.includes(qualified))) {
          notApplied.push({
            kind: 'sudo',
            requirement: `sudo for role ${qualified}: ${sudo.commands.join(', ')}`,
            status: 'not applied',
            reason: `no host with role "${qualified}" in the inventory`,
            documents: sudo.sources,
            section: sudo.section,
          });
        }
      }
    }
    const granted = new Set(ctx.hosts.flatMap((x) => x.sudoers?.rootEquivalent ?? []));
    for (const command of [...granted].sort()) {
      const lists = inv.products.flatMap((sp) => Object.values(sp.product.requirements.sudo)).filter((s) => s.commands.includes(command));
      const users = ctx.hosts.filter((x) => x.sudoers?.commands.includes(command));
      const user = users[0]?.sudoers?.user ?? 'the service account';
      notApplied.push({
        kind: 'sudo',
        requirement: `sudo ${command} for ${user}`,
        status: 'flagged',
        reason: `root-equivalent: whoever runs it as ${user} can become root; granted as documented on ${users.map((x) => x.name).join(', ')}`,
        documents: [...new Set(lists.flatMap((s) => s.sources))].sort(),
        section: lists.map((s) => s.section).join('; '),
      });
    }
    return { rows: [], notApplied };
  },

  describe: (row) => ({ requirement: `${row.user} may run ${row.command} as root (sudo)`, rootEquivalent: row.rootEquivalent }),

  judge(row, facts) {
    // The sudoers resource's own fact: what `sudo -l -U USER` says, read in the same round trip.
    if (facts.effect === null) {
      return !facts.userExists
        ? { verdict: 'not met', found: [`getent passwd ${row.user}: no such user`], reason: `user ${row.user} does not exist` }
        : { verdict: 'not verifiable', found: [`sudo -l -U ${row.user}: no answer`], reason: `sudo could not list the privileges of ${row.user}` };
    }
    const view = facts.effect;
    if (!view.readable)
      return {
        verdict: 'not verifiable',
        found: [`sudo -l -U ${row.user}: ${view.raw.slice(0, 300) || 'no output'}`],
        reason: `sudo could not list the privileges of ${row.user}`,
      };
    const grant = grantFor(view.grants, row.command);
    if (grant) return { verdict: 'met', found: [`sudo -l -U ${row.user}: (${grant.runas}) ${grant.tags ? `${grant.tags} ` : ''}${grant.command}`] };
    const found = [
      `sudo -l -U ${row.user}: ${row.command} not listed (${view.grants.length} command(s) granted${
        view.grants.length
          ? `, e.g. ${view.grants
              .slice(0, 3)
              .map((g) => g.command)
              .join(', ')}`
          : ''
      })`,
    ];
    return { verdict: 'not met', found, reason: `sudo does not let ${row.user} run ${row.command} as root` };
  },
};

/**
 * `foreign=FILE` for each sudoers file (of `files`, sh words: globs allowed) other than `own`
 * that names `user`. One grep and one sed: sed drops `own` (an exact line) and adds the prefix.
 */
export function foreignFilesCmd(user: string, own: string, files: readonly string[]): string {
  // BRE specials and the delimiter, backslashed (a lone ] is literal in a BRE)
  const ownLine = own.replace(/[\\^$.*[|]/g, '\\$&');
  return `grep -lE ${q(`(^|[^A-Za-z0-9_.-])${user}([^A-Za-z0-9_.-]|$)`)} ${files.join(' ')} 2>/dev/null | sed -e ${q(`\\|^${ownLine}$|d`)} -e 's/^/foreign=/'`;
}

/**
 * `perm:PATH=MODE OWNER GROUP` (symlinks followed) for each path that exists, in the order given;
 * nothing for one that cannot be stat'ed. One stat for all of them: it goes on past a path it
 * cannot read, and prints each name as given (%n).
 */
export function permsCmd(paths: readonly string[]): string {
  // (stat exits 1 when a path is missing: that is an answer, not a failure of the script)
  return `stat -L -c 'perm:%n=%a %U %G' -- ${paths.map(q).join(' ')} 2>/dev/null || :`;
}

/** Each path and every directory above it, once. */
function pathsAbove(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) for (let at = p; at.length > 1; at = at.slice(0, at.lastIndexOf('/')) || '/') out.add(at);
  out.add('/');
  return [...out];
}

/**
 * A granted path (or a directory above it) that someone other than root can write is root for
 * that someone: they replace the file, and sudo runs it. Mode bits only (ACLs are not read).
 */
function writableWarnings(user: string, commands: readonly string[], perms: ReadonlyMap<string, Perm>): string[] {
  const out: string[] = [];
  for (const c of commands) {
    for (const at of pathsAbove([c])) {
      const p = perms.get(at);
      if (!p) continue;
      const who = [
        p.owner !== 'root' && p.mode & 0o200 ? `its owner ${p.owner}` : null,
        p.group !== 'root' && p.mode & 0o020 ? `group ${p.group}` : null,
        p.mode & 0o002 ? 'anyone' : null,
      ].filter(Boolean);
      if (who.length === 0) continue;
      const service = p.owner === user ? ` (${user} itself)` : '';
      out.push(
        `${c} is granted to ${user} as root, but ${at === c ? 'it' : at} is writable by ${who.join(' and ')}${service} (mode ${p.mode.toString(8)} ${p.owner}:${p.group}): whoever writes there is root`,
      );
      break;
    }
  }
  return out;
}

/** The guarded install. Exposed for the integration test that feeds it an invalid file. */
export function installSudoersScript(path: string, content: string): string {
  const dir = path.slice(0, path.lastIndexOf('/'));
  const base = path.slice(path.lastIndexOf('/') + 1);
  // Names with a dot are ignored by sudo, so neither temp nor backup is ever live.
  const tmp = runTemp(`${dir}/.${base}`);
  const bak = `${dir}/.${base}.vprov-old`;
  return `
umask 077
${writeFileToWord(tmp, content)}
chown root:root ${tmp}
chmod 0440 ${tmp}
if ! out=$(visudo -cf ${tmp} 2>&1); then
  rm -f ${tmp}
  echo "visudo rejected the rendered sudoers file, ${path} left as it was: $out" >&2
  exit 3
fi
rm -f ${q(bak)}
if [ -e ${q(path)} ]; then cp -p ${q(path)} ${q(bak)}; fi
mv -f ${tmp} ${q(path)}
if ! out=$(visudo -c 2>&1); then
  if [ -e ${q(bak)} ]; then mv -f ${q(bak)} ${q(path)}; else rm -f ${q(path)}; fi
  echo "sudo configuration invalid with the new ${path}; previous state restored: $out" >&2
  exit 3
fi
rm -f ${q(bak)}
`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * No role of this host needs a drop-in: the one vprov wrote (recorded on the host, content
 * unchanged since) is removed; any other file of that name is reported and left alone.
 */
function planRetired(current: string | null, desired: HostDesired, host: HostFacts): ResourcePlan {
  const plan = notNeeded('sudoers', desired.roles, 'a sudoers drop-in (no documented sudo commands)');
  const file = desired.retired?.sudoersFile;
  if (!file) return plan;
  const path = `${SUDOERS_DIR}/${file}`;
  if (current === null) return { ...plan, owns: { kinds: ['sudoers'], entries: [] } };
  const recorded = recordedEntry(host.written ?? null, 'sudoers', { path });
  if (!recorded) {
    plan.warnings.push(`${path} was not written by vprov (it is not in ${HOST_RECORD}): left as it is, although no role of this host needs it`);
    return plan;
  }
  if (recorded.sha256 !== sha256(current)) {
    plan.warnings.push(
      `${path} was written by vprov but has changed since: left as it is, although no role of this host needs it (remove it by hand if nothing else needs it)`,
    );
    return plan;
  }
  return {
    ...plan,
    status: 'pending',
    notes: [],
    changes: [`- remove ${path}: no role of this host needs it`],
    diff: createTwoFilesPatch(path, '/dev/null', current, '', undefined, undefined, { context: 3 }),
    script: `rm -f -- ${q(path)}`,
    owns: { kinds: ['sudoers'], entries: [] },
  };
}
