/**
 * sudoers drop-in: rendered from templates/sudoers.hbs, written to a temp name sudo ignores,
 * checked with `visudo -cf`, renamed atomically (0440 root:root); the whole configuration is
 * checked again with `visudo -c` and the previous file restored when that fails.
 */
import { createTwoFilesPatch } from 'diff';
import type { HostDesired, SudoersDesired } from '../core/types.js';
import { decodeFileFact, q, readFileCmd, runTemp, writeFileToWord } from './shell.js';
import { render } from '../core/templates.js';
import { emptyPlan, type Resource, type ResourcePlan } from './types.js';

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

export const sudoersResource: Resource = {
  kind: 'sudoers',

  factsScript(desired) {
    if (!desired.sudoers) return '';
    const path = `${SUDOERS_DIR}/${desired.sudoers.file}`;
    const probes = desired.sudoers.commands.map((c) => `[ -e ${q(c)} ] || echo "missing=${c}"`).join('\n');
    return [
      `if getent passwd ${q(desired.sudoers.user)} >/dev/null; then echo user=yes; else echo user=no; fi`,
      `echo "content=$(${readFileCmd(path)})"`,
      `if [ -e ${q(path)} ]; then echo "meta=$(stat -c '%a %U %G' ${q(path)})"; fi`,
      probes,
    ].join('\n');
  },

  plan(raw, desired) {
    const d = desired.sudoers;
    if (!d) return emptyPlan('sudoers');
    const lines = raw.split('\n');
    const current = decodeFileFact(lines.find((l) => l.startsWith('content='))?.slice(8));
    const meta = lines.find((l) => l.startsWith('meta='))?.slice(5) ?? null;
    const missing = lines.filter((l) => l.startsWith('missing=')).map((l) => l.slice(8));
    const wanted = renderSudoers(d);
    const path = `${SUDOERS_DIR}/${d.file}`;
    const plan: ResourcePlan = emptyPlan('sudoers');
    if (missing.length > 0) plan.warnings.push(`${missing.length} documented command(s) not installed on this host (rule written anyway): ${missing.join(', ')}`);
    if (d.rootEquivalent.length > 0) plan.notes.push(`root-equivalent commands granted as documented: ${d.rootEquivalent.join(', ')}`);
    if (current !== wanted) {
      plan.changes.push(current === null ? `+ ${path}` : `~ ${path} (content)`);
      plan.diff = createTwoFilesPatch(current === null ? '/dev/null' : path, path, current ?? '', wanted, undefined, undefined, { context: 3 });
    }
    if (current !== null && meta !== '440 root root') plan.changes.push(`~ ${path} mode/owner ${meta} → 440 root root`);
    if (plan.changes.length === 0) return plan;
    plan.status = 'pending';
    // Never a rule for a user that does not exist: the account resource runs first in the same
    // apply; if it could not create the user, this fails with that reason.
    const userMissing = lines.includes('user=no');
    if (userMissing) plan.notes.push(`user ${d.user} does not exist yet: the file is written once the account resource has created it`);
    plan.script = `${userMissing ? `getent passwd ${q(d.user)} >/dev/null || { echo ${q(`user ${d.user} does not exist (the account resource did not create it): ${path} not written`)} >&2; exit 3; }
` : ''}${installSudoersScript(path, wanted)}`;
    return plan;
  },
};

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
