/** Load an inventory, validate it (zod) and cross-check it against the catalog, before any host is touched. */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { locate, parseYaml, validate, type Located } from '../core/yaml-schema.js';
import { findMethod, type Catalog, type Product } from '../catalog/model.js';
import { didYouMean } from '../core/suggest.js';
import { inventorySchema, type InventoryFile } from './schema.js';
import { SITE_NAME, SITE_NAME_RULE } from '../core/site.js';
import { canonicalAddress, familyOf } from '../core/net.js';
import { allVars, ansibleHosts, parseAnsibleIni, parseAnsibleYaml, parseRoleMap, type AnsibleImport, type AnsibleInventory } from './ansible.js';
import { readVarsDirs } from './ansible-vars.js';

export interface LoadOptions {
  /** --role-map group=role pairs, for Ansible inventories */
  roleMap?: readonly string[];
  /** called with notes worth showing (hosts left out of an import, …) */
  onNotice?: (message: string) => void;
}

export interface Inventory {
  file: string;
  data: InventoryFile;
  product: Product;
  /** "file:line: path: reason" for a field of this inventory (problems found after loading) */
  locate?: (path: readonly PropertyKey[], reason: string) => string;
  /** who owns the hosts: `site:`, or the file name without its extension */
  site: string;
}

/** `site:` when given, else the inventory file's name without its extension, checked as strictly. */
export function siteOf(data: Pick<InventoryFile, 'site'>, file: string): string {
  if (data.site !== undefined) return data.site;
  const name = basename(file, extname(file));
  if (!SITE_NAME.test(name)) {
    throw new InputError(`${file}: site: not set, and the file name "${name}" is no site name (${SITE_NAME_RULE}): set site: in the inventory`, file);
  }
  return name;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, file);
  }
}

export function loadInventory(file: string, catalog: Catalog, opts: LoadOptions = {}): Inventory {
  const text = readText(file, 'inventory');
  if (/\.ini$/i.test(file) || (!/\.ya?ml$/i.test(file) && /^\s*\[[^\]]+\]\s*$/m.test(text))) {
    return parseInventoryObject(fromAnsible(parseAnsibleIni(text, file), opts), parseYaml('{}', file), catalog);
  }
  return parseInventory(text, file, catalog, opts);
}

/** Hosts left out and connection variables vprov does not use: said once, never silently dropped. */
function noticeImport(imp: AnsibleImport, opts: LoadOptions): void {
  if (imp.ignored.length) opts.onNotice?.(`Ansible hosts in no mapped group, left out: ${imp.ignored.join(', ')}`);
  if (imp.notUnderstood.length) opts.onNotice?.(`Ansible variables vprov does not use: ${imp.notUnderstood.join('; ')}`);
}

/** vprov_role_map as "group=role,…" text or a mapping. */
function roleMapVar(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'object' && !Array.isArray(v)) return Object.entries(v).map(([g, r]) => `${g}=${String(r)}`);
  return [String(v)];
}

/** vprov_options as "a,b" text, a list or a mapping of flags. */
function optionsVar(v: unknown): Record<string, boolean> {
  if (v === undefined || v === null || v === '') return {};
  if (Array.isArray(v)) return Object.fromEntries(v.map((o) => [String(o).trim(), true]));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, b]) => [k, b === true || /^(yes|true|on|1)$/i.test(String(b))]));
  return Object.fromEntries(String(v).split(',').map((o) => o.trim()).filter(Boolean).map((o) => [o, true]));
}

