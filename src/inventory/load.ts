/** Load an inventory, validate it (zod) and cross-check it against the catalog, before any host is touched. */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { checked, loadYaml, locate, startLine, type Loaded, type Located } from '../core/yaml-schema.js';
import { findMethod, type Catalog, type Product } from '../catalog/model.js';
import { didYouMean } from '../core/suggest.js';
import { parseInventoryFile, type InventoryFile, type PlatformSelection } from './schema.js';
import { SITE_NAME, SITE_NAME_RULE } from '../core/site.js';
import type { Flow } from '../core/types.js';
import { slug } from '../catalog/model.js';
import { canonicalAddress, familyOf } from '../core/net.js';
import { allVars, ansibleHosts, mergeRoleMaps, parseAnsibleIni, parseAnsibleYaml, parseRoleMap, type AnsibleImport, type AnsibleInventory } from './ansible.js';
import { readVarsDirs } from './ansible-vars.js';

export interface LoadOptions {
  /** --role-map group=role pairs, for Ansible inventories */
  roleMap?: readonly string[];
  /** called with notes worth showing (hosts left out of an import, …) */
  onNotice?: (message: string) => void;
}

/** One product of the inventory: its catalog entry and what the inventory selects of it. */
export interface SiteProduct {
  product: Product;
  /** how the inventory qualifies its roles: "" in the single-product form, "olvm/" in a site */
  prefix: string;
  platforms: PlatformSelection[];
  ports: Record<string, string[]>;
  /** YAML path of its platforms: selection, for messages */
  at: (string | number)[];
}

export interface Inventory {
  file: string;
  data: InventoryFile;
  /** "file:line: path: reason" for a field of this inventory (problems found after loading) */
  locate?: (path: readonly PropertyKey[], reason: string) => string;
  /** one entry in the single-product form (product:), several in a site (products:) */
  products: SiteProduct[];
  /** the inventory's own flows (flows:), one per source and destination written, conditions not yet applied */
  siteFlows: Flow[];
  /** line of a host's entry, where a host-level setting that settles a contradiction goes */
  hostLine: (name: string) => number | undefined;
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
    return parseInventoryObject(fromAnsible(parseAnsibleIni(text, file), opts), loadYaml('{}', file, { fast: false }), catalog);
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
  // A group mapped to a list holds each role (a site: kvm: [olvm/kvm-host, storware/hypervisor]).
  if (typeof v === 'object' && !Array.isArray(v)) return Object.entries(v).flatMap(([g, r]) => [r].flat().map((x) => `${g}=${String(x)}`));
  return [String(v)];
}

/** vprov_options as "a,b" text, a list or a mapping of flags. */
function optionsVar(v: unknown): Record<string, boolean> {
  if (v === undefined || v === null || v === '') return {};
  if (Array.isArray(v)) return Object.fromEntries(v.map((o) => [String(o).trim(), true]));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, b]) => [k, b === true || /^(yes|true|on|1)$/i.test(String(b))]));
  return Object.fromEntries(
    String(v)
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean)
      .map((o) => [o, true]),
  );
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
    throw new InputError(
      `${inv.file}: no Ansible group is mapped to a role: give --role-map GROUP=ROLE (repeatable) or vprov_role_map in group "all"`,
      inv.file,
    );
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
  const loaded = loadYaml(text, file);
  const raw = loaded.data as Record<string, unknown> | null;
  if (raw === null || raw === undefined) throw new InputError(`${file}: inventory is empty`, file);
  if (raw && typeof raw === 'object' && !('product' in raw) && 'all' in raw) {
    return parseInventoryObject(fromAnsible(parseAnsibleYaml(text, file), opts), loaded, catalog);
  }
  const imported = raw && typeof raw === 'object' ? withAnsibleImport(raw, file, opts) : raw;
  return parseInventoryObject(imported, loaded, catalog);
}

