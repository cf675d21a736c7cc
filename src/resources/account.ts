/**
 * Service account: created as a system user when missing; documented groups added with
 * `usermod -aG` (additive: other groups are never removed). Group order never matters.
 * An existing account is adopted only as far as is safe: its login shell is corrected; a
 * uid outside the system range or another home is reported, never changed (files owned
 * by that uid, or in that home, would be left behind).
 */
import { keyValues, q, unreadableYesNo, yesNo } from './shell.js';
import { emptyPlan, notNeeded, refusedPlan, type HostFacts, type ResourcePlan } from './types.js';
import type { HostDesired } from '../core/types.js';
import { HOST_RECORD, recordedEntry } from './host-record.js';
import { askingProducts, union, type ResourceModule, type RowBase } from './module.js';
import { UnreadableFactError } from '../core/errors.js';

export interface AccountDesired {
  name: string;
  groups: string[];
  system: boolean;
  home: string;
  shell: string;
}

declare module '../core/types.js' {
  interface DesiredSlices {
    account: AccountDesired | null;
  }
}

export interface AccountFacts {
  exists: boolean;
  /** the getent passwd line, when the user exists */
  passwd: string;
  groups: string[];
  sysUidMax: number;
  /** group name → does it exist on the host */
  groupExists: Record<string, boolean>;
}

export type AccountRow = RowBase & { kind: 'account'; user: string; groups: string[] };

