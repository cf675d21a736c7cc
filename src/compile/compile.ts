/**
 * Pure compiler: catalog × inventory → the desired state of every host. No I/O.
 * Same input, same output: everything is sorted.
 */
import type { Flow, FirewallDesired, FirewallRule, HostDesired, SourceSet, SshTarget, Warning, Family } from '../core/types.js';
import { canonicalAddress, familyOf } from '../core/net.js';
import type { Inventory } from '../inventory/load.js';
import type { InventoryHost, FirewallSetting } from '../inventory/schema.js';
import { mergePorts } from './ports.js';
import { flowEdges, type Edge } from './edges.js';

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
}

export interface CompileOptions {
  /** addresses of DNS-named hosts, resolved by the caller (compile does no I/O) */
  resolved?: ReadonlyMap<string, readonly string[]>;
  /** the controller's user and home, for ssh defaults and "~/" (read by the caller: compile does no I/O) */
  local?: { user: string; home: string };
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);

export function compile(inv: Inventory, opts: CompileOptions = {}): CompileResult {
  const { data, product } = inv;
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
      warnings.push({ code: 'world-open', message: `networks.${role} allows any source (${nets.filter((n) => WORLD.has(canonicalAddress(n))).join(', ')}): every flow from ${role} is open to the world` });
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
      r.ipv4.sort();
      r.ipv6.sort();
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

  const requirementRoles = Object.keys(product.requirements.sudo);
  const hosts: HostDesired[] = hostNames.map((name) => {
    const host = data.hosts[name]!;
    const firewall = buildFirewall(normalizeFirewall(host.firewall ?? data.defaults.firewall), wanted.get(name) ?? []);
    const reqRoles = host.roles.filter((r) => requirementRoles.includes(r)).sort();
    const account = product.requirements.account;
    const commands = [...new Set(reqRoles.flatMap((r) => product.requirements.sudo[r]!.commands))];
    const selinuxMode = host.selinux ?? (reqRoles.length > 0 ? data.defaults.selinux : 'keep');
    const allowed = product.requirements.selinux?.allowed;
    if (selinuxMode !== 'keep' && allowed && !allowed.includes(selinuxMode)) {
      warnings.push({ code: 'selinux-mode', host: name, message: `host ${name}: SELinux ${selinuxMode} is not what ${product.id} documents (${allowed.join(' or ')}): ${product.requirements.selinux!.reason}` });
    }
    const needsAccount = account !== undefined && reqRoles.length > 0;
    return {
      name,
      address: host.address,
      roles: [...host.roles].sort(),
      managed: host.managed,
      ssh: sshTarget(inv, host, opts.local ?? { user: 'root', home: '/root' }),
      firewall,
      account: needsAccount
        ? {
            name: account.user,
            groups: [...account.groups].sort(),
            system: true,
            home: data.defaults.account.home ?? `/home/${account.user}`,
            shell: data.defaults.account.shell ?? '/bin/bash',
          }
        : null,
      sudoers:
        needsAccount && commands.length > 0
          ? {
              user: account.user,
              file: account.user,
              roles: reqRoles,
              commands,
              rootEquivalent: commands.filter((c) => product.requirements.rootEquivalent.includes(c)),
            }
          : null,
      selinux: { mode: selinuxMode },
    };
  });
  return { hosts, flows, edges, warnings };
}

/** Flows the inventory's platforms/methods/options select, with port overrides applied. */
export function selectFlows(inv: Inventory): Flow[] {
  const { data, product } = inv;
  return product.flows
    .filter((f) =>
      data.platforms.some(
        (sel) =>
          sel.platform === f.platform &&
          (sel.method === undefined || sel.method === f.method) &&
          (f.condition === null || sel.options[f.condition] === true),
      ),
    )
    .map(({ param, ...f }) => (param && data.ports[param] ? { ...f, ports: data.ports[param]! } : f));
}

type FirewallBase = Pick<FirewallDesired, 'backend' | 'inputPolicy' | 'sshAdminSources' | 'confirmTimeout'>;

function normalizeFirewall(setting: FirewallSetting): FirewallBase {
  if (typeof setting === 'string') return { backend: setting, inputPolicy: 'accept', sshAdminSources: [], confirmTimeout: 60 };
  return { backend: setting.backend, inputPolicy: setting.inputPolicy, sshAdminSources: setting.sshAdmins.map(canonicalAddress).sort(), confirmTimeout: setting.confirmTimeout };
}

function buildFirewall(
  base: FirewallBase,
  wanted: Wanted[],
): FirewallDesired {
  // One named set per distinct (role, family, members); names are stable for the same input.
  const setKeys = [...new Set(wanted.map((w) => setKey(w.role, w.family, w.elements)))].sort();
  const names = new Map<string, string>();
  const used = new Map<string, number>();
  for (const key of setKeys) {
    const [role, family] = key.split('|') as [string, Family];
    const base = `${role.replace(/-/g, '_')}_${family === 'ipv4' ? 'v4' : 'v6'}`;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    names.set(key, n === 1 ? base : `${base}_${n}`);
  }
  const sets: SourceSet[] = setKeys.map((key) => {
    const [, family, elements] = key.split('|') as [string, Family, string];
    return { name: names.get(key)!, family, elements: elements.split(',') };
  });
  const byRule = new Map<string, FirewallRule>();
  for (const w of wanted) {
    const set = names.get(setKey(w.role, w.family, w.elements))!;
    const id = `${set}|${w.flow.protocol}`;
    const rule = byRule.get(id) ?? { set, family: w.family, protocol: w.flow.protocol, ports: [], flows: [], purposes: [] };
    rule.ports = mergePorts([...rule.ports, ...w.flow.ports]);
    if (!rule.flows.includes(w.flow.id)) rule.flows.push(w.flow.id);
    if (!rule.purposes.includes(w.flow.purpose)) rule.purposes.push(w.flow.purpose);
    byRule.set(id, rule);
  }
  const rules = [...byRule.values()]
    .map((r) => ({ ...r, flows: r.flows.sort(), purposes: r.purposes.sort() }))
    .sort((a, b) => a.set.localeCompare(b.set) || a.protocol.localeCompare(b.protocol));
  return { ...base, sets, rules };
}

function setKey(role: string, family: Family, elements: string[]): string {
  return `${role}|${family}|${elements.join(',')}`;
}

function sshTarget(inv: Inventory, host: InventoryHost, local: { user: string; home: string }): SshTarget {
  const d = inv.data.defaults.ssh;
  const h = host.ssh ?? {};
  const identity = h.identityFile ?? d.identityFile;
  const known = h.knownHostsFile ?? d.knownHostsFile;
  return {
    host: h.host ?? host.address,
    port: h.port ?? d.port ?? 22,
    user: h.user ?? d.user ?? local.user,
    identityFile: identity ? expandHome(identity, local.home) : undefined,
    become: h.become ?? d.become ?? true,
    hostKeys: h.hostKeys ?? d.hostKeys ?? 'strict',
    knownHostsFile: known ? expandHome(known, local.home) : undefined,
    connectTimeoutMs: (h.connectTimeout ?? d.connectTimeout ?? 10) * 1000,
  };
}

function expandHome(p: string, home: string): string {
  return p.startsWith('~/') ? `${home}/${p.slice(2)}` : p;
}
