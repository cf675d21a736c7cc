// Catalog + inventory load and compile of an N-host inventory (default 2,000), timed in-process.
// node compile-child.js [N] [DIST]: DIST, another build's dist/ (the bench's --baseline).
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { pathToFileURL } from 'node:url';

const dist = pathToFileURL(`${process.argv[3] ?? new URL('../../../dist', import.meta.url).pathname}/`);
const { loadCatalog } = await import(new URL('catalog/load.js', dist));
const { loadInventory } = await import(new URL('inventory/load.js', dist));
const { compile } = await import(new URL('compile/compile.js', dist));
const { RESOURCES } = await import(new URL('resources/registry.js', dist));

const n = Number(process.argv[2] ?? 2000);
const hosts = {};
for (let i = 0; i < n; i++) {
  const role = i % 20 === 0 ? 'node' : i % 50 === 1 ? 'ceph-monitor' : 'hypervisor';
  hosts[`h${i}`] = { address: i % 7 === 0 ? `2001:db8::${i.toString(16)}` : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, roles: [role] };
}
const dir = mkdtempSync(join(tmpdir(), 'vprov-bench-'));
const file = join(dir, 'big.yaml');
writeFileSync(
  file,
  stringify({ product: 'storware', platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { ceph: true, netcat: true } }], hosts }),
);
const local = { user: 'bench', home: '/home/bench' };
// CPU time beside wall time: on a shared machine the process's own CPU is the steadier figure.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const t0 = performance.now();
const c0 = cpu();
const catalog = loadCatalog(undefined, 'storware');
const t1 = performance.now();
const c1 = cpu();
const inv = loadInventory(file, catalog);
const t2 = performance.now();
const c2 = cpu();
const result = compile(inv, { modules: RESOURCES, resolved: new Map(), local });
const t3 = performance.now();
const c3 = cpu();
compile(inv, { modules: RESOURCES, resolved: new Map(), local });
const t4 = performance.now();
rmSync(dir, { recursive: true, force: true });
const ms = (x) => Number(x.toFixed(1));
process.stdout.write(
  `${JSON.stringify({
    hosts: n,
    rules: result.hosts.reduce((s, h) => s + h.firewall.rules.length, 0),
    catalogLoadMs: ms(t1 - t0),
    catalogLoadCpuMs: ms(c1 - c0),
    inventoryLoadMs: ms(t2 - t1),
    inventoryLoadCpuMs: ms(c2 - c1),
    compileMs: ms(t3 - t2),
    compileCpuMs: ms(c3 - c2),
    compileWarmMs: ms(t4 - t3),
    heapMb: ms(process.memoryUsage().heapUsed / 2 ** 20),
  })}\n`,
);
