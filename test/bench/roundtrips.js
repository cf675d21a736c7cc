#!/usr/bin/env node
// Benchmark: SSH round trips and wall time per host for plan / apply / no-op drift on lab hosts.
// Prints figures; nothing passes or fails on time. Needs the lab (npm run lab) and npm run build.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startLab } from '../lab/hosts.js';

const n = Number(process.argv[2] ?? 10);
const cli = fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));
const names = Array.from({ length: n }, (_, i) => `b${i + 1}`);
const lab = await startLab(names.map((name) => ({ name })));
try {
  const inv = lab.writeInventory('bench.yaml', { roles: Object.fromEntries(names.map((h, i) => [h, [i % 4 === 0 ? 'node' : 'hypervisor']])) });
  const run = (...args) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [cli, ...args, '-i', inv, '--format', 'json'], { encoding: 'utf8' });
    const ms = performance.now() - t;
    const doc = JSON.parse(r.stdout);
    const trips = doc.hosts.map((h) => h.roundTrips);
    return { ms, exit: r.status, trips: `${Math.min(...trips)}..${Math.max(...trips)}` };
  };
  const show = (label, r) => console.log(`${label.padEnd(22)} hosts=${n} wall_ms=${r.ms.toFixed(0)} exit=${r.exit} ssh_round_trips_per_host=${r.trips}`);
  show('plan (first, pending)', run('plan'));
  show('apply', run('apply'));
  show('apply (no-op)', run('apply'));
  const drifts = [1, 2, 3].map(() => run('drift'));
  drifts.forEach((d, i) => show(`drift no-op #${i + 1}`, d));
  const t = performance.now();
  spawnSync(process.execPath, [cli, '--version']);
  console.log(`startup (vprov --version) wall_ms=${(performance.now() - t).toFixed(0)}`);
} finally {
  await lab.stop();
}
