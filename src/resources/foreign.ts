/**
 * What else lets traffic in on a host, seen but never touched: other nftables tables' accept
 * rules, firewalld zones' services, ports, rich rules and sources, and listening TCP/UDP sockets
 * that no requirement or site flow covers. Pure: parsed from the facts of the one round trip.
 * Reported beside the plan, never drift, never changed.
 */
import * as z from 'zod';
import type { HostDesired } from '../core/types.js';
import type { FirewallDesired } from './firewall-desired.js';
import type { HostFacts, RawFacts } from './types.js';
import { backendOf } from './firewall.js';
import { readNftFacts, type NftFacts } from './firewall-nftables.js';
import type { UnreadableFactError } from '../core/errors.js';
import type { ForeignItem, ForeignState } from '../core/report.js';
import { keyValues } from './shell.js';
import type { Json } from './nft-canonical.js';
import { nftForeign } from './nft-foreign.js';

/** The probe of listening sockets (check-mode runs and evidence only: an apply does not report them). */
export const LISTENERS_SECTION = 'listeners';
export const LISTENERS_SCRIPT = `if command -v ss >/dev/null 2>&1; then ss -Hlntu || echo 'ss_failed'; else echo 'ss_missing'; fi`;

/** "8443" / "1000-2000" within any of the desired rules' ports for that protocol. */
export function requiredPort(fw: Pick<FirewallDesired, 'rules'>, protocol: string, port: string, sshPort: number): boolean {
  const [lo, hi] = port.split('-').map(Number) as [number, number?];
  const end = hi ?? lo;
  if (protocol === 'tcp' && lo === sshPort && end === sshPort) return true;
  return fw.rules.some(
    (r) =>
      r.protocol === protocol &&
      r.ports.some((p) => {
        const [a, b] = p.split('-').map(Number) as [number, number?];
        return a <= lo && end <= (b ?? a);
      }),
  );
}

// ---- firewalld -------------------------------------------------------------------------------

const zonesSchema = z.record(
  z.string(),
  z.object({ target: z.string(), services: z.array(z.string()), ports: z.array(z.string()), rich_rules: z.array(z.string()), sources: z.array(z.string()) }),
);

// ---- listening sockets -----------------------------------------------------------------------

export interface Listener {
  protocol: 'tcp' | 'udp';
  address: string;
  port: string;
}

/** `ss -Hlntu` lines → sockets reachable from elsewhere (loopback-only ones left out). */
export function parseListeners(text: string): Listener[] | { error: string } {
  const t = text.trim();
  if (t === 'ss_missing') return { error: 'cannot list listening ports: ss (iproute2) is not installed' };
  if (t.endsWith('ss_failed')) return { error: `cannot list listening ports: ss failed` };
  const out = new Map<string, Listener>();
  for (const line of t.split('\n').filter(Boolean)) {
    const f = line.trim().split(/\s+/);
    const proto = f[0];
    const local = f[4];
    if ((proto !== 'tcp' && proto !== 'udp') || !local)
      return { error: `cannot list listening ports: unexpected ss output ${JSON.stringify(line.slice(0, 120))}` };
    const i = local.lastIndexOf(':');
    const port = local.slice(i + 1);
    const address = local
      .slice(0, i)
      .replace(/^\[|\]$/g, '')
      .replace(/%.*$/, '')
      .replace(/^\[|\]$/g, '');
    if (!/^\d+$/.test(port)) continue;
    if (/^127\./.test(address) || address === '::1') continue;
    out.set(`${proto}/${port}/${address}`, { protocol: proto, address: address || '*', port });
  }
  return [...out.values()];
}

// ---- the whole picture -----------------------------------------------------------------------

export interface ForeignInput {
  backend: 'nftables' | 'firewalld' | 'none';
  fw: Pick<FirewallDesired, 'rules'>;
  sshPort: number;
  /** the firewall section (nft ruleset, firewalld runtime) */
  firewallRaw: string;
  /** the listeners section, when it was read */
  listenersRaw?: string;
  /** parsed nft ruleset items, when readable */
  nftItems?: Record<string, Json>[] | null;
}

