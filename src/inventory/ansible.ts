/**
 * Ansible inventories (INI or YAML) read as Ansible reads them, → a vprov inventory document.
 * Hosts, groups (with :children), host ranges, `host:port`, inline and group variables, and the
 * variable precedence of ansible-inventory (all < groups by depth, priority, name < group_vars/all
 * < group_vars/GROUP < the host's own < host_vars/HOST). Roles come from group names through a
 * role map; vprov settings (product, platforms) from the vprov file that imports it, or from
 * `vprov_*` vars of group "all". Pure: text in, plain objects out (the group_vars/ and
 * host_vars/ files are read by ansible-vars.ts).
 */
import { compareText } from '../core/text-order.js';
import { parse as parseYamlText } from 'yaml';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';

export type Vars = Record<string, unknown>;

interface AnsibleHost {
  vars: Vars;
  /** groups the host is listed in directly */
  groups: Set<string>;
}

export interface AnsibleInventory {
  file: string;
  hosts: Map<string, AnsibleHost>;
  /** every group, with its direct children */
  children: Map<string, Set<string>>;
  /** variables the inventory file gives each group */
  groupVars: Map<string, Vars>;
  /** group_vars/ and host_vars/ beside the inventory (filled by readVarsDirs) */
  groupVarsFiles: Map<string, Vars>;
  hostVarsFiles: Map<string, Vars>;
}

function emptyInventory(file: string): AnsibleInventory {
  const inv: AnsibleInventory = { file, hosts: new Map(), children: new Map(), groupVars: new Map(), groupVarsFiles: new Map(), hostVarsFiles: new Map() };
  addGroup(inv, 'all');
  addGroup(inv, 'ungrouped');
  return inv;
}

function addGroup(inv: AnsibleInventory, name: string): void {
  if (!inv.children.has(name)) inv.children.set(name, new Set());
}

function addHost(inv: AnsibleInventory, name: string, group: string, vars: Vars): void {
  const host = inv.hosts.get(name) ?? { vars: {}, groups: new Set<string>() };
  Object.assign(host.vars, vars);
  if (group !== 'all' && group !== 'ungrouped') host.groups.add(group);
  inv.hosts.set(name, host);
}

/** ast.literal_eval's answer for the simple literals inventories hold; the text itself otherwise. */
export function iniValue(raw: string): unknown {
  // Python's tokenizer drops a trailing comment: "1 # why" is 1, but "a b # c" stays text.
  const v = raw.replace(/\s+#.*$/, '').trim();
  if (/^[-+]?(0|[1-9][0-9_]*)$/.test(v)) return Number(v.replace(/_/g, ''));
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)(e[-+]?\d+)?$/i.test(v) && /[.e]/i.test(v)) return Number(v);
  if (v === 'True') return true;
  if (v === 'False') return false;
  if (v === 'None') return null;
  const quoted = /^(['"])(.*)\1$/s.exec(v);
  if (quoted && !quoted[2]!.includes(quoted[1]!)) return quoted[2]!.replace(/\\(.)/g, '$1');
  return raw;
}

/** shlex.split(line, comments=True): words, quotes removed, a # outside quotes ends the line. */
function shellWords(line: string, where: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new InputError(`${where}: no closing quotation`);
  if (inWord) out.push(cur);
  return out;
}

/** "www[01:03].example.com" → www01…www03; "db-[a:c]" → db-a…db-c; steps "[1:9:2]". */
export function expandHostRange(pattern: string, where: string): string[] {
  const m = /^([^[]*)\[([^\]]*)\](.*)$/.exec(pattern);
  if (!m) return [pattern];
  const [, head, range, tail] = m;
  const bounds = range!.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new InputError(`${where}: host range must be begin:end or begin:end:step, got "[${range}]"`);
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (!end) throw new InputError(`${where}: host range must specify an end value`);
  if (!Number.isInteger(step) || step < 1) throw new InputError(`${where}: host range step must be a positive whole number`);
  let seq: string[] = [];
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (letters.includes(beg) && letters.includes(end) && beg.length === 1 && end.length === 1) {
    const [a, b] = [letters.indexOf(beg), letters.indexOf(end)];
    if (a > b) throw new InputError(`${where}: host range must have begin <= end`);
    for (let i = a; i <= b; i += step) seq.push(letters[i]!);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) throw new InputError(`${where}: host range "[${range}]" is neither numbers nor letters`);
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    if (width && width !== end.length) throw new InputError(`${where}: host range must specify equal-length begin and end formats`);
    for (let i = Number(beg); i <= Number(end); i += step) seq.push(width ? String(i).padStart(width, '0') : String(i));
  }
  if (seq.length > 100_000) throw new InputError(`${where}: host range "[${range}]" expands to over 100000 hosts`);
  seq = seq.flatMap((s) => expandHostRange(`${head}${s}${tail}`, where));
  return seq;
}