/** `ansible: { inventory, roles }` in a vprov file: its hosts and groups join the file's own. */
function withAnsibleImport(raw: Record<string, unknown>, file: string, opts: LoadOptions): Record<string, unknown> {
  const spec = raw.ansible as { inventory?: unknown; roles?: unknown } | undefined;
  if (!spec || typeof spec.inventory !== 'string') return raw;
  const path = resolve(dirname(file), spec.inventory);
  const text = readText(path, 'Ansible inventory');
  const inv = readVarsDirs(/\.ya?ml$/i.test(path) ? parseAnsibleYaml(text, path) : parseAnsibleIni(text, path));
  const roleMap = mergeRoleMaps((spec.roles as Record<string, string | string[]>) ?? {}, parseRoleMap(opts.roleMap ?? []));
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

function parseInventoryObject(raw: unknown, loaded: Loaded, catalog: Catalog): Inventory {
  const { loc } = loaded;
  const file = loc.file;
  const given = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).product : undefined;
  if (Array.isArray(given)) {
    // A list of products is a site; say so instead of zod's "expected string, received array".
    throw new InputError(
      locate(
        loc,
        ['product'],
        `one product per "product:" (catalog has: ${[...catalog.products.keys()].join(', ')}); several products on shared hosts make a site: write them under "products:", each with its platforms`,
      ),
      file,
    );
  }
  const data = checked(loc, parseInventoryFile(raw));
  const products = siteProducts(loc, data, catalog);
  const problems = products.flatMap((sp) => selectionProblems(loc, sp));
  problems.push(...crossCheck(loc, data, products));
  const site = siteFlows(loaded, data);
  problems.push(...acknowledgeProblems(loc, data, products, site));
  if (problems.length > 0) throw new InputError(problems[0]!, file, problems);
  // A host's line is the line its entry starts on (that of its map of settings, or of "hosts:" when
  // the file does not list it), asked for only when a message names it.
  const hostLine = (name: string) => startLine(loaded, ['hosts', name]);
  return { file, data, products, siteFlows: site, hostLine, site: siteOf(data, file), locate: (path, reason) => locate(loc, path, reason) };
}

/** `acknowledge:` names flows of the inventory's products (or its own flows): a typo would silence nothing. */
function acknowledgeProblems(loc: Located, data: InventoryFile, products: readonly SiteProduct[], site: readonly Flow[]): string[] {
  const ids = [...products.flatMap((sp) => sp.product.flows.map((f) => f.id)), ...site.map((f) => f.id)];
  const known = new Set(ids);
  return data.acknowledge.flatMap((id, i) =>
    known.has(id) ? [] : [locate(loc, ['acknowledge', i], `unknown flow "${id}" (flow ids are shown in warnings and by vprov explain)${didYouMean(id, ids)}`)],
  );
}

/** The products the inventory selects: `product:` (one, unqualified roles) or `products:` (a site). */
function siteProducts(loc: Located, data: InventoryFile, catalog: Catalog): SiteProduct[] {
  const known = [...catalog.products.keys()].join(', ');
  const fail = (path: (string | number)[], reason: string): never => {
    throw new InputError(locate(loc, path, reason), loc.file);
  };
  if (data.products !== undefined) {
    for (const key of ['product', 'platforms', 'ports'] as const) {
      if (data[key] !== undefined)
        fail([key], `a site lists its products under products: — ${key}: at the top level is the single-product form; move it under products.PRODUCT`);
    }
    const ids = Object.keys(data.products);
    if (ids.length === 0) fail(['products'], `a site needs at least one product (catalog has: ${known})`);
    return ids.map((id) => {
      const product =
        catalog.products.get(id) ?? fail(['products', id], `unknown product "${id}" (catalog has: ${known})${didYouMean(id, productNames(catalog))}`);
      const sel = data.products![id]!;
      return { product, prefix: `${id}/`, platforms: sel.platforms, ports: sel.ports, at: ['products', id, 'platforms'] };
    });
  }
  if (data.product === undefined) fail([], `expected product: (one product) or products: (a site of several; catalog has: ${known})`);
  const product =
    catalog.products.get(data.product!) ??
    fail(['product'], `unknown product "${data.product}" (catalog has: ${known})${didYouMean(data.product!, productNames(catalog))}`);
  if (data.platforms === undefined) fail(['platforms'], 'select at least one platform');
  return [{ product, prefix: '', platforms: data.platforms!, ports: data.ports ?? {}, at: ['platforms'] }];
}

