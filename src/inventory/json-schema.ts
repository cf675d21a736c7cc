/**
 * The inventory's JSON Schema, generated from the zod schema vprov validates with and kept in
 * docs/inventory.schema.json for editors (`# yaml-language-server: $schema=…`). It describes the
 * file as written (io: input): fields with defaults are optional. Checks zod makes in code
 * (address and CIDR syntax, cross-checks against the catalog) are not in it; `vprov inventory
 * check` makes them. Descriptions for editor hovers are added here, by path: a path the
 * generated schema lacks is an error, so they cannot drift away from the fields.
 *
 * Names are enums generated from the catalog, per product (`if product is X then …`, and for a
 * site of several, under each `products:` key), so an editor completes them and flags a typo as
 * the loader does: product, platform, method (its title and the documents' headings for it),
 * option, port parameter, role (PRODUCT/ROLE in a site), host platform.
 */
import * as z from 'zod';
import { fileURLToPath } from 'node:url';
import { inventorySchema } from './schema.js';
import { methodHeadings, type Catalog, type Product } from '../catalog/model.js';

/** Where the package keeps the schema (docs/ beside dist/ and catalog/, in the repository and when installed). */
export const SHIPPED_SCHEMA = fileURLToPath(new URL('../../docs/inventory.schema.json', import.meta.url));