/** "name", "name:port", "[v6::addr]:port" → name and port. */
function hostAndPort(pattern: string): { name: string; port?: number } {
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(pattern);
  if (v6) return { name: v6[1]!, ...(v6[2] ? { port: Number(v6[2]) } : {}) };
  const m = /^([^:]+):(\d+)$/.exec(pattern);
  if (m) return { name: m[1]!, port: Number(m[2]) };
  return { name: pattern };
}

export function parseAnsibleIni(text: string, file: string): AnsibleInventory {
  const inv = emptyInventory(file);
  let section = 'ungrouped';
  let kind: 'hosts' | 'children' | 'vars' = 'hosts';
  // As Ansible: [g:vars] and [g:children] entries may name groups declared later; never declared is an error.
  const pendingVars = new Map<string, number>();
  const pendingChildren = new Map<string, { line: number; parents: string[] }>();
  const declared = new Set(['all', 'ungrouped']);
  const declare = (g: string) => {
    declared.add(g);
    addGroup(inv, g);
    const waiting = pendingChildren.get(g);
    if (waiting) for (const p of waiting.parents) inv.children.get(p)!.add(g);
    pendingChildren.delete(g);
  };
  text.split('\n').forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      section = header[1]!;
      const tag = header[2] ?? 'hosts';
      if (tag !== 'hosts' && tag !== 'children' && tag !== 'vars') throw new InputError(`${where}: section [${section}:${tag}] has unknown type: ${tag}`, file);
      kind = tag;
      if (kind === 'vars') {
        if (!declared.has(section) && !pendingVars.has(section)) pendingVars.set(section, i + 1);
        addGroup(inv, section);
      } else {
        declare(section);
        pendingVars.delete(section);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) throw new InputError(`${where}: invalid section entry "${line}" (no spaces inside the brackets)`, file);
    if (kind === 'children') {
      const child = /^([^:\]\s]+)\s*(?:#.*)?$/.exec(line)?.[1];
      if (!child) throw new InputError(`${where}: expected a group name, got "${line}"`, file);
      if (declared.has(child)) inv.children.get(section)!.add(child);
      else {
        const p = pendingChildren.get(child) ?? { line: i + 1, parents: [] };
        p.parents.push(section);
        pendingChildren.set(child, p);
      }
    } else if (kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw new InputError(`${where}: expected key=value, got "${line}"`, file);
      const vars = inv.groupVars.get(section) ?? {};
      vars[line.slice(0, eq).trim()] = iniValue(line.slice(eq + 1).trim());
      inv.groupVars.set(section, vars);
    } else {
      const [pattern, ...pairs] = shellWords(line, where);
      if (!pattern) return;
      if (pattern.endsWith(':')) throw new InputError(`${where}: invalid host pattern "${pattern}": a trailing ":" is reserved for a port`, file);
      const { name, port } = hostAndPort(pattern);
      const vars: Vars = port !== undefined ? { ansible_port: port } : {};
      for (const p of pairs) {
        const eq = p.indexOf('=');
        if (eq < 1) throw new InputError(`${where}: expected key=value host variable assignment, got "${p}"`, file);
        vars[p.slice(0, eq)] = iniValue(p.slice(eq + 1));
      }
      for (const h of expandHostRange(name, where)) addHost(inv, h, section, vars);
    }
  });
  for (const [g, line] of pendingVars)
    if (!declared.has(g)) throw new InputError(`${file}:${line}: section [${g}:vars] is not valid for undefined group: ${g}`, file);
  for (const [g, p] of pendingChildren) throw new InputError(`${file}:${p.line}: section [${p.parents.at(-1)}:children] includes undefined group: ${g}`, file);
  return inv;
}