function selectionProblems(loc: Located, sp: SiteProduct): string[] {
  const { product } = sp;
  const problems: string[] = [];
  const platformIds = product.platforms.map((p) => p.id);
  const platformNames = product.platforms.map((p) => ({ name: p.id, title: p.title }));
  const conditions = Object.keys(product.conditions);
  sp.platforms.forEach((sel, i) => {
    const platform = product.platforms.find((p) => p.id === sel.platform);
    if (!platform) {
      problems.push(
        locate(
          loc,
          [...sp.at, i, 'platform'],
          `unknown platform "${sel.platform}" (catalog ${product.id} has: ${platformIds.join(', ')})${didYouMean(sel.platform, platformNames)}`,
        ),
      );
      return;
    }
    const methods = platform.methods.filter((m): m is string => m !== null);
    if (sel.method === undefined && methods.length > 1) {
      // Never widen: selecting every method of a platform opens ports the deployment may not use.
      problems.push(locate(loc, [...sp.at, i], `platform ${platform.id} has several methods: choose one with method: (${methods.join(', ')})`));
    }
    if (sel.method !== undefined) {
      // Titles match regardless of case and punctuation, and a document's own heading names its method too.
      const title = findMethod(product, platform.id, sel.method);
      if (title !== undefined) sel.method = title;
      else
        problems.push(
          locate(
            loc,
            [...sp.at, i, 'method'],
            `unknown method "${sel.method}" for ${platform.id} (methods: ${methods.join(', ') || 'none'})${didYouMean(sel.method, methods)}`,
          ),
        );
    }
    for (const flag of Object.keys(sel.options)) {
      if (!conditions.includes(flag))
        problems.push(
          locate(loc, [...sp.at, i, 'options', flag], `unknown option "${flag}" (options: ${conditions.join(', ') || 'none'})${didYouMean(flag, conditions)}`),
        );
    }
  });
  const portsAt = sp.prefix ? ['products', sp.product.id, 'ports'] : ['ports'];
  const params = Object.keys(product.params);
  for (const key of Object.keys(sp.ports)) {
    if (!(key in product.params))
      problems.push(locate(loc, [...portsAt, key], `unknown port parameter "${key}" (parameters: ${params.join(', ') || 'none'})${didYouMean(key, params)}`));
  }
  return problems;
}

/** Every role the inventory may name: PRODUCT/ROLE in a site, the product's own ids otherwise. */
export function qualifiedRoles(products: readonly SiteProduct[]): string[] {
  return products.flatMap((sp) => Object.keys(sp.product.roles).map((r) => sp.prefix + r));
}

/** The site networks the flows: name (networks: keys that are not roles). */
function flowEnds(data: InventoryFile): Set<string> {
  return new Set(data.flows.flatMap((f) => [f.from, f.to].flat()));
}

