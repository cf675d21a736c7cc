/**
 * Pure compiler: catalog × inventory → the desired state of every host. No I/O.
 * Same input, same output: everything is sorted.
 */
import { homedir, userInfo } from 'node:os';
import type { Flow, FirewallDesired, FirewallRule, HostDesired, SourceSet, SshTarget, Warning, Family } from '../core/types.js';
import { canonicalAddress, familyOf } from '../core/net.js';
import type { Inventory } from '../inventory/load.js';
import type { InventoryHost, FirewallSetting } from '../inventory/schema.js';
import { mergePorts } from './ports.js';

export interface CompileResult {
  hosts: HostDesired[];
  /** the flows the inventory selects (platform, method, options), with effective ports */
  flows: Flow[];
  warnings: Warning[];
}

export interface CompileOptions {
  /** addresses of DNS-named hosts, resolved by the caller (compile does no I/O) */
  resolved?: ReadonlyMap<string, readonly string[]>;
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
  const takesPart = (host: InventoryHost, role: string, flow: Flow) =>
    host.roles.includes(role) && (host.platform === undefined || host.platform === flow.platform);

  for (const [role, nets] of Object.entries(data.networks)) {
    if (nets.some((n) => WORLD.has(canonicalAddress(n)))) {
      warnings.push({ code: 'world-open', message: `networks.${role} allows any source (${nets.filter((n) => WORLD.has(canonicalAddress(n))).join(', ')}): every flow from ${role} is open to the world` });
    }
  }

  // rules[host] = list of (role, family, elements, flow)
  const wanted = new Map<string, { role: string; family: Family; elements: string[]; flow: Flow }[]>();
  for (const flow of flows) {
    const dests = hostNames.filter((n) => takesPart(data.hosts[n]!, flow.to, flow));
    if (dests.length === 0) continue;
    let skipped = false;
    for (const dest of dests) {
      const sources = hostNames
        .filter((n) => n !== dest && takesPart(data.hosts[n]!, flow.from, flow))
        .flatMap((n) => hostAddresses.get(n)!);
      sources.push(...(data.networks[flow.from] ?? []).map(canonicalAddress));
      if (sources.length === 0) {
        skipped = true;
        continue;
      }
      for (const family of ['ipv4', 'ipv6'] as const) {
        const elements = [...new Set(sources.filter((s) => familyOf(s) === family))].sort();
        if (elements.length === 0) continue;
        const list = wanted.get(dest) ?? [];
        list.push({ role: flow.from, family, elements, flow });
        wanted.set(dest, list);
      }
    }
    if (skipped) {
      warnings.push({
        code: 'no-source',
        flow: flow.id,
        message: `flow ${flow.id} (${flow.from} → ${flow.to} ${flow.protocol}/${flow.ports.join(',') || '-'}, ${flow.purpose}) skipped: no source — add hosts with role "${flow.from}" or networks: { ${flow.from}: [CIDR] } to the inventory`,
      });
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
      ssh: sshTarget(inv, host),
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
  return { hosts, flows, warnings };
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

function normalizeFirewall(setting: FirewallSetting): Pick<FirewallDesired, 'backend' | 'inputPolicy' | 'sshAdminSources'> {
  if (typeof setting === 'string') return { backend: setting, inputPolicy: 'accept', sshAdminSources: [] };
  return { backend: setting.backend, inputPolicy: setting.inputPolicy, sshAdminSources: setting.sshAdmins.map(canonicalAddress).sort() };
}

function buildFirewall(
  base: Pick<FirewallDesired, 'backend' | 'inputPolicy' | 'sshAdminSources'>,
  wanted: { role: string; family: Family; elements: string[]; flow: Flow }[],
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

function sshTarget(inv: Inventory, host: InventoryHost): SshTarget {
  const d = inv.data.defaults.ssh;
  const h = host.ssh ?? {};
  const identity = h.identityFile ?? d.identityFile;
  const known = h.knownHostsFile ?? d.knownHostsFile;
  return {
    host: h.host ?? host.address,
    port: h.port ?? d.port ?? 22,
    user: h.user ?? d.user ?? userInfo().username,
    identityFile: identity ? expandHome(identity) : undefined,
    become: h.become ?? d.become ?? true,
    hostKeys: h.hostKeys ?? d.hostKeys ?? 'strict',
    knownHostsFile: known ? expandHome(known) : undefined,
    connectTimeoutMs: (h.connectTimeout ?? d.connectTimeout ?? 10) * 1000,
  };
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? `${homedir()}/${p.slice(2)}` : p;
}
