/**
 * Which catalog flows an inventory selects, and which hosts take part in them: the shared
 * selection compile and the resource modules (the firewall's evidence rows) both read. Pure.
 */
import type { Flow } from '../core/types.js';
import type { Inventory, SiteProduct } from '../inventory/load.js';
import type { InventoryFile, InventoryHost } from '../inventory/schema.js';
import type { Product } from '../catalog/model.js';

/** Flows the inventory's products select (platforms, methods, options, port overrides), and the site's own flows whose condition is on. */
export function selectFlows(inv: Inventory): Flow[] {
  const vendor = inv.products.flatMap((sp) => sp.product.flows.filter((f) => flowSelection(sp, f) === 'selected').map((f) => effectiveFlow(sp, f)));
  return [...vendor, ...inv.siteFlows.filter((f) => siteConditionOn(inv, f.condition))];
}

/** A site flow's condition: an option (PRODUCT/OPTION in a site) set on any of that product's selected platforms. */
export function siteConditionOn(inv: Inventory, condition: string | null): boolean {
  if (condition === null) return true;
  return inv.products.some((sp) => condition.startsWith(sp.prefix) && sp.platforms.some((sel) => sel.options[condition.slice(sp.prefix.length)] === true));
}

/**
 * Why a catalog flow is in this deployment or not: its platform and method selected, and its
 * condition enabled ('selected'); the platform and method selected but the condition off; or
 * another platform or method.
 */
export function flowSelection(sp: SiteProduct, f: Product['flows'][number]): 'selected' | 'condition-off' | 'method-not-selected' | 'platform-not-selected' {
  const platforms = sp.platforms.filter((sel) => sel.platform === f.platform);
  if (platforms.length === 0) return 'platform-not-selected';
  const methods = platforms.filter((sel) => sel.method === undefined || sel.method === f.method);
  if (methods.length === 0) return 'method-not-selected';
  return methods.some((sel) => f.condition === null || sel.options[f.condition] === true) ? 'selected' : 'condition-off';
}

/**
 * The flow as this inventory opens it: the port override applied (ports.keystone: […]), and in a
 * site its roles qualified as the hosts hold them (storware/node).
 */
export function effectiveFlow(sp: SiteProduct, { param, ...f }: Product['flows'][number]): Flow {
  const flow = param && sp.ports[param] ? { ...f, ports: sp.ports[param]! } : f;
  return sp.prefix ? { ...flow, from: sp.prefix + flow.from, to: sp.prefix + flow.to } : flow;
}

/**
 * A host takes part in a flow as `role` when it holds the role and its `platform:` (if any) is the
 * flow's. In a site the platform is qualified (storware/ovirt) and restricts that product's flows
 * only; the site's own flows belong to no platform.
 */
export function takesPart(host: InventoryHost, role: string, flow: Flow): boolean {
  if (!host.roles.includes(role)) return false;
  const p = host.platform;
  if (p === undefined || flow.platform === null) return true;
  const slash = p.indexOf('/');
  if (slash < 0) return p === flow.platform;
  return p.slice(0, slash) !== flow.product || p.slice(slash + 1) === flow.platform;
}

/**
 * Why a flow opens nothing on `dest` (or, without `dest`, anywhere): a host is never its own
 * source, so when every host holding the source role is itself the destination, that is the
 * reason (not "no host with role …", which would be false); otherwise there is no source at all.
 */
export function noSourceReason(data: InventoryFile, flow: Flow, dest?: string): string {
  const holders = Object.keys(data.hosts)
    .filter((n) => takesPart(data.hosts[n]!, flow.from, flow))
    .sort();
  const selfOnly = holders.length > 0 && holders.every((n) => (dest === undefined ? takesPart(data.hosts[n]!, flow.to, flow) : n === dest));
  if (selfOnly && !data.networks[flow.from]?.length) {
    const who = dest ?? holders.join(', ');
    return `no source: a host is never its own source, and ${who} ${dest !== undefined || holders.length === 1 ? 'is the only host' : 'are the only hosts'} with role "${flow.from}" (its traffic to itself never crosses its input filter); no networks.${flow.from}`;
  }
  return `no source: no host with role "${flow.from}" and no networks.${flow.from}`;
}
