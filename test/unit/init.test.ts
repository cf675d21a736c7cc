/**
 * `vprov init`: a starter inventory for every product, platform and method of the catalog that,
 * once its placeholders are filled in, passes the loader, the compiler (no skipped flow) and
 * the editor schema; never overwrites a file.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { starterInventory, ADDRESS_PLACEHOLDER, CIDR_PLACEHOLDER } from '../../src/app/init.js';
import { parseInventory } from '../../src/inventory/load.js';
import { compile } from '../helpers/compile.js';
import { inventoryJsonSchema, SHIPPED_SCHEMA } from '../../src/inventory/json-schema.js';
import { catalog } from '../helpers/catalog.js';
import { vprov } from '../helpers/cli.js';

/** Each placeholder replaced by its own documentation address (what an operator fills in). */
export function fillIn(text: string, address = (i: number) => `192.0.2.${i + 1}`, cidr = (i: number) => `198.51.100.${i + 1}/32`): string {
  let a = 0;
  let c = 0;
  return text.replaceAll(`"${ADDRESS_PLACEHOLDER}"`, () => address(a++)).replaceAll(`"${CIDR_PLACEHOLDER}"`, () => cidr(c++));
}

const cases = [...catalog.products.values()].flatMap((p) =>
  p.platforms.flatMap((pl) =>
    (pl.methods.some((m) => m !== null) ? pl.methods.filter((m): m is string => m !== null) : [undefined]).map((m) => [p.id, pl.id, m] as const),
  ),
);
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(inventoryJsonSchema(catalog));
const init = (product: string, platform?: string, method?: string) =>
  starterInventory(catalog, { products: [product], platform, method, schemaPath: SHIPPED_SCHEMA, command: 'vprov init' });

describe('vprov init', () => {
  it.each(cases)('%s on %s (%s): filled in, it loads, compiles with no skipped flow and passes the schema', (product, platform, method) => {
    const text = init(product, platform, method);
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SHIPPED_SCHEMA}`);
    const inv = parseInventory(fillIn(text), 'init.yaml', catalog);
    expect(inv.data.product).toBe(product);
    expect(inv.data.platforms).toEqual([{ platform, ...(method ? { method } : {}), options: expect.any(Object) }]);
    const result = compile(inv);
    expect(result.warnings.map((w) => w.message)).toEqual([]);
    expect(result.flows.length).toBeGreaterThan(0);
    expect(validate(parse(fillIn(text)))).toBe(true);
  });

  it('unfilled, the loader refuses it at each placeholder', () => {
    expect(() => parseInventory(init('storware', 'openstack', 'SSH transfer'), 'init.yaml', catalog)).toThrow(
      /init\.yaml:\d+: hosts\.node1\.address: must be an IPv4\/IPv6 address or a DNS name/,
    );
  });

  it('lists every option and port parameter of the platform, and the roles of optional rows commented out', () => {
    const text = init('storware', 'openstack', 'SSH transfer');
    expect(text).toMatch(/^ {6}ceph: false +# if Ceph RBD/m);
    expect(text).toMatch(/^ {6}netcat: false +# optional netcat/m);
    expect(text).toMatch(/^# {3}netcat: \["16000-16999"\] +# netcat port range/m);
    expect(text).toMatch(/^ {2}# ceph-monitor1: \{ address: "<address>", roles: \[ceph-monitor\] \}/m);
    // uncommented, the port parameter is valid as written
    const ports = parseInventory(fillIn(text.replace('# ports:', 'ports:').replace('#   netcat:', '  netcat:')), 'init.yaml', catalog);
    expect(ports.data.ports).toEqual({ netcat: ['16000-16999'] });
  });

  it('asks for the platform and method when the product documents several, with suggestions for typos', () => {
    expect(() => init('storware')).toThrow(/storware documents several platforms: choose one with --platform \(vmware \(VMware vCenter\/ESXi\), /);
    expect(() => init('storware', 'openstack')).toThrow(
      /platform openstack of storware documents several methods: choose one with --method \("Disk attachment", "SSH transfer"\)/,
    );
    expect(() => init('storware', 'olvm')).toThrow(/unknown platform "olvm" .*did you mean "ovirt" \(oVirt\/RHV\/OLVM\)\?/);
    expect(() => init('storwar')).toThrow(/unknown product "storwar" .*did you mean "storware"/);
    expect(init('storware', 'ovirt', 'change-block tracking')).toContain('method: Changed-Block Tracking');
  });

  it('prints to stdout, writes a new --output file, and never overwrites one', async () => {
    const printed = await vprov('init', 'olvm');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(starterInventory(catalog, { products: ['olvm'], schemaPath: SHIPPED_SCHEMA, command: 'vprov init olvm' }));
    const dir = mkdtempSync(join(tmpdir(), 'vprov-init-'));
    const file = join(dir, 'site.yaml');
    expect((await vprov('init', 'olvm', '--output', file)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
    writeFileSync(file, 'mine\n');
    const again = await vprov('init', 'olvm', '--output', file);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/--output .*site\.yaml: the file exists; vprov init never overwrites a file/);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, '.site.yaml.tmp'))).toBe(false);
  });

  it('the filled-in starter passes vprov inventory check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-init-'));
    const file = join(dir, 'coriolis.yaml');
    writeFileSync(file, fillIn((await vprov('init', 'coriolis', '--platform', 'vmware')).stdout));
    const r = await vprov('inventory', 'check', '-i', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('several products make a site (products:, PRODUCT/ROLE): filled in, it loads, compiles with no skipped flow and passes vprov inventory check', async () => {
    const text = starterInventory(catalog, {
      products: ['olvm', 'storware'],
      platform: 'ovirt',
      method: 'Disk Image Transfer',
      schemaPath: SHIPPED_SCHEMA,
      command: 'vprov init',
    });
    expect(text).toMatch(/^products:\n {2}olvm:\n/m);
    expect(text).toMatch(/^ {2}storware-node1: \{ address: "<address>", roles: \[storware\/node\] \}$/m);
    const inv = parseInventory(fillIn(text), 'site.yaml', catalog);
    expect(inv.products.map((p) => p.product.id)).toEqual(['olvm', 'storware']);
    expect(compile(inv).warnings.map((w) => w.message)).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'vprov-init-'));
    writeFileSync(join(dir, 'site.yaml'), fillIn(text));
    const r = await vprov('inventory', 'check', '-i', join(dir, 'site.yaml'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
