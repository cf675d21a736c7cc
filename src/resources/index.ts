/** Every resource module (see registry.ts). */
export { RESOURCES, RESOURCE_KINDS, moduleOf } from './registry.js';
export type { ResourcePlan, ResourceKind, HostFacts } from './types.js';
export type { ResourceModule, AnyModule } from './module.js';
