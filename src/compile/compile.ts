/**
 * Pure compiler: catalog × inventory → the desired state of every host. No I/O.
 * Same input, same output: everything is sorted.
 *
 * Compile does what every resource shares: the flows the inventory selects, who reaches whom
 * (edges), each host's connection, the union of the products' host requirements with its
 * contradictions (refused before any host is touched) and decisions. Each resource module then
 * makes its own slice of the host (`desired(ctx)`), in registry order.
 */
import { DEFAULT_MAX_OUTPUT, type Flow, type HostDesired, type ResourceKind, type SshTarget, type Warning } from '../core/types.js';
import { canonicalAddress, familyOf } from '../core/net.js';
import { InputError } from '../core/errors.js';
import { sshUserProblem } from '../core/ssh-user.js';
import type { Inventory } from '../inventory/load.js';
import { hostRequirements, type Decision, type HostRequirements } from './host-requirements.js';
import type { InventoryHost } from '../inventory/schema.js';
import { flowEdges, type Edge } from './edges.js';
import { selectFlows } from './select.js';
import { noSshConfig, parseHop, type SshConfigLookup } from '../transport/ssh-config.js';

export interface CompileResult {
  hosts: HostDesired[];
  /** the flows the inventory selects (platform, method, options), with effective ports */
  flows: Flow[];
  /** who reaches whom, per flow: what `inventory graph` shows */
  edges: Edge[];
  warnings: Warning[];
  /** contradictions between products that a host-level inventory setting settled (plan and evidence show them) */
  decisions: Decision[];
}

/** What compile hands a resource module for one host. */
export interface SliceContext {
  inv: Inventory;
  /** the host as compile made it: name, address, roles, managed, ssh, and the slices of the modules before this one */
  host: HostDesired;
  /** the products' host requirements on this host (account, sudo, SELinux), contradictions settled */
  union: HostRequirements;
  /** the edges whose destination is this host, in flow order */
  inbound: readonly Edge[];
  /** the selected flows by id */
  flows: ReadonlyMap<string, Flow>;
}

/** The part of a resource module compile calls: its slice of each host (null: nothing wanted there). */
export interface SliceModule {
  kind: ResourceKind;
  desired(ctx: SliceContext): unknown;
}

export interface CompileOptions {
  /** the resource modules, in registry order (src/resources/registry.ts RESOURCES): each makes its slice */
  modules: readonly SliceModule[];
  /** addresses of DNS-named hosts, resolved by the caller (compile does no I/O) */
  resolved?: ReadonlyMap<string, readonly string[]>;
  /** the controller's user and home, for ssh defaults and "~/" (read by the caller: compile does no I/O) */
  local?: { user: string; home: string };
  /** ~/.ssh/config, parsed by the caller */
  sshConfig?: SshConfigLookup;
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);
const NO_EDGES: readonly Edge[] = [];

export function compile(inv: Inventory, opts: CompileOptions): CompileResult {
  const fleet = fleetPart(inv, opts);
  const hosts = fleet.hostNames.map((name) => fleet.host(name, { slices: true, record: true }));
  return { hosts, ...fleet.finish() };
}

/** What a run needs of every host before any starts; the rest of its desired state is made when its turn comes. */
export interface HostHead {
  name: string;
  managed: boolean;
  hostKeys: SshTarget['hostKeys'];
}

export interface FleetCompile extends Omit<CompileResult, 'hosts'> {
  /** every host, in the order of compile's `hosts` */
  heads: HostHead[];
  /** a host's desired state, made anew at each call: equal to its entry in compile's `hosts` */
  desired(name: string): HostDesired;
}

/**
 * compile without keeping every host's desired state: each host is checked now (every error and
 * warning compile would give, in the same order), and its desired state is made by
 * `desired(name)` when a run gets to it, to be dropped when the host is done. A 10,000-host
 * fleet's desired states were ~20 MB live for the whole run, and the inventory's YAML document
 * (kept to locate errors in the input, all of which are found here) ~27 MB: what this returns
 * keeps neither.
 */
export function compileFleet(inv: Inventory, opts: CompileOptions): FleetCompile {
  const fleet = fleetPart({ ...inv, locate: undefined }, opts);
  // The module slices are pure and never fail (module.ts): checking a host needs its requirements and connection.
  const heads = fleet.hostNames.map((name) => {
    const d = fleet.host(name, { slices: false, record: true });
    return { name, managed: d.managed, hostKeys: d.ssh.hostKeys };
  });
  const result = fleet.finish();
  return { heads, ...result, desired: (name) => fleet.host(name, { slices: true, record: false }) };
}

