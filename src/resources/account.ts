/**
 * Service account: created as a system user when missing; documented groups added with
 * `usermod -aG` (additive: other groups are never removed). Group order never matters.
 */
import { keyValues, q } from './shell.js';
import { emptyPlan, refusedPlan, type Resource } from './types.js';

export const accountResource: Resource = {
  kind: 'account',

  factsScript(desired) {
    const a = desired.account;
    if (!a) return '';
    const groupProbes = a.groups.map((g) => `getent group ${q(g)} >/dev/null && echo "group:${g}=yes" || echo "group:${g}=no"`).join('\n');
    return [
      `if getent passwd ${q(a.name)} >/dev/null; then echo "exists=yes"; echo "groups=$(id -nG ${q(a.name)})"; else echo "exists=no"; fi`,
      groupProbes,
    ].join('\n');
  },

  plan(raw, desired) {
    const a = desired.account;
    const plan = emptyPlan('account');
    if (!a) return plan;
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
    } else if (toAdd.length > 0) {
      plan.changes.push(`+ ${a.name} in group ${toAdd.join(', ')} (other groups kept: ${[...current].sort().join(' ')})`);
      script.push(`usermod -aG ${q(toAdd.join(','))} ${q(a.name)}`);
    }
    if (script.length === 0) return plan;
    plan.status = 'pending';
    plan.script = script.join('\n');
    return plan;
  },
};
