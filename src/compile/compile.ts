/**
 * Pure compiler: catalog × inventory → the desired state of every host. No I/O.
 * Same input, same output: everything is sorted.
 */
import { compareText } from '../core/text-order.js';
import {
  DEFAULT_MAX_OUTPUT,
  type Flow,
  type FirewallDesired,
  type FirewallRule,
  type HostDesired,
  type SourceSet,
  type SshTarget,
  type Warning,
  type Family,
} from '../core/types.js';
import { canonicalAddress, familyOf, normalizeSources } from '../core/net.js';
import { InputError } from '../core/errors.js';
import { sshUserProblem } from '../core/ssh-user.js';
import type { Inventory, SiteProduct } from '../inventory/load.js';
import { hostRequirements, type Decision } from './host-requirements.js';
import type { Product } from '../catalog/model.js';
import type { InventoryHost, FirewallSetting } from '../inventory/schema.js';
import { mergePorts } from '../core/ports.js';
import { flowEdges, type Edge } from './edges.js';
import { noSshConfig, parseHop, type SshConfigLookup } from '../transport/ssh-config.js';

interface Wanted {
  role: string;
  family: Family;
  elements: string[];
  flow: Flow;
}

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

export interface CompileOptions {
  /** addresses of DNS-named hosts, resolved by the caller (compile does no I/O) */
  resolved?: ReadonlyMap<string, readonly string[]>;
  /** the controller's user and home, for ssh defaults and "~/" (read by the caller: compile does no I/O) */
  local?: { user: string; home: string };
  /** ~/.ssh/config, parsed by the caller */
  sshConfig?: SshConfigLookup;
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);

export function compile(inv: Inventory, opts: CompileOptions = {}): CompileResult {
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
  const wanted = new Map<string, Wanted[]>();
  // Destinations of one flow share one source list: split it by family once, not per host.
  const split = new WeakMap<string[], Record<Family, string[]>>();
  const byFamily = (addresses: string[]) => {
    let r = split.get(addresses);
    if (!r) {
      r = { ipv4: [], ipv6: [] };
      for (const a of new Set(addresses)) r[familyOf(a) ?? 'ipv4'].push(a);
      // As nft stores an interval set: a network that covers a host, or two adjacent
      // networks, become one interval (nft refuses overlapping elements in one command).
      // Frozen: every destination host's set shares this array (one copy, not one per host).
      r.ipv4 = Object.freeze(normalizeSources(r.ipv4)) as string[];
      r.ipv6 = Object.freeze(normalizeSources(r.ipv6)) as string[];
      split.set(addresses, r);
    }
    return r;
  };
  for (const e of edges) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const elements = byFamily(e.addresses)[family];
      if (elements.length === 0) continue;
      const list = wanted.get(e.dest) ?? [];
      list.push({ role: e.flow.from, family, elements, flow: e.flow });
      wanted.set(e.dest, list);
    }
  }

  const byId = new Map(flows.map((f) => [f.id, f]));
  const contradictions: string[] = [];
  const decisions: Decision[] = [];
  const hosts: HostDesired[] = hostNames.map((name) => {
    const host = data.hosts[name]!;
    const firewall = buildFirewall(normalizeFirewall(host.firewall ?? data.defaults.firewall, data.controllers), wanted.get(name) ?? []);
    if (inv.products.length > 1 || inv.siteFlows.length > 0) firewall.provenance = provenanceOf(firewall, byId);
    const req = hostRequirements(inv, name);
    const serviceAccount = inv.products.map((sp) => sp.product.requirements.account?.user).find((u) => u !== undefined);
    contradictions.push(...req.contradictions);
    decisions.push(...req.decisions);
    for (const { sp, mode } of req.selinuxOff) {
      const doc = sp.product.requirements.selinux!;
      warnings.push({
        code: 'selinux-mode',
        host: name,
        message: `host ${name}: SELinux ${mode} is not what ${sp.product.id} documents (${doc.allowed.join(' or ')}): ${doc.reason}`,
      });
    }
    return {
      name,
      address: host.address,
      roles: [...host.roles].sort(),
      managed: host.managed,
      ssh: sshTarget(inv, name, opts.local ?? { user: 'root', home: '/root' }, opts.sshConfig ?? noSshConfig),
      firewall,
      account: req.account,
      sudoers: req.sudoers,
      selinux: { mode: req.selinuxMode },
      // What a product's roles could have asked of this host and its roles do not: checked for removal.
      ...(serviceAccount && !req.sudoers ? { retired: { ...(req.account ? {} : { account: serviceAccount }), sudoersFile: serviceAccount } } : {}),
    };
  });
  // Refused before any host is touched: no product's requirement is silently given up for another's.
  if (contradictions.length > 0) throw new InputError(contradictions[0]!, inv.file, contradictions);
  for (const d of decisions) warnings.push({ code: 'decision', host: d.host, message: d.message });
  // Acknowledged in the inventory: kept (and counted) with a mark, so that output may leave it out.
  const acknowledged = new Set(inv.data.acknowledge ?? []);
  for (const w of warnings) if (w.flow !== undefined && acknowledged.has(w.flow)) w.acknowledged = true;
  return { hosts, flows, edges, warnings, decisions };
}

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

