// The controller side at 100..1,000 hosts without 1,000 containers: vprov (the real CLI, as a
// child process) against simulated hosts (lib/sim-ssh.js) whose answers were recorded from
// two real lab hosts — one per role — converging to exactly the desired state of the big
// inventory. Measures wall time, controller CPU (user+sys of vprov's process tree) and peak
// RSS for a first apply on fresh hosts and a drift check on the converged fleet, at the
// default --forks. The simulator runs in this process: its CPU is not counted as vprov's.
// Used by run.js; alone: node test/bench/scale.js [--sizes 100,500,1000] (starts 2 lab hosts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { measure, stats } from './lib/measure.js';
import { SimFleet } from './lib/sim-ssh.js';
import { startFleet } from './lib/fleet.js';

const CLI = fileURLToPath(new URL('../../bin/vprov.js', import.meta.url));
const roleOf = (i) => (i % 4 === 0 ? 'node' : 'hypervisor');

/**
 * @param {{ fleet: { lab: import('../lab/hosts.js').Lab, names: string[], roles: Record<string, string[]>, reset(names?: string[]): Promise<unknown> }, sizes: number[], rounds?: number, log?: (s: string) => void }} o
 */
export async function runScale({ fleet, sizes, rounds = 1, log = console.log }) {
  const real = Object.fromEntries(['node', 'hypervisor'].map((role) => [role, fleet.lab.host(fleet.names.find((n) => fleet.roles[n][0] === role))]));
  const out = { sizes: [], problems: [] };
  log(`\nscale: simulated hosts ${sizes.join(', ')} (answers recorded from ${real.node.name} and ${real.hypervisor.name})`);
  for (const size of sizes) {
    const sim = new SimFleet();
    try {
      const hosts = [];
      for (let i = 0; i < size; i++) hosts.push(await sim.addHost(`s${i}`, roleOf(i)));
      const dir = fleet.lab.dir;
      const knownHosts = join(dir, `sim-known-${size}`);
      writeFileSync(knownHosts, hosts.map((h) => `[127.0.0.1]:${h.port} ${sim.publicKeyLine()}\n`).join(''));
      const inventory = join(dir, `sim-${size}.yaml`);
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
      const vprov = (...args) => measure(process.execPath, [CLI, ...args, '-i', inventory, '--format', 'json']);
      const statuses = (r) => {
        try {
          const counts = {};
          for (const h of JSON.parse(r.stdout).hosts) counts[h.status] = (counts[h.status] ?? 0) + 1;
          return counts;
        } catch {
          return { unparsable: r.stderr.slice(0, 200) };
        }
      };

      // Record: the first node and hypervisor of the inventory are forwarded to real lab hosts, fresh.
      const recorded = [hosts[0], hosts[1]];
      await fleet.reset([real.node.name, real.hypervisor.name]);
      for (const h of recorded) sim.record(h, { host: real[h.role].sshHost, port: real[h.role].sshPort, user: 'ops', keyFile: fleet.lab.keyFile });
      const limit = recorded.map((h) => h.name).join(',');
      const recApply = await vprov('apply', '--limit', limit);
      const recDrift = await vprov('drift', '--limit', limit);
      const rec = { apply: statuses(recApply), drift: statuses(recDrift) };
      if (rec.apply.changed !== 2 || rec.drift.ok !== 2)
        out.problems.push(`size ${size}: recording run did not converge two real hosts: ${JSON.stringify(rec)} ${recApply.stderr.slice(0, 300)}`);
      for (const h of recorded) sim.replay(h);

      const row = { hosts: size, apply: [], drift: [] };
      for (let round = 0; round < rounds; round++) {
        sim.resetStates();
        const apply = await vprov('apply');
        const drift = await vprov('drift');
        const a = statuses(apply);
        const d = statuses(drift);
        if (a.changed !== size) out.problems.push(`size ${size}: simulated first apply: ${JSON.stringify(a)}`);
        if (d.ok !== size) out.problems.push(`size ${size}: simulated drift: ${JSON.stringify(d)}`);
        row.apply.push({ wallMs: apply.wallMs, cpuMs: apply.cpuMs, rssKb: apply.rssKb });
        row.drift.push({ wallMs: drift.wallMs, cpuMs: drift.cpuMs, rssKb: drift.rssKb });
        log(
          `  ${String(size).padStart(5)} hosts  apply wall ${ms(apply.wallMs)} cpu ${ms(apply.cpuMs)} rss ${mb(apply.rssKb)} | drift wall ${ms(drift.wallMs)} cpu ${ms(drift.cpuMs)} rss ${mb(drift.rssKb)}`,
        );
      }
      if (sim.mismatches.length) out.problems.push(`size ${size}: ${sim.mismatches.length} scripts without a recorded answer, e.g. ${sim.mismatches[0]}`);
      out.sizes.push(row);
    } finally {
      await sim.close();
    }
  }
  // Growth: what each extra host adds, between consecutive sizes (medians).
  const med = (row, phase, k) => stats(row[phase].map((x) => x[k])).median;
  out.growth = [];
  for (let i = 1; i < out.sizes.length; i++) {
    const [a, b] = [out.sizes[i - 1], out.sizes[i]];
    const per = (phase, k) => (med(b, phase, k) - med(a, phase, k)) / (b.hosts - a.hosts);
    out.growth.push({
      from: a.hosts,
      to: b.hosts,
      applyCpuMsPerHost: per('apply', 'cpuMs'),
      driftCpuMsPerHost: per('drift', 'cpuMs'),
      driftWallMsPerHost: per('drift', 'wallMs'),
      driftRssKbPerHost: per('drift', 'rssKb'),
    });
  }
  for (const g of out.growth) {
    log(
      `  ${g.from} → ${g.to}: per extra host: drift cpu ${g.driftCpuMsPerHost.toFixed(2)} ms, wall ${g.driftWallMsPerHost.toFixed(2)} ms, rss ${g.driftRssKbPerHost.toFixed(0)} KB; apply cpu ${g.applyCpuMsPerHost.toFixed(2)} ms`,
    );
  }
  for (const p of out.problems) console.error(`PROBLEM: ${p}`);
  return out;
}

const ms = (x) => (x === null ? '-' : `${(x / 1000).toFixed(2)} s`);
const mb = (kb) => (kb === null ? '-' : `${(kb / 1024).toFixed(0)} MB`);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100,500,1000' }, rounds: { type: 'string', default: '1' } } });
  const fleet = await startFleet(2, (i) => (i === 0 ? 'node' : 'hypervisor'));
  try {
    const r = await runScale({ fleet, sizes: values.sizes.split(',').map(Number), rounds: Number(values.rounds) });
    if (r.problems.length) process.exitCode = 1;
  } finally {
    await fleet.stop();
  }
}