/** A bare Ansible inventory: vprov settings come from vprov_* vars of group "all". */
function fromAnsible(inv: AnsibleInventory, opts: LoadOptions): Record<string, unknown> {
  readVarsDirs(inv);
  const vars = allVars(inv);
  if (vars.vprov_product === undefined || vars.vprov_platform === undefined) {
    throw new InputError(
      `${inv.file}: an Ansible inventory read directly names the product and platform vprov provisions in group "all" ` +
        `(vprov_product=…, vprov_platform=…, and vprov_method, vprov_options when needed, in [all:vars] or group_vars/all.yml); ` +
        `or a vprov inventory imports it: ansible: { inventory: ${inv.file.split('/').pop()}, roles: { GROUP: ROLE } }`,
      inv.file,
    );
  }
  const roleMap = parseRoleMap([...roleMapVar(vars.vprov_role_map), ...(opts.roleMap ?? [])]);
  if (Object.keys(roleMap).length === 0) {
    throw new InputError(`${inv.file}: no Ansible group is mapped to a role: give --role-map GROUP=ROLE (repeatable) or vprov_role_map in group "all"`, inv.file);
  }
  const imp = ansibleHosts(inv, roleMap);
  noticeImport(imp, opts);
  const platform = String(vars.vprov_platform);
  return {
    ...(vars.vprov_site ? { site: vars.vprov_site } : {}),
    product: vars.vprov_product,
    platforms: [{ platform, ...(vars.vprov_method !== undefined ? { method: String(vars.vprov_method) } : {}), options: optionsVar(vars.vprov_options) }],
    hosts: imp.hosts,
    groups: imp.groups,
  };
}

export function parseInventory(text: string, file: string, catalog: Catalog, opts: LoadOptions = {}): Inventory {
  const loc = parseYaml(text, file);
  const raw = loc.doc.toJS() as Record<string, unknown> | null;
  if (raw === null || raw === undefined) throw new InputError(`${file}: inventory is empty`, file);
  if (raw && typeof raw === 'object' && !('product' in raw) && 'all' in raw) {
    return parseInventoryObject(fromAnsible(parseAnsibleYaml(text, file), opts), loc, catalog);
  }
  const imported = raw && typeof raw === 'object' ? withAnsibleImport(raw, file, opts) : raw;
  return parseInventoryObject(imported, loc, catalog);
}

/** `ansible: { inventory, roles }` in a vprov file: its hosts and groups join the file's own. */
function withAnsibleImport(raw: Record<string, unknown>, file: string, opts: LoadOptions): Record<string, unknown> {
  const spec = raw.ansible as { inventory?: unknown; roles?: unknown } | undefined;
  if (!spec || typeof spec.inventory !== 'string') return raw;
  const path = resolve(dirname(file), spec.inventory);
  const text = readText(path, 'Ansible inventory');
  const inv = readVarsDirs(/\.ya?ml$/i.test(path) ? parseAnsibleYaml(text, path) : parseAnsibleIni(text, path));
  const roleMap = { ...((spec.roles as Record<string, string>) ?? {}), ...parseRoleMap(opts.roleMap ?? []) };
  const imp = ansibleHosts(inv, roleMap);
  noticeImport(imp, opts);
  const { hosts, groups } = imp;
  return {
    ...raw,
    hosts: { ...hosts, ...((raw.hosts as object) ?? {}) },
    groups: { ...groups, ...((raw.groups as object) ?? {}) },
  };
}

/** Product candidates for suggestions: ids with their titles ("olvm", "Oracle Linux Virtualization Manager"). */
const productNames = (catalog: Catalog) => [...catalog.products.values()].map((p) => ({ name: p.id, title: p.title }));

function parseInventoryObject(raw: unknown, loc: Located, catalog: Catalog): Inventory {
  const file = loc.file;
  const given = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).product : undefined;
  if (Array.isArray(given)) {
    // A list of products is a site; say so instead of zod's "expected string, received array".
    throw new InputError(
      locate(loc, ['product'], `one product per "product:" (catalog has: ${[...catalog.products.keys()].join(', ')}); several products on shared hosts make a site: write them under "products:", each with its platforms`),
      file,
    );
  }
  const data = validate(loc, inventorySchema, raw);
  const product = catalog.products.get(data.product);
  if (!product) {
    throw new InputError(
      locate(loc, ['product'], `unknown product "${data.product}" (catalog has: ${[...catalog.products.keys()].join(', ')})${didYouMean(data.product, productNames(catalog))}`),
      file,
    );
  }
  const problems = crossCheck(loc, data, product);
  if (problems.length > 0) throw new InputError(problems[0]!, file, problems);
  return { file, data, product, site: siteOf(data, file), locate: (path, reason) => locate(loc, path, reason) };
}