/** "rule @set proto/ports serves: PRODUCT flow (documents — section); …", one line per rule. */
function provenanceOf(fw: FirewallDesired, byId: ReadonlyMap<string, Flow>): string[] {
  return fw.rules.map((r) => {
    const cites = r.flows.map((id) => {
      const f = byId.get(id)!;
      return f.product === 'site' ? `site flow ${id} (${f.sources.join(', ')})` : `${f.product} ${id} (${f.sources.join(', ')} — ${f.section})`;
    });
    return `rule @${r.set} ${r.protocol}${r.ports.length ? `/${r.ports.join(',')}` : ''} serves: ${cites.join('; ')}`;
  });
}

type FirewallBase = Pick<FirewallDesired, 'backend' | 'inputPolicy' | 'sshAdminSources' | 'confirmTimeout'>;

function normalizeFirewall(setting: FirewallSetting, controllers: readonly string[]): FirewallBase {
  if (typeof setting === 'string') return { backend: setting, inputPolicy: 'accept', sshAdminSources: normalizeSources(controllers), confirmTimeout: 60 };
  return {
    backend: setting.backend,
    inputPolicy: setting.inputPolicy,
    // The inventory's controllers and admins, as one interval set per family (as nft stores it).
    sshAdminSources: normalizeSources([...controllers, ...setting.sshAdmins]),
    confirmTimeout: setting.confirmTimeout,
  };
}

function buildFirewall(base: FirewallBase, wanted: Wanted[]): FirewallDesired {
  // One named set per distinct (role, family, members); names are stable for the same input.
  // A set's elements are the source list itself, shared by every host that wants it.
  const byKey = new Map<string, Wanted>();
  for (const w of wanted) if (!byKey.has(setKey(w))) byKey.set(setKey(w), w);
  const setKeys = [...byKey.keys()].sort();
  const names = new Map<string, string>();
  const used = new Map<string, number>();
  for (const key of setKeys) {
    const { role, family } = byKey.get(key)!;
    // nft names start with a letter: a role id such as "1node" gets a leading "r"; storware/node is storware_node.
    const base = `${/^[a-z]/.test(role) ? '' : 'r'}${role.replace(/[-/]/g, '_')}_${family === 'ipv4' ? 'v4' : 'v6'}`;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    names.set(key, n === 1 ? base : `${base}_${n}`);
  }
  const sets: SourceSet[] = setKeys.map((key) => {
    const { family, elements } = byKey.get(key)!;
    return { name: names.get(key)!, family, elements };
  });
  const byRule = new Map<string, FirewallRule>();
  for (const w of wanted) {
    const set = names.get(setKey(w))!;
    const id = `${set}|${w.flow.protocol}`;
    const rule = byRule.get(id) ?? { set, family: w.family, protocol: w.flow.protocol, ports: [], flows: [], purposes: [] };
    rule.ports = mergePorts([...rule.ports, ...w.flow.ports]);
    if (!rule.flows.includes(w.flow.id)) rule.flows.push(w.flow.id);
    if (!rule.purposes.includes(w.flow.purpose)) rule.purposes.push(w.flow.purpose);
    byRule.set(id, rule);
  }
  const rules = [...byRule.values()]
    .map((r) => ({ ...r, flows: r.flows.sort(), purposes: r.purposes.sort() }))
    .sort((a, b) => compareText(a.set, b.set) || compareText(a.protocol, b.protocol));
  return { ...base, sets, rules };
}

/**
 * The key of a source list per role and family, made once per list: every destination host of
 * a flow looks it up, and a fresh key per host was a copy of the whole list (O(hosts²) text).
 */
const setKeys = new WeakMap<readonly string[], Map<string, string>>();

function setKey({ role, family, elements }: Wanted): string {
  let keys = setKeys.get(elements);
  if (!keys) setKeys.set(elements, (keys = new Map()));
  const own = `${role}|${family}`;
  let key = keys.get(own);
  if (key === undefined) keys.set(own, (key = `${own}|${elements.join(',')}`));
  return key;
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
