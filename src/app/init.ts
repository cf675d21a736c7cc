/**
 * `vprov init`: a commented starter inventory from the catalog. For the chosen platform and
 * method it lists a host line per role that receives a documented flow (or has sudo
 * requirements), a network line per role that only sends, the options (off) and the port
 * parameters (commented, with their documented defaults) the platform takes, and the `$schema`
 * line of the installed package. Addresses are placeholders that `inventory check` refuses
 * until they are filled in. Pure: catalog in, text out.
 */
import { InputError } from '../core/errors.js';
import { didYouMean, normalName } from '../core/suggest.js';
import { findMethod, type Catalog, type Product } from '../catalog/model.js';

export const ADDRESS_PLACEHOLDER = '<address>';
export const CIDR_PLACEHOLDER = '<CIDR>';

export interface InitOptions {
  products: string[];
  platform?: string;
  method?: string;
  /** the absolute path of the editor schema, for the first line */
  schemaPath: string;
  /** how the command was called, for the header */
  command: string;
}

type Platform = Product['platforms'][number];

function pickProduct(catalog: Catalog, id: string): Product {
  const p = catalog.products.get(id);
  if (p) return p;
  const all = [...catalog.products.values()];
  throw new InputError(
    `unknown product "${id}" (catalog has: ${all.map((x) => x.id).join(', ')})${didYouMean(
      id,
      all.map((x) => ({ name: x.id, title: x.title })),
    )}`,
  );
}

function pickPlatform(product: Product, wanted: string | undefined): Platform {
  const list = product.platforms.map((p) => `${p.id} (${p.title})`).join(', ');
  if (wanted === undefined) {
    if (product.platforms.length === 1) return product.platforms[0]!;
    throw new InputError(`${product.id} documents several platforms: choose one with --platform (${list})`);
  }
  const hit = product.platforms.find((p) => p.id === wanted || normalName(p.id) === normalName(wanted) || normalName(p.title) === normalName(wanted));
  if (hit) return hit;
  throw new InputError(
    `unknown platform "${wanted}" for ${product.id} (platforms: ${list})${didYouMean(
      wanted,
      product.platforms.map((p) => ({ name: p.id, title: p.title })),
    )}`,
  );
}

function pickMethod(product: Product, platform: Platform, wanted: string | undefined): string | null {
  const titled = platform.methods.filter((m): m is string => m !== null);
  if (wanted === undefined) {
    if (titled.length <= 1) return titled[0] ?? null;
    throw new InputError(
      `platform ${platform.id} of ${product.id} documents several methods: choose one with --method (${titled.map((m) => `"${m}"`).join(', ')})`,
    );
  }
  if (titled.length === 0) throw new InputError(`platform ${platform.id} of ${product.id} has no transfer methods to choose: leave out --method`);
  const hit = findMethod(product, platform.id, wanted);
  if (hit !== undefined) return hit;
  throw new InputError(`unknown method "${wanted}" for ${platform.id} (methods: ${titled.join(', ')})${didYouMean(wanted, titled)}`);
}

/** A YAML scalar: plain when it reads back as the same string, quoted otherwise. */
function scalar(s: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/.test(s) && !/^(true|false|yes|no|on|off|null|~)$/i.test(s) && !/ $/.test(s) ? s : JSON.stringify(s);
}

/** "# text" lines wrapped to about 96 columns, with the given indent. */
function comment(indent: string, text: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + 2 + line.length + 1 + word.length > 96) {
      out.push(`${indent}# ${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(`${indent}# ${line}`);
  return out;
}

interface Plan {
  product: Product;
  platform: Platform;
  method: string | null;
  hostRoles: string[];
  networkRoles: string[];
  /** roles only optional rows use: condition flags that bring them in */
  optionalRoles: Map<string, Set<string>>;
  conditions: string[];
  params: string[];
}

function plan(product: Product, platform: Platform, method: string | null): Plan {
  const flows = product.flows.filter((f) => f.platform === platform.id && (method === null || f.method === method));
  const always = flows.filter((f) => f.condition === null);
  const receives = new Set(always.map((f) => f.to));
  const sends = new Set(always.map((f) => f.from));
  // A role with sudo requirements is a host vprov configures even when it only sends.
  const configured = new Set(Object.keys(product.requirements.sudo));
  const order = Object.keys(product.roles);
  const hostRoles = order.filter((r) => receives.has(r) || (sends.has(r) && configured.has(r)));
  const networkRoles = order.filter((r) => sends.has(r) && !hostRoles.includes(r));
  const optionalRoles = new Map<string, Set<string>>();
  for (const f of flows.filter((x) => x.condition !== null)) {
    for (const r of [f.from, f.to]) {
      if (hostRoles.includes(r) || networkRoles.includes(r)) continue;
      optionalRoles.set(r, new Set([...(optionalRoles.get(r) ?? []), f.condition!]));
    }
  }
  const conditions = Object.keys(product.conditions).filter((c) => flows.some((f) => f.condition === c));
  const params = Object.keys(product.params).filter((p) => flows.some((f) => f.param === p));
  return {
    product,
    platform,
    method,
    hostRoles,
    networkRoles,
    optionalRoles: new Map([...optionalRoles].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))),
    conditions,
    params,
  };
}