/**
 * Everything compile shares between hosts (flows, edges, inbound edges per host), and one host's
 * desired state from it. Problems and warnings are collected in host order; `finish` refuses
 * contradictions and gives the warnings and decisions.
 */
function fleetPart(inv: Inventory, opts: CompileOptions) {
  const { data } = inv;
  const warnings: Warning[] = [];
  const flows = selectFlows(inv);
  const hostNames = Object.keys(data.hosts).sort();
  const addressesOf = (name: string): string[] => {
    const a = data.hosts[name]!.address;
    const list = familyOf(a) ? [a] : [...(opts.resolved?.get(a) ?? [])];
    if (list.length === 0) warnings.push({ code: 'unresolved', host: name, message: `host ${name}: ${a} did not resolve; it is left out of firewall sources` });
    return list.map(canonicalAddress);
  };
  const hostAddresses = new Map(hostNames.map((n) => [n, addressesOf(n)]));
  for (const [role, nets] of Object.entries(data.networks)) {
    if (nets.some((n) => WORLD.has(canonicalAddress(n)))) {
      warnings.push({
        code: 'world-open',
        message: `networks.${role} allows any source (${nets.filter((n) => WORLD.has(canonicalAddress(n))).join(', ')}): every flow from ${role} is open to the world`,
      });
    }
  }

  const { edges, unsourced } = flowEdges(data, flows, hostAddresses);
  for (const flow of unsourced) {
    warnings.push({
      code: 'no-source',
      flow: flow.id,
      message: `flow ${flow.id} (${flow.from} → ${flow.to} ${flow.protocol}/${flow.ports.join(',') || '-'}, ${flow.purpose}) skipped: no source — add hosts with role "${flow.from}" or networks: { ${flow.from}: [CIDR] } to the inventory`,
    });
  }
  const inbound = new Map<string, Edge[]>();
  for (const e of edges) {
    const list = inbound.get(e.dest);
    if (list) list.push(e);
    else inbound.set(e.dest, [e]);
  }

  const byId = new Map(flows.map((f) => [f.id, f]));
  const contradictions: string[] = [];
  const decisions: Decision[] = [];
  /**
   * One host. slices: the resource modules' slices too (checking the host needs none); record: its
   * contradictions, decisions and warnings are collected (once per host: not when made again).
   */
  const host = (name: string, { slices, record }: { slices: boolean; record: boolean }): HostDesired => {
    const host = data.hosts[name]!;
    const union = hostRequirements(inv, name);
    if (record) contradictions.push(...union.contradictions);
    if (record) decisions.push(...union.decisions);
    for (const { sp, mode } of record ? union.selinuxOff : []) {
      const doc = sp.product.requirements.selinux!;
      warnings.push({
        code: 'selinux-mode',
        host: name,
        message: `host ${name}: SELinux ${mode} is not what ${sp.product.id} documents (${doc.allowed.join(' or ')}): ${doc.reason}`,
      });
    }
    const desired = {
      name,
      address: host.address,
      roles: [...host.roles].sort(),
      managed: host.managed,
      ssh: sshTarget(inv, name, opts.local ?? { user: 'root', home: '/root' }, opts.sshConfig ?? noSshConfig),
    } as HostDesired;
    if (!slices) return desired;
    const ctx: SliceContext = { inv, host: desired, union, inbound: inbound.get(name) ?? NO_EDGES, flows: byId };
    for (const m of opts.modules) (desired as unknown as Record<string, unknown>)[m.kind] = m.desired(ctx);
    // What a product's roles could have asked of this host and its roles do not: checked for removal.
    const { serviceAccount } = union;
    if (serviceAccount && !union.sudo) desired.retired = { ...(union.account ? {} : { account: serviceAccount }), sudoersFile: serviceAccount };
    return desired;
  };
  const finish = (): Omit<CompileResult, 'hosts'> => {
    // Refused before any host is touched: no product's requirement is silently given up for another's.
    if (contradictions.length > 0) throw new InputError(contradictions[0]!, inv.file, contradictions);
    for (const d of decisions) warnings.push({ code: 'decision', host: d.host, message: d.message });
    // Acknowledged in the inventory: kept (and counted) with a mark, so that output may leave it out.
    const acknowledged = new Set(inv.data.acknowledge ?? []);
    for (const w of warnings) if (w.flow !== undefined && acknowledged.has(w.flow)) w.acknowledged = true;
    return { flows, edges, warnings, decisions };
  };
  return { hostNames, host, finish };
}

