// Shards at scale: `drift --shard i/4` as four vprov processes at once (as the Kubernetes Indexed
// Job runs them) against simulated hosts (lib/sim-ssh.js, answers recorded from two real lab
// hosts), then `vprov report merge` of their reports: wall time, CPU and peak RSS of each shard
// and of the merge. Then the merge alone at a larger fleet: the simulated shards' host records,
// copied under new names (each in the shard --shard puts it in), as many as `mergeHosts`.
// This machine allows 20,000 open files and 28,000 ephemeral ports, and the simulator listens on
// one loopback port per host: it simulates up to about 10,000 hosts at once, not 40,000.
// Alone: node test/bench/shards.js [--hosts 10000] [--merge-hosts 40000] (starts 2 lab hosts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { measure } from './lib/measure.js';
import { SimFleet } from './lib/sim-ssh.js';
import { startFleet } from './lib/fleet.js';

const CLI = fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));
const SHARDS = 4;
const roleOf = (i) => (i % 4 === 0 ? 'node' : 'hypervisor');

/** --shard's split (src/app/shard.ts): FNV-1a of the name. */
function shardOf(host, count) {
  let h = 0x811c9dc5;
  for (let i = 0; i < host.length; i++) {
    h ^= host.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % count) + 1;
}

export async function runShards({ fleet, hosts: size, mergeHosts = [], log = console.log }) {
  const real = Object.fromEntries(['node', 'hypervisor'].map((role) => [role, fleet.lab.host(fleet.names.find((n) => fleet.roles[n][0] === role))]));
  const out = { hosts: size, shards: [], merge: null, mergeOnly: [], problems: [] };
  const sim = new SimFleet();
  const dir = fleet.lab.dir;
  try {
    const hosts = [];
    for (let i = 0; i < size; i++) hosts.push(await sim.addHost(`s${i}`, roleOf(i)));
    const knownHosts = join(dir, `shards-known-${size}`);
    writeFileSync(knownHosts, hosts.map((h) => `[127.0.0.1]:${h.port} ${sim.publicKeyLine()}\n`).join(''));
    const inventory = join(dir, `shards-${size}.yaml`);
    writeFileSync(
      inventory,
      stringify({
        product: 'storware',
        platforms: [{ platform: 'openstack', method: 'SSH transfer', options: { netcat: true } }],
        defaults: {
          ssh: { user: 'ops', identityFile: fleet.lab.keyFile, become: true, hostKeys: 'accept-new', knownHostsFile: knownHosts },
          firewall: 'nftables',
          selinux: 'permissive',
        },
        hosts: Object.fromEntries(
          hosts.map((h, i) => [
            h.name,
            { address: `10.${((i + 1) >> 16) & 255}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}`, roles: [h.role], ssh: { host: '127.0.0.1', port: h.port } },
          ]),
        ),
      }),
    );
    const vprov = (...args) => measure(process.execPath, [CLI, ...args]);
    // Record a converged host of each role (apply, then drift), as the scale benchmark does.
    await fleet.reset([real.node.name, real.hypervisor.name]);
    for (const h of hosts.slice(0, 2)) sim.record(h, { host: real[h.role].sshHost, port: real[h.role].sshPort, user: 'ops', keyFile: fleet.lab.keyFile });
    for (const command of ['apply', 'drift']) {
      const r = await vprov(command, '-i', inventory, '--limit', 's0,s1', '--format', 'json');
      if (r.code !== 0) out.problems.push(`recording ${command}: exit ${r.code}: ${r.stderr.slice(0, 300)}`);
    }
    for (const h of hosts.slice(0, 2)) sim.replay(h);
    for (const h of hosts) h.state = 'converged';

    log(`\nshards: drift of ${size} simulated hosts as ${SHARDS} shards at once, then report merge`);
    const runs = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) => vprov('drift', '-i', inventory, '--shard', `${i + 1}/${SHARDS}`, '--format', 'json')),
    );
    const files = runs.map((r, i) => {
      const file = join(dir, `shard-${size}-${i + 1}.json`);
      writeFileSync(file, r.stdout);
      const n = JSON.parse(r.stdout).hosts.length;
      out.shards.push({ shard: `${i + 1}/${SHARDS}`, hosts: n, wallMs: r.wallMs, cpuMs: r.cpuMs, rssKb: r.rssKb, code: r.code });
      log(`  shard ${i + 1}/${SHARDS}: ${n} hosts, wall ${s(r.wallMs)}, cpu ${s(r.cpuMs)}, peak rss ${mb(r.rssKb)}, exit ${r.code}`);
      return file;
    });
    if (sim.mismatches.length) out.problems.push(`${sim.mismatches.length} scripts without a recorded answer, e.g. ${sim.mismatches[0]}`);
    out.merge = await mergeOf(files, size, log);
    for (const n of mergeHosts) out.mergeOnly.push(await mergeOf(copies(files, n, dir), n, log));
  } finally {
    await sim.close();
  }
  for (const p of out.problems) console.error(`PROBLEM: ${p}`);
  return out;
}

async function mergeOf(files, n, log) {
  const r = await measure(process.execPath, [CLI, 'report', 'merge', ...files, '--format', 'json', '--output', `${files[0]}.merged`]);
  const merged = JSON.parse(readFileSync(`${files[0]}.merged`, 'utf8'));
  const row = { hosts: n, mergedHosts: merged.hosts.length, wallMs: r.wallMs, cpuMs: r.cpuMs, rssKb: r.rssKb, code: r.code };
  log(`  report merge of ${n} hosts (${files.length} files): wall ${s(r.wallMs)}, cpu ${s(r.cpuMs)}, peak rss ${mb(r.rssKb)}, exit ${r.code}`);
  if (merged.hosts.length !== n) throw new Error(`report merge: ${merged.hosts.length} hosts, ${n} expected`);
  return row;
}

/** Shard reports of `n` hosts, made of the simulated shards' records renamed (each where --shard puts it). */
function copies(files, n, dir) {
  const docs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
  const records = docs.flatMap((d) => d.hosts);
  const byShard = docs.map(() => []);
  for (let i = 0; i < n; i++) {
    const host = `m${i}`;
    byShard[shardOf(host, SHARDS) - 1].push({ ...records[i % records.length], host });
  }
  return docs.map((d, k) => {
    const file = join(dir, `merge-${n}-${k + 1}.json`);
    // One host per line, as vprov writes its reports (and never one string of the whole file).
    const { hosts: _h, ...head } = d;
    const lines = [JSON.stringify(head).slice(0, -1), ',"hosts":['];
    writeFileSync(file, `${lines.join('')}${byShard[k].map((h) => JSON.stringify(h)).join(',\n')}]}\n`);
    return file;
  });
}

const s = (x) => (x === null ? '-' : `${(x / 1000).toFixed(2)} s`);
const mb = (kb) => (kb === null ? '-' : `${(kb / 1024).toFixed(0)} MB`);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { hosts: { type: 'string', default: '2500' }, 'merge-hosts': { type: 'string', default: '40000' }, out: { type: 'string' } },
  });
  const fleet = await startFleet(2, (i) => (i === 0 ? 'node' : 'hypervisor'));
  try {
    const r = await runShards({ fleet, hosts: Number(values.hosts), mergeHosts: values['merge-hosts'].split(',').filter(Boolean).map(Number) });
    if (values.out) writeFileSync(values.out, `${JSON.stringify(r, null, 2)}\n`);
    if (r.problems.length) process.exitCode = 1;
  } finally {
    await fleet.stop();
  }
}
