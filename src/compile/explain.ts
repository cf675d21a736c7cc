/**
 * `vprov explain`: why a port is (or would be) open on a host, or what a host may reach —
 * each flow traced to the document and section it was transcribed from. Pure.
 */
import type { Flow, Protocol } from '../core/types.js';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import type { Inventory } from '../inventory/load.js';
import type { CompileResult } from './compile.js';
import { effectiveFlow, flowSelection, noSourceReason, siteConditionOn, takesPart } from './select.js';
import { portsContain } from '../core/ports.js';

export interface ExplainQuery {
  /** inventory host name: the destination, or with `from` the source */
  host?: string;
  port?: number;
  protocol?: Protocol;
  /** --from HOST: what this host may reach */
  from?: string;
}

export interface ExplainedFlow {
  flow: Flow;
  /** destination host */
  to: string;
  /** false: an unmanaged destination, whose firewall vprov never touches */
  managed: boolean;
  sourceHosts: string[];
  sourceNetworks: string[];
}

export interface SkippedFlow {
  flow: Flow;
  /** the host the flow would open a port on, when there is one */
  to: string | null;
  reason: string;
}

export interface Explanation {
  query: ExplainQuery;
  flows: ExplainedFlow[];
  skipped: SkippedFlow[];
  /** file → title of every document cited */
  documents: Record<string, string>;
}

const PROTOCOLS = ['tcp', 'udp', 'icmp'] as const;

/** An inventory host by name, or by its address (what a firewall log shows). */
function hostNamed(inv: Inventory, nameOrAddress: string): string {
  if (nameOrAddress in inv.data.hosts) return nameOrAddress;
  const byAddress = Object.keys(inv.data.hosts).filter((n) => inv.data.hosts[n]!.address === nameOrAddress);
  if (byAddress.length === 1) return byAddress[0]!;
  throw new InputError(
    `no host "${nameOrAddress}" in ${inv.file} (hosts: ${Object.keys(inv.data.hosts).sort().join(', ')})${didYouMean(nameOrAddress, Object.keys(inv.data.hosts))}`,
  );
}

/** "HOST", "HOST:PORT", "HOST:PORT/PROTO" or "HOST/icmp". */
export function parseTarget(spec: string): Pick<ExplainQuery, 'host' | 'port' | 'protocol'> {
  const m = /^([^:/\s]+)(?::(\d{1,5}))?(?:\/([a-z]+))?$/.exec(spec);
  if (!m) throw new InputError(`"${spec}": expected HOST, HOST:PORT or HOST:PORT/PROTO (tcp, udp), or HOST/icmp`);
  const [, host, port, proto] = m;
  if (proto !== undefined && !(PROTOCOLS as readonly string[]).includes(proto)) throw new InputError(`"${spec}": protocol must be tcp, udp or icmp`);
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new InputError(`"${spec}": port out of range 1-65535`);
  if (port !== undefined && proto === 'icmp') throw new InputError(`"${spec}": icmp has no ports`);
  return { host, ...(port ? { port: Number(port) } : {}), ...(proto ? { protocol: proto as Protocol } : {}) };
}

export function explain(inv: Inventory, compiled: CompileResult, asked: ExplainQuery): Explanation {
  const query = {
    ...asked,
    ...(asked.host !== undefined ? { host: hostNamed(inv, asked.host) } : {}),
    ...(asked.from !== undefined ? { from: hostNamed(inv, asked.from) } : {}),
  };
  const matches = (f: Flow) =>
    (query.protocol === undefined || f.protocol === query.protocol) &&
    (query.port === undefined || (f.protocol !== 'icmp' && portsContain(f.ports, query.port)));
  const hosts = inv.data.hosts;
  const flows: ExplainedFlow[] = compiled.edges
    .filter((e) => matches(e.flow) && (query.host === undefined || e.dest === query.host) && (query.from === undefined || e.sourceHosts.includes(query.from)))
    .map((e) => ({ flow: e.flow, to: e.dest, managed: hosts[e.dest]!.managed, sourceHosts: e.sourceHosts, sourceNetworks: e.sourceNetworks }));

  // Flows of the selected platforms and methods that would concern this question but open nothing.
  const skipped: SkippedFlow[] = [];
  const opened = new Set(compiled.edges.map((e) => `${e.flow.id}@${e.dest}`));
  const names = Object.keys(hosts).sort();
  // The site's own flows are judged like a product's: a condition that is off, or no source.
  const candidates = [
    ...inv.products.flatMap((sp) =>
      sp.product.flows.map((raw) => ({
        selection: flowSelection(sp, raw),
        flow: effectiveFlow(sp, raw),
        conditions: sp.product.conditions,
        at: sp.prefix ? `products.${sp.product.id}.platforms` : 'platforms',
      })),
    ),
    ...inv.siteFlows.map((flow) => ({
      selection: siteConditionOn(inv, flow.condition) ? ('selected' as const) : ('condition-off' as const),
      flow,
      conditions: {} as Record<string, string>,
      at: 'platforms',
    })),
  ];
  for (const { selection, flow, conditions, at } of candidates) {
    if (selection === 'platform-not-selected' || selection === 'method-not-selected') continue;
    if (!matches(flow)) continue;
    if (query.from !== undefined && !takesPart(hosts[query.from]!, flow.from, flow)) continue;
    const dests = names.filter((n) => takesPart(hosts[n]!, flow.to, flow) && n !== query.from && (query.host === undefined || n === query.host));
    if (query.host !== undefined && dests.length === 0) continue;
    if (selection === 'condition-off') {
      const reason = `condition "${flow.condition}" is off (${conditions[flow.condition!] ?? flow.condition}): ${at}[].options.${flow.condition} is not true`;
      if (dests.length === 0) skipped.push({ flow, to: null, reason: `${reason}; and no host has role "${flow.to}"` });
      for (const to of dests) skipped.push({ flow, to, reason });
      continue;
    }
    if (dests.length === 0 && query.from !== undefined) skipped.push({ flow, to: null, reason: `no host with role "${flow.to}" in the inventory` });
    for (const to of dests.filter((d) => !opened.has(`${flow.id}@${d}`))) {
      skipped.push({ flow, to, reason: `${noSourceReason(inv.data, flow, to)} in the inventory (never widened to any)` });
    }
  }
  const cited = new Set([...flows, ...skipped].flatMap((x) => x.flow.sources));
  const titles = Object.assign({}, ...inv.products.map((sp) => sp.product.documents)) as Record<string, string>;
  const documents = Object.fromEntries([...cited].sort().map((d) => [d, titles[d] ?? (d.startsWith('site: ') ? "the site's own flow, in the inventory" : d)]));
  return { query, flows, skipped, documents };
}
