#!/usr/bin/env node
// Benchmark: catalog + inventory load and compile of a 2,000-host inventory. Prints figures;
// nothing here passes or fails on time. Run after `npm run build`: node test/bench/compile.js [hosts]
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { loadCatalog } from '../../dist/catalog/load.js';
import { loadInventory } from '../../dist/inventory/load.js';
import { compile } from '../../dist/compile/compile.js';

const n = Number(process.argv[2] ?? 2000);
const hosts = {};
for (let i = 0; i < n; i++) {
  const role = i % 20 === 0 ? 'node' : i % 50 === 1 ? 'ceph-monitor' : 'hypervisor';
  hosts[`h${i}`] = { address: i % 7 === 0 ? `2001:db8::${i.toString(16)}` : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, roles: [role] };
}
const file = join(mkdtempSync(join(tmpdir(), 'vprov-bench-')), 'big.yaml');
writeFileSync(file, stringify({ product: 'storware', platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { ceph: true, netcat: true } }], hosts }));

const t0 = performance.now();
const catalog = loadCatalog();
const t1 = performance.now();
const inv = loadInventory(file, catalog);
const t2 = performance.now();
const result = compile(inv);
const t3 = performance.now();
// A second compile, warm: what a long-running controller would see.
compile(inv);
const t4 = performance.now();
const rules = result.hosts.reduce((s, h) => s + h.firewall.rules.length, 0);
console.log(`hosts=${n} rules=${rules} catalog_load_ms=${(t1 - t0).toFixed(1)} inventory_load_ms=${(t2 - t1).toFixed(1)} compile_ms=${(t3 - t2).toFixed(1)} compile_warm_ms=${(t4 - t3).toFixed(1)} heap_mb=${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)}`);
