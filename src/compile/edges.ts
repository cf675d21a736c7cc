/** Which source hosts/networks reach which destination host, per selected flow. Pure. */
import type { Flow } from '../core/types.js';
import { canonicalAddress } from '../core/net.js';
import type { InventoryFile, InventoryHost } from '../inventory/schema.js';

export interface Edge {
  flow: Flow;
  /** destination host name */
  dest: string;
  sourceHosts: string[];
  sourceNetworks: string[];
  /** canonical addresses of all sources */
  addresses: string[];
}

export interface EdgeResult {
  edges: Edge[];
  /** flows with a destination but no source anywhere (never widened: skipped, warned) */
  unsourced: Flow[];
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

export function flowEdges(data: InventoryFile, flows: readonly Flow[], hostAddresses: ReadonlyMap<string, string[]>): EdgeResult {
  const hostNames = Object.keys(data.hosts).sort();
  const edges: Edge[] = [];
  const unsourced: Flow[] = [];
  for (const flow of flows) {
    let skipped = false;
    // Sources are the same for every destination of a flow: compute them once (2,000-host inventories).
    const candidates = hostNames.filter((n) => takesPart(data.hosts[n]!, flow.from, flow));
    const candidateSet = new Set(candidates);
    const sourceNetworks = (data.networks[flow.from] ?? []).map(canonicalAddress);
    const shared = [...candidates.flatMap((n) => hostAddresses.get(n) ?? []), ...sourceNetworks];
    for (const dest of hostNames.filter((n) => takesPart(data.hosts[n]!, flow.to, flow))) {
      // A host is not its own source: traffic to itself never crosses its input filter from outside.
      const self = candidateSet.has(dest);
      const sourceHosts = self ? candidates.filter((n) => n !== dest) : candidates;
      const addresses = self ? [...sourceHosts.flatMap((n) => hostAddresses.get(n) ?? []), ...sourceNetworks] : shared;
      if (addresses.length > 0) edges.push({ flow, dest, sourceHosts, sourceNetworks, addresses });
      else if (!self) skipped = true;
    }
    if (skipped) unsourced.push(flow);
  }
  return { edges, unsourced };
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