function crossCheck(loc: Located, data: InventoryFile, products: readonly SiteProduct[]): string[] {
  const problems: string[] = [];
  const roles = qualifiedRoles(products);
  const site = products[0]!.prefix !== '';
  const roleList = roles.join(', ');
  const whose = site ? `the site's products (${products.map((p) => p.product.id).join(', ')})` : products[0]!.product.id;
  const unknownRole = (role: string) => {
    const hint =
      !site && role.includes('/')
        ? '; PRODUCT/ROLE roles need the site form (products:)'
        : site && !role.includes('/')
          ? '; in a site, roles are PRODUCT/ROLE'
          : '';
    return `unknown role "${role}" (roles of ${whose}: ${roleList})${hint}${didYouMean(role, roles)}`;
  };
  const platformIds = products.flatMap((sp) => sp.product.platforms.map((p) => sp.prefix + p.id));
  const platformNames = products.flatMap((sp) => sp.product.platforms.map((p) => ({ name: sp.prefix + p.id, title: p.title })));
  const addresses = new Map<string, string>();
  for (const [name, host] of Object.entries(data.hosts)) {
    host.roles.forEach((role, i) => {
      if (!roles.includes(role)) problems.push(locate(loc, ['hosts', name, 'roles', i], unknownRole(role)));
    });
    if (host.platform !== undefined && !platformIds.includes(host.platform)) {
      problems.push(
        locate(
          loc,
          ['hosts', name, 'platform'],
          `unknown platform "${host.platform}" (${site ? 'platforms of the site' : `catalog ${products[0]!.product.id} has`}: ${platformIds.join(', ')})${didYouMean(host.platform, platformNames)}`,
        ),
      );
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
      if (!(m in data.hosts) && !(m in data.groups))
        problems.push(
          locate(loc, ['groups', group, i], `unknown host or group "${m}"${didYouMean(m, [...Object.keys(data.hosts), ...Object.keys(data.groups)])}`),
        );
    });
  }
  // A networks: key is a role, or a site network that a site flow names (anything else is a typo).
  const ends = flowEnds(data);
  for (const key of Object.keys(data.networks)) {
    if (roles.includes(key)) continue;
    if (key.includes('/') || !ends.has(key)) {
      const networks = ends.size
        ? `, or a site network named by flows: (${[...ends].filter((e) => !roles.includes(e)).join(', ')})`
        : '; a site network is named by a flow in flows:';
      problems.push(locate(loc, ['networks', key], `${unknownRole(key)}${networks}`));
    }
  }
  data.flows.forEach((f, i) => {
    for (const end of ['from', 'to'] as const) {
      const names = [f[end]].flat();
      names.forEach((n, j) => {
        if (roles.includes(n) || n in data.networks) return;
        const path = Array.isArray(f[end]) ? ['flows', i, end, j] : ['flows', i, end];
        const nets = Object.keys(data.networks).filter((k) => !roles.includes(k));
        problems.push(
          locate(
            loc,
            path,
            `"${n}" is neither a role nor a network (roles of ${whose}: ${roleList}; networks: ${nets.join(', ') || `none — add networks: { ${n}: [CIDR] }`})`,
          ),
        );
      });
    }
    if (f.condition !== undefined) {
      const conditions = products.flatMap((sp) => Object.keys(sp.product.conditions).map((c) => sp.prefix + c));
      if (!conditions.includes(f.condition))
        problems.push(locate(loc, ['flows', i, 'condition'], `unknown condition "${f.condition}" (options of ${whose}: ${conditions.join(', ') || 'none'})`));
    }
  });
  return problems;
}

/** The site's own flows as flows, one per source and destination; their provenance is the inventory line. */
function siteFlows(loaded: Loaded, data: InventoryFile): Flow[] {
  const name = basename(loaded.loc.file);
  const tag = slug(name.replace(/\.[^.]*$/, '')) || 'inventory';
  const lines = data.flows.map((_, i) => startLine(loaded, ['flows', i]));
  return data.flows.flatMap((f, i) => {
    const line = lines[i];
    // Two flows written on one line (a flow-style list) still get distinct ids.
    const at = lines.filter((l) => l === line).length > 1 ? `${line}.${i + 1}` : `${line ?? i + 1}`;
    const pairs = [f.from].flat().flatMap((from) => [f.to].flat().map((to) => ({ from, to })));
    return pairs.map(
      ({ from, to }, k): Flow => ({
        // A stable id fit for an nft comment: the file's slug and the line, never the raw file name.
        id: `site/${tag}/${at}${pairs.length > 1 ? `/${k + 1}` : ''}`,
        product: 'site',
        platform: null,
        platformTitle: null,
        method: null,
        from,
        to,
        protocol: f.protocol,
        ports: f.ports,
        purpose: f.purpose,
        condition: f.condition ?? null,
        sources: [`site: ${name}:${line ?? '?'}`],
        section: 'flows',
      }),
    );
  });
}