function hostLines(p: Plan, indent: string, qualify: (role: string) => string, prefix = ''): string[] {
  const lines: string[] = [];
  const name = (role: string) => `${prefix}${role}1`;
  for (const role of p.hostRoles) {
    lines.push(...comment(indent, `${qualify(role)}: ${p.product.roles[role]}`));
    lines.push(`${indent}${name(role)}: { address: "${ADDRESS_PLACEHOLDER}", roles: [${qualify(role)}] }`);
  }
  for (const [role, flags] of p.optionalRoles) {
    lines.push(...comment(indent, `${role}: ${p.product.roles[role]} — only with option ${[...flags].join(' or ')}; a host, or a network under networks:`));
    lines.push(`${indent}# ${name(role)}: { address: "${ADDRESS_PLACEHOLDER}", roles: [${qualify(role)}] }`);
  }
  return lines;
}

function networkLines(p: Plan, indent: string, qualify: (role: string) => string): string[] {
  const lines: string[] = [];
  for (const role of p.networkRoles) {
    lines.push(...comment(indent, `${qualify(role)}: ${p.product.roles[role]} — the addresses its connections come from`));
    lines.push(`${indent}${qualify(role)}: ["${CIDR_PLACEHOLDER}"]`);
  }
  return lines;
}

/** `text` padded so that its comment starts at column `at`. */
const pad = (text: string, at: number) => text + ' '.repeat(Math.max(1, at - text.length));

function selectionLines(p: Plan, indent: string): string[] {
  const lines = [`${pad(`${indent}- platform: ${p.platform.id}`, 36)}# ${p.platform.title}`];
  if (p.method !== null) lines.push(`${indent}  method: ${scalar(p.method)}`);
  if (p.conditions.length) {
    lines.push(`${pad(`${indent}  options:`, 36)}# rows the documents make optional: true opens them`);
    for (const c of p.conditions) lines.push(`${pad(`${indent}    ${c}: false`, 36)}# ${p.product.conditions[c]}`);
  }
  return lines;
}

function portLines(p: Plan, indent: string): string[] {
  if (p.params.length === 0) return [];
  const lines = [`${pad(`${indent}# ports:`, 36)}# documented default ports; uncomment to change one`];
  for (const k of p.params) lines.push(`${pad(`${indent}#   ${k}: ${JSON.stringify(p.product.params[k]!.default)}`, 36)}# ${p.product.params[k]!.description}`);
  return lines;
}

/** A site's products: each takes its only platform, or --platform when it is one of its own. */
function sitePlans(products: Product[], opts: InitOptions): Plan[] {
  return products.map((product) => {
    const own = opts.platform !== undefined && product.platforms.some((p) => p.id === opts.platform) ? opts.platform : undefined;
    const platform = pickPlatform(product, own);
    const method = opts.method !== undefined && findMethod(product, platform.id, opts.method) !== undefined ? opts.method : undefined;
    return plan(product, platform, pickMethod(product, platform, method));
  });
}

export function starterInventory(catalog: Catalog, opts: InitOptions): string {
  if (opts.products.length === 0) throw new InputError('init needs at least one PRODUCT (see vprov catalog list)');
  const products = opts.products.map((id) => pickProduct(catalog, id));
  const site = products.length > 1;
  const plans = site ? sitePlans(products, opts) : [];
  if (!site) {
    const platform = pickPlatform(products[0]!, opts.platform);
    plans.push(plan(products[0]!, platform, pickMethod(products[0]!, platform, opts.method)));
  }
  const what = plans.map((p) => `${p.product.title} on ${p.platform.title}${p.method ? ` (${p.method})` : ''}`).join('; ');
  const lines = [
    `# yaml-language-server: $schema=${opts.schemaPath}`,
    ...comment('', `Starter ${site ? 'site' : 'inventory'} for ${what}, written by \`${opts.command}\` from the catalog.`),
    ...comment(
      '',
      `Fill in every ${ADDRESS_PLACEHOLDER} and ${CIDR_PLACEHOLDER} and add a line per further host${site ? ' (a host that serves several products lists all their roles on one line)' : ''}; a host vprov must not log into (an appliance, a SaaS endpoint) takes managed: false. Then:`,
    ),
    '#   vprov inventory check -i THIS-FILE',
  ];
  if (site) {
    lines.push('products:');
    for (const p of plans) lines.push(`  ${p.product.id}:`, '    platforms:', ...selectionLines(p, '      '), ...portLines(p, '    '));
  } else {
    const p = plans[0]!;
    lines.push(`product: ${p.product.id}`, 'platforms:', ...selectionLines(p, '  '), ...portLines(p, ''));
  }
  lines.push(
    'defaults:',
    `${pad('  ssh: { become: true, hostKeys: strict }', 44)}# user, identityFile, port: where ~/.ssh/config differs`,
    `${pad('  firewall: auto', 44)}# auto | firewalld | nftables | none`,
    `${pad('  selinux: keep', 44)}# permissive | enforcing | disabled | keep`,
    'hosts:',
  );
  const networks: string[] = [];
  for (const p of plans) {
    const qualify = (r: string) => (site ? `${p.product.id}/${r}` : r);
    const named = site ? { ...p, hostRoles: p.hostRoles } : p;
    lines.push(...hostLines(named, '  ', qualify, site ? `${p.product.id}-` : ''));
    networks.push(...networkLines(p, '  ', qualify));
  }
  if (networks.length) lines.push(`${pad('networks:', 44)}# roles with no hosts here: the CIDRs they connect from`, ...networks);
  return `${lines.join('\n')}\n`;
}