export function parseAnsibleYaml(text: string, file: string): AnsibleInventory {
  const inv = emptyInventory(file);
  let doc: unknown;
  try {
    // Ansible reads YAML 1.1 (PyYAML): yes/no/on/off are booleans.
    doc = parseYamlText(text, { version: '1.1' });
  } catch (err) {
    throw new InputError(`${file}: YAML syntax error: ${(err as Error).message.split('\n')[0]}`, file);
  }
  const isMap = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  const walk = (group: string, node: unknown, path: string) => {
    addGroup(inv, group);
    if (node === null || node === undefined) return;
    if (!isMap(node)) throw new InputError(`${file}: ${path}: a group is a mapping of hosts, vars and children`, file);
    for (const key of Object.keys(node)) {
      if (!['hosts', 'vars', 'children'].includes(key)) throw new InputError(`${file}: ${path}: unknown key "${key}" in a group (hosts, vars, children)`, file);
    }
    if (node.vars !== undefined && node.vars !== null) {
      if (!isMap(node.vars)) throw new InputError(`${file}: ${path}.vars: expected a mapping`, file);
      inv.groupVars.set(group, { ...(inv.groupVars.get(group) ?? {}), ...node.vars });
    }
    if (node.hosts !== undefined && node.hosts !== null) {
      if (!isMap(node.hosts)) throw new InputError(`${file}: ${path}.hosts: expected a mapping of host names`, file);
      for (const [pattern, vars] of Object.entries(node.hosts)) {
        if (vars !== null && !isMap(vars)) throw new InputError(`${file}: ${path}.hosts.${pattern}: host variables must be a mapping`, file);
        const { name, port } = hostAndPort(pattern);
        for (const h of expandHostRange(name, `${file}: ${path}.hosts`))
          addHost(inv, h, group, { ...(port !== undefined ? { ansible_port: port } : {}), ...(vars ?? {}) });
      }
    }
    if (node.children !== undefined && node.children !== null) {
      if (!isMap(node.children)) throw new InputError(`${file}: ${path}.children: expected a mapping of groups`, file);
      for (const [child, sub] of Object.entries(node.children)) {
        addGroup(inv, child);
        inv.children.get(group)!.add(child);
        walk(child, sub, `${path}.children.${child}`);
      }
    }
  };
  if (doc !== null && doc !== undefined && !isMap(doc)) throw new InputError(`${file}: an Ansible YAML inventory is a mapping of groups`, file);
  for (const [group, node] of Object.entries((doc ?? {}) as Record<string, unknown>)) {
    walk(group, node, group);
    if (group !== 'all') inv.children.get('all')!.add(group);
  }
  return inv;
}

/** Group depth as Ansible counts it: all is 0, a child is one deeper than its deepest parent. */
function depths(inv: AnsibleInventory): Map<string, number> {
  const depth = new Map<string, number>([['all', 0]]);
  const visit = (g: string, d: number, seen: Set<string>) => {
    if ((depth.get(g) ?? -1) >= d && g !== 'all') return;
    if (g !== 'all') depth.set(g, d);
    if (seen.has(g)) return;
    for (const c of inv.children.get(g) ?? []) visit(c, d + 1, new Set([...seen, g]));
  };
  visit('all', 0, new Set());
  // A group no other group lists is a child of all (Ansible adds it there).
  const listed = new Set([...inv.children.values()].flatMap((kids) => [...kids]));
  for (const g of inv.children.keys()) if (g !== 'all' && !listed.has(g)) visit(g, 1, new Set());
  return depth;
}

