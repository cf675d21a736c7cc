/** The resource contract: facts → plan (pure) → script → apply → facts again → plan must be empty. */
import type { ResourceKind } from '../core/types.js';
import { q } from './shell.js';
import type { WrittenEntry } from './host-record.js';

export type { ResourceKind };

export interface ResourcePlan {
  resource: ResourceKind;
  /**
   * ok: nothing to do; pending: changes computed; not-applicable: nothing vprov can manage here;
   * failed: the state could not be read (`error` says why) — never taken for "nothing there";
   * or in the state vprov writes, yet with the wrong effect on the host (sudoers)
   */
  status: 'ok' | 'pending' | 'not-applicable' | 'failed';
  error?: string;
  /** one line per change, "+ …" added, "- …" removed, "~ …" changed */
  changes: string[];
  /** unified diff of a file, when the change is a file */
  diff?: string;
  warnings: string[];
  /** a difference only a reboot resolves (SELinux disabled ↔ enabled) */
  rebootRequired: boolean;
  /** notes shown with the plan (why not applicable, what is shadowed, …) */
  notes: string[];
  /** POSIX sh fragment that applies exactly `changes`; empty when status is not pending */
  script: string;
  /**
   * The change could cut SSH: the script armed a rollback on the host, which only a NEW SSH
   * connection running `confirmScript` cancels (commit-confirmed).
   */
  confirmScript?: string;
  /**
   * What this resource has written on the host once its state is as planned: its entries (of
   * `kinds`) in the host record's `written` list. Absent: the recorded entries stay as they are.
   */
  owns?: { kinds: string[]; entries: WrittenEntry[] };
}

/** Raw facts: the output section of each fact probe, keyed by probe name. */
export type RawFacts = Record<string, string>;

/** Facts every resource may use, gathered in the same round trip (a backend's own facts are its module's). */
export interface HostFacts {
  /** address the controller's SSH session comes from, as the host sees it */
  controllerAddress: string | null;
  /** port the host's sshd answered the controller on */
  sshPort: number;
  systemd: boolean;
  /** what vprov's host record says vprov wrote here (null: no record, or one that cannot be read) */
  written?: readonly WrittenEntry[] | null;
}

/**
 * A plan that must not go ahead (a precondition on the host is not met): it shows as a
 * pending "!" change, and its script fails the resource with `message`, changing nothing.
 */
export function refusedPlan(resource: ResourceKind, change: string, message: string): ResourcePlan {
  const plan = emptyPlan(resource, 'pending');
  plan.changes.push(`! ${change}`);
  plan.script = `echo ${q(message)} >&2; exit 3`;
  return plan;
}

/** "+" for lines only wanted, "-" for lines only present: two canonical listings compared. */
export function lineChanges(wanted: readonly string[], present: readonly string[]): string[] {
  const have = new Set(present);
  const want = new Set(wanted);
  return [...wanted.filter((l) => !have.has(l)).map((l) => `+ ${l}`), ...present.filter((l) => !want.has(l)).map((l) => `- ${l}`)];
}

/** A state that cannot be read fails the resource with its cause; nothing is applied. */
export function failedPlan(resource: ResourceKind, error: string): ResourcePlan {
  return { ...emptyPlan(resource, 'failed'), error };
}

export function emptyPlan(resource: ResourceKind, status: ResourcePlan['status'] = 'ok'): ResourcePlan {
  return { resource, status, changes: [], warnings: [], rebootRequired: false, notes: [], script: '' };
}

/** A resource no role of this host asks for: "not applicable", never "ok" (nothing was checked). */
export function notNeeded(resource: ResourceKind, roles: readonly string[], what: string): ResourcePlan {
  const plan = emptyPlan(resource, 'not-applicable');
  plan.notes.push(
    roles.length > 0 ? `not applicable: no role of this host (${roles.join(', ')}) needs ${what}` : `not applicable: this host has no role any more (pruned)`,
  );
  return plan;
}
