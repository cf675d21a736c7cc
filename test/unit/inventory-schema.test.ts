/**
 * docs/inventory.schema.json is what editors validate inventories with: it must be the one
 * generated from the zod schema, every example inventory must name it on its first line and pass
 * a standard JSON Schema validator (ajv), and what the schema rejects zod rejects too.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { inventoryJsonSchema } from '../../src/inventory/json-schema.js';
import { inventorySchema } from '../../src/inventory/schema.js';
import { catalog } from '../helpers/catalog.js';
import { TYPOS, olvm, storware } from '../helpers/typos.js';
import { vprov } from '../helpers/cli.js';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../inventories/', import.meta.url));
const schema = JSON.parse(readFileSync(`${DOCS}inventory.schema.json`, 'utf8'));
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
const examples = readdirSync(EXAMPLES).filter((f) => /\.ya?ml$/.test(f));

describe('inventory JSON Schema', () => {
  it('docs/inventory.schema.json is generated from the zod schema (regenerate with `npm run schemas`)', () => {
    expect(schema).toEqual(JSON.parse(JSON.stringify(inventoryJsonSchema(catalog))));
  });

  it('there are example inventories', () => expect(examples.length).toBeGreaterThanOrEqual(5));

  it.each(examples)('%s names the schema on its first line and passes ajv', (f) => {
    const text = readFileSync(`${EXAMPLES}${f}`, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../docs/inventory.schema.json');
    const doc = parse(text);
    const ok = validate(doc);
    expect(validate.errors ?? [], f).toEqual([]);
    expect(ok).toBe(true);
  });

  const minimal = { product: 'storware', platforms: [{ platform: 'openstack' }], hosts: { n1: { address: '192.0.2.5', roles: ['node'] } } };
  const broken: [string, object][] = [
    ['unknown top-level key', { ...minimal, hostz: {} }],
    ['unknown firewall backend', { ...minimal, defaults: { firewall: 'iptables' } }],
    ['unknown host key', { ...minimal, hosts: { n1: { address: '192.0.2.5', roles: ['node'], rolez: [] } } }],
    ['host without roles', { ...minimal, hosts: { n1: { address: '192.0.2.5', roles: [] } } }],
    ['port out of syntax', { ...minimal, ports: { netcat: ['16000:16999'] } }],
    ['ssh port as a string', { ...minimal, defaults: { ssh: { port: '22' } } }],
    ['no platforms', { ...minimal, platforms: [] }],
  ];

  it('accepts the minimal inventory, as zod does', () => {
    expect(validate(minimal)).toBe(true);
    expect(inventorySchema.safeParse(minimal).success).toBe(true);
  });

  it.each(broken)('rejects %s, as zod does', (_, doc) => {
    expect(validate(doc)).toBe(false);
    expect(inventorySchema.safeParse(doc).success).toBe(false);
  });

  // Group members name hosts of the same file: a cross-reference only `inventory check` makes.
  const schemaTypos = TYPOS.filter(([what]) => what !== 'group member');
  it('accepts the inventories the typos are made in', () => {
    expect(validate(parse(storware))).toBe(true);
    expect(validate(parse(olvm))).toBe(true);
  });

  it.each(schemaTypos)('rejects the %s typo the loader rejects', (_what, text) => {
    expect(validate(parse(text))).toBe(false);
    expect(validate.errors!.length).toBeGreaterThan(0);
  });

  it('a site network named by the inventory’s own flows is not taken for a role typo', () => {
    const doc = {
      ...minimal,
      flows: [{ from: 'monitoring', to: 'node', protocol: 'tcp', ports: ['9100'], purpose: 'node_exporter' }],
      networks: { monitoring: ['10.9.0.0/24'] },
    };
    expect(validate(doc)).toBe(true);
  });

  it('rejects a list of products, as the loader does', () => {
    expect(validate({ ...minimal, product: ['olvm', 'storware'] })).toBe(false);
  });

  it("completes each product's own names: roles of one product are refused in another's inventory", () => {
    const olvm = { product: 'olvm', platforms: [{ platform: 'olvm' }], hosts: { e: { address: '192.0.2.5', roles: ['manager'] } } };
    expect(validate(olvm)).toBe(true);
    expect(validate({ ...olvm, hosts: { e: { address: '192.0.2.5', roles: ['node'] } } })).toBe(false);
    // a document's own heading for a method is a name the loader accepts too
    expect(validate({ ...minimal, platforms: [{ platform: 'ovirt', method: 'Change-Block Tracking' }] })).toBe(true);
  });

  describe('a site of several products (products:)', () => {
    const site = {
      site: 'dc1',
      products: { olvm: { platforms: [{ platform: 'olvm' }] }, storware: { platforms: [{ platform: 'ovirt', method: 'Change-Block Tracking' }] } },
      hosts: { e: { address: '192.0.2.5', roles: ['olvm/manager'] }, n: { address: '192.0.2.6', roles: ['storware/node'] } },
    };
    const typos: [string, object][] = [
      ['a product id', { ...site, products: { ...site.products, storwar: { platforms: [{ platform: 'ovirt' }] } } }],
      ['a platform of one product', { ...site, products: { ...site.products, olvm: { platforms: [{ platform: 'ovrit' }] } } }],
      ['a method of one product', { ...site, products: { ...site.products, storware: { platforms: [{ platform: 'ovirt', method: 'CBT' }] } } }],
      ['a port parameter', { ...site, products: { ...site.products, storware: { platforms: [{ platform: 'ovirt' }], ports: { netcta: ['16000'] } } } }],
      ['a role', { ...site, hosts: { ...site.hosts, n: { address: '192.0.2.6', roles: ['storware/nodes'] } } }],
      ['a role without its product', { ...site, hosts: { ...site.hosts, n: { address: '192.0.2.6', roles: ['node'] } } }],
      ['a networks key that is no role (no site flows)', { ...site, networks: { 'storware/nod': ['10.0.0.0/24'] } }],
    ];
    it('accepts the site, as the loader does', () => expect(validate(site), JSON.stringify(validate.errors)).toBe(true));
    it.each(typos)('rejects a typo in %s', (_what, doc) => expect(validate(doc)).toBe(false));
  });

  it('vprov inventory schema prints it and --output writes it where the user wants', async () => {
    const printed = await vprov('inventory', 'schema');
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(schema);
    const dir = mkdtempSync(join(tmpdir(), 'vprov-schema-'));
    const written = await vprov('inventory', 'schema', '--output', join(dir, 'inventory.schema.json'));
    expect(written.code).toBe(0);
    expect(existsSync(join(dir, 'inventory.schema.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'inventory.schema.json'), 'utf8'))).toEqual(schema);
  });
});