export function foreignState(x: ForeignInput): ForeignState {
  const items: ForeignItem[] = [];
  const notes: string[] = [];
  const errors: string[] = [];
  let filtered: boolean | null = null;
  const required = (protocol: string | undefined, ports: string[]) =>
    !!protocol && ports.length > 0 && ports.every((p) => requiredPort(x.fw, protocol, p, x.sshPort));
  if (x.nftItems) {
    const nft = nftForeign(x.nftItems);
    for (const a of nft.accepts) {
      items.push({
        kind: 'accept-rule',
        source: `table ${a.table} (chain ${a.chain})`,
        what: a.text,
        ...(a.protocol ? { protocol: a.protocol } : {}),
        ...(a.ports.length ? { ports: a.ports } : {}),
        required: required(a.protocol, a.ports),
      });
    }
    filtered = nft.filters;
  } else if (x.backend !== 'firewalld') errors.push('cannot tell what the nftables ruleset accepts: it could not be read');
  if (x.backend === 'firewalld') {
    const kv = keyValues(x.firewallRaw);
    let runtime: { zones?: unknown; zones_error?: string } = {};
    try {
      const parsed: unknown = JSON.parse(Buffer.from(kv.runtime ?? '', 'base64').toString('utf8'));
      // a host may answer any JSON (null, a number): only an object is read further
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) runtime = parsed as typeof runtime;
    } catch {
      // the firewall resource already fails with the probe's output
    }
    const zones = zonesSchema.safeParse(runtime.zones);
    if (runtime.zones_error) errors.push(`cannot read firewalld's zones: ${runtime.zones_error}`);
    else if (!zones.success)
      errors.push(`cannot read firewalld's zones: ${runtime.zones === undefined ? 'not in the probe output' : zones.error.issues[0]?.message}`);
    else {
      filtered = true;
      for (const [name, zone] of Object.entries(zones.data)) {
        const source = `zone ${name}`;
        if (zone.target === 'ACCEPT') {
          filtered = false;
          items.push({ kind: 'zone-target', source, what: 'target ACCEPT: the zone accepts everything', required: false });
        }
        for (const s of zone.services) items.push({ kind: 'zone-service', source, what: `service ${s}`, required: false });
        for (const p of zone.ports) {
          const [port, protocol] = p.split('/') as [string, string];
          items.push({ kind: 'zone-port', source, what: `port ${p}`, protocol, ports: [port], required: required(protocol, [port]) });
        }
        for (const r of zone.rich_rules) items.push({ kind: 'zone-rich-rule', source, what: `rich rule ${r}`, required: false });
        for (const s of zone.sources) items.push({ kind: 'zone-source', source, what: `source ${s}`, required: false });
      }
    }
  }
  if (filtered === false && x.backend !== 'firewalld')
    notes.push(
      'nothing filters inbound traffic on this host (every input chain accepts by policy and none drops): every listening port is open to anyone who can reach the host',
    );
  if (x.listenersRaw !== undefined) {
    const ls = parseListeners(x.listenersRaw);
    if ('error' in ls) errors.push(ls.error);
    else {
      for (const l of ls) {
        if (requiredPort(x.fw, l.protocol, l.port, x.sshPort)) continue;
        items.push({
          kind: 'listener',
          source: 'listening',
          what: `${l.protocol} ${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`,
          protocol: l.protocol,
          ports: [l.port],
          required: false,
          ...(filtered === false ? { open: true } : {}),
        });
      }
    }
  }
  return { filtered, items, notes, ...(errors.length ? { errors } : {}) };
}

/**
 * The picture for one host from its facts (listeners only when the facts read them). `nft`: the
 * nftables facts the plan already parsed from the same section (nft's listing is the biggest
 * thing a host prints: read once per host, not twice).
 */
export function foreignOf(raw: RawFacts, host: HostFacts, desired: HostDesired, nft?: NftFacts | UnreadableFactError): ForeignState {
  const firewallRaw = raw.firewall ?? '';
  nft ??= readNftFacts(firewallRaw);
  const backend = backendOf(desired, firewallRaw);
  return foreignState({
    backend,
    fw: desired.firewall,
    sshPort: host.sshPort,
    firewallRaw,
    ...(raw[LISTENERS_SECTION] !== undefined ? { listenersRaw: raw[LISTENERS_SECTION] } : {}),
    nftItems: nft instanceof Error || !nft.installed ? null : nft.items,
  });
}