/** zod names some checks with a `format` no validator knows (starts_with); their `pattern` carries the rule. */
const STANDARD_FORMATS = new Set(['date-time', 'date', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uuid', 'regex']);

const HOST = 'hosts.additionalProperties';
const DESCRIPTIONS: Record<string, string> = {
  product: 'catalog product id (see `vprov catalog list`); one product per inventory — for several on shared hosts, use products: instead',
  platforms: 'what this deployment protects, and how: each entry selects a platform (and its transfer method) of the product',
  'platforms.items.method': 'transfer method as titled in the catalog; required when the platform documents several',
  'platforms.items.options': 'condition flags to enable (e.g. ceph, netcat, nfs-on-node): rows the documents make optional',
  ports: 'overrides of the catalog’s default ports, by parameter name (e.g. netcat, keystone)',
  products:
    'a site of several products on shared hosts: product id → its platforms and ports; roles are then written PRODUCT/ROLE (exclusive with product:, platforms:, ports:)',
  'products.additionalProperties.platforms': 'what this product protects in the site, and how',
  'products.additionalProperties.ports': 'overrides of this product’s default ports, by parameter name',
  flows: 'the site’s own flows (monitoring, backup of the hosts, admin tools): opened like documented ones, cited as "site: FILE:LINE"',
  'flows.items.from': 'source: a role (PRODUCT/ROLE in a site), a network named in networks:, or a list of them',
  'flows.items.to': 'destination: a role (the hosts holding it get the rule), or a list of roles',
  'flows.items.condition': 'an option of a selected platform (PRODUCT/OPTION in a site): the flow opens only when it is on',
  defaults: 'settings for every host, overridable per host',
  'defaults.ssh': 'how vprov connects: user, port, identityFile, become (sudo), hostKeys, proxyJump, timeouts',
  'defaults.firewall': 'auto | firewalld | nftables | none, or { backend, inputPolicy, sshAdmins, confirmTimeout }',
  'defaults.selinux': 'SELinux mode to enforce; keep leaves it alone',
  'defaults.account': 'home and shell of the service account when vprov creates it',
  hosts: 'host name → address and roles',
  [`${HOST}.address`]: 'address the other hosts see this host by: it goes into their firewall rules',
  [`${HOST}.roles`]: 'catalog roles this host holds (see `vprov catalog show PRODUCT`)',
  [`${HOST}.platform`]: 'restrict this host to one selected platform’s flows',
  [`${HOST}.managed`]: 'false: never logged into or changed; its flows are only verified',
  [`${HOST}.ssh`]: 'connection settings of this host (host and port when it is reached through NAT or a forward)',
  [`${HOST}.firewall`]: 'firewall backend and policy of this host',
  [`${HOST}.selinux`]: 'SELinux mode of this host; decides when the site’s products document different modes',
  [`${HOST}.account`]: 'home and shell of the service account on this host; decides when the site’s products document different ones',
  groups: 'group name → host names, for --limit',
  ansible: 'import hosts and groups from an Ansible inventory (INI or YAML), mapping groups to roles',
  networks:
    'role (PRODUCT/ROLE in a site) or site network named by flows: → CIDRs: sources that have no hosts here (clients, external systems, monitoring); never "any"',
  acknowledge: 'flow ids whose warning you have read (e.g. "skipped: no source"): not repeated on every command, still counted in the summary',
};

function at(schema: Record<string, unknown>, path: string): Record<string, unknown> {
  let node = schema;
  for (const part of path.split('.')) {
    const next = part === 'items' || part === 'additionalProperties' ? node[part] : (node.properties as Record<string, unknown> | undefined)?.[part];
    if (!next || typeof next !== 'object') throw new Error(`inventory JSON Schema has no ${path}`);
    node = next as Record<string, unknown>;
  }
  return node;
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
/** One of these names; `false` (nothing allowed) when there are none: JSON Schema has no empty enum. */
const oneOf = (xs: string[]) => (xs.length ? { enum: xs } : false);

/** A `platforms:` entry of one product: its platforms, each platform's methods, its options. */
function platformSelection(product: Product): Record<string, unknown> {
  const conditions = sorted(Object.keys(product.conditions));
  const methodsOf = (p: Product['platforms'][number]) => sorted(p.methods.flatMap((m) => (m === null ? [] : [m, ...methodHeadings(product, p.id, m)])));
  return {
    type: 'object',
    properties: {
      platform: { enum: product.platforms.map((p) => p.id) },
      options: { type: 'object', propertyNames: oneOf(conditions) },
    },
    allOf: product.platforms.map((p) => ({
      if: { type: 'object', properties: { platform: { const: p.id } }, required: ['platform'] },
      then: methodsOf(p).length ? { type: 'object', properties: { method: { enum: methodsOf(p) } } } : { type: 'object', properties: { method: false } },
    })),
  };
}

const portNames = (product: Product) => ({ type: 'object', propertyNames: oneOf(sorted(Object.keys(product.params))) });

/** Hosts' roles (and host platforms), and networks: keys when no site flow names networks of its own. */
function hostAndNetworkNames(roles: string[], platforms: string[]): Record<string, unknown> {
  return {
    properties: {
      hosts: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          properties: { roles: { type: 'array', items: { enum: roles } }, platform: { enum: platforms } },
        },
      },
    },
    // Site flows (flows:) may name networks of their own: only without them is every key a role.
    if: { type: 'object', properties: { flows: { type: 'array' } }, required: ['flows'] },
    else: { type: 'object', properties: { networks: { type: 'object', propertyNames: { enum: roles } } } },
  };
}

/** The names one product allows, as JSON Schema constraints on the inventory's fields. */
function productNames(product: Product): Record<string, unknown> {
  const names = hostAndNetworkNames(
    sorted(Object.keys(product.roles)),
    product.platforms.map((p) => p.id),
  );
  return {
    type: 'object',
    ...names,
    properties: {
      platforms: { type: 'array', items: platformSelection(product) },
      ports: portNames(product),
      ...(names.properties as Record<string, unknown>),
    },
  };
}

/** The site form (products:): each product's own names under its key; roles are PRODUCT/ROLE of any product. */
function siteNames(products: Product[]): Record<string, unknown> {
  const names = hostAndNetworkNames(
    sorted(products.flatMap((p) => Object.keys(p.roles).map((r) => `${p.id}/${r}`))),
    sorted(products.flatMap((p) => p.platforms.map((x) => x.id))),
  );
  return {
    type: 'object',
    ...names,
    properties: {
      products: {
        type: 'object',
        propertyNames: { enum: products.map((p) => p.id) },
        properties: Object.fromEntries(
          products.map((p) => [p.id, { type: 'object', properties: { platforms: { type: 'array', items: platformSelection(p) }, ports: portNames(p) } }]),
        ),
      },
      ...(names.properties as Record<string, unknown>),
    },
  };
}

/** The editor schema; with a catalog, its names are enums of that catalog. */
export function inventoryJsonSchema(catalog?: Catalog): Record<string, unknown> {
  const generated = z.toJSONSchema(inventorySchema, {
    io: 'input',
    override: ({ jsonSchema }) => {
      if (typeof jsonSchema.format === 'string' && !STANDARD_FORMATS.has(jsonSchema.format)) delete jsonSchema.format;
    },
  }) as Record<string, unknown>;
  for (const [path, description] of Object.entries(DESCRIPTIONS)) at(generated, path).description = description;
  const out: Record<string, unknown> = {
    ...generated,
    title: 'vprov inventory',
    description:
      'Hosts mapped to the roles of one catalog product, or of a site of several (docs/design.md §4, §4a). Validate fully with `vprov inventory check -i FILE`.',
  };
  if (catalog) {
    const products = [...catalog.products.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    at(out, 'product').enum = products.map((p) => p.id);
    out.allOf = [
      ...products.map((p) => ({
        if: { type: 'object', properties: { product: { const: p.id } }, required: ['product'] },
        then: productNames(p),
      })),
      { if: { type: 'object', properties: { products: { type: 'object' } }, required: ['products'] }, then: siteNames(products) },
    ];
  }
  return out;
}
