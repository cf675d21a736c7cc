/** Which source hosts/networks reach which destination host, per selected flow. Pure. */
import type { Flow } from '../core/types.js';
import { canonicalAddress } from '../core/net.js';
import type { InventoryFile } from '../inventory/schema.js';
import { takesPart } from './select.js';

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
