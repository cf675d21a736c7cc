/**
 * Hosts that left the inventory. vprov cannot reach a host it no longer knows, so the way to
 * clean one is explicit: `apply --prune HOST… --prune-inventory OLD` takes the host's connection
 * data from the inventory it was applied with (OLD), and plans for it the removal of what vprov
 * wrote there (firewall objects, the sudoers drop-in it recorded, the account only with
 * --remove-accounts). Without --prune, plan and apply given --prune-inventory list the hosts that
 * left, and change nothing on them. Pure: the caller loads and compiles both inventories.
 */
import { InputError } from '../core/errors.js';
import type { HostDesired } from '../core/types.js';
import { RESOURCES } from '../resources/registry.js';

export const PRUNED_WHY = 'the host left the inventory (apply --prune)';

/** What a pruned host should look like: no role, nothing of vprov's left (accounts: see removeAccounts). */
export function prunedDesired(d: HostDesired, removeAccounts: boolean): HostDesired {
  const account = d.account?.name ?? d.retired?.account;
  const sudoersFile = d.sudoers?.file ?? d.retired?.sudoersFile;
  // A module planned only where its slice is set (not everyHost) has nothing to remove: left out.
  const leftOut = Object.fromEntries(RESOURCES.filter((m) => !m.everyHost).map((m) => [m.kind, null]));
  return {
    ...d,
    ...leftOut,
    roles: [],
    firewall: { ...d.firewall, backend: 'none', sets: [], rules: [] },
    account: null,
    sudoers: null,
    selinux: { mode: 'keep' },
    retired: { ...(account ? { account } : {}), ...(sudoersFile ? { sudoersFile } : {}), removeAccount: removeAccounts, why: PRUNED_WHY },
  };
}

/**
 * The hosts --prune names, from the previous inventory's compiled hosts: each must be there and
 * must have left the current one (a host still in it is cleaned by its roles, not by --prune).
 */
export function prunedHosts(
  names: readonly string[],
  previous: readonly HostDesired[],
  current: ReadonlySet<string>,
  previousFile: string,
  removeAccounts: boolean,
): HostDesired[] {
  const problems: string[] = [];
  const out: HostDesired[] = [];
  for (const name of [...new Set(names)]) {
    const d = previous.find((h) => h.name === name);
    if (current.has(name))
      problems.push(`--prune ${name}: ${name} is still in the inventory; remove it from there first (what its roles no longer need is removed by apply)`);
    else if (!d)
      problems.push(`--prune ${name}: no host ${name} in --prune-inventory ${previousFile} (hosts there: ${previous.map((h) => h.name).join(', ') || 'none'})`);
    else if (!d.managed) problems.push(`--prune ${name}: ${name} is managed: false in ${previousFile}; vprov never changed it`);
    else out.push(prunedDesired(d, removeAccounts));
  }
  if (problems.length > 0) throw new InputError(problems[0]!, previousFile, problems);
  return out;
}

/** Hosts of the previous inventory that are not in the current one (what plan lists without --prune). */
export function hostsThatLeft(previous: readonly HostDesired[], current: ReadonlySet<string>): string[] {
  return previous
    .filter((h) => h.managed && !current.has(h.name))
    .map((h) => h.name)
    .sort();
}
