/**
 * Ansible inventories (INI or YAML) → a vprov inventory document. Hosts come from Ansible,
 * roles from group names through a role map; everything vprov-specific (product, platforms,
 * defaults) comes from the vprov file that imports it, or from `vprov_*` vars in [all:vars].
 * Pure: text in, plain object out (validated afterwards like any inventory).
 */
import { compareText } from '../core/text-order.js';
import { parse as parseYamlText } from 'yaml';
import { InputError } from '../core/errors.js';

interface AnsibleHost {
  vars: Record<string, string>;
  groups: Set<string>;
}

export interface AnsibleInventory {
  hosts: Map<string, AnsibleHost>;
  children: Map<string, Set<string>>;
  groupVars: Map<string, Record<string, string>>;
}

export function parseAnsibleIni(text: string, file: string): AnsibleInventory {
  const inv: AnsibleInventory = { hosts: new Map(), children: new Map(), groupVars: new Map() };
  let section = 'ungrouped';
  let kind: 'hosts' | 'children' | 'vars' = 'hosts';
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s[#;].*$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(children|vars))?\]$/.exec(line);
    if (header) {
      section = header[1]!;
      kind = (header[2] as 'children' | 'vars' | undefined) ?? 'hosts';
      return;
    }
    if (line.startsWith('[')) throw new InputError(`${file}:${i + 1}: malformed section header "${line}"`, file);
    if (kind === 'children') {
      const set = inv.children.get(section) ?? new Set();
      set.add(line);
      inv.children.set(section, set);
    } else if (kind === 'vars') {
      const [k, ...v] = line.split('=');
      const vars = inv.groupVars.get(section) ?? {};
      vars[k!.trim()] = v.join('=').trim();
      inv.groupVars.set(section, vars);
    } else {
      const [name, ...pairs] = line.split(/\s+/);
      if (/[[\]]/.test(name!)) throw new InputError(`${file}:${i + 1}: host ranges like "${name}" are not supported; list the hosts`, file);
      const host = inv.hosts.get(name!) ?? { vars: {}, groups: new Set<string>() };
      for (const p of pairs) {
        const eq = p.indexOf('=');
        if (eq < 1) throw new InputError(`${file}:${i + 1}: expected key=value after the host name, got "${p}"`, file);
        host.vars[p.slice(0, eq)] = p.slice(eq + 1).replace(/^(['"])(.*)\1$/, '$2');
      }
      host.groups.add(section);
      inv.hosts.set(name!, host);
    }
  });
  return inv;
}

export function parseAnsibleYaml(text: string, file: string): AnsibleInventory {
  const inv: AnsibleInventory = { hosts: new Map(), children: new Map(), groupVars: new Map() };
  let doc: unknown;
  try {
    doc = parseYamlText(text);
  } catch (err) {
    throw new InputError(`${file}: YAML syntax error: ${(err as Error).message.split('\n')[0]}`, file);
  }
  const walk = (group: string, node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const g = node as { hosts?: Record<string, Record<string, unknown> | null>; children?: Record<string, unknown>; vars?: Record<string, unknown> };
    for (const [name, vars] of Object.entries(g.hosts ?? {})) {
      const host = inv.hosts.get(name) ?? { vars: {}, groups: new Set<string>() };
      for (const [k, v] of Object.entries(vars ?? {})) host.vars[k] = String(v);
      host.groups.add(group);
      inv.hosts.set(name, host);
    }
    if (g.vars) inv.groupVars.set(group, Object.fromEntries(Object.entries(g.vars).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
    for (const [child, sub] of Object.entries(g.children ?? {})) {
      const set = inv.children.get(group) ?? new Set();
      set.add(child);
      inv.children.set(group, set);
      walk(child, sub);
    }
  };
  for (const [group, node] of Object.entries((doc ?? {}) as Record<string, unknown>)) walk(group, node);
  return inv;
}

/** All groups a host is in, through :children. */
function groupsOf(inv: AnsibleInventory, host: AnsibleHost): Set<string> {
  const out = new Set<string>(['all', ...host.groups]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [parent, kids] of inv.children) {
      if (!out.has(parent) && [...kids].some((k) => out.has(k))) {
        out.add(parent);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * The vprov `hosts` and `groups` an Ansible inventory contributes. Hosts in no mapped group
 * are left out (an Ansible inventory usually holds more than vprov manages).
 */
export function ansibleHosts(inv: AnsibleInventory, roleMap: Record<string, string>): { hosts: Record<string, unknown>; groups: Record<string, string[]>; ignored: string[] } {
  const hosts: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [name, h] of [...inv.hosts].sort(([a], [b]) => compareText(a, b))) {
    const groups = groupsOf(inv, h);
    const roles = [...new Set([...groups].filter((g) => g in roleMap).map((g) => roleMap[g]!))].sort();
    if (roles.length === 0) {
      ignored.push(name);
      continue;
    }
    const v = h.vars;
    const ssh: Record<string, unknown> = {};
    if (v.ansible_host) ssh.host = v.ansible_host;
    if (v.ansible_port) ssh.port = Number(v.ansible_port);
    if (v.ansible_user) ssh.user = v.ansible_user;
    if (v.ansible_ssh_private_key_file) ssh.identityFile = v.ansible_ssh_private_key_file;
    hosts[name] = { address: v.vprov_address ?? v.ansible_host ?? name, roles, ...(Object.keys(ssh).length ? { ssh } : {}) };
  }
  const groups: Record<string, string[]> = {};
  for (const [name, h] of inv.hosts) {
    if (!(name in hosts)) continue;
    for (const g of groupsOf(inv, h)) if (g !== 'all') (groups[g] ??= []).push(name);
  }
  for (const g of Object.keys(groups)) groups[g]!.sort();
  return { hosts, groups, ignored };
}

/** "group=role" pairs from --role-map or vprov_role_map. */
export function parseRoleMap(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs.flatMap((x) => x.split(','))) {
    const [g, r] = p.split('=').map((s) => s.trim());
    if (!g || !r) throw new InputError(`--role-map: expected group=role, got "${p}"`);
    out[g] = r;
  }
  return out;
}