export interface ResolvedHost {
  /** every group the host is in, through children; "all" and, when in no other, "ungrouped" */
  groups: Set<string>;
  /** its variables after Ansible's precedence */
  vars: Vars;
}

/** Each host with its groups and its variables, as `ansible-inventory --list` shows them. */
export function resolveAnsible(inv: AnsibleInventory): Map<string, ResolvedHost> {
  const depth = depths(inv);
  const parents = new Map<string, string[]>();
  for (const [p, kids] of inv.children) for (const k of kids) parents.set(k, [...(parents.get(k) ?? []), p]);
  const priority = (g: string) => Number(inv.groupVars.get(g)?.ansible_group_priority ?? 1);
  const order = (a: string, b: string) => (depth.get(a) ?? 1) - (depth.get(b) ?? 1) || priority(a) - priority(b) || (a < b ? -1 : a > b ? 1 : 0);
  const out = new Map<string, ResolvedHost>();
  for (const [name, h] of inv.hosts) {
    const direct = h.groups.size ? [...h.groups] : ['ungrouped'];
    const groups = new Set<string>(['all']);
    const todo = [...direct];
    while (todo.length) {
      const g = todo.pop()!;
      if (groups.has(g)) continue;
      groups.add(g);
      todo.push(...(parents.get(g) ?? []));
    }
    const sorted = [...groups].filter((g) => g !== 'all').sort(order);
    const vars: Vars = {
      ...inv.groupVars.get('all'),
      ...Object.assign({}, ...sorted.map((g) => inv.groupVars.get(g) ?? {})),
      ...inv.groupVarsFiles.get('all'),
      ...Object.assign({}, ...sorted.map((g) => inv.groupVarsFiles.get(g) ?? {})),
      ...h.vars,
      ...inv.hostVarsFiles.get(name),
    };
    out.set(name, { groups, vars });
  }
  return out;
}

/** The variables of group "all" alone (where vprov_* settings live). */
export function allVars(inv: AnsibleInventory): Vars {
  return { ...inv.groupVars.get('all'), ...inv.groupVarsFiles.get('all') };
}

/** Connection variables vprov reads, by Ansible name (with the older ansible_ssh_* spellings). */
const UNDERSTOOD = new Set([
  'ansible_host',
  'ansible_ssh_host',
  'ansible_port',
  'ansible_ssh_port',
  'ansible_user',
  'ansible_ssh_user',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_become',
  'ansible_group_priority',
]);

/** Ansible's boolean(): yes/on/true/1/y/t and their opposites; anything else is refused. */
function ansibleBool(v: unknown, where: string): boolean {
  const s = String(v).toLowerCase();
  if (['y', 'yes', 'on', '1', 'true', 't', '1.0'].includes(s)) return true;
  if (['n', 'no', 'off', '0', 'false', 'f', '0.0', ''].includes(s)) return false;
  throw new InputError(`${where}: ansible_become: expected a boolean (yes/no, true/false), got ${JSON.stringify(v)}`);
}

/** A value Ansible would use as given, for what vprov takes as text or a number. */
function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export interface AnsibleImport {
  hosts: Record<string, unknown>;
  groups: Record<string, string[]>;
  /** hosts in no mapped group */
  ignored: string[];
  /** "ansible_python_interpreter (hv1, hv2)": connection variables vprov does not use */
  notUnderstood: string[];
}

/**
 * The vprov `hosts` and `groups` an Ansible inventory contributes. Hosts in no mapped group
 * are left out (an Ansible inventory usually holds more than vprov manages).
 */
