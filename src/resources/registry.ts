/**
 * The registry: every resource module, in apply order (account before sudoers: the rule names
 * the user). Resource kinds, the report's and evidence's enums and the evidence groups derive
 * from this list; a new resource is one module file and one line here.
 */
import { accountResource } from './account.js';
import { firewallResource } from './firewall.js';
import { selinuxResource } from './selinux.js';
import { sudoersResource } from './sudoers.js';
import { ipstackResource } from './ipstack.js';
import type { AnyModule } from './module.js';
import type { HostDesired, ResourceKind } from '../core/types.js';

export const RESOURCES: readonly AnyModule[] = [firewallResource, accountResource, sudoersResource, selinuxResource, ipstackResource];

/** The modules that have something to do on this host: every module on every host, except where its slice is null (unless `everyHost`). */
export function resourcesFor(desired: HostDesired): readonly AnyModule[] {
  return RESOURCES.filter((m) => m.everyHost || desired[m.kind] != null);
}

/** The resource kinds, in apply order (zod enums take a non-empty tuple). */
export const RESOURCE_KINDS = RESOURCES.map((r) => r.kind) as [ResourceKind, ...ResourceKind[]];
/** The evidence row kinds, one per module, in report order. */
export const EVIDENCE_KINDS = RESOURCES.map((r) => r.evidence.kind) as [string, ...string[]];
/** The report's requirement groups, in the order the documents state them. */
export const EVIDENCE_GROUPS = RESOURCES.map((r) => ({ kind: r.evidence.kind, id: r.evidence.group, title: r.evidence.title }));

export function moduleOf(kind: ResourceKind): AnyModule {
  return RESOURCES.find((r) => r.kind === kind)!;
}

/** The module whose evidence rows have this kind. */
export function moduleOfRow(kind: string): AnyModule {
  return RESOURCES.find((r) => r.evidence.kind === kind)!;
}