/**
 * Where and how to connect. Precedence, as with ssh(1): the host's own `ssh:` → inventory
 * defaults → ~/.ssh/config for that host → built-in defaults.
 */
function sshTarget(inv: Inventory, name: string, local: { user: string; home: string }, config: SshConfigLookup, seen: string[] = []): SshTarget {
  const host = inv.data.hosts[name]!;
  const h = host.ssh ?? {};
  return resolveTarget(inv, h.host ?? host.address, h, local, config, [...seen, name]);
}

function resolveTarget(
  inv: Inventory,
  alias: string,
  own: NonNullable<InventoryHost['ssh']>,
  local: { user: string; home: string },
  config: SshConfigLookup,
  seen: string[],
): SshTarget {
  const d = inv.data.defaults.ssh;
  const c = config(alias);
  const identity = own.identityFile ?? d.identityFile ?? c.identityFile;
  const known = own.knownHostsFile ?? d.knownHostsFile;
  const jump = own.proxyJump ?? d.proxyJump ?? c.proxyJump;
  const user = own.user ?? d.user ?? c.user ?? local.user;
  // The inventory's own values were checked by its schema; ssh_config's and the local name were not.
  const userProblem = sshUserProblem(user);
  if (userProblem)
    throw new InputError(
      `ssh user for ${alias} (${(own.user ?? d.user) !== undefined ? 'inventory' : c.user !== undefined ? '~/.ssh/config User' : 'the local user name'}): not a user name OpenSSH accepts: ${userProblem}`,
    );
  const target: SshTarget = {
    host: c.hostName ?? alias,
    port: own.port ?? d.port ?? c.port ?? 22,
    user,
    identityFile: identity ? expandHome(identity, local.home) : undefined,
    become: own.become ?? d.become ?? true,
    hostKeys: own.hostKeys ?? d.hostKeys ?? 'strict',
    knownHostsFile: known ? expandHome(known, local.home) : undefined,
    connectTimeoutMs: (own.connectTimeout ?? d.connectTimeout ?? 10) * 1000,
    commandTimeoutMs: (own.commandTimeout ?? d.commandTimeout ?? 300) * 1000,
    maxOutputBytes: outputBytes(own.maxOutput ?? d.maxOutput),
  };
  if (jump && jump !== 'none') target.proxyJump = jumpTarget(inv, jump, local, config, seen);
  return target;
}

/** ssh.maxOutput as bytes ("16M" → 16 MiB); the transport's default when unset. */
function outputBytes(v: number | string | undefined): number {
  if (v === undefined) return DEFAULT_MAX_OUTPUT;
  if (typeof v === 'number') return v;
  return Number(v.slice(0, -1)) * 1024 ** ' KMG'.indexOf(v.slice(-1));
}

/** ProxyJump "a,b": connect to a, through it to b, through that to the target. */
function jumpTarget(inv: Inventory, spec: string, local: { user: string; home: string }, config: SshConfigLookup, seen: string[]): SshTarget {
  const hops = spec.split(',');
  const last = hops[hops.length - 1]!.trim();
  const rest = hops.slice(0, -1).join(',');
  if (seen.includes(last)) throw new InputError(`ssh.proxyJump: ${[...seen, last].join(' → ')} loops`);
  let target: SshTarget;
  if (last in inv.data.hosts) {
    // A jump host from the inventory brings its own connection settings.
    target = sshTarget(inv, last, local, config, seen);
  } else {
    const hop = parseHop(last);
    // A bare hop inherits the inventory's identity and host-key settings, not the target's own ProxyJump.
    target = resolveTarget(inv, hop.host, { port: hop.port, user: hop.user, proxyJump: 'none' }, local, config, [...seen, last]);
  }
  if (rest) target.proxyJump = jumpTarget(inv, rest, local, config, [...seen, last]);
  return target;
}

function expandHome(p: string, home: string): string {
  return p.startsWith('~/') ? `${home}/${p.slice(2)}` : p;
}