export function ansibleHosts(inv: AnsibleInventory, roleMap: Record<string, string | readonly string[]>): AnsibleImport {
  const resolved = resolveAnsible(inv);
  const known = [...inv.children.keys()];
  for (const g of Object.keys(roleMap)) {
    if (!inv.children.has(g)) {
      throw new InputError(
        `--role-map: ${inv.file} has no group "${g}" (groups: ${known
          .filter((k) => k !== 'all' && k !== 'ungrouped')
          .sort(compareText)
          .join(', ')})${didYouMean(g, known)}`,
        inv.file,
      );
    }
  }
  const hosts: Record<string, unknown> = {};
  const ignored: string[] = [];
  const unused = new Map<string, string[]>();
  for (const [name, h] of [...resolved].sort(([a], [b]) => compareText(a, b))) {
    const roles = [...new Set([...h.groups].filter((g) => g in roleMap).flatMap((g) => [roleMap[g]!].flat()))].sort();
    if (roles.length === 0) {
      ignored.push(name);
      continue;
    }
    const v = h.vars;
    const where = `${inv.file}: host ${name}`;
    for (const k of Object.keys(v)) if (k.startsWith('ansible_') && !UNDERSTOOD.has(k)) unused.set(k, [...(unused.get(k) ?? []), name]);
    const ssh: Record<string, unknown> = {};
    // Where both spellings are set, the ssh connection plugin takes the ansible_ssh_* one (the last it lists).
    const hostName = v.ansible_ssh_host ?? v.ansible_host;
    const port = v.ansible_ssh_port ?? v.ansible_port;
    const user = v.ansible_ssh_user ?? v.ansible_user;
    const key = v.ansible_ssh_private_key_file ?? v.ansible_private_key_file;
    if (hostName !== undefined && hostName !== null) ssh.host = text(hostName);
    if (port !== undefined && port !== null) ssh.port = Number(port);
    if (user !== undefined && user !== null) ssh.user = text(user);
    if (key !== undefined && key !== null) ssh.identityFile = text(key);
    if (v.ansible_become !== undefined && v.ansible_become !== null) ssh.become = ansibleBool(v.ansible_become, where);
    const address = v.vprov_address ?? hostName ?? name;
    hosts[name] = { address: text(address), roles, ...(Object.keys(ssh).length ? { ssh } : {}) };
  }
  const groups: Record<string, string[]> = {};
  for (const [name, h] of resolved) {
    if (!(name in hosts)) continue;
    for (const g of h.groups) if (g !== 'all' && g !== 'ungrouped') (groups[g] ??= []).push(name);
  }
  for (const g of Object.keys(groups)) groups[g]!.sort(compareText);
  const notUnderstood = [...unused]
    .sort(([a], [b]) => compareText(a, b))
    .map(([k, names]) => `${k} (${names.length > 5 ? `${names.slice(0, 5).join(', ')}, … ${names.length} hosts` : names.join(', ')})`);
  return { hosts, groups, ignored, notUnderstood };
}

/**
 * "group=role" pairs from --role-map or vprov_role_map. A group named twice holds both roles
 * (in a site a KVM host is olvm/kvm-host and storware/hypervisor): kvm=olvm/kvm-host,kvm=storware/hypervisor.
 */
export function parseRoleMap(pairs: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of pairs.flatMap((x) => x.split(','))) {
    const [g, r] = p.split('=').map((s) => s.trim());
    if (!g || !r) throw new InputError(`--role-map: expected group=role, got "${p}"`);
    out[g] = [...new Set([...(out[g] ?? []), r])];
  }
  return out;
}

/** The role map of a vprov file's ansible: import (group → role or list of roles), then --role-map's, which add to it. */
export function mergeRoleMaps(file: Record<string, string | string[]>, cli: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries(Object.entries(file).map(([g, r]) => [g, [r].flat()]));
  for (const [g, roles] of Object.entries(cli)) out[g] = [...new Set([...(out[g] ?? []), ...roles])];
  return out;
}
