/** Every resource, in apply order: account before sudoers (the rule names the user). */
import { accountResource } from './account.js';
import { firewallResource } from './firewall.js';
import { selinuxResource } from './selinux.js';
import { sudoersResource } from './sudoers.js';
import type { Resource } from './types.js';

export const RESOURCES: readonly Resource[] = [firewallResource, accountResource, sudoersResource, selinuxResource];
export type { Resource, ResourcePlan, ResourceKind, HostFacts } from './types.js';