export const accountResource: ResourceModule<'account', AccountFacts, AccountRow> = {
  kind: 'account',
  evidence: { kind: 'account', group: 'accounts', title: 'Service account and group' },
  // null: no product asks for the account here; what vprov created is still checked (retired)
  everyHost: true,

  // The one service account of the host's products, as a system user; home and shell default as useradd's.
  desired: ({ union: { account: a } }) =>
    a ? { name: a.user, groups: a.groups, system: true, home: a.home ?? `/home/${a.user}`, shell: a.shell ?? '/bin/bash' } : null,

  probe(desired) {
    const a = desired.account;
    const retired = desired.retired?.account;
    if (!a) return retired ? `if getent passwd ${q(retired)} >/dev/null; then echo exists=yes; else echo exists=no; fi` : '';
    const groupProbes = a.groups.map((g) => `getent group ${q(g)} >/dev/null && echo ${q(`group:${g}=yes`)} || echo ${q(`group:${g}=no`)}`).join('\n');
    return [
      // printf, not echo: dash's echo reads a backslash in the comment field (\c) as an escape.
      `if pw=$(getent passwd ${q(a.name)}); then echo "exists=yes"; printf '%s\\n' "passwd=$pw"; printf 'groups=%s\\n' "$(id -nG ${q(a.name)})"; else echo "exists=no"; fi`,
      `echo "sys_uid_max=$(awk '$1 == "SYS_UID_MAX" { print $2 }' /etc/login.defs 2>/dev/null)"`,
      groupProbes,
    ].join('\n');
  },

  parse(raw, desired) {
    const kv = keyValues(raw);
    // Missing, cut or garbled lines are unreadable facts, never "no such user" or "no such group".
    const a = desired.account;
    const unreadable = a
      ? [
          ...(yesNo(kv, 'exists') === undefined ? [unreadableYesNo(kv, 'exists', `whether user ${a.name} exists`)] : []),
          ...a.groups.filter((g) => yesNo(kv, `group:${g}`) === undefined).map((g) => unreadableYesNo(kv, `group:${g}`, `whether group ${g} exists`)),
        ]
      : [];
    if (unreadable.length > 0) return new UnreadableFactError(unreadable.join('; '));
    const groupExists: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(kv)) if (k.startsWith('group:')) groupExists[k.slice(6)] = v === 'yes';
    return {
      exists: kv.exists === 'yes',
      passwd: kv.passwd ?? '',
      groups: (kv.groups ?? '').split(/\s+/).filter(Boolean),
      sysUidMax: Number(kv.sys_uid_max) || 999,
      groupExists,
    };
  },

  plan(facts, desired, host) {
    const a = desired.account;
    const plan = emptyPlan('account');
    if (!a) return planRetired(facts, desired, host);
    const missingGroups = a.groups.filter((g) => !facts.groupExists[g]);
    if (missingGroups.length > 0) {
      // Creating system groups such as disk is the distribution's business, not ours.
      const groups = missingGroups.join(', ');
      return refusedPlan('account', `group ${groups} does not exist on this host`, `group ${groups} does not exist; vprov does not create system groups`);
    }
    const exists = facts.exists;
    const current = new Set(facts.groups);
    const toAdd = a.groups.filter((g) => !current.has(g));
    const script: string[] = [];
    if (!exists) {
      plan.changes.push(`+ user ${a.name} (system, home ${a.home}, shell ${a.shell}, groups ${a.groups.join(',')})`);
      // Recorded as vprov's: only an account vprov created may ever be removed by it.
      plan.owns = { kinds: ['account'], entries: [{ kind: 'account', name: a.name }] };
      script.push(
        `useradd --system --create-home --home-dir ${q(a.home)} --shell ${q(a.shell)} --user-group ${a.groups.length ? `--groups ${q(a.groups.join(','))} ` : ''}${q(a.name)}`,
      );
    } else {
      if (toAdd.length > 0) {
        plan.changes.push(`+ ${a.name} in group ${toAdd.join(', ')} (other groups kept: ${[...current].sort().join(' ')})`);
        script.push(`usermod -aG ${q(toAdd.join(','))} ${q(a.name)}`);
      }
      const [, , uid, , , home, shell] = facts.passwd.split(':');
      if (shell !== a.shell) {
        plan.changes.push(`~ ${a.name} shell ${shell || '(none)'} → ${a.shell}`);
        script.push(`usermod --shell ${q(a.shell)} ${q(a.name)}`);
      }
      if (home !== a.home) plan.warnings.push(`existing ${a.name} has home ${home}, not ${a.home}: left as it is (moving a home is for its owner to decide)`);
      const sysMax = facts.sysUidMax;
      if (a.system && Number(uid) > sysMax)
        plan.warnings.push(`existing ${a.name} has uid ${uid}, not a system uid (≤ ${sysMax}): left as it is (files it owns would lose their owner)`);
    }
    if (script.length === 0) return plan;
    plan.status = 'pending';
    plan.script = script.join('\n');
    return plan;
  },

  requirements(ctx, h) {
    if (!h?.account) return { rows: [], notApplied: [] };
    const accounts = askingProducts(ctx.inv, h).flatMap((sp) => (sp.product.requirements.account ? [sp.product.requirements.account] : []));
    if (accounts.length === 0) return { rows: [], notApplied: [] };
    return {
      rows: [
        {
          id: `account:${h.account.name}@${h.name}`,
          kind: 'account',
          host: h.name,
          managed: h.managed,
          documents: union(accounts.map((a) => a.sources)),
          section: [...new Set(accounts.map((a) => a.section))].join('; '),
          user: h.account.name,
          groups: h.account.groups,
        },
      ],
      notApplied: [],
    };
  },

  describe: (row) => ({ requirement: `user ${row.user}, member of ${row.groups.join(', ')}` }),

  judge(row, facts) {
    if (!facts.exists) return { verdict: 'not met', found: [`getent passwd ${row.user}: no such user`], reason: `user ${row.user} does not exist` };
    const found = [`id -nG ${row.user}: ${facts.groups.join(' ')}`];
    const lacking = row.groups.filter((g) => !facts.groups.includes(g));
    return lacking.length > 0 ? { verdict: 'not met', found, reason: `${row.user} is not in group ${lacking.join(', ')}` } : { verdict: 'met', found };
  },
};

/**
 * No role of this host needs the account. It is never deleted silently: one vprov created
 * (recorded on the host) is reported, and removed only with apply --remove-accounts; one it did
 * not create is reported and left alone.
 */
function planRetired(facts: AccountFacts, desired: HostDesired, host: HostFacts): ResourcePlan {
  const plan = notNeeded('account', desired.roles, 'the service account');
  const name = desired.retired?.account;
  if (!name) return plan;
  if (!facts.exists) return { ...plan, owns: { kinds: ['account'], entries: [] } };
  if (!recordedEntry(host.written ?? null, 'account', { name })) {
    plan.warnings.push(`user ${name} exists but was not created by vprov (it is not in ${HOST_RECORD}): left as it is, although no role of this host needs it`);
    return plan;
  }
  if (!desired.retired?.removeAccount) {
    plan.warnings.push(
      `user ${name} (created by vprov) is no longer needed by any role of this host: kept, since vprov never deletes an account silently; apply --remove-accounts removes it`,
    );
    return plan;
  }
  return {
    ...plan,
    status: 'pending',
    notes: [],
    changes: [`- remove user ${name}: no role of this host needs it (--remove-accounts; its home and files are kept)`],
    script: `userdel ${q(name)}`,
    owns: { kinds: ['account'], entries: [] },
  };
}