function crossCheck(loc: Located, data: InventoryFile, product: Product): string[] {
  const problems: string[] = [];
  const roles = Object.keys(product.roles);
  const roleList = roles.join(', ');
  const platformIds = product.platforms.map((p) => p.id);
  const platformNames = product.platforms.map((p) => ({ name: p.id, title: p.title }));
  const conditions = Object.keys(product.conditions);
  const unknownPlatform = (name: string) => `unknown platform "${name}" (catalog ${product.id} has: ${platformIds.join(', ')})${didYouMean(name, platformNames)}`;
  data.platforms.forEach((sel, i) => {
    const platform = product.platforms.find((p) => p.id === sel.platform);
    if (!platform) {
      problems.push(locate(loc, ['platforms', i, 'platform'], unknownPlatform(sel.platform)));
      return;
    }
    const methods = platform.methods.filter((m): m is string => m !== null);
    if (sel.method === undefined && methods.length > 1) {
      // Never widen: selecting every method of a platform opens ports the deployment may not use.
      problems.push(locate(loc, ['platforms', i], `platform ${platform.id} has several methods: choose one with method: (${methods.join(', ')})`));
    }
    if (sel.method !== undefined) {
      // Titles match regardless of case and punctuation, and a document's own heading names its method too.
      const title = findMethod(product, platform.id, sel.method);
      if (title !== undefined) sel.method = title;
      else problems.push(locate(loc, ['platforms', i, 'method'], `unknown method "${sel.method}" for ${platform.id} (methods: ${methods.join(', ') || 'none'})${didYouMean(sel.method, methods)}`));
    }
    for (const flag of Object.keys(sel.options)) {
      if (!conditions.includes(flag)) problems.push(locate(loc, ['platforms', i, 'options', flag], `unknown option "${flag}" (options: ${conditions.join(', ') || 'none'})${didYouMean(flag, conditions)}`));
    }
  });
  const params = Object.keys(product.params);
  for (const key of Object.keys(data.ports)) {
    if (!(key in product.params)) problems.push(locate(loc, ['ports', key], `unknown port parameter "${key}" (parameters: ${params.join(', ') || 'none'})${didYouMean(key, params)}`));
  }
  const unknownRole = (role: string) => `unknown role "${role}" (roles of ${product.id}: ${roleList})${didYouMean(role, roles)}`;
  const addresses = new Map<string, string>();
  for (const [name, host] of Object.entries(data.hosts)) {
    host.roles.forEach((role, i) => {
      if (!roles.includes(role)) problems.push(locate(loc, ['hosts', name, 'roles', i], unknownRole(role)));
    });
    if (host.platform !== undefined && !platformIds.includes(host.platform)) {
      problems.push(locate(loc, ['hosts', name, 'platform'], unknownPlatform(host.platform)));
    }
    // Compared as addresses: ::ffff:10.0.0.5 is 10.0.0.5, 2001:DB8::1 is 2001:db8::1.
    const key = familyOf(host.address) ? canonicalAddress(host.address) : host.address.toLowerCase();
    const twin = addresses.get(key);
    if (twin) problems.push(locate(loc, ['hosts', name, 'address'], `address ${host.address} is also host "${twin}"'s`));
    addresses.set(key, name);
  }
  for (const [group, members] of Object.entries(data.groups)) {
    if (group in data.hosts) problems.push(locate(loc, ['groups', group], `group "${group}" has the name of a host`));
    members.forEach((m, i) => {
      if (!(m in data.hosts) && !(m in data.groups)) problems.push(locate(loc, ['groups', group, i], `unknown host or group "${m}"${didYouMean(m, [...Object.keys(data.hosts), ...Object.keys(data.groups)])}`));
    });
  }
  for (const role of Object.keys(data.networks)) {
    if (!roles.includes(role)) problems.push(locate(loc, ['networks', role], unknownRole(role)));
  }
  return problems;
}
