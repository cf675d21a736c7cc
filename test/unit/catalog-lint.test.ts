/** Broken catalog fixtures exit 1 with file, line and YAML path; the shipped catalog lints clean. */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { vprov } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/catalogs/', import.meta.url));

const cases: [string, RegExp][] = [
  ['unknown-role.yaml', /unknown-role\.yaml:17: platforms\[0\]\.methods\[0\]\.flows\[0\]\.to: unknown role "hypervisor" \(roles: node, hv\)/],
  ['port-range.yaml', /port-range\.yaml:17: platforms\[0\]\.methods\[0\]\.flows\[0\]\.ports\[0\]: port out of range 1-65535/],
  ['inverted-range.yaml', /inverted-range\.yaml:17: platforms\[0\]\.methods\[0\]\.flows\[0\]\.ports\[0\]: inverted or empty range/],
  ['duplicate-flow.yaml', /duplicate-flow\.yaml:18: platforms\[0\]\.methods\[0\]\.flows\[1\]: duplicate flow: same as flows\[0\]/],
  [
    'unknown-condition.yaml',
    /unknown-condition\.yaml:17: platforms\[0\]\.methods\[0\]\.flows\[0\]\.condition: unknown condition flag "nfs" \(conditions: ceph\)/,
  ],
  ['no-protocol.yaml', /no-protocol\.yaml:17: platforms\[0\]\.methods\[0\]\.flows\[0\]\.protocol: /],
  ['unknown-source.yaml', /unknown-source\.yaml:17: platforms\[0\]\.methods\[0\]\.flows\[0\]\.sources\[0\]: unknown document "other\.txt"/],
  ['icmp-with-ports.yaml', /icmp-with-ports\.yaml:17: platforms\[0\]\.methods\[0\]\.flows\[0\]\.ports: tcp\/udp flows need ports; icmp flows take none/],
  ['syntax.yaml', /syntax\.yaml:\d+:\d+: YAML syntax error/],
  ['reserved-id.yaml', /reserved-id\.yaml:1: product: "site" is reserved for an inventory's own flows \(site: FILE:LINE\); name the product otherwise/],
];

describe('catalog lint', () => {
  it.each(cases)('%s exits 1 naming file, line and path', async (file, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'vprov-cat-'));
    copyFileSync(join(FIXTURES, file), join(dir, file));
    const r = await vprov('catalog', 'lint', '--catalog', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('the shipped catalog exits 0 and reports the documents’ quirks as warnings', async () => {
    const r = await vprov('catalog', 'lint');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning: storware: sudo for role node: root-equivalent commands .*\/bin\/bash/);
    for (const c of ['/usr/bin/tee', '/bin/cp', '/usr/bin/chown', '/usr/bin/docker', '/usr/bin/yum', '/usr/sbin/modprobe', '/bin/make'])
      expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/warning: storware: storware\/fusioncompute\/.*SC\/\/Platform hosts \(copy-paste slip\)/);
    expect(r.stdout).toMatch(/info: storware: .*hypervisor → node 111,2049 is documented for both TCP and UDP/);
    expect(r.stdout).toMatch(/info: storware: port parameter keystone .*default 5000/);
    expect(r.stdout).toMatch(/info: app-layering: Key ports \/ Servers: appliance → active-directory 53 has no transport in the document/);
    expect(r.stdout).not.toMatch(/53 is documented for both/);
    expect(r.stdout).not.toMatch(/not listed in requirements\.rootEquivalent/);
  });

  it('export prints only JSON on stdout', async () => {
    const r = await vprov('catalog', 'export', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rules.length).toBeGreaterThan(150);
  });
});
