/**
 * Service account: created as a system user when missing; documented groups added with
 * `usermod -aG` (additive: other groups are never removed). Group order never matters.
 * An existing account is adopted only as far as is safe: its login shell is corrected; a
 * uid outside the system range or another home is reported, never changed (files owned
 * by that uid, or in that home, would be left behind).
 */
import { keyValues, q } from './shell.js';
import { emptyPlan, notNeeded, refusedPlan, type Resource } from './types.js';

export const accountResource: Resource = {
  kind: 'account',

  factsScript(desired) {
    const a = desired.account;
    if (!a) return '';
    const groupProbes = a.groups.map((g) => `getent group ${q(g)} >/dev/null && echo ${q(`group:${g}=yes`)} || echo ${q(`group:${g}=no`)}`).join('\n');
    return [
      // printf, not echo: dash's echo reads a backslash in the comment field (\c) as an escape.
      `if pw=$(getent passwd ${q(a.name)}); then echo "exists=yes"; printf '%s\\n' "passwd=$pw"; printf 'groups=%s\\n' "$(id -nG ${q(a.name)})"; else echo "exists=no"; fi`,
      `echo "sys_uid_max=$(awk '$1 == "SYS_UID_MAX" { print $2 }' /etc/login.defs 2>/dev/null)"`,
      groupProbes,
    ].join('\n');
  },

  plan(raw, desired) {
    const a = desired.account;
    const plan = emptyPlan('account');
    if (!a) return notNeeded('account', desired.roles, 'the service account');
    const kv = keyValues(raw);
    const missingGroups = a.groups.filter((g) => kv[`group:${g}`] !== 'yes');
    if (missingGroups.length > 0) {
      // Creating system groups such as disk is the distribution's business, not ours.
      const groups = missingGroups.join(', ');
      return refusedPlan('account', `group ${groups} does not exist on this host`, `group ${groups} does not exist; vprov does not create system groups`);
    }
    const exists = kv.exists === 'yes';
    const current = new Set((kv.groups ?? '').split(/\s+/).filter(Boolean));
    const toAdd = a.groups.filter((g) => !current.has(g));
    const script: string[] = [];
    if (!exists) {
      plan.changes.push(`+ user ${a.name} (system, home ${a.home}, shell ${a.shell}, groups ${a.groups.join(',')})`);
      script.push(`useradd --system --create-home --home-dir ${q(a.home)} --shell ${q(a.shell)} --user-group ${a.groups.length ? `--groups ${q(a.groups.join(','))} ` : ''}${q(a.name)}`);
    } else {
      if (toAdd.length > 0) {
        plan.changes.push(`+ ${a.name} in group ${toAdd.join(', ')} (other groups kept: ${[...current].sort().join(' ')})`);
        script.push(`usermod -aG ${q(toAdd.join(','))} ${q(a.name)}`);
      }
      const [, , uid, , , home, shell] = (kv.passwd ?? '').split(':');
      if (shell !== a.shell) {
        plan.changes.push(`~ ${a.name} shell ${shell || '(none)'} → ${a.shell}`);
        script.push(`usermod --shell ${q(a.shell)} ${q(a.name)}`);
      }
      if (home !== a.home) plan.warnings.push(`existing ${a.name} has home ${home}, not ${a.home}: left as it is (moving a home is for its owner to decide)`);
      const sysMax = Number(kv.sys_uid_max) || 999;
      if (a.system && Number(uid) > sysMax) plan.warnings.push(`existing ${a.name} has uid ${uid}, not a system uid (≤ ${sysMax}): left as it is (files it owns would lose their owner)`);
    }
    if (script.length === 0) return plan;
    plan.status = 'pending';
    plan.script = script.join('\n');
    return plan;
  },
};
